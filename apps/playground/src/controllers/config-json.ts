/**
 * The active schedule's config as JSON text (native `{ type, ... }` or reference
 * `{ api, params, base_lr }`), kept in step with the controls, and the list of reference examples.
 */
import { referenceExamples } from '../presets';
import { activeSeries, formatConfig, withSeries } from '../state';
import { type App, byId, type Controller } from './controller';

export function createConfigJson(root: Document, app: App): Controller {
  const text = byId<HTMLTextAreaElement>(root, 'config-text');
  const examples = byId<HTMLSelectElement>(root, 'reference-example');
  const listeners = new AbortController();
  const { signal } = listeners;
  const edit = (next: string) => {
    const { state } = app.view();
    app.commit(withSeries(state, state.active, { text: next }), { rebuild: true, editor: true });
  };

  text.addEventListener('input', () => edit(text.value), { signal });
  examples.append(new Option('(choose an example)', ''));
  referenceExamples.forEach((example, index) => {
    examples.append(new Option(example.label, String(index)));
  });
  examples.addEventListener(
    'change',
    () => {
      const example = referenceExamples[Number(examples.value)];
      if (!example || examples.value === '') return;
      edit(formatConfig(example.config));
      app.say(`Loaded the ${example.label} example into ${activeSeries(app.view().state).name}.`);
    },
    { signal },
  );

  return {
    update({ state }) {
      // Only when it differs, so typing here keeps the caret where it is.
      if (text.value !== activeSeries(state).text) text.value = activeSeries(state).text;
    },
    dispose: () => listeners.abort(),
  };
}
