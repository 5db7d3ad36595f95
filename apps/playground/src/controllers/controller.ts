/**
 * The contract between the app and its controllers. Each panel of the page has one controller,
 * made by a `create...(root, app)` function: it finds its elements in `root`, turns what the user
 * does there into a new state through `app`, and shows each view it is given in `update`.
 */
import type { AppState } from '../state';
import type { View } from '../view';

/** What a change needs before the page shows it. */
export interface Refresh {
  /** The series changed: build them again, then sample them. */
  readonly rebuild?: boolean;
  /** The range changed: sample the curves again. */
  readonly resample?: boolean;
  /** The active series was switched or replaced: render its name, colour and controls again. */
  readonly editor?: boolean;
  /** Only the samples changed (a progressive sampling finished); the state is the same. */
  readonly samples?: boolean;
}

/** What the app gives each controller. */
export interface App {
  /** The current state, its built series and its sampled curves. */
  readonly view: () => View;
  /** Sets the state and applies it to the whole page. */
  readonly commit: (next: AppState, what?: Refresh) => void;
  /** Sets the state without redrawing, for a change only its own panel shows; the URL follows. */
  readonly keep: (next: AppState) => void;
  /** Writes a sentence to the status line. */
  readonly say: (message: string) => void;
  /** The view once every sample is in (at once unless the curves are still being refined). */
  readonly sampledView: () => Promise<View>;
}

export interface Controller {
  /** Shows `view`; `what` is what the change that led to it needed. */
  update(view: View, what: Refresh): void;
  /** Removes the controller's listeners. */
  dispose(): void;
}

/** The element with `id`: every controller's elements are part of the page. */
export function byId<T extends HTMLElement>(root: Document, id: string): T {
  const node = root.getElementById(id);
  if (!node) throw new Error(`The page is missing #${id}.`);
  return node as T;
}
