import { escapeXml } from './xml';

/**
 * A chart laid out in pixels — what `renderSvgScene` draws. `renderSvgChart` builds one from data;
 * a host that lays out its own chart (for a canvas, say) can build one to export the same picture.
 */
export interface SvgScene {
  readonly width: number;
  readonly height: number;
  /** The accessible name (`aria-label` and `<title>`). */
  readonly label: string;
  /** Drawn centred at the top (cut with … when too long). */
  readonly title?: string;
  /** A `<desc>` for readers of the file. */
  readonly description?: string;
  /** A `class` for the root, for the page the SVG is inlined in. */
  readonly className?: string;
  readonly plot: PlotArea;
  readonly xTicks: readonly SceneTick[];
  readonly yTicks: readonly SceneTick[];
  /** Centred under the x tick labels (which take 17 px under the plot; the name takes 14 more). */
  readonly xLabel?: string;
  /** Rotated, left of the y tick labels. */
  readonly yLabel?: string;
  readonly bands?: readonly SceneBand[];
  readonly rules?: readonly SceneRule[];
  readonly lines?: readonly SceneLine[];
  readonly markers?: readonly SceneMarkers[];
  readonly legend?: readonly SceneLegendEntry[];
  readonly notes?: readonly SceneNote[];
  /** Clips lines to the plot area (2 px of slack) under this id; none when omitted. */
  readonly clipId?: string;
  /** Starts with `<?xml …?>` and ends with a newline, as a file; default false (for inlining). */
  readonly xmlDeclaration?: boolean;
  /** How text is escaped; default `escapeXml` (named references such as `&amp;`). */
  readonly escapeText?: (text: string) => string;
}

