import { AnnealError, InvalidStepError, isPlainObject } from '@anneal/core';
import { evaluateReferenceCase, fromReference, type ReferenceCase } from '@anneal/core/reference';
import { inputError } from '../errors';
import { InvalidValues } from '../evaluate';
import { readJsonInput } from '../input';
import type { CliIo } from '../io';
import { formatNumber } from '../output';

/** The values of a case, each checked: a value that is not a finite number >= 0 is an error. */
function evaluateCase(item: ReferenceCase): number[] {
  const values = evaluateReferenceCase(item);
  const steps = Array.isArray(item.steps) && item.steps.length === values.length ? item.steps : undefined;
  const invalid = new InvalidValues();
  invalid.check(
    values.map((_, index) => (steps ? (steps[index] ?? 0) : index)),
    values,
  );
  const problem = invalid.describe(String(item.api));
  if (problem !== undefined) throw new AnnealError(problem);
  return values;
}

/**
 * Every step of a case that its schedule refuses, each with its index: `evaluateReferenceCase`
 * stops at the first one.
 */
function everyInvalidStep(item: Record<string, unknown>, first: string): string {
  const schedule = fromReference(item as unknown as ReferenceCase) as (step: unknown) => number;
  const problems: string[] = [];
  (item.steps as readonly unknown[]).forEach((step, index) => {
    try {
      schedule(step === null ? 0 : step);
    } catch (error) {
      if (!InvalidStepError.isInstance(error)) throw error;
      problems.push(`steps[${index}]: ${error.message}`);
    }
  });
  if (problems.length === 0) return first;
  if (problems.length === 1) return problems[0]!;
  return `${problems.length} invalid steps:\n  - ${problems.join('\n  - ')}`;
}

/**
 * Batch mode: reads a file shaped like the golden files (`{ "cases": [...] }`, or a bare array of
 * cases), evaluates every case with `evaluateReferenceCase` and prints
 * `{ "<case id>": [values at that case's steps] }`, one case per line. Every problem (file shape,
 * duplicate ids, invalid cases) is reported at once; nothing is printed on stdout then.
 */
export async function runCases(file: string, io: CliIo): Promise<number> {
  const input = await readJsonInput(file, io, 'a JSON file with a "cases" array');
  const cases = Array.isArray(input.value)
    ? input.value
    : isPlainObject(input.value)
      ? input.value.cases
      : undefined;
  if (!Array.isArray(cases)) {
    throw inputError(
      `${input.label}: expected an object with a "cases" array (shaped like the golden files) or an array of cases`,
    );
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  cases.forEach((item, index) => {
    if (!isPlainObject(item)) {
      problems.push(
        `cases[${index}] must be an object; received ${Array.isArray(item) ? 'an array' : JSON.stringify(item)}`,
      );
      return;
    }
    if (typeof item.id !== 'string' || item.id === '') {
      problems.push(
        `cases[${index}].id must be a non-empty string; received ${JSON.stringify(item.id) ?? 'undefined'}`,
      );
      return;
    }
    if (seen.has(item.id))
      problems.push(`cases[${index}].id ${JSON.stringify(item.id)} appears more than once`);
    seen.add(item.id);
  });
  if (problems.length > 0) {
    throw inputError(
      `${input.label}: ${problems.length} invalid ${problems.length === 1 ? 'case' : 'cases'}`,
      problems,
    );
  }
  const results: [string, readonly number[]][] = [];
  const progress = io.stderr.isTTY === true;
  cases.forEach((item: Record<string, unknown>, index) => {
    const id = item.id as string;
    if (progress) io.stderr.write(`\r\u001b[Kevaluating case ${index + 1}/${cases.length}: ${id}`);
    try {
      results.push([id, evaluateCase(item as unknown as ReferenceCase)]);
    } catch (error) {
      if (!AnnealError.isInstance(error)) throw error;
      const message = InvalidStepError.isInstance(error)
        ? everyInvalidStep(item, error.message)
        : error.message;
      problems.push(`case ${JSON.stringify(id)}: ${message.replace(/\n/g, '\n    ')}`);
    }
  });
  if (progress) io.stderr.write('\r\u001b[K');
  if (problems.length > 0) {
    throw inputError(
      `${input.label}: ${problems.length} of ${cases.length} ${cases.length === 1 ? 'case' : 'cases'} failed`,
      problems,
    );
  }
  if (results.length === 0) {
    io.stdout.write('{}\n');
    return 0;
  }
  io.stdout.write('{\n');
  results.forEach(([id, values], index) => {
    const line = `  ${JSON.stringify(id)}: [${Array.from(values, formatNumber).join(',')}]`;
    io.stdout.write(`${line}${index < results.length - 1 ? ',' : ''}\n`);
  });
  io.stdout.write('}\n');
  return 0;
}
