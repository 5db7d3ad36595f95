import type { OutputStream } from './io';

const chunkSize = 8192;

/** Writes `[v0,v1,...]` with full float64 precision (shortest round-trip decimal), in chunks. */
export function writeJsonArray(stream: OutputStream, values: ArrayLike<number>): void {
  if (values.length === 0) {
    stream.write('[]\n');
    return;
  }
  for (let start = 0; start < values.length; start += chunkSize) {
    const end = Math.min(values.length, start + chunkSize);
    let text = start === 0 ? '[' : ',';
    for (let index = start; index < end; index += 1) {
      text += (index > start ? ',' : '') + formatNumber(values[index]!);
    }
    stream.write(end === values.length ? `${text}]\n` : text);
  }
}

/** Writes a `step,lr` header and one row per step. */
export function writeCsv(stream: OutputStream, steps: ArrayLike<number>, values: ArrayLike<number>): void {
  stream.write('step,lr\n');
  for (let start = 0; start < steps.length; start += chunkSize) {
    const end = Math.min(steps.length, start + chunkSize);
    let text = '';
    for (let index = start; index < end; index += 1) {
      text += `${formatNumber(steps[index]!)},${formatNumber(values[index]!)}\n`;
    }
    stream.write(text);
  }
}

/** The shortest decimal that reads back as the same double (what JSON.stringify prints). */
export function formatNumber(value: number): string {
  return JSON.stringify(value);
}
