/**
 * Each option is described once, in its spec's `description`: the options interfaces' doc comments
 * and the "## Options" tables of docs/schedules are generated from it by scripts/write-option-docs.ts,
 * so a description can only change in the spec.
 */
import { describe, expect, it } from 'vitest';
import {
  commentText,
  docComment,
  renderTable,
  rewriteInterface,
  staleOptionDocs,
} from '../scripts/write-option-docs';
import { listFamilies } from '../src/index';

describe('option docs', () => {
  it('every interface doc comment and docs table matches its spec (regenerate with the core "docs:options" script)', () => {
    expect(staleOptionDocs()).toEqual([]);
  });

  it('every native option has a description that leaves its default to the generator', () => {
    const options = listFamilies().flatMap((family) =>
      Object.entries(family.options).flatMap(([key, spec]) => [
        [`${family.type}.${key}`, spec] as const,
        ...Object.entries(spec.kind === 'objectArray' ? (spec.items ?? {}) : {}).map(
          ([item, itemSpec]) => [`${family.type}.${key}[i].${item}`, itemSpec] as const,
        ),
      ]),
    );
    const bad = options.filter(
      ([, spec]) => !spec.description?.endsWith('.') || /\bDefault\b/.test(spec.description),
    );
    expect(bad.map(([path]) => path)).toEqual([]);
  });

  it('writes the description and the default into the doc comment, wrapped past the line width', () => {
    expect(commentText({ kind: 'number', default: 0, description: 'Steps held.' }, 'x')).toBe(
      'Steps held. Default 0.',
    );
    expect(commentText({ kind: 'enum', values: ['a', 'b'], default: 'a', description: 'Shape.' }, 'x')).toBe(
      "Shape. Default `'a'`.",
    );
    expect(commentText({ kind: 'boolean', optional: true, description: 'Flag.' }, 'x')).toBe('Flag.');
    expect(docComment('Short.')).toEqual(['  /** Short. */']);
    const long = docComment(`${'word '.repeat(40)}end.`);
    expect(long[0]).toBe('  /**');
    expect(long.at(-1)).toBe('   */');
    expect(long.every((line) => line.length <= 110)).toBe(true);
  });

  it('rewrites the comments of an interface, reporting those that changed', () => {
    const source = [
      'export interface DemoOptions {',
      '  /** Old text. */',
      '  readonly value: number;',
      '  /**',
      '   * Kept.',
      '   */',
      '  readonly other?: boolean;',
      '}',
      '',
    ].join('\n');
    const specs = {
      value: { kind: 'number', description: 'New text.' },
      other: { kind: 'boolean', default: false, description: 'Kept.' },
    } as const;
    const stale: string[] = [];
    const rewritten = rewriteInterface(source, { name: 'DemoOptions', specs }, (property) =>
      stale.push(property),
    );
    expect(rewritten).toBe(
      [
        'export interface DemoOptions {',
        '  /** New text. */',
        '  readonly value: number;',
        '  /** Kept. Default false. */',
        '  readonly other?: boolean;',
        '}',
        '',
      ].join('\n'),
    );
    expect(stale).toEqual(['value', 'other']);
    expect(() =>
      rewriteInterface(source, { name: 'DemoOptions', specs: { value: specs.value } }, () => {}),
    ).toThrow('DemoOptions.other has no option spec');
  });

  it('renders a table with units from the name suffix or the current table, defaults and constraints', () => {
    const table = renderTable(
      {
        peakValue: { kind: 'number', min: 0, description: 'Peak.' },
        holdSteps: { kind: 'number', min: 0, default: 0, description: 'Hold.' },
        cycleLimit: { kind: 'number', integer: true, min: 1, optional: true, description: 'Cycles |n|.' },
      },
      new Map([['`cycleLimit`', 'cycles']]),
      'demo',
    );
    expect(table).toEqual([
      '| option       | unit          | default  | meaning                                |',
      '| ------------ | ------------- | -------- | -------------------------------------- |',
      '| `peakValue`  | learning rate | required | Peak. Must be a finite number >= 0.    |',
      '| `holdSteps`  | steps         | `0`      | Hold. Must be a finite number >= 0.    |',
      '| `cycleLimit` | cycles        | not set  | Cycles \\|n\\|. Must be an integer >= 1. |',
    ]);
  });
});
