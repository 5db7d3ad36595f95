// Loaded with `node --import` by bench/values-output.ts: on exit, reports the process's peak
// resident memory (KiB) as JSON on file descriptor 3, which the benchmark reads.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(3, JSON.stringify({ maxRSS: process.resourceUsage().maxRSS }));
});
