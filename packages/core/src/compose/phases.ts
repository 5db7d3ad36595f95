import type { Phase } from '../schedule';

/**
 * A child's phases moved to start at `offset` and cut at `end` (exclusive, may be Infinity).
 * Phases that end up empty are dropped. When the child has no phases, one phase named
 * `fallbackName` covers the whole span.
 */
export function shiftPhases(
  phases: readonly Phase[],
  offset: number,
  end: number,
  fallbackName: string,
): Phase[] {
  if (phases.length === 0) return end > offset ? [{ name: fallbackName, start: offset, end }] : [];
  const shifted: Phase[] = [];
  for (const phase of phases) {
    const start = Math.min(offset + phase.start, end);
    const stop = Math.min(offset + phase.end, end);
    if (stop > start) shifted.push({ name: phase.name, start, end: stop });
  }
  return shifted;
}

/** Multiplies every phase boundary by `factor` (epoch-denominated phases to steps). */
export function scalePhases(phases: readonly Phase[], factor: number): Phase[] {
  return phases.map((phase) => ({ name: phase.name, start: phase.start * factor, end: phase.end * factor }));
}
