/**
 * The state in the URL hash: written shortly after each change (replacing the history entry, not
 * adding one), and read back when the page opens or the hash changes. A hash that cannot be read
 * shows a banner saying why, and the default schedule.
 */
import { type AppState, decodeState, defaultState, encodeState } from '../state';
import type { App, Controller } from './controller';

export interface UrlSync extends Controller {
  /** Writes the state into the URL now. */
  writeNow(): void;
  /** Loads the state in the hash, unless the page wrote that hash itself. */
  read(): void;
}

/** How long the URL waits for more changes before it follows them, in milliseconds. */
const writeDelayMs = 120;

export function createUrlSync(
  app: App,
  page: { load(state: AppState): void; showBanner(message: string | undefined): void },
): UrlSync {
  let lastHash = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new AbortController();

  const replaceHash = (hash: string) => {
    try {
      history.replaceState(null, '', hash);
    } catch {
      location.hash = hash;
    }
  };
  const read = () => {
    if (location.hash === lastHash) return;
    try {
      const decoded = decodeState(location.hash);
      lastHash = location.hash;
      page.showBanner(undefined);
      page.load(decoded ?? defaultState());
    } catch (error) {
      page.showBanner(`${(error as Error).message} Showing the default schedule instead.`);
      page.load(defaultState());
    }
  };
  window.addEventListener('hashchange', read, { signal: listeners.signal });

  return {
    update() {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const hash = encodeState(app.view().state);
        if (hash === lastHash) return;
        lastHash = hash;
        replaceHash(hash);
      }, writeDelayMs);
    },
    writeNow() {
      clearTimeout(timer);
      lastHash = encodeState(app.view().state);
      replaceHash(lastHash);
    },
    read,
    dispose() {
      clearTimeout(timer);
      listeners.abort();
    },
  };
}
