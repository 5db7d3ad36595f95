/**
 * The "Native anneal equivalent" panel, shown for a reference config: the native config it maps
 * to, and a button that replaces the reference config with it to edit it with the controls.
 */
import { formatConfig, withSeries } from '../state';
import { type App, byId, type Controller } from './controller';

export function createReference(root: Document, app: App): Controller {
  const panel = byId<HTMLDivElement>(root, 'reference-panel');
  const nativeConfig = byId<HTMLPreElement>(root, 'native-config');
  const useNative = byId<HTMLButtonElement>(root, 'use-native');
  const listeners = new AbortController();
  useNative.addEventListener(
    'click',
    () => {
      const { state, results } = app.view();
      const result = results[state.active];
      if (!result?.ok) return;
      app.commit(withSeries(state, state.active, { text: formatConfig(result.nativeConfig) }), {
        rebuild: true,
        editor: true,
      });
      root.getElementById('family')?.focus();
    },
    { signal: listeners.signal },
  );
  return {
    update({ state, results }) {
      const result = results[state.active];
      const isReference = result?.ok === true && result.kind === 'reference';
      panel.hidden = !isReference;
      if (isReference) nativeConfig.textContent = formatConfig(result.nativeConfig);
    },
    dispose: () => listeners.abort(),
  };
}
