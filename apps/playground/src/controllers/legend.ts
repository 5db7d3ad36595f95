/** The legend under the chart: one entry per drawn curve, with its line style. */
import type { Curve } from '../model';
import { byId, type Controller } from './controller';

/** A legend entry's text: the label, and how the curve is drawn when that is not a plain line. */
export function legendText(curve: Curve): string {
  return `${curve.label}${curve.dashed ? ' (dashed)' : curve.wide ? ' (wide, pale)' : ''}`;
}

export function createLegend(root: Document): Controller {
  const legend = byId<HTMLUListElement>(root, 'legend');
  return {
    update({ sampled }) {
      legend.replaceChildren();
      for (const { curve } of sampled) {
        const item = root.createElement('li');
        item.dataset.label = curve.label;
        const line = root.createElement('span');
        line.className = `legend-line${curve.dashed ? ' dashed' : ''}${curve.wide ? ' wide' : ''}`;
        line.style.borderColor = curve.color;
        line.setAttribute('aria-hidden', 'true');
        item.append(line, legendText(curve));
        legend.append(item);
      }
    },
    dispose() {
      // No listeners: the legend only shows the curves.
    },
  };
}
