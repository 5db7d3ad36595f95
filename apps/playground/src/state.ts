/**
 * The playground's state, the changes the page makes to it, and its URL form. The whole state is
 * JSON, encoded as base64url (UTF-8) in the hash: `#state=<base64url(JSON)>`, so a link reproduces
 * the chart without a server.
 */

export type Scale = 'linear' | 'log';

export interface SeriesState {
  /** Name shown in the legend and the CSV header. */
  readonly name: string;
  /** Curve colour, `#rrggbb`. */
  readonly color: string;
  /** The config as typed: native `{ type, ... }` or reference `{ api, params, base_lr }` JSON. */
  readonly text: string;
}

export interface AppState {
  /** One to four schedules. */
  readonly series: readonly SeriesState[];
  /** Index of the series being edited. */
  readonly active: number;
  /** First and last step drawn (inclusive). */
  readonly start: number;
  readonly end: number;
  /** Samples per curve over [start, end]. */
  readonly points: number;
  readonly scale: Scale;
  /** Step whose exact values the "value at step" panel shows. */
  readonly probe: number;
}

export const maxSeries = 4;
export const maxPoints = 1_000_000;
export const palette = ['#2563eb', '#dc2626', '#059669', '#d97706'] as const;

export function defaultState(): AppState {
  return {
    series: [
      {
        name: 'schedule 1',
        color: palette[0],
        text: formatConfig({
          type: 'warmupCosineDecay',
          peakValue: 1e-3,
          totalSteps: 1000,
          warmupSteps: 100,
          holdSteps: 100,
          finalValue: 1e-5,
        }),
      },
    ],
    active: 0,
    start: 0,
    end: 1100,
    points: 2001,
    scale: 'linear',
    probe: 100,
  };
}

/** The series being edited. */
export function activeSeries(state: AppState): SeriesState {
  return state.series[state.active]!;
}

/** The state with series `index` changed by `change`. */
export function withSeries(state: AppState, index: number, change: Partial<SeriesState>): AppState {
  return {
    ...state,
    series: state.series.map((series, i) => (i === index ? { ...series, ...change } : series)),
  };
}

/**
 * The state with a copy of the active series added and made active: it gets the first palette
 * colour no series uses and the name "schedule N" with the smallest free N from the new count up.
 * Undefined when there are already `maxSeries`.
 */
export function addSeries(state: AppState): AppState | undefined {
  if (state.series.length >= maxSeries) return undefined;
  const used = new Set(state.series.map((series) => series.color));
  const color =
    palette.find((candidate) => !used.has(candidate)) ?? palette[state.series.length % palette.length]!;
  const names = new Set(state.series.map((series) => series.name));
  let number = state.series.length + 1;
  while (names.has(`schedule ${number}`)) number++;
  return {
    ...state,
    series: [...state.series, { name: `schedule ${number}`, color, text: activeSeries(state).text }],
    active: state.series.length,
  };
}

/** The state without the active series; the one before it becomes active. Undefined for the only series. */
export function removeSeries(state: AppState): AppState | undefined {
  if (state.series.length <= 1) return undefined;
  return {
    ...state,
    series: state.series.filter((_, index) => index !== state.active),
    active: Math.max(0, state.active - 1),
  };
}

/** Pretty JSON as shown in the editor. */
export function formatConfig(config: unknown): string {
  return JSON.stringify(config, null, 2);
}

