import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const demoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Starts the demo exactly as `pnpm --filter demo start` does, in one process (so signals reach it). */
export function startDemo(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['--conditions=@anneal/source', '--import', 'tsx', 'src/main.ts', ...args], {
    cwd: demoRoot,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function collect(
  child: ChildProcess,
  onStdout?: (text: string, child: ChildProcess) => void,
): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    onStdout?.(stdout, child);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function runDemoProcess(args: readonly string[]): Promise<Finished> {
  return collect(startDemo(args));
}