export interface PlotArea {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export interface SceneTick {
  /** Pixel position along its axis. */
  readonly position: number;
  readonly label: string;
}

/** A shaded span of the x axis (a schedule phase), named above the plot when the name fits. */
export interface SceneBand {
  readonly x0: number;
  readonly x1: number;
  readonly fill: string;
  readonly label: string;
  /** A dashed line marks the band's start (where one phase follows another). */
  readonly boundary: boolean;
}

/** A vertical line across the plot, optionally named inside its top (names that would overlap are left out). */
export interface SceneRule {
  readonly x: number;
  readonly color: string;
  readonly dash?: string;
  readonly opacity?: number;
  readonly label?: string;
}

export interface SceneLine {
  /** x, y pixel pairs. */
  readonly points: ArrayLike<number>;
  /** How many numbers of `points` are used (twice the number of points). */
  readonly length: number;
  readonly color: string;
  readonly width: number;
  readonly dash?: string;
  readonly opacity?: number;
  /** Written as `data-label`. */
  readonly label?: string;
}

/** Dots (filled) or rings (stroked circles) at x, y pixel pairs. */
export interface SceneMarkers {
  readonly points: ArrayLike<number>;
  readonly color: string;
  readonly radius: number;
  readonly ring: boolean;
  readonly opacity?: number;
}

/** One legend entry: a sample (a line, or a dot with `marker`) at x…x+18, y, then the label. */
export interface SceneLegendEntry {
  readonly x: number;
  readonly y: number;
  readonly label: string;
  readonly color: string;
  readonly width: number;
  readonly dash?: string;
  readonly opacity?: number;
  readonly marker?: boolean;
}

export interface SceneNote {
  readonly x: number;
  readonly y: number;
  readonly text: string;
}

/** The document frame shared by every chart: size, accessible name, white background, title. */
export interface SvgDocumentHead {
  readonly width: number;
  readonly height: number;
  readonly label: string;
  /** A `class` for the root, for the page the SVG is inlined in. */
  readonly className?: string;
  readonly title?: string;
  readonly xmlDeclaration?: boolean;
  readonly escapeText?: (text: string) => string;
}

const fontFamily = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';
const labelColor = '#4b5563';

/** A pixel coordinate as written: at most one decimal, no trailing zeros. */
export function svgNumber(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** Rough text width for layout decisions (no font metrics in a string renderer). */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.6;
}

/**
 * Wraps `body` (SVG elements, one per entry) in the document frame: the `<svg>` root with its
 * size and accessible name, `<title>`, a white background and the visible title (bold 15 px,
 * centred, cut with … to the width). `body` gets the document's text escaper.
 */
export function svgDocument(
  head: SvgDocumentHead,
  body: (escapeText: (text: string) => string) => string[],
): string {
  const escapeText = head.escapeText ?? ((text: string) => escapeXml(text));
  const { width, height } = head;
  const out: string[] = [];
  if (head.xmlDeclaration) out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg"${head.className ? ` class="${escapeText(head.className)}"` : ''} width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeText(head.label)}" font-family="${fontFamily}">`,
    `<title>${escapeText(head.label)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  );
  if (head.title) {
    // Bold 15 px text runs about 0.6 em per character (0.62 leaves a margin).
    const room = Math.floor((width - 24) / (15 * 0.62));
    const title = head.title.length <= room ? head.title : `${head.title.slice(0, room - 1)}…`;
    out.push(
      `<text x="${svgNumber(width / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="600" fill="#111827">${escapeText(title)}</text>`,
    );
  }
  out.push(...body(escapeText), '</svg>');
  return head.xmlDeclaration ? `${out.join('\n')}\n` : out.join('\n');
}

const n = svgNumber;

function bandElements(scene: SvgScene, escapeText: (text: string) => string): string[] {
  if (!scene.bands || scene.bands.length === 0) return [];
  const { top, height } = scene.plot;
  const out = ['<g class="phases">'];
  for (const band of scene.bands) {
    out.push(
      `<rect x="${n(band.x0)}" y="${n(top)}" width="${n(Math.max(0, band.x1 - band.x0))}" height="${n(height)}" fill="${band.fill}"/>`,
    );
    if (band.boundary) {
      out.push(
        `<line x1="${n(band.x0)}" y1="${n(top - 18)}" x2="${n(band.x0)}" y2="${n(top + height)}" stroke="#94a3b8" stroke-dasharray="4 3"/>`,
      );
    }
    if (textWidth(band.label, 11) + 8 <= band.x1 - band.x0) {
      out.push(
        `<text x="${n(band.x0 + 4)}" y="${n(top - 6)}" font-size="11" fill="#475569">${escapeText(band.label)}</text>`,
      );
    }
  }
  out.push('</g>');
  return out;
}

function axisElements(scene: SvgScene, escapeText: (text: string) => string): string[] {
  const { left, top, width, height } = scene.plot;
  const bottom = top + height;
  const out = ['<g class="grid" stroke="#e5e7eb" stroke-width="1">'];
  for (const tick of scene.yTicks) {
    out.push(
      `<line x1="${n(left)}" y1="${n(tick.position)}" x2="${n(left + width)}" y2="${n(tick.position)}"/>`,
    );
  }
  for (const tick of scene.xTicks) {
    out.push(`<line x1="${n(tick.position)}" y1="${n(top)}" x2="${n(tick.position)}" y2="${n(bottom)}"/>`);
  }
  out.push('</g>', '<g class="axes" stroke="#374151" stroke-width="1">');
  out.push(`<line x1="${n(left)}" y1="${n(top)}" x2="${n(left)}" y2="${n(bottom)}"/>`);
  out.push(`<line x1="${n(left)}" y1="${n(bottom)}" x2="${n(left + width)}" y2="${n(bottom)}"/>`);
  for (const tick of scene.yTicks) {
    out.push(`<line x1="${n(left - 5)}" y1="${n(tick.position)}" x2="${n(left)}" y2="${n(tick.position)}"/>`);
  }
  for (const tick of scene.xTicks) {
    out.push(
      `<line x1="${n(tick.position)}" y1="${n(bottom)}" x2="${n(tick.position)}" y2="${n(bottom + 5)}"/>`,
    );
  }
  out.push('</g>');
  for (const tick of scene.yTicks) {
    out.push(
      `<text x="${n(left - 8)}" y="${n(tick.position + 4)}" font-size="11" text-anchor="end" fill="${labelColor}">${escapeText(tick.label)}</text>`,
    );
  }
  for (const tick of scene.xTicks) {
    out.push(
      `<text x="${n(tick.position)}" y="${n(bottom + 17)}" font-size="11" text-anchor="middle" fill="${labelColor}">${escapeText(tick.label)}</text>`,
    );
  }
  if (scene.xLabel) {
    out.push(
      `<text x="${n(left + width / 2)}" y="${n(bottom + 31)}" text-anchor="middle" font-size="12" fill="${labelColor}">${escapeText(scene.xLabel)}</text>`,
    );
  }
  if (scene.yLabel) {
    out.push(
      `<text transform="translate(14 ${n(top + height / 2)}) rotate(-90)" text-anchor="middle" font-size="12" fill="${labelColor}">${escapeText(scene.yLabel)}</text>`,
    );
  }
  return out;
}

function ruleElements(scene: SvgScene, escapeText: (text: string) => string): string[] {
  if (!scene.rules || scene.rules.length === 0) return [];
  const { left, top, width, height } = scene.plot;
  const out = ['<g class="rules">'];
  let labelEnd = Number.NEGATIVE_INFINITY;
  for (const rule of scene.rules) {
    const opacity = rule.opacity === undefined ? '' : ` stroke-opacity="${rule.opacity}"`;
    const dash = rule.dash ? ` stroke-dasharray="${rule.dash}"` : '';
    out.push(
      `<line x1="${n(rule.x)}" y1="${n(top)}" x2="${n(rule.x)}" y2="${n(top + height)}" stroke="${rule.color}"${opacity}${dash}/>`,
    );
    const room = rule.label ? textWidth(rule.label, 12) : 0;
    if (rule.label && rule.x + 3 >= labelEnd + 4 && rule.x + 3 + room <= left + width) {
      out.push(
        `<text x="${n(rule.x + 3)}" y="${n(top + 14)}" font-size="12" fill="${rule.color}">${escapeText(rule.label)}</text>`,
      );
      labelEnd = rule.x + 3 + room;
    }
  }
  out.push('</g>');
  return out;
}

function lineElements(scene: SvgScene, escapeText: (text: string) => string): string[] {
  const lines = scene.lines ?? [];
  if (lines.length === 0) return [];
  const { left, top, width, height } = scene.plot;
  const out: string[] = [];
  const clip = scene.clipId ? ` clip-path="url(#${scene.clipId})"` : '';
  if (scene.clipId) {
    out.push(
      `<clipPath id="${scene.clipId}"><rect x="${n(left)}" y="${n(top - 2)}" width="${n(width)}" height="${n(height + 4)}"/></clipPath>`,
    );
  }
  out.push('<g class="series" fill="none" stroke-linejoin="round">');
  for (const line of lines) {
    if (line.length === 0) continue;
    const commands: string[] = [];
    for (let index = 0; index < line.length; index += 2) {
      commands.push(`${index === 0 ? 'M' : 'L'}${n(line.points[index]!)} ${n(line.points[index + 1]!)}`);
    }
    // A single point still draws (as a dot with round caps).
    if (line.length === 2) commands.push('h0.01');
    const opacity = line.opacity === undefined ? '' : ` stroke-opacity="${line.opacity}"`;
    const dash = line.dash ? ` stroke-dasharray="${line.dash}"` : '';
    const label = line.label ? ` data-label="${escapeText(line.label)}"` : '';
    out.push(
      `<path d="${commands.join(' ')}" stroke-width="${line.width}"${opacity} stroke="${line.color}"${dash}${label}${clip}/>`,
    );
  }
  out.push('</g>');
  return out;
}

function markerElements(scene: SvgScene): string[] {
  const sets = scene.markers ?? [];
  if (sets.length === 0) return [];
  const out = ['<g class="markers">'];
  for (const set of sets) {
    const paint = set.ring
      ? `fill="none" stroke="${set.color}" stroke-width="2"`
      : `fill="${set.color}"${set.opacity === undefined ? '' : ` fill-opacity="${set.opacity}"`}`;
    for (let index = 0; index + 1 < set.points.length; index += 2) {
      out.push(
        `<circle cx="${n(set.points[index]!)}" cy="${n(set.points[index + 1]!)}" r="${set.radius}" ${paint}/>`,
      );
    }
  }
  out.push('</g>');
  return out;
}

function legendElements(scene: SvgScene, escapeText: (text: string) => string): string[] {
  const entries = scene.legend ?? [];
  if (entries.length === 0) return [];
  const out = ['<g class="legend" font-size="12" fill="#111827">'];
  for (const entry of entries) {
    if (entry.marker) {
      out.push(`<circle cx="${n(entry.x + 9)}" cy="${n(entry.y)}" r="3.5" fill="${entry.color}"/>`);
    } else {
      const opacity = entry.opacity === undefined ? '' : ` stroke-opacity="${entry.opacity}"`;
      const dash = entry.dash ? ` stroke-dasharray="${entry.dash}"` : '';
      out.push(
        `<line x1="${n(entry.x)}" y1="${n(entry.y)}" x2="${n(entry.x + 18)}" y2="${n(entry.y)}" stroke="${entry.color}" stroke-width="${entry.width}"${opacity}${dash}/>`,
      );
    }
    out.push(`<text x="${n(entry.x + 24)}" y="${n(entry.y + 4)}">${escapeText(entry.label)}</text>`);
  }
  out.push('</g>');
  return out;
}

/**
 * Draws a scene as a self-contained SVG document (no external fonts, styles or scripts): title,
 * phase bands, grid, axes with tick labels and axis names, vertical rules, lines (clipped to the
 * plot when the scene asks), markers, legend and notes.
 */
export function renderSvgScene(scene: SvgScene): string {
  return svgDocument(scene, (escapeText) => [
    ...bandElements(scene, escapeText),
    ...axisElements(scene, escapeText),
    ...ruleElements(scene, escapeText),
    ...lineElements(scene, escapeText),
    ...markerElements(scene),
    ...legendElements(scene, escapeText),
    ...(scene.notes ?? []).map(
      (note) =>
        `<text x="${n(note.x)}" y="${n(note.y)}" font-size="11" fill="${labelColor}">${escapeText(note.text)}</text>`,
    ),
    ...(scene.description ? [`<desc>${escapeText(scene.description)}</desc>`] : []),
  ]);
}
