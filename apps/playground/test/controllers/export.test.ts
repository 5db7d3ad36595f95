import { fromConfig, toConfig } from '@anneal/core';
import { describe, expect, it } from 'vitest';
import { exportText, exportTitle } from '../../src/controllers/export';
import { buildSeries } from '../../src/model';
import { type AppState, defaultState, formatConfig } from '../../src/state';
import { seriesOf, viewOf } from '../helpers/view';

describe('the exported JSON', () => {
  it('is the normalized native config of a native series', () => {
    const config = { type: 'stepDecay', initialValue: 0.1, intervalSteps: 10, decayFactor: 0.5 };
    const series = seriesOf('a', '#2563eb', config);
    expect(exportText(buildSeries(series), series)).toEqual({
      text: `${formatConfig(toConfig(fromConfig(config)))}\n`,
      name: 'anneal-stepDecay.json',
      valid: true,
    });
  });

  it('is the reference config as given, named after its API', () => {
    const torch = { api: 'torch.optim.lr_scheduler.CosineAnnealingLR', params: { T_max: 800 }, base_lr: 0.1 };
    const series = seriesOf('t', '#2563eb', torch);
    expect(exportText(buildSeries(series), series)).toEqual({
      text: `${formatConfig(torch)}\n`,
      name: 'anneal-CosineAnnealingLR.json',
      valid: true,
    });
  });

  it('is the text as typed when the series has issues', () => {
    const series = { name: 'a', color: '#2563eb', text: '{ "type": "constant", ' };
    expect(exportText(buildSeries(series), series)).toEqual({
      text: series.text,
      name: 'anneal-schedule.json',
      valid: false,
    });
    expect(exportText(undefined, series).valid).toBe(false);
  });
});

describe('the exported chart title', () => {
  it('names the curves drawn', () => {
    const state: AppState = {
      ...defaultState(),
      series: [
        seriesOf('one', '#2563eb', { type: 'constant', value: 1 }),
        seriesOf('two', '#dc2626', { type: 'constant', value: 2 }),
      ],
    };
    expect(exportTitle(viewOf(state))).toBe('Learning rate: one, two');
    const broken = { ...state, series: [{ name: 'x', color: '#2563eb', text: '[' }] };
    expect(exportTitle(viewOf(broken))).toBe('Learning rate: no curve');
  });
});
