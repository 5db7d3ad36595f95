/** A view of a state as the app builds it: every series built, every curve that built sampled. */
import { buildSeries } from '../../src/model';
import { type AppState, formatConfig } from '../../src/state';
import { sampleCurves, type View } from '../../src/view';

export function viewOf(state: AppState): View {
  const results = state.series.map(buildSeries);
  return { state, results, sampled: sampleCurves(results, state).sampled };
}

/** A series named `name` drawing `config`. */
export const seriesOf = (name: string, color: string, config: unknown) => ({
  name,
  color,
  text: formatConfig(config),
});
