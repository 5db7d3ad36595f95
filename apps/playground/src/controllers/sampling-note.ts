/** The note under the chart while the curves are still being sampled in full (a preview is drawn meanwhile). */
import { refiningNote } from '../sampling';
import { byId, type Controller } from './controller';

export function createSamplingNote(root: Document): Controller {
  const note = byId<HTMLParagraphElement>(root, 'sampling-note');
  return {
    update({ refining }) {
      note.hidden = refining === undefined;
      const text = refining === undefined ? '' : refiningNote(refining);
      if (note.textContent !== text) note.textContent = text;
    },
    dispose() {
      // No listeners: the note only shows the progress.
    },
  };
}
