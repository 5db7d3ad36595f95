/**
 * The issues of the active schedule, listed above its controls with each offending control (and the
 * JSON text) marked `aria-invalid`, and a note naming the other schedules that are not drawn.
 */
import type { InputIssue } from '../model';
import { byId, type Controller } from './controller';

/** The sentence above the active schedule's issues. */
export function issuesHeading(count: number): string {
  return `${count === 1 ? 'One issue' : `${count} issues`} — this schedule is not drawn until they are fixed:`;
}

export function createIssues(root: Document): Controller {
  const issues = byId<HTMLDivElement>(root, 'issues');
  const controls = byId<HTMLDivElement>(root, 'controls');
  const configText = byId<HTMLTextAreaElement>(root, 'config-text');

  const listFor = (found: readonly InputIssue[]) => {
    const list = root.createElement('ul');
    for (const issue of found) {
      const item = root.createElement('li');
      if (issue.path) {
        const code = root.createElement('code');
        code.textContent = issue.path;
        item.append(code, ' ');
      }
      item.append(issue.message);
      list.append(item);
      if (issue.path) {
        const control = controls.querySelector(`[data-path="${CSS.escape(issue.path)}"]`);
        control?.setAttribute('aria-invalid', 'true');
      }
    }
    return list;
  };

  return {
    update({ state, results }) {
      issues.replaceChildren();
      const result = results[state.active];
      for (const node of controls.querySelectorAll('[aria-invalid="true"]'))
        node.removeAttribute('aria-invalid');
      configText.removeAttribute('aria-invalid');
      if (result && !result.ok) {
        configText.setAttribute('aria-invalid', 'true');
        const heading = root.createElement('p');
        heading.className = 'issues-heading';
        heading.textContent = issuesHeading(result.issues.length);
        issues.append(heading, listFor(result.issues));
      }
      const others = results.flatMap((other, index) =>
        index !== state.active && !other.ok ? [state.series[index]!.name] : [],
      );
      if (others.length > 0) {
        const note = root.createElement('p');
        note.className = 'issues-heading';
        note.textContent = `Also not drawn: ${others.join(', ')} (see their tabs).`;
        issues.append(note);
      }
    },
    dispose() {
      // No listeners: the panel only shows issues.
    },
  };
}
