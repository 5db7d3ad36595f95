import { describe, expect, it } from 'vitest';
import { configArgument, integerOption, type OptionSpec, parseArguments } from './args';

const specs: OptionSpec[] = [
  { name: 'steps', kind: 'string' },
  { name: 'help', kind: 'boolean', short: 'h' },
];

describe('parseArguments', () => {
  it('separates positionals, string options (both spellings) and flags', () => {
    const parsed = parseArguments(['a.json', '--steps', '0:3', '-h'], specs);
    expect(parsed.positionals).toEqual(['a.json']);
    expect(Object.fromEntries(parsed.options)).toEqual({ steps: '0:3', help: true });
    expect(Object.fromEntries(parseArguments(['--steps=1,2'], specs).options)).toEqual({ steps: '1,2' });
  });

  it('treats "-" as a positional and everything after "--" as positionals', () => {
    const parsed = parseArguments(['-', '--', '--steps', '-h'], specs);
    expect(parsed.positionals).toEqual(['-', '--steps', '-h']);
    expect(parsed.options.size).toBe(0);
  });

  it('accepts a value that starts with a minus and a digit (so the step parser can reject it)', () => {
    expect(parseArguments(['--steps', '-1'], specs).options.get('steps')).toBe('-1');
  });

  it.each([
    [['--steps', '-'], '-'],
    [['--steps=-1'], '-1'],
    [['--steps=--help'], '--help'],
    [['--steps='], ''],
    [['--steps', '-2.5e3'], '-2.5e3'],
  ])('%j gives --steps the value %j', (argv, value) => {
    expect(parseArguments(argv, specs).options.get('steps')).toBe(value);
  });

  it('reads a one-letter alias of a string option only as a whole argument', () => {
    const withAlias: OptionSpec[] = [...specs, { name: 'out', kind: 'string', short: 'o' }];
    expect(Object.fromEntries(parseArguments(['-o', 'x.svg'], withAlias).options)).toEqual({ out: 'x.svg' });
    expect(() => parseArguments(['-o'], withAlias)).toThrow('option --out needs a value');
    expect(() => parseArguments(['-ox.svg'], withAlias)).toThrow(
      'unknown option -ox.svg (expected one of --steps, --help, --out)',
    );
  });

  it('reports usage errors with exit code 2', () => {
    expect(() => parseArguments(['--nope'], specs)).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it.each([
    [['--nope'], 'unknown option --nope (expected one of --steps, --help)'],
    [['--nope=3'], 'unknown option --nope (expected one of --steps, --help)'],
    [['-q'], 'unknown option -q (expected one of --steps, --help)'],
    [['--steps'], 'option --steps needs a value'],
    [['--steps', '--help'], 'option --steps needs a value'],
    [['--help=yes'], 'option --help takes no value'],
    [['-h', '--help'], 'option --help given more than once'],
    [['--help', '--help'], 'option --help given more than once'],
    [['--steps=1', '--steps', '2'], 'option --steps given more than once'],
    [['--steps', '-x'], 'option --steps needs a value'],
    [['--steps', '--'], 'option --steps needs a value'],
    [['--steps', '-h'], 'option --steps needs a value'],
    [['--help='], 'option --help takes no value'],
    [['-hq'], 'unknown option -hq (expected one of --steps, --help)'],
    [['-h=x'], 'unknown option -h (expected one of --steps, --help)'],
    [['-1'], 'unknown option -1 (expected one of --steps, --help)'],
    [['---steps', '1'], 'unknown option ---steps (expected one of --steps, --help)'],
    [['--=1'], 'unknown option -- (expected one of --steps, --help)'],
    [['--Steps', '1'], 'unknown option --Steps (expected one of --steps, --help)'],
    [['--constructor'], 'unknown option --constructor (expected one of --steps, --help)'],
    [['a.json', '--nope', '--steps'], 'unknown option --nope (expected one of --steps, --help)'],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseArguments(argv, specs)).toThrow(message);
  });
});

describe('configArgument', () => {
  it('returns the one config argument', () => {
    expect(configArgument(['a.json'])).toBe('a.json');
    expect(configArgument(['-'])).toBe('-');
  });
  it.each([
    [[], 'missing <config.json | -> argument'],
    [['a.json', 'b.json'], 'unexpected argument "b.json" (one config at a time)'],
  ])('%j is a usage error', (positionals, message) => {
    expect(() => configArgument(positionals)).toThrow(message);
  });
});

describe('integerOption', () => {
  const options = new Map<string, string | true>([
    ['width', '120'],
    ['height', '12.5'],
  ]);
  it('reads an integer within range, or the fallback when absent', () => {
    expect(integerOption(options, 'width', { min: 30, max: 1000 }, 80)).toBe(120);
    expect(integerOption(options, 'depth', { min: 1, max: 2 }, 2)).toBe(2);
  });
  it('rejects non-integers and out-of-range values', () => {
    expect(() => integerOption(options, 'height', { min: 4, max: 200 }, 16)).toThrow(
      '--height must be an integer from 4 to 200; received "12.5"',
    );
    expect(() => integerOption(options, 'width', { min: 30, max: 100 }, 80)).toThrow(
      '--width must be an integer from 30 to 100; received "120"',
    );
  });
});
