/**
 * The range above the chart: From and To (steps), Points (samples per curve), the scale, and "Fit
 * to the schedules". Values that cannot be drawn are named below the fields and not applied.
 */
import { naturalEnd } from '../model';
import { maxPoints } from '../state';
import { type App, byId, type Controller } from './controller';

export type RangeField = 'start' | 'end' | 'points';

export interface RangeProblem {
  readonly field: RangeField;
  readonly message: string;
}

/** Reads the range fields as typed: the range, or every problem with them. */
export function readRange(
  text: Readonly<Record<RangeField, string>>,
): { range: { start: number; end: number; points: number } } | { problems: RangeProblem[] } {
  const start = Number(text.start);
  const end = Number(text.end);
  const points = Number(text.points);
  const problems: RangeProblem[] = [];
  if (text.start.trim() === '' || !(Number.isFinite(start) && start >= 0))
    problems.push({
      field: 'start',
      message: `From must be a finite number >= 0; received ${JSON.stringify(text.start)}.`,
    });
  if (text.end.trim() === '' || !Number.isFinite(end))
    problems.push({
      field: 'end',
      message: `To must be a finite number; received ${JSON.stringify(text.end)}.`,
    });
  else if (!(end > start))
    problems.push({ field: 'end', message: `To must be greater than From (${start}); received ${end}.` });
  if (!(Number.isInteger(points) && points >= 2 && points <= maxPoints))
    problems.push({
      field: 'points',
      message: `Points must be an integer in [2, ${maxPoints}]; received ${JSON.stringify(text.points)}.`,
    });
  return problems.length > 0 ? { problems } : { range: { start, end, points } };
}

export function createRange(root: Document, app: App): Controller {
  const inputs: Record<RangeField, HTMLInputElement> = {
    start: byId(root, 'range-start'),
    end: byId(root, 'range-end'),
    points: byId(root, 'points'),
  };
  const scale = byId<HTMLSelectElement>(root, 'scale');
  const fit = byId<HTMLButtonElement>(root, 'fit-range');
  const issues = byId<HTMLParagraphElement>(root, 'range-issues');
  const listeners = new AbortController();
  const { signal } = listeners;

  const onInput = () => {
    const read = readRange({ start: inputs.start.value, end: inputs.end.value, points: inputs.points.value });
    const problems = 'problems' in read ? read.problems : [];
    issues.textContent = problems.map((problem) => problem.message).join(' ');
    for (const [field, input] of Object.entries(inputs)) {
      if (problems.some((problem) => problem.field === field)) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
    if ('range' in read) app.commit({ ...app.view().state, ...read.range }, { resample: true });
  };
  for (const input of Object.values(inputs)) input.addEventListener('input', onInput, { signal });
  scale.addEventListener(
    'change',
    () => app.commit({ ...app.view().state, scale: scale.value === 'log' ? 'log' : 'linear' }),
    { signal },
  );
  fit.addEventListener(
    'click',
    () => {
      const { state, results } = app.view();
      const end = naturalEnd(results);
      const next = { ...state, start: 0, end: end === undefined ? 1000 : Math.ceil(end * 1.1) };
      issues.textContent = '';
      app.commit(next, { resample: true });
      app.say(`Range set to steps 0–${next.end}.`);
    },
    { signal },
  );

  return {
    update({ state }) {
      const active = root.activeElement;
      if (active !== inputs.start) inputs.start.value = String(state.start);
      if (active !== inputs.end) inputs.end.value = String(state.end);
      if (active !== inputs.points) inputs.points.value = String(state.points);
      scale.value = state.scale;
    },
    dispose: () => listeners.abort(),
  };
}
