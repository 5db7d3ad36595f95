/** "Value at step": each drawn curve's exact learning rate at a chosen step, fractional ones included. */
import { formatExact } from '../model';
import type { View } from '../view';
import { type App, byId, type Controller } from './controller';

export function createProbe(root: Document, app: App): Controller {
  const step = byId<HTMLInputElement>(root, 'probe-step');
  const table = byId<HTMLTableElement>(root, 'probe-values');
  const listeners = new AbortController();

  const render = ({ state, sampled }: View) => {
    const body = table.tBodies[0]!;
    body.replaceChildren();
    if (root.activeElement !== step) step.value = String(state.probe);
    for (const { curve } of sampled) {
      const row = body.insertRow();
      row.dataset.label = curve.label;
      const name = row.insertCell();
      const swatch = root.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = curve.color;
      swatch.setAttribute('aria-hidden', 'true');
      name.append(swatch, curve.label);
      const value = row.insertCell();
      const exact = formatExact(curve.schedule(state.probe));
      value.textContent = exact;
      value.dataset.value = exact;
      value.className = 'value';
    }
  };

  step.addEventListener(
    'input',
    () => {
      const probe = Number(step.value);
      if (step.value.trim() === '' || !(Number.isFinite(probe) && probe >= 0)) {
        step.setAttribute('aria-invalid', 'true');
        return;
      }
      step.removeAttribute('aria-invalid');
      app.keep({ ...app.view().state, probe });
      render(app.view());
    },
    { signal: listeners.signal },
  );

  return { update: render, dispose: () => listeners.abort() };
}
