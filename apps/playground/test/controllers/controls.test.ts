import { describe, expect, it } from 'vitest';
import { controlsFor } from '../../src/controllers/controls';
import { formatConfig } from '../../src/state';

const notAnObject = { help: 'The JSON below is not a config object yet; fix it to get the controls back.' };

describe('what the controls show for a config text', () => {
  it('edits a native config object', () => {
    const config = { type: 'constant', value: 0.1 };
    expect(controlsFor(formatConfig(config))).toEqual({ config });
    // An object with both keys is edited as native: core reads its type.
    expect(controlsFor('{"api": "x", "type": "constant"}')).toEqual({
      config: { api: 'x', type: 'constant' },
    });
  });

  it('explains a reference config', () => {
    expect(controlsFor(formatConfig({ api: 'torch.optim.lr_scheduler.StepLR', params: {} }))).toEqual({
      help: 'A reference config: edit it as JSON below, or pick "Edit the native config" to use the controls.',
    });
  });

  it.each([
    ['text that does not parse', '{ "type": '],
    ['an array', '[1, 2]'],
    ['a number', '0.1'],
    ['null', 'null'],
  ])('asks to fix %s', (_case, text) => {
    expect(controlsFor(text)).toEqual(notAnObject);
  });
});
