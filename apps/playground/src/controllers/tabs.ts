/**
 * The schedule tabs (the ARIA tab pattern: arrow keys, Home and End move between them) with the
 * "Add schedule" and "Remove this schedule" buttons.
 */
import { activeSeries, addSeries, maxSeries, removeSeries } from '../state';
import type { View } from '../view';
import { type App, byId, type Controller } from './controller';

/** The tab a key moves to from tab `index` of `count` (arrows wrap around), or undefined for another key. */
export function tabKeyTarget(key: string, index: number, count: number): number | undefined {
  if (key === 'ArrowRight') return (index + 1) % count;
  if (key === 'ArrowLeft') return (index - 1 + count) % count;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return undefined;
}

export function createTabs(root: Document, app: App): Controller {
  const tabs = byId<HTMLDivElement>(root, 'tabs');
  const add = byId<HTMLButtonElement>(root, 'add-series');
  const remove = byId<HTMLButtonElement>(root, 'remove-series');
  const listeners = new AbortController();
  const { signal } = listeners;

  const select = (index: number) => app.commit({ ...app.view().state, active: index }, { editor: true });
  const focusTab = (index: number) => root.getElementById(`tab-${index}`)?.focus();

  const tabFor = ({ state, results }: View, index: number) => {
    const series = state.series[index]!;
    const tab = root.createElement('button');
    tab.type = 'button';
    tab.id = `tab-${index}`;
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-controls', 'series-panel');
    tab.setAttribute('aria-selected', String(index === state.active));
    tab.tabIndex = index === state.active ? 0 : -1;
    const swatch = root.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = series.color;
    swatch.setAttribute('aria-hidden', 'true');
    tab.append(swatch, series.name || `schedule ${index + 1}`);
    if (results[index] && !results[index]!.ok) {
      const mark = root.createElement('span');
      mark.className = 'tab-issue';
      mark.textContent = ' ⚠';
      mark.setAttribute('aria-label', ' (has issues)');
      tab.append(mark);
    }
    tab.addEventListener('click', () => select(index));
    tab.addEventListener('keydown', (event) => {
      const next = tabKeyTarget(event.key, index, app.view().state.series.length);
      if (next === undefined) return;
      event.preventDefault();
      select(next);
      focusTab(next);
    });
    return tab;
  };

  add.addEventListener(
    'click',
    () => {
      const next = addSeries(app.view().state);
      if (!next) return;
      app.commit(next, { rebuild: true, editor: true });
      focusTab(app.view().state.active);
      app.say(`Added ${activeSeries(next).name}, a copy of the one you were editing.`);
    },
    { signal },
  );
  remove.addEventListener(
    'click',
    () => {
      const { state } = app.view();
      const next = removeSeries(state);
      if (!next) return;
      app.commit(next, { rebuild: true, editor: true });
      focusTab(app.view().state.active);
      app.say(`Removed ${activeSeries(state).name}.`);
    },
    { signal },
  );

  return {
    update(view) {
      tabs.replaceChildren(...view.state.series.map((_, index) => tabFor(view, index)));
      add.disabled = view.state.series.length >= maxSeries;
      add.title = add.disabled ? `At most ${maxSeries} schedules` : '';
      remove.disabled = view.state.series.length <= 1;
      root.getElementById('series-panel')?.setAttribute('aria-labelledby', `tab-${view.state.active}`);
    },
    dispose: () => listeners.abort(),
  };
}
