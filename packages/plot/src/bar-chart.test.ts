import { describe, expect, it } from 'vitest';
import { checkXml } from '../test/check-xml';
import { renderSvgBarChart } from './bar-chart';

describe('renderSvgBarChart', () => {
  it('draws one bar per entry, proportional to its value, with names and labels', () => {
    const svg = renderSvgBarChart({
      title: 'Throughput <samples/s>',
      xLabel: 'samples per second',
      bars: [
        { name: 'tfjs (wasm)', value: 5000, color: '#f97316', label: '5,000 /s' },
        { name: 'onnxruntime (cpu)', value: 10000, color: '#2563eb', label: '10,000 /s' },
      ],
    });
    expect(checkXml(svg).problems).toEqual([]);
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    expect(svg).toContain('height="144"');
    expect(svg).toContain('>Throughput &lt;samples/s&gt;</text>');
    // The name margin fits "onnxruntime (cpu)": 17 characters × 7.2 px + 16 = 139 px (plot width 331).
    const widths = [...svg.matchAll(/<path d="M139 \d+h([\d.]+)v22h-[\d.]+z"/g)].map((match) =>
      Number(match[1]),
    );
    expect(widths).toEqual([165.5, 331]);
    expect(svg).toContain('>onnxruntime (cpu)</text>');
    expect(svg).toContain('>10,000 /s</text>');
    const inline = renderSvgBarChart({
      title: 't',
      xLabel: 'x',
      bars: [],
      xmlDeclaration: false,
      className: 'chart',
    });
    expect(inline.startsWith('<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="560"')).toBe(true);
    expect(checkXml(inline).problems).toEqual([]);
  });

  it('widens the name margin so long names are not cut off (the demo report has six backends)', () => {
    const bars = [
      { name: 'onnxruntime webgpu (browser)', value: 26, color: '#059669', label: '26 /s' },
      { name: 'tfjs wasm (node)', value: 626, color: '#f97316', label: '626 /s' },
    ];
    const svg = renderSvgBarChart({ title: 't', xLabel: 'x', bars });
    const left = Number(/<path d="M([\d.]+) /.exec(svg)![1]);
    const nameRight = Number(/<text x="([\d.]+)" y="\d+" text-anchor="end">onnxruntime webgpu/.exec(svg)![1]);
    expect(left).toBeGreaterThan(130);
    expect(nameRight).toBe(left - 8);
    // The name (about 0.6 em per character at 12 px) fits between the left edge and the bar.
    expect(nameRight).toBeGreaterThanOrEqual('onnxruntime webgpu (browser)'.length * 12 * 0.55);
    const narrow = renderSvgBarChart({
      title: 't',
      xLabel: 'x',
      bars: [{ ...bars[0]!, name: 'x'.repeat(200) }],
    });
    expect(narrow).toContain('<path d="M280 ');
  });
});
