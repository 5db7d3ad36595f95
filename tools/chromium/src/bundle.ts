/**
 * A page script bundled for the browser with esbuild: ES modules, browser platform, and sibling
 * workspace packages resolved to their TypeScript sources through the `@anneal/source` condition,
 * so nothing needs building first. The browser platform makes any Node built-in a build error
 * (unless a package's `browser` field maps it away), so a page that bundles is browser-safe.
 */
import { builtinModules } from 'node:module';
import { build, type Message, type Metafile } from 'esbuild';

export interface BundleOptions {
  /** Module names replaced by files (esbuild's `alias`), e.g. `{ '@tensorflow/tfjs': '/abs/tfjs-bundle.ts' }`. */
  readonly alias?: Readonly<Record<string, string>>;
  /** Export conditions. Default `['@anneal/source']`. */
  readonly conditions?: readonly string[];
  /** Identifiers replaced by code (esbuild's `define`), e.g. `{ 'process.env.NODE_ENV': '"production"' }`. */
  readonly define?: Readonly<Record<string, string>>;
  /** esbuild's `target`. Default `'es2022'`. */
  readonly target?: string;
}

export interface PageBundle {
  /** The bundled module, one file. */
  readonly code: string;
  /** The files it was built from (`inputs`). */
  readonly metafile: Metafile;
}

/** Thrown when a page does not bundle; the message lists each esbuild error with its place. */
export class BundleError extends Error {
  override readonly name = 'BundleError';
}

const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

function describeMessage(message: Message): string {
  const where = message.location
    ? `${message.location.file}:${message.location.line}:${message.location.column}: `
    : '';
  const unresolved = /^Could not resolve "([^"]+)"$/.exec(message.text)?.[1];
  if (unresolved !== undefined && builtins.has(unresolved))
    return `${where}imports the Node built-in "${unresolved}", which a browser page cannot load.`;
  return `${where}${message.text}`;
}

/** Bundles `entry` (an absolute path) into one browser ES module. */
export async function bundlePage(entry: string, options: BundleOptions = {}): Promise<PageBundle> {
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: options.target ?? 'es2022',
      conditions: [...(options.conditions ?? ['@anneal/source'])],
      ...(options.alias ? { alias: { ...options.alias } } : {}),
      ...(options.define ? { define: { ...options.define } } : {}),
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const [output, ...rest] = result.outputFiles;
    if (!output || rest.length > 0) {
      throw new BundleError(
        `bundlePage(${entry}): expected one output file; received ${result.outputFiles.length}.`,
      );
    }
    return { code: output.text, metafile: result.metafile };
  } catch (error) {
    const messages = (error as { errors?: Message[] }).errors;
    if (!Array.isArray(messages) || messages.length === 0) throw error;
    throw new BundleError(
      `bundlePage(${entry}) failed for the browser:\n${messages.map(describeMessage).join('\n')}`,
    );
  }
}

/** The Node built-ins among a bundle's inputs (modules a `browser` field disabled are not inputs of the code). */
export function nodeBuiltinInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs).filter((input) => builtins.has(input) || input.startsWith('node:'));
}
