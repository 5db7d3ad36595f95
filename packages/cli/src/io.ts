/**
 * Where the CLI writes. `isTTY`/`columns` mirror Node's streams and drive colours and widths.
 * `write` returning false with `once`/`off` present (Node's writables) means "wait for 'drain'":
 * long outputs then wait, so memory stays bounded however slow the reader.
 */
export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  once?(event: 'drain' | 'error' | 'close', listener: (error?: unknown) => void): unknown;
  off?(event: 'drain' | 'error' | 'close', listener: (error?: unknown) => void): unknown;
}

/** Everything a command touches outside itself, injectable for in-process tests. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: AsyncIterable<string | Uint8Array> & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths are resolved against. */
  readonly cwd: string;
}

/** Colours only on a TTY, and never when NO_COLOR is set to a non-empty value (no-color.org). */
export function useColor(stream: OutputStream, env: CliIo['env']): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

export interface Palette {
  readonly red: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly green: (text: string) => string;
}

const identity = (text: string) => text;

export function palette(enabled: boolean): Palette {
  if (!enabled) return { red: identity, bold: identity, dim: identity, green: identity };
  const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
  return { red: wrap(31, 39), bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39) };
}