// URL form: a config that parses is stored as JSON (`config`), anything else as text (`text`),
// so a half-typed config survives a reload exactly as typed.
interface SeriesWire {
  readonly name: string;
  readonly color: string;
  readonly config?: unknown;
  readonly text?: string;
}
interface StateWire {
  readonly v: 1;
  readonly series: SeriesWire[];
  readonly active: number;
  readonly start: number;
  readonly end: number;
  readonly points: number;
  readonly scale: Scale;
  readonly probe: number;
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(encoded: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) throw new Error('the state is not base64url text');
  const padded = encoded.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (encoded.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** The hash for a state: `#state=` followed by base64url of its JSON. */
export function encodeState(state: AppState): string {
  const wire: StateWire = {
    v: 1,
    series: state.series.map((series) => {
      try {
        const config: unknown = JSON.parse(series.text);
        if (formatConfig(config) === series.text) return { name: series.name, color: series.color, config };
      } catch {
        // Kept as text below.
      }
      return { name: series.name, color: series.color, text: series.text };
    }),
    active: state.active,
    start: state.start,
    end: state.end,
    points: state.points,
    scale: state.scale,
    probe: state.probe,
  };
  return `#state=${toBase64Url(JSON.stringify(wire))}`;
}

/** Thrown by `decodeState` with a sentence saying what is wrong with the link. */
export class StateLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateLinkError';
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * Reads a hash made by `encodeState`. Returns `undefined` for an empty hash; throws
 * `StateLinkError` listing every problem for a hash that cannot be read.
 */
export function decodeState(hash: string): AppState | undefined {
  const body = hash.replace(/^#/, '');
  if (body === '') return undefined;
  const match = /^state=(.*)$/.exec(body);
  if (!match) throw new StateLinkError('The link has no "#state=" part.');
  let wire: unknown;
  try {
    wire = JSON.parse(fromBase64Url(match[1]!));
  } catch (error) {
    throw new StateLinkError(`The link's state cannot be read: ${(error as Error).message}.`);
  }
  const problems: string[] = [];
  if (!isObject(wire)) throw new StateLinkError("The link's state is not a JSON object.");
  if (wire.v !== 1) problems.push(`v must be 1; received ${JSON.stringify(wire.v)}`);
  const series: SeriesState[] = [];
  if (!Array.isArray(wire.series) || wire.series.length < 1 || wire.series.length > maxSeries) {
    problems.push(`series must be an array of 1 to ${maxSeries} schedules`);
  } else {
    wire.series.forEach((item: unknown, index) => {
      if (!isObject(item) || typeof item.name !== 'string' || typeof item.color !== 'string') {
        problems.push(`series[${index}] must have a name and a color`);
        return;
      }
      const color = /^#[0-9a-f]{6}$/i.test(item.color) ? item.color : palette[index % palette.length]!;
      if (typeof item.text === 'string') series.push({ name: item.name, color, text: item.text });
      else if ('config' in item) series.push({ name: item.name, color, text: formatConfig(item.config) });
      else problems.push(`series[${index}] must have a config or a text`);
    });
  }
  const numberField = (key: string, ok: (value: number) => boolean, expected: string) => {
    const value = wire[key as keyof typeof wire];
    if (!isFiniteNumber(value) || !ok(value)) {
      problems.push(`${key} must be ${expected}; received ${JSON.stringify(value)}`);
      return 0;
    }
    return value;
  };
  const start = numberField('start', (v) => v >= 0, 'a finite number >= 0');
  const end = numberField('end', (v) => v >= 0, 'a finite number >= 0');
  const points = numberField(
    'points',
    (v) => Number.isInteger(v) && v >= 2 && v <= maxPoints,
    `an integer in [2, ${maxPoints}]`,
  );
  const probe = numberField('probe', (v) => v >= 0, 'a finite number >= 0');
  const active = numberField(
    'active',
    (v) => Number.isInteger(v) && v >= 0 && v < Math.max(series.length, 1),
    'the index of a series',
  );
  if (wire.scale !== 'linear' && wire.scale !== 'log')
    problems.push(`scale must be "linear" or "log"; received ${JSON.stringify(wire.scale)}`);
  if (problems.length === 0 && end <= start)
    problems.push(`end (${end}) must be greater than start (${start})`);
  if (problems.length > 0) throw new StateLinkError(`The link's state is invalid: ${problems.join('; ')}.`);
  return { series, active, start, end, points, scale: wire.scale as Scale, probe };
}
