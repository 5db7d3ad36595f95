import { describe, expect, it } from 'vitest';
import { checkXml } from '../test/check-xml';
import { renderSvgScene, type SvgScene, svgNumber } from './svg';
import { escapeXml } from './xml';

const scene: SvgScene = {
  width: 400,
  height: 240,
  label: 'a <scene>',
  plot: { left: 64, top: 40, width: 316, height: 164 },
  xTicks: [{ position: 64, label: '0' }],
  yTicks: [{ position: 204, label: '0' }],
  lines: [
    { points: Float64Array.of(64, 204, 380, 40), length: 4, color: '#2563eb', width: 2.5, label: 'a & b' },
    { points: Float64Array.of(64, 100), length: 2, color: '#dc2626', width: 2, dash: '7 5', opacity: 0.35 },
  ],
};

describe('renderSvgScene', () => {
  it('writes an inline document by default, a file with the XML declaration on request', () => {
    const inline = renderSvgScene(scene);
    expect(inline.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="240"')).toBe(true);
    expect(inline.endsWith('</svg>')).toBe(true);
    expect(checkXml(inline).problems).toEqual([]);
    expect(inline).toContain('<title>a &lt;scene&gt;</title>');
    const file = renderSvgScene({ ...scene, xmlDeclaration: true });
    expect(file).toBe(`<?xml version="1.0" encoding="UTF-8"?>\n${inline}\n`);
  });

  it('writes each line with its style, a lone point as a dot, and clips lines only when asked', () => {
    const svg = renderSvgScene(scene);
    expect(svg).toContain(
      '<path d="M64 204 L380 40" stroke-width="2.5" stroke="#2563eb" data-label="a &amp; b"/>',
    );
    expect(svg).toContain(
      '<path d="M64 100 h0.01" stroke-width="2" stroke-opacity="0.35" stroke="#dc2626" stroke-dasharray="7 5"/>',
    );
    expect(svg).not.toContain('clip');
    const clipped = renderSvgScene({ ...scene, clipId: 'plot' });
    expect(clipped).toContain(
      '<clipPath id="plot"><rect x="64" y="38" width="316" height="168"/></clipPath>',
    );
    expect(clipped.match(/clip-path="url\(#plot\)"/g)).toHaveLength(2);
  });

  it('escapes every text with the given escaper', () => {
    const numeric = (text: string) => escapeXml(text, 'numeric');
    const svg = renderSvgScene({
      ...scene,
      escapeText: numeric,
      notes: [{ x: 1, y: 2, text: `values <= 0 & 'more'` }],
      legend: [{ x: 64, y: 10, label: '"quoted"', color: '#000', width: 3 }],
    });
    expect(svg).toContain('<title>a &#60;scene&#62;</title>');
    expect(svg).toContain('data-label="a &#38; b"');
    expect(svg).toContain('>values &#60;= 0 &#38; &#39;more&#39;</text>');
    expect(svg).toContain('<text x="88" y="14">&#34;quoted&#34;</text>');
    expect(checkXml(svg).problems).toEqual([]);
  });

  it('names rules inside the plot, leaving out names that would overlap or overflow', () => {
    const svg = renderSvgScene({
      ...scene,
      rules: [
        { x: 100, color: '#111111', label: 'warmup', dash: '3 3', opacity: 0.55 },
        { x: 110, color: '#222222', label: 'hold' },
        { x: 200, color: '#333333', label: 'decay' },
        { x: 370, color: '#444444', label: 'final' },
      ],
    });
    expect(svg).toContain(
      '<line x1="100" y1="40" x2="100" y2="204" stroke="#111111" stroke-opacity="0.55" stroke-dasharray="3 3"/>',
    );
    expect(svg).toContain('>warmup</text>');
    expect(svg).not.toContain('>hold</text>');
    expect(svg).toContain('>decay</text>');
    expect(svg).not.toContain('>final</text>');
    expect(svg.match(/<line x1="(100|110|200|370)"/g)).toHaveLength(4);
  });

  it('draws dots, rings and a dot legend sample', () => {
    const svg = renderSvgScene({
      ...scene,
      markers: [
        { points: [70, 80, 90, 100], color: '#f97316', radius: 1.6, ring: false, opacity: 0.25 },
        { points: [120.04, 60.06], color: '#2563eb', radius: 6, ring: true },
      ],
      legend: [{ x: 64, y: 10, label: 'test', color: '#f97316', width: 3, marker: true }],
    });
    expect(svg).toContain('<circle cx="70" cy="80" r="1.6" fill="#f97316" fill-opacity="0.25"/>');
    expect(svg).toContain('<circle cx="120" cy="60.1" r="6" fill="none" stroke="#2563eb" stroke-width="2"/>');
    expect(svg).toContain('<circle cx="73" cy="10" r="3.5" fill="#f97316"/>');
  });

  it('writes coordinates with at most one decimal', () => {
    expect([0, 1.25, 1.26, -0.04, 123.45678, 1e-9].map(svgNumber)).toEqual([
      '0',
      '1.3',
      '1.3',
      '0',
      '123.5',
      '0',
    ]);
  });
});
