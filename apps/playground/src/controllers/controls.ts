/**
 * The controls generated from core's option specs (`renderEditor`) for the active schedule's
 * config, or a sentence saying why there are none (a reference config, or text that is not a
 * config object).
 */
import { renderEditor } from '../editor';
import { activeSeries, formatConfig, withSeries } from '../state';
import { type App, byId, type Controller } from './controller';

/** The config object the controls edit for a config text, or the help shown instead. */
export function controlsFor(text: string): { config: Record<string, unknown> } | { help: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  if (isObject && 'api' in (parsed as object) && !('type' in (parsed as object))) {
    return {
      help: 'A reference config: edit it as JSON below, or pick "Edit the native config" to use the controls.',
    };
  }
  if (!isObject)
    return { help: 'The JSON below is not a config object yet; fix it to get the controls back.' };
  return { config: parsed as Record<string, unknown> };
}

export function createControls(root: Document, app: App): Controller {
  const controls = byId<HTMLDivElement>(root, 'controls');
  /** The config object the controls edit (the active series' parsed text), if it parses. */
  let editing: Record<string, unknown> | undefined;
  const edit = (config: Record<string, unknown>, editor: boolean) => {
    const { state } = app.view();
    app.commit(withSeries(state, state.active, { text: formatConfig(config) }), { rebuild: true, editor });
  };

  const render = (text: string) => {
    editing = undefined;
    const shown = controlsFor(text);
    if ('help' in shown) {
      controls.replaceChildren(
        Object.assign(root.createElement('p'), { className: 'help', textContent: shown.help }),
      );
      return;
    }
    const { config } = shown;
    editing = config;
    renderEditor(controls, config, {
      changed: () => {
        if (editing === config) edit(config, false);
      },
      replaced: (next) => {
        if (editing !== config) return;
        edit(next, true);
        root.getElementById('family')?.focus();
      },
      rangeEnd: () => Math.max(app.view().state.end, 1),
    });
  };

  return {
    update({ state }, what) {
      if (what.editor) render(activeSeries(state).text);
    },
    dispose: () => {
      // The controls' listeners stay on their elements; with nothing being edited they change nothing.
      editing = undefined;
    },
  };
}
