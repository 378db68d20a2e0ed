import { describe, expect, it } from 'vitest';
import { coveringTicks, escapeXml, formatTick, lineChart, niceTicks } from './svg-chart.js';

describe('niceTicks', () => {
  it('picks round steps covering the range', () => {
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 7, 5)).toEqual([0, 2, 4, 6]);
    expect(niceTicks(0, 0.9, 4)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(niceTicks(5, 5)).toEqual([5]);
  });
});

describe('coveringTicks', () => {
  it('ends at or above the largest value', () => {
    expect(coveringTicks(105)).toEqual([0, 25, 50, 75, 100, 125]);
    expect(coveringTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
  });
});

describe('formatTick', () => {
  it('shortens large numbers and keeps small ones readable', () => {
    expect(formatTick(0)).toBe('0');
    expect(formatTick(25_000)).toBe('25k');
    expect(formatTick(1_500_000)).toBe('1.5M');
    expect(formatTick(0.125)).toBe('0.125');
  });
});

describe('lineChart', () => {
  const series = [
    {
      name: 'p99',
      color: '#c00',
      points: [
        [0, 10],
        [1, 20],
        [2, null],
        [3, 30],
      ] as [number, number | null][],
    },
  ];

  it('draws a path per unbroken stretch of a series, with legend, axes and phase bands', () => {
    const svg = lineChart({
      title: 'Latency',
      xLabel: 's',
      yLabel: 'ms',
      series,
      bands: [{ from: 0, to: 2, label: 'ramp' }],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(1); // 0→1; the lone point after the gap is a dot
    expect(svg).toContain('<circle');
    expect(svg).toContain('>p99<');
    expect(svg).toContain('>ramp<');
  });

  it('uses decades on a log scale and draws the goal line', () => {
    const svg = lineChart({
      title: 'L',
      xLabel: 's',
      yLabel: 'ms',
      series,
      logY: true,
      threshold: { value: 25, label: 'goal 25 ms' },
    });
    expect(svg).toContain('>1<');
    expect(svg).toContain('>100<');
    expect(svg).toContain('goal 25 ms');
  });

  it('says "no data" for an empty chart and escapes every text it prints', () => {
    const svg = lineChart({ title: 'A <b> & "c"', xLabel: 'x', yLabel: 'y', series: [] });
    expect(svg).toContain('no data');
    expect(svg).toContain('A &lt;b&gt; &amp; &quot;c&quot;');
    expect(escapeXml(`'`)).toBe('&apos;');
  });
});
