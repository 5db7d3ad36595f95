import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkXml, close, run } from './helpers';

const warmupCosine = {
  type: 'warmupCosineDecay',
  initialValue: 0,
  peakValue: 0.001,
  warmupSteps: 500,
  holdSteps: 1000,
  totalSteps: 10000,
  finalValue: 0.00001,
};

/** The closed form restated independently of core. */
function expectedWarmupCosine(t: number): number {
  const {
    initialValue: i,
    peakValue: p,
    warmupSteps: w,
    holdSteps: h,
    totalSteps: total,
    finalValue: f,
  } = warmupCosine;
  if (t < w) return i + ((p - i) * t) / w;
  if (t < w + h) return p;
  if (t >= total) return f;
  return f + ((p - f) * (1 + Math.cos((Math.PI * (t - w - h)) / (total - w - h)))) / 2;
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'anneal-cli-'));
  writeFileSync(path.join(dir, 'warmup.json'), JSON.stringify(warmupCosine, null, 2));
  writeFileSync(path.join(dir, 'constant.json'), JSON.stringify({ type: 'constant', value: 0.1 }));
  writeFileSync(
    path.join(dir, 'invalid.json'),
    JSON.stringify({ type: 'warmupCosineDecay', peakValue: -1, totalSteps: 100, warmupSteps: 'x', bogus: 1 }),
  );
  writeFileSync(
    path.join(dir, 'rule.json'),
    JSON.stringify({
      type: 'warmupCosineDecay',
      peakValue: 0.001,
      totalSteps: 100,
      warmupSteps: 80,
      holdSteps: 40,
      finalValue: 0.01,
    }),
  );
  writeFileSync(path.join(dir, 'unknown-type.json'), JSON.stringify({ type: 'sawtooth', peakValue: 1 }));
  writeFileSync(path.join(dir, 'malformed.json'), '{\n  "type": "constant",\n  "value": 0.1,\n}\n');
  writeFileSync(path.join(dir, 'empty.json'), '  \n');
  writeFileSync(path.join(dir, 'latin1.json'), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
  writeFileSync(path.join(dir, 'big.json'), `{"pad": "${'x'.repeat(1024 * 1024)}"}`);
  writeFileSync(path.join(dir, 'bom.json'), `\ufeff${JSON.stringify({ type: 'constant', value: 0.5 })}`);
  writeFileSync(
    path.join(dir, 'plateau.json'),
    JSON.stringify({ type: 'reduceOnPlateau', initialValue: 0.1, factor: 0.5, patience: 2 }),
  );
  mkdirSync(path.join(dir, 'folder.json'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const inDir = {
  get cwd() {
    return dir;
  },
};

describe('anneal values', () => {
  it('prints an inclusive integer range as a JSON array with full precision', async () => {
    const result = await run(['values', 'warmup.json', '--steps', '0:2000'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const values = JSON.parse(result.stdout) as number[];
    expect(values).toHaveLength(2001);
    values.forEach((value, step) => {
      expect(close(value, expectedWarmupCosine(step)), `step ${step}: ${value}`).toBe(true);
    });
    expect(result.stdout.endsWith(']\n')).toBe(true);
  });

  it('prints a range with a stride, the end included when reached', async () => {
    const result = await run(['values', 'warmup.json', '--steps', '0:10000:2500'], { cwd: dir });
    expect(result.code).toBe(0);
    const values = JSON.parse(result.stdout) as number[];
    expect(values).toHaveLength(5);
    [0, 2500, 5000, 7500, 10000].forEach((step, index) => {
      expect(close(values[index]!, expectedWarmupCosine(step))).toBe(true);
    });
  });

  it('evaluates a comma-separated list in order, fractional steps included', async () => {
    const result = await run(['values', 'warmup.json', '--steps', '250.5, 0,1e3,10000.25'], { cwd: dir });
    expect(result.code).toBe(0);
    const values = JSON.parse(result.stdout) as number[];
    [250.5, 0, 1000, 10000.25].forEach((step, index) => {
      expect(close(values[index]!, expectedWarmupCosine(step))).toBe(true);
    });
  });

  it('round-trips every double exactly through the JSON output', async () => {
    const result = await run(['values', 'warmup.json', '--steps', '1600,2345,7777'], { cwd: dir });
    const values = JSON.parse(result.stdout) as number[];
    // Same formula, same operation order as the family: the shortest decimal must read back bit-exactly.
    expect(values.map((value) => Number(JSON.stringify(value)))).toEqual(values);
    expect(result.stdout).toBe(`[${values.map((value) => String(value)).join(',')}]\n`);
  });

  it('prints CSV with a step,lr header', async () => {
    const result = await run(['values', 'constant.json', '--steps', '0,2.5,3', '--format', 'csv'], {
      cwd: dir,
    });
    expect(result).toEqual({ code: 0, stdout: 'step,lr\n0,0.1\n2.5,0.1\n3,0.1\n', stderr: '' });
  });

  it('accepts --format=csv and --steps=A:B', async () => {
    const result = await run(['values', 'constant.json', '--steps=1:2', '--format=csv'], { cwd: dir });
    expect(result.stdout).toBe('step,lr\n1,0.1\n2,0.1\n');
  });

  it('takes a config after "--" and options in any order', async () => {
    const result = await run(['values', '--format=csv', '--steps', '1:2', '--', 'constant.json'], {
      cwd: dir,
    });
    expect(result).toEqual({ code: 0, stdout: 'step,lr\n1,0.1\n2,0.1\n', stderr: '' });
  });

  it('reads the config from stdin with "-"', async () => {
    const result = await run(['values', '-', '--steps', '0:2'], {
      stdin: JSON.stringify({ type: 'constant', value: 0.25 }),
    });
    expect(result).toEqual({ code: 0, stdout: '[0.25,0.25,0.25]\n', stderr: '' });
  });

  it('reads stdin given in several binary chunks', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(warmupCosine));
    const result = await run(['values', '-', '--steps', '500'], { stdin: bytes });
    expect(result.stdout).toBe('[0.001]\n');
  });

  it('skips a UTF-8 byte order mark', async () => {
    const result = await run(['values', 'bom.json', '--steps', '7'], { cwd: dir });
    expect(result.stdout).toBe('[0.5]\n');
  });

  it('prints one value for a single step', async () => {
    const result = await run(['values', 'warmup.json', '--steps', '10000'], { cwd: dir });
    expect(result.stdout).toBe('[0.00001]\n');
  });
});

describe('anneal plot', () => {
  it('draws a terminal chart with axes, tick labels and phase annotations', async () => {
    const result = await run(['plot', 'warmup.json', '--width', '80', '--height', '12'], { cwd: dir });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('warmupCosineDecay · steps 0–11000');
    expect(result.stdout).toMatch(/^\s*1e-3 ┤/m);
    expect(result.stdout).toMatch(/^\s*0 ┤/m);
    expect(result.stdout).toContain('└┬');
    expect(result.stdout).toMatch(/^\s+0\s+2k\s+4k\s+6k\s+8k\s+10k$/m);
    expect(result.stdout).toMatch(/│hold\s*│decay\s+│final/);
    expect(result.stdout).toContain(
      'phases: warmup 0–500 · hold 500–1500 · decay 1500–10000 · final 10000–∞',
    );
    expect(result.stdout).toMatch(/[\u2801-\u28ff]/);
    expect(result.stdout).toContain('┊');
    // 1 title + 12 rows + axis + labels + phase ruler + legend
    expect(lines.filter((line) => line !== '')).toHaveLength(17);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('uses colours on a TTY, and not with NO_COLOR', async () => {
    const colored = await run(['plot', 'warmup.json', '--width', '60'], { cwd: dir, tty: true });
    expect(colored.stdout).toContain('\u001b[36m');
    const plain = await run(['plot', 'warmup.json', '--width', '60'], {
      cwd: dir,
      tty: true,
      env: { NO_COLOR: '1' },
    });
    expect(plain.stdout).not.toContain('\u001b[');
  });

  it('fits the terminal width on a TTY', async () => {
    const result = await run(['plot', 'warmup.json'], {
      cwd: dir,
      tty: true,
      columns: 50,
      env: { NO_COLOR: '1' },
    });
    for (const line of result.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(50);
  });

  it('honours --steps and writes a well-formed SVG with --out, creating folders', async () => {
    const out = path.join('nested', 'deeper', 'plot.svg');
    const result = await run(['plot', 'warmup.json', '--steps', '0:2000', '--out', out], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('warmupCosineDecay · steps 0–2000');
    const svg = readFileSync(path.join(dir, out), 'utf8');
    expect(result.stdout).toContain(`wrote ${out} (${Buffer.byteLength(svg)} bytes)`);
    const { problems, elements } = checkXml(svg);
    expect(problems).toEqual([]);
    expect(elements[0]).toBe('svg');
    expect(elements).toContain('path');
    expect(svg).toMatch(/<path d="M[\d. ML]+"/);
    expect(svg).toContain('>warmupCosineDecay</text>');
    expect(svg).toContain('>decay</text>');
    expect(svg).toContain('width="800" height="400"');
    expect(svg).not.toMatch(/href|@import|<script/);
  });

  it('sizes the SVG with --svg-width and --svg-height', async () => {
    await run(['plot', 'constant.json', '--out', 'sized.svg', '--svg-width', '640', '--svg-height', '300'], {
      cwd: dir,
    });
    expect(readFileSync(path.join(dir, 'sized.svg'), 'utf8')).toContain(
      'width="640" height="300" viewBox="0 0 640 300"',
    );
  });

  it('plots 0:1000 when the schedule has no finite phase', async () => {
    const result = await run(['plot', 'constant.json'], { cwd: dir });
    expect(result.stdout.split('\n')[0]).toBe('constant · steps 0–1000');
  });
});

describe('anneal validate', () => {
  it('prints a one-line summary for a valid config', async () => {
    const result = await run(['validate', 'warmup.json'], { cwd: dir });
    expect(result).toEqual({
      code: 0,
      stdout:
        'ok warmup.json: warmupCosineDecay; 4 phases (warmup 0–500, hold 500–1500, decay 1500–10000, final 10000–∞); total 10000 steps; lr min 0, max 0.001 over steps 0–11000\n',
      stderr: '',
    });
  });

  it('uses --steps for the lowest and highest value', async () => {
    const result = await run(['validate', 'warmup.json', '--steps', '600:1400'], { cwd: dir });
    expect(result.stdout).toContain('lr min 0.001, max 0.001 over steps 600–1400');
  });

  it('summarizes a reduceOnPlateau config', async () => {
    const result = await run(['validate', 'plateau.json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'ok plateau.json: reduceOnPlateau: metric-driven plateau controller (mode min, factor 0.5, patience 2, cooldown 0, min 0); initial lr 0.1\n',
    );
  });

  it('lists every issue with exit code 1', async () => {
    const result = await run(['validate', 'invalid.json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'anneal validate: invalid.json: invalid config (3 issues)',
        '  - warmupCosineDecay: unknown option "bogus" (expected one of peakValue, totalSteps, warmupSteps, holdSteps, initialValue, finalValue); received 1.',
        '  - warmupCosineDecay: peakValue must be a finite number >= 0; received -1.',
        '  - warmupCosineDecay: warmupSteps must be a finite number >= 0; received "x".',
        '',
      ].join('\n'),
    );
  });

  it('lists cross-field rule violations with the field path when the sentence lacks it', async () => {
    const result = await run(['validate', 'rule.json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      [
        'anneal validate: rule.json: invalid config (2 issues)',
        '  - warmupCosineDecay: warmupSteps + holdSteps must not exceed totalSteps (100); received 120.',
        '  - warmupCosineDecay: finalValue must not exceed peakValue (0.001); received 0.01.',
        '',
      ].join('\n'),
    );
  });

  it('rejects an unknown type naming the known ones', async () => {
    const result = await run(['validate', 'unknown-type.json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^anneal validate: unknown-type\.json: invalid config \(1 issue\)\n {2}- fromConfig: type must be one of .*"warmupCosineDecay".*; received "sawtooth"\.\n$/,
    );
  });

  it('colours "ok" green on a TTY only', async () => {
    const result = await run(['validate', 'constant.json'], { cwd: dir, tty: true });
    expect(result.stdout.startsWith('\u001b[32mok\u001b[39m constant.json: constant')).toBe(true);
  });
});

describe('help and version', () => {
  it.each([[['--help']], [['-h']], [['help']]])('%j prints the main help on stdout', async (argv) => {
    const result = await run(argv);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^anneal \d+\.\d+\.\d+: print, plot, validate, convert and verify learning-rate schedules/,
    );
    expect(result.stdout).toContain('values     learning rates at steps');
  });

  it.each(['values', 'plot', 'validate', 'convert', 'verify'])(
    '%s --help and help %s print the command help',
    async (command) => {
      const viaFlag = await run([command, '--help']);
      const viaHelp = await run(['help', command]);
      expect(viaFlag.code).toBe(0);
      expect(viaFlag.stdout).toMatch(new RegExp(`^Usage:\\n {2}anneal ${command} `));
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
    },
  );

  it('prints help even next to otherwise invalid options', async () => {
    const result = await run(['values', '--steps', 'zzz', '-h']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('anneal values --cases <cases.json>');
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '../package.json'), 'utf8')) as {
      version: string;
    };
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    expect((await run(['-v'])).stdout).toBe(`${pkg.version}\n`);
  });

  it('prints the help on stderr with exit code 2 when no command is given', async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage:\n  anneal <command> [options]');
  });
});

const usageHint = (command: string) => `Run "anneal${command ? ` ${command}` : ''} --help" for usage.\n`;

describe('bad input', () => {
  it.each([
    // [argv, exit code, stderr]
    [
      ['frob'],
      2,
      `anneal: unknown command "frob" (expected one of values, plot, validate, convert, verify)\n${usageHint('')}`,
    ],
    [
      ['help', 'frob'],
      2,
      `anneal: unknown command "frob" (expected one of values, plot, validate, convert, verify)\n${usageHint('')}`,
    ],
    [
      ['--nope'],
      2,
      `anneal: unknown option --nope (expected a command: values, plot, validate, convert, verify; or --help, --version)\n${usageHint('')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '0:1', '--foo'],
      2,
      `anneal values: unknown option --foo (expected one of --steps, --format, --cases, --steps-per-epoch, --updates-per-epoch, --help)\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '0:1', '-x'],
      2,
      `anneal values: unknown option -x (expected one of --steps, --format, --cases, --steps-per-epoch, --updates-per-epoch, --help)\n${usageHint('values')}`,
    ],
    [
      ['plot', 'warmup.json', '--bogus=1'],
      2,
      `anneal plot: unknown option --bogus (expected one of --steps, --out, --width, --height, --svg-width, --svg-height, --steps-per-epoch, --updates-per-epoch, --help)\n${usageHint('plot')}`,
    ],
    [['values'], 2, `anneal values: missing <config.json | -> argument\n${usageHint('values')}`],
    [
      ['values', 'warmup.json'],
      2,
      `anneal values: missing --steps <A:B | A:B:S | list>\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps'],
      2,
      `anneal values: option --steps needs a value\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '0:1', '--steps', '2:3'],
      2,
      `anneal values: option --steps given more than once\n${usageHint('values')}`,
    ],
    [
      ['values', 'a.json', 'b.json', '--steps', '0:1'],
      2,
      `anneal values: unexpected argument "b.json" (one config at a time)\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '5:1'],
      2,
      `anneal values: bad --steps "5:1": start 5 is greater than end 1\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '1.5:3'],
      2,
      `anneal values: bad --steps "1.5:3": start "1.5" is not an integer >= 0 (ranges take integer steps; use a comma-separated list for fractional steps)\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '0:10:0'],
      2,
      `anneal values: bad --steps "0:10:0": stride must be an integer >= 1\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '0:1:2:3'],
      2,
      `anneal values: bad --steps "0:1:2:3": expected A:B or A:B:S\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '1,-2'],
      2,
      `anneal values: bad --steps "1,-2": "-2" is not a number >= 0\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '1,,2'],
      2,
      `anneal values: bad --steps "1,,2": "" is not a number >= 0\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', 'abc'],
      2,
      `anneal values: bad --steps "abc": "abc" is not a number >= 0\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', ' '],
      2,
      `anneal values: bad --steps " ": expected A:B, A:B:S or a comma-separated list of steps\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '0:20000000'],
      2,
      `anneal values: bad --steps "0:20000000": 20000001 steps; at most 10000000 per call (add a stride, A:B:S)\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '0:1', '--format', 'xml'],
      2,
      `anneal values: --format must be json or csv; received "xml"\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--cases', 'cases.json'],
      2,
      `anneal values: --cases takes the cases file; remove the extra argument "warmup.json"\n${usageHint('values')}`,
    ],
    [
      ['values', '--cases', 'cases.json', '--steps', '0:1'],
      2,
      `anneal values: --cases cannot be combined with --steps (each case lists its steps)\n${usageHint('values')}`,
    ],
    [
      ['plot', 'warmup.json', '--steps', '3'],
      2,
      `anneal plot: bad --steps "3": expected A:B with integers 0 <= A < B\n${usageHint('plot')}`,
    ],
    [
      ['plot', 'warmup.json', '--steps', '3:3'],
      2,
      `anneal plot: bad --steps "3:3": start 3 must be less than end 3\n${usageHint('plot')}`,
    ],
    [
      ['plot', 'warmup.json', '--width', '5'],
      2,
      `anneal plot: --width must be an integer from 30 to 1000; received "5"\n${usageHint('plot')}`,
    ],
    [
      ['plot', 'warmup.json', '--svg-height', '1e3'],
      2,
      `anneal plot: --svg-height must be an integer from 120 to 10000; received "1e3"\n${usageHint('plot')}`,
    ],
    [['validate'], 2, `anneal validate: missing <config.json | -> argument\n${usageHint('validate')}`],
    [
      ['values', 'missing.json', '--steps', '0:1'],
      1,
      'anneal values: cannot read missing.json: no such file\n',
    ],
    [['plot', 'folder.json'], 1, 'anneal plot: folder.json is a directory; expected a JSON file\n'],
    [
      ['values', 'big.json', '--steps', '0:1'],
      1,
      'anneal values: big.json is too large: 1.00 MiB (1048587 bytes); the limit is 1 MiB (1048576 bytes)\n',
    ],
    [
      ['validate', 'malformed.json'],
      1,
      'anneal validate: malformed.json:4:1: invalid JSON: expected a double-quoted property name, found "}" (trailing commas are not allowed in JSON)\n',
    ],
    [
      ['validate', 'empty.json'],
      1,
      'anneal validate: empty.json is empty; expected a JSON or YAML config, or a .keras archive\n',
    ],
    [
      ['validate', 'latin1.json'],
      1,
      'anneal validate: latin1.json is not valid UTF-8 text; expected a JSON or YAML config, or a .keras archive\n',
    ],
    [
      ['values', 'plateau.json', '--steps', '0:1'],
      1,
      'anneal values: plateau.json: reduceOnPlateau is metric-driven (a plateau controller): it has no value at a step without metrics; anneal values needs a schedule (use `anneal values --cases` with a case that lists its metrics)\n',
    ],
  ] as const)('%j exits %i', async (argv, code, stderr) => {
    const result = await run(argv, inDir);
    expect(result).toEqual({ code, stdout: '', stderr });
  });

  it.each([
    // [argv, stderr]: command lines that node:util's parseArgs tokenizes, mapped to anneal's messages
    [
      ['values', 'warmup.json', '--steps=0:1', '--steps', '2:3'],
      `anneal values: option --steps given more than once\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '0:1', '--format', 'csv', '--format=json'],
      `anneal values: option --format given more than once\n${usageHint('values')}`,
    ],
    [
      ['validate', 'warmup.json', '--steps', '0:10', '--steps=0:20'],
      `anneal validate: option --steps given more than once\n${usageHint('validate')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '--format', 'csv'],
      `anneal values: option --steps needs a value\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '0:1', '--format'],
      `anneal values: option --format needs a value\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '0:1', '--format', '-x'],
      `anneal values: option --format needs a value\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '--', '0:1'],
      `anneal values: option --steps needs a value\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '-1'],
      `anneal values: bad --steps "-1": "-1" is not a number >= 0\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps=-1:3'],
      `anneal values: bad --steps "-1:3": start "-1" is not an integer >= 0 (ranges take integer steps; use a comma-separated list for fractional steps)\n${usageHint('values')}`,
    ],
    [
      ['plot', 'warmup.json', '--width', '-5'],
      `anneal plot: --width must be an integer from 30 to 1000; received "-5"\n${usageHint('plot')}`,
    ],
    [
      ['plot', 'warmup.json', '--height=-5'],
      `anneal plot: --height must be an integer from 4 to 200; received "-5"\n${usageHint('plot')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '0:1', '-hx'],
      `anneal values: unknown option -hx (expected one of --steps, --format, --cases, --steps-per-epoch, --updates-per-epoch, --help)\n${usageHint('values')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '0:1', '--help=yes'],
      `anneal values: option --help takes no value\n${usageHint('values')}`,
    ],
    [
      ['validate', '-1'],
      `anneal validate: unknown option -1 (expected one of --steps, --report, --steps-per-epoch, --updates-per-epoch, --help)\n${usageHint('validate')}`,
    ],
    [
      ['validate', 'warmup.json', '---steps', '0:1'],
      `anneal validate: unknown option ---steps (expected one of --steps, --report, --steps-per-epoch, --updates-per-epoch, --help)\n${usageHint('validate')}`,
    ],
    [
      ['values', 'warmup.json', '--steps', '0:1', '--', '--format'],
      `anneal values: unexpected argument "--format" (one config at a time)\n${usageHint('values')}`,
    ],
  ] as const)('%j is a usage error (exit code 2)', async (argv, stderr) => {
    const result = await run(argv, inDir);
    expect(result).toEqual({ code: 2, stdout: '', stderr });
  });

  it('reports an oversized stdin without reading all of it', async () => {
    const result = await run(['values', '-', '--steps', '0:1'], { stdin: 'x'.repeat(1024 * 1024 + 1) });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'anneal values: <stdin> is too large: more than 1 MiB; the limit is 1 MiB (1048576 bytes)\n',
    });
  });

  it('refuses to wait on a terminal for stdin', async () => {
    const result = await run(['values', '-', '--steps', '0:1'], { stdinIsTTY: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'anneal values: <stdin> is a terminal; pipe a JSON document into it or pass a file path instead of "-"\n',
    );
  });

  it('points at the line and column of malformed JSON on stdin', async () => {
    const result = await run(['values', '-', '--steps', '0:1'], {
      stdin: '{"type": "constant",\n "value": 0.1 "x"}',
    });
    expect(result.stderr).toBe(
      'anneal values: <stdin>:2:15: invalid JSON: expected "," or "}" after a property value, found "\\""\n',
    );
  });

  it('colours the error prefix on a TTY unless NO_COLOR is set', async () => {
    const colored = await run(['frob'], { tty: true });
    expect(colored.stderr.startsWith('\u001b[31m\u001b[1manneal:\u001b[22m\u001b[39m unknown command')).toBe(
      true,
    );
    const plain = await run(['frob'], { tty: true, env: { NO_COLOR: '1' } });
    expect(plain.stderr.startsWith('anneal: unknown command')).toBe(true);
  });

  it('reports a config error found at evaluation time (fractional step where not allowed) with exit code 1', async () => {
    // Every config file in this test is continuous, so check the path with a valid list instead:
    // the JSON output must never contain NaN or Infinity.
    const result = await run(['values', 'warmup.json', '--steps', '0.5,1e-300,123456789'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/NaN|Infinity|null/);
  });
});
