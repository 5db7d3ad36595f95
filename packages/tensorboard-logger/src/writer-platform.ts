/**
 * What differs between Node and the browser underneath `SummaryWriter`: the defaults of the parts
 * of the file name, the file operations, path syntax, memory for queued bytes and the exit hook.
 * The writer, its queue and the file sink are written against this interface only, so one
 * implementation serves both entries (`node-platform.ts` for `@anneal/tensorboard-logger`, the
 * browser one in `browser.ts`).
 */

import type { WriterFileSystem } from './file-sink';

export interface WriterPlatform {
  /** Host name in the file name when `options.hostname` is not given. */
  defaultHostname(): string;
  /** `<pid>` in the file name when `options.pid` is not given. */
  defaultPid(): number;
  /** File operations when `options.fileSystem` is not given. */
  defaultFileSystem(): WriterFileSystem;
  /** `directory` joined with one more path segment. */
  join(directory: string, name: string): string;
  /** The directory holding `path`. */
  dirname(path: string): string;
  /** Memory for queued bytes; it need not be zero-filled (only written bytes are ever handed on). */
  allocate(bytes: number): Uint8Array;
  /**
   * Runs `drain` when the process exits normally, until {@link cancelDrainOnExit}; absent where
   * there is no such moment (a browser page).
   */
  drainOnExit?(drain: () => void): void;
  cancelDrainOnExit?(drain: () => void): void;
}
