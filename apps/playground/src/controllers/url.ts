/**
 * The state in the URL hash: written shortly after each change (replacing the history entry, not
 * adding one), and read back when the page opens or the hash changes. A hash that cannot be read
 * shows a banner saying why, and the default schedule. Configs too long for a link (past
 * `maxFollowedConfigText`) are not followed: the hash is cleared and the status line says so.
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

/**
 * Characters of config text (every series together) up to which the URL follows the state. Past
 * it, encoding the state and replacing a link that long (a 3,000-segment join makes one of over a
 * megabyte) would hold the page for a few hundred milliseconds after every change.
 */
export const maxFollowedConfigText = 100_000;

/** The config text of `state` (every series together), when it is longer than a followed link takes. */
export function configTextBeyondLink(state: AppState): number | undefined {
  const length = state.series.reduce((sum, series) => sum + series.text.length, 0);
  return length > maxFollowedConfigText ? length : undefined;
}

export function createUrlSync(
  app: App,
  page: { load(state: AppState): void; showBanner(message: string | undefined): void },
): UrlSync {
  let lastHash = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let following = true;
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
    update({ state }, what) {
      // New samples of the same state change nothing in the URL.
      if (what.samples) return;
      clearTimeout(timer);
      const beyond = configTextBeyondLink(state);
      if (beyond !== undefined) {
        if (following) {
          following = false;
          lastHash = '';
          replaceHash(`${location.pathname}${location.search}`);
          app.say(
            `The link no longer follows the page: the configs are ${beyond.toLocaleString('en-US')} characters long, and it follows up to ${maxFollowedConfigText.toLocaleString('en-US')}. Copy link still makes one.`,
          );
        }
        return;
      }
      following = true;
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
