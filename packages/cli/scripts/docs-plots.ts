// Renders the `json plot <name>.svg` blocks of docs/schedules/*.md and docs/migration/*.md to SVG
// files next to them. Usage: docs-plots.ts [--check] [folder ...] (default: those two folders).
import path from 'node:path';
import { generateDocPlots } from '../src/docs-plots';

const args = process.argv.slice(2);
const check = args.includes('--check');
const unknown = args.filter((arg) => arg.startsWith('-') && arg !== '--check');
if (unknown.length > 0) {
  process.stderr.write(`docs-plots: unknown option ${unknown[0]} (expected --check and folders)\n`);
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, '../../..');
const given = args.filter((arg) => !arg.startsWith('-'));
const folders =
  given.length > 0 ? given : [path.join(root, 'docs/schedules'), path.join(root, 'docs/migration')];
const result = await generateDocPlots({ folders, check });
const show = (file: string) => path.relative(process.cwd(), file) || file;
for (const file of result.written) process.stdout.write(`wrote ${show(file)}\n`);
for (const problem of result.problems) process.stderr.write(`docs-plots: ${problem}\n`);
process.stdout.write(
  `docs-plots: ${result.written.length} written, ${result.unchanged.length} unchanged, ${result.problems.length} problems\n`,
);
process.exitCode = result.problems.length > 0 ? 1 : 0;
