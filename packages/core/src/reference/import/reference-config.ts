/** A reference-library config, `{ api, params, base_lr }`, shaped like a case of the golden files. */
import { isPlateauController } from '../../compose/plateau';
import { toConfig } from '../../config';
import { fromReference } from '../from-reference';
import type { ReferenceConfig } from '../registry';
import { type ImportResult, ReportBuilder } from './report';

/** Reads a reference config; throws `ScheduleConfigError` listing every issue. */
export function importReference(input: Record<string, unknown>): ImportResult {
  const report = new ReportBuilder('reference');
  const built = fromReference(input);
  for (const [key, value] of Object.entries(input)) {
    if (['api', 'params', 'base_lr', 'stepping'].includes(key)) report.useKey(key, value);
    else report.ignore(key, 'data of a golden-file case, not the schedule');
  }
  const config = input as ReferenceConfig;
  if (isPlateauController(built)) {
    return {
      kind: 'plateau',
      format: 'reference',
      controller: built,
      config,
      report: report.build('report'),
    };
  }
  const params = (config.params ?? {}) as Record<string, unknown>;
  const perEpoch = config.api.startsWith('timm.') && params.t_in_epochs !== false;
  report.note(
    perEpoch
      ? "timm's convention: step t of the schedule is epoch t (t_in_epochs)."
      : "The library's convention: step k of the schedule is the learning rate of update k (k = 0: the first).",
  );
  return {
    kind: 'schedule',
    format: 'reference',
    schedule: built,
    config: toConfig(built),
    report: report.build(perEpoch ? 'epoch' : 'update'),
  };
}
