/** A native anneal config (`{ "type": ... }`), children of any accepted kind included. */
import { toConfig } from '../../config';
import { fromAnyConfig } from '../from-reference';
import { type ImportResult, ReportBuilder } from './report';

/** Reads a native config; throws `ScheduleConfigError` listing every issue. */
export function importAnneal(input: Record<string, unknown>): ImportResult {
  const report = new ReportBuilder('anneal');
  const schedule = fromAnyConfig(input);
  for (const [key, value] of Object.entries(input)) report.useKey(key, value);
  report.note('A native config: step k of the schedule is the learning rate of optimizer update k.');
  return {
    kind: 'schedule',
    format: 'anneal',
    schedule,
    config: toConfig(schedule),
    report: report.build('update'),
  };
}
