/** The active schedule's name and colour fields. */
import { activeSeries, type SeriesState, withSeries } from '../state';
import { type App, byId, type Controller } from './controller';

export function createSeriesFields(root: Document, app: App): Controller {
  const name = byId<HTMLInputElement>(root, 'series-name');
  const color = byId<HTMLInputElement>(root, 'series-color');
  const listeners = new AbortController();
  const { signal } = listeners;
  const edit = (change: Partial<SeriesState>) => {
    const { state } = app.view();
    app.commit(withSeries(state, state.active, change), { rebuild: true });
  };
  name.addEventListener('input', () => edit({ name: name.value }), { signal });
  color.addEventListener('input', () => edit({ color: color.value }), { signal });
  return {
    update({ state }, what) {
      if (!what.editor) return;
      name.value = activeSeries(state).name;
      color.value = activeSeries(state).color;
    },
    dispose: () => listeners.abort(),
  };
}
