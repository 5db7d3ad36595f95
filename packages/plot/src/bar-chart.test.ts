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
    const widths = [...svg.matchAll(/<path d="M130 \d+h([\d.]+)v22h-[\d.]+z"/g)].map((match) =>
      Number(match[1]),
    );
    expect(widths).toEqual([170, 340]);
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
});
