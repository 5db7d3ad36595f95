import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AppState,
  activeSeries,
  addSeries,
  decodeState,
  defaultState,
  encodeState,
  formatConfig,
  maxSeries,
  palette,
  removeSeries,
  StateLinkError,
  withSeries,
} from '../src/state';

const encodeWire = (wire: unknown) =>
  `#state=${Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url')}`;

describe('URL state', () => {
  it('round-trips the default state, and an empty hash means "no state"', () => {
    const state = defaultState();
    expect(decodeState(encodeState(state))).toEqual(state);
    expect(decodeState('')).toBeUndefined();
    expect(decodeState('#')).toBeUndefined();
  });

  it('is base64url of UTF-8 JSON, configs that parse stored as JSON, others as text', () => {
    const state: AppState = {
      ...defaultState(),
      series: [
        { name: 'ünïcode ✓', color: '#123456', text: formatConfig({ type: 'constant', value: 0.5 }) },
        { name: 'typed', color: '#abcdef', text: '{ "type": "constant", "value": ' },
      ],
    };
    const hash = encodeState(state);
    expect(hash).toMatch(/^#state=[A-Za-z0-9_-]+$/);
    const wire = JSON.parse(Buffer.from(hash.slice('#state='.length), 'base64url').toString('utf8'));
    expect(wire.series[0]).toEqual({
      name: 'ünïcode ✓',
      color: '#123456',
      config: { type: 'constant', value: 0.5 },
    });
    expect(wire.series[1]).toEqual({
      name: 'typed',
      color: '#abcdef',
      text: '{ "type": "constant", "value": ',
    });
    expect(decodeState(hash)).toEqual(state);
  });

  it('round-trips any state (property)', () => {
    const series = fc.record({
      name: fc.string(),
      color: fc.constantFrom('#2563eb', '#dc2626', '#00ff00'),
      text: fc.oneof(
        fc.string(),
        fc.jsonValue().map((value) => formatConfig(value)),
      ),
    });
    fc.assert(
      fc.property(
        fc.array(series, { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e9, noNaN: true }),
        fc.integer({ min: 2, max: 1_000_000 }),
        fc.constantFrom('linear' as const, 'log' as const),
        fc.double({ min: 0, max: 1e12, noNaN: true }),
        (list, start, span, points, scale, probe) => {
          const state: AppState = {
            series: list,
            active: list.length - 1,
            start,
            end: start + span,
            points,
            scale,
            probe,
          };
          fc.pre(state.end > state.start);
          expect(decodeState(encodeState(state))).toEqual(state);
        },
      ),
      { numRuns: 300 },
    );
  });

  const valid = JSON.parse(
    Buffer.from(encodeState(defaultState()).slice('#state='.length), 'base64url').toString('utf8'),
  );
  it.each([
    ['no state part', '#config=abc', 'The link has no "#state=" part.'],
    ['not base64url', '#state=***', "The link's state cannot be read: the state is not base64url text."],
    ['not an object', encodeWire([1, 2]), "The link's state is not a JSON object."],
    [
      'wrong version',
      encodeWire({ ...valid, v: 2 }),
      "The link's state is invalid: v must be 1; received 2.",
    ],
    [
      'no series',
      encodeWire({ ...valid, series: [] }),
      "The link's state is invalid: series must be an array of 1 to 4 schedules.",
    ],
    [
      'several bad fields',
      encodeWire({ ...valid, start: -1, points: 1.5, scale: 'cubic' }),
      'The link\'s state is invalid: start must be a finite number >= 0; received -1; points must be an integer in [2, 1000000]; received 1.5; scale must be "linear" or "log"; received "cubic".',
    ],
    [
      'empty range',
      encodeWire({ ...valid, start: 10, end: 10 }),
      "The link's state is invalid: end (10) must be greater than start (10).",
    ],
    [
      'series without config',
      encodeWire({ ...valid, series: [{ name: 'x', color: '#000000' }] }),
      "The link's state is invalid: series[0] must have a config or a text.",
    ],
  ])('rejects a link with %s, saying why', (_case, hash, message) => {
    expect(() => decodeState(hash)).toThrow(StateLinkError);
    expect(() => decodeState(hash)).toThrow(message);
  });

  it('replaces a colour that is not #rrggbb by the palette colour', () => {
    const hash = encodeWire({
      ...valid,
      series: [{ name: 'x', color: 'red', config: { type: 'constant', value: 1 } }],
    });
    expect(decodeState(hash)?.series[0]?.color).toBe('#2563eb');
  });
});

describe('state changes', () => {
  const three: AppState = {
    ...defaultState(),
    series: [
      { name: 'a', color: palette[0], text: '{"type": "constant", "value": 1}' },
      { name: 'schedule 4', color: '#000000', text: '{"type": "constant", "value": 2}' },
      { name: 'c', color: palette[2], text: 'not json' },
    ],
    active: 1,
  };

  it('changes one series and leaves the others and the input as they were', () => {
    const changed = withSeries(three, 2, { name: 'renamed' });
    expect(changed.series[2]).toEqual({ ...three.series[2], name: 'renamed' });
    expect(changed.series[0]).toBe(three.series[0]);
    expect(changed.series[1]).toBe(three.series[1]);
    expect(three.series[2]!.name).toBe('c');
    expect({ ...changed, series: three.series }).toEqual(three);
  });

  it('adds a copy of the active series with a free colour and name, and makes it active', () => {
    const added = addSeries(three)!;
    expect(added.series.slice(0, 3)).toEqual(three.series);
    // "schedule 4" is taken, so the next free number from the new count (4) is 5.
    expect(added.series[3]).toEqual({ name: 'schedule 5', color: palette[1], text: three.series[1]!.text });
    expect(added.active).toBe(3);
    expect(activeSeries(added)).toBe(added.series[3]);
    const fromDefault = addSeries(defaultState())!;
    expect(fromDefault.series[1]).toEqual({
      name: 'schedule 2',
      color: palette[1],
      text: defaultState().series[0]!.text,
    });
  });

  it('adds nothing past maxSeries', () => {
    const full = addSeries(three)!;
    expect(full.series).toHaveLength(maxSeries);
    expect(addSeries(full)).toBeUndefined();
  });

  it('removes the active series and makes the one before it active', () => {
    const removed = removeSeries(three)!;
    expect(removed.series).toEqual([three.series[0], three.series[2]]);
    expect(removed.active).toBe(0);
    const first = removeSeries({ ...three, active: 0 })!;
    expect(first.series).toEqual([three.series[1], three.series[2]]);
    expect(first.active).toBe(0);
    expect(removeSeries(defaultState())).toBeUndefined();
  });
});
