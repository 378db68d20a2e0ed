/** Inline SVG line charts for the HTML report: no scripts, no external files, readable when printed. */

export interface Series {
  name: string;
  color: string;
  /** [x, y]; a null y breaks the line. */
  points: readonly (readonly [number, number | null])[];
  dashed?: boolean;
}

export interface Band {
  from: number;
  to: number;
  label: string;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  width?: number;
  height?: number;
  /** Log scale on y (latencies spanning ms to s); values ≤ 0 sit on the axis. */
  logY?: boolean;
  /** Shaded spans of x, such as the run's phases. */
  bands?: readonly Band[];
  /** Replaces the numeric x tick labels. */
  xTicks?: readonly { value: number; label: string }[];
  /** A horizontal reference line (a goal). */
  threshold?: { value: number; label: string };
}

// The title sits on the first line, the legend on the second.
const M = { top: 44, right: 16, bottom: 44, left: 64 };

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]!};`);
}

/** About `count` round tick values (1, 2, 2.5, 5 × 10^k) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(Number.isFinite(min) && Number.isFinite(max))) return [];
  if (max <= min) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((s) => s * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step, i = 0; v <= max + step * 1e-9 && i < 100; v += step, i++) {
    out.push(Number(v.toPrecision(12)));
  }
  return out;
}

/** Ticks from 0 whose last one is at or above `max`, so the top of the axis holds every value. */
export function coveringTicks(max: number, count = 5): number[] {
  const ticks = niceTicks(0, max, count);
  const last = ticks.at(-1) ?? 0;
  if (last < max) ticks.push(Number((last + (ticks.length > 1 ? ticks[1]! - ticks[0]! : max)).toPrecision(12)));
  return ticks;
}

export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  if (a >= 100 || a === 0) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}

const fmt = (v: number) => (Math.round(v * 10) / 10).toString();

/** A line chart as an <svg> element string. An empty chart says "no data" rather than drawing empty axes. */
export function lineChart(spec: ChartSpec): string {
  const W = spec.width ?? 560;
  const H = spec.height ?? 260;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const all = spec.series.flatMap((s) => s.points.filter((p): p is [number, number] => p[1] !== null));
  const head = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(spec.title)}" font-family="system-ui, sans-serif" font-size="11">`;
  const title = `<text x="${M.left}" y="18" font-size="13" font-weight="600">${escapeXml(spec.title)}</text>`;
  if (!all.length) {
    return `${head}${title}<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#888">no data</text></svg>`;
  }
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const x0 = Math.min(...xs, ...(spec.bands ?? []).map((b) => b.from));
  const x1 = Math.max(...xs, ...(spec.bands ?? []).map((b) => b.to), x0 + 1e-9);
  let yScale: (v: number) => number;
  let yTicks: number[];
  if (spec.logY) {
    const positive = ys.filter((v) => v > 0);
    const lo = 10 ** Math.floor(Math.log10(Math.min(...positive, spec.threshold?.value ?? Infinity, 1)));
    const hi = 10 ** Math.ceil(Math.log10(Math.max(...positive, spec.threshold?.value ?? 0, lo * 10)));
    yScale = (v) =>
      M.top + ph - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * ph;
    yTicks = [];
    for (let v = lo, i = 0; v <= hi * 1.0001 && i < 20; v *= 10, i++) yTicks.push(v);
  } else {
    const top = Math.max(...ys, spec.threshold?.value ?? 0);
    yTicks = coveringTicks(top > 0 ? top * 1.02 : 1);
    const hi = Math.max(yTicks.at(-1) ?? 1, 1e-9);
    yScale = (v) => M.top + ph - (v / hi) * ph;
  }
  const xScale = (v: number) => M.left + ((v - x0) / (x1 - x0)) * pw;
  const parts: string[] = [head, title];
  for (const [i, b] of (spec.bands ?? []).entries()) {
    const bx = xScale(b.from);
    const bw = Math.max(0, xScale(b.to) - bx);
    parts.push(
      `<rect x="${fmt(bx)}" y="${M.top}" width="${fmt(bw)}" height="${ph}" fill="${i % 2 ? '#f3f4f6' : '#e8eef9'}"/>`,
      bw > 30
        ? `<text x="${fmt(bx + 3)}" y="${M.top + 11}" fill="#667" font-size="10">${escapeXml(b.label)}</text>`
        : '',
    );
  }
  for (const v of yTicks) {
    const y = yScale(v);
    parts.push(
      `<line x1="${M.left}" x2="${M.left + pw}" y1="${fmt(y)}" y2="${fmt(y)}" stroke="#ddd"/>`,
      `<text x="${M.left - 6}" y="${fmt(y + 4)}" text-anchor="end" fill="#444">${formatTick(v)}</text>`,
    );
  }
  const xTicks = spec.xTicks ?? niceTicks(x0, x1, 6).map((v) => ({ value: v, label: formatTick(v) }));
  for (const t of xTicks) {
    const x = xScale(t.value);
    parts.push(
      `<line x1="${fmt(x)}" x2="${fmt(x)}" y1="${M.top + ph}" y2="${M.top + ph + 4}" stroke="#444"/>`,
      `<text x="${fmt(x)}" y="${M.top + ph + 16}" text-anchor="middle" fill="#444">${escapeXml(t.label)}</text>`,
    );
  }
  parts.push(
    `<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`,
    `<text x="${M.left + pw / 2}" y="${H - 8}" text-anchor="middle" fill="#333">${escapeXml(spec.xLabel)}</text>`,
    `<text transform="translate(14 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" fill="#333">${escapeXml(spec.yLabel)}</text>`,
  );
  if (spec.threshold) {
    const y = yScale(spec.threshold.value);
    parts.push(
      `<line x1="${M.left}" x2="${M.left + pw}" y1="${fmt(y)}" y2="${fmt(y)}" stroke="#c00" stroke-dasharray="6 3"/>`,
      `<text x="${M.left + pw - 4}" y="${fmt(y - 4)}" text-anchor="end" fill="#c00">${escapeXml(spec.threshold.label)}</text>`,
    );
  }
  for (const s of spec.series) {
    const segments: string[] = [];
    let current = '';
    for (const [x, y] of s.points) {
      if (y === null) {
        if (current) segments.push(current);
        current = '';
        continue;
      }
      current += `${current ? 'L' : 'M'}${fmt(xScale(x))} ${fmt(yScale(y))}`;
    }
    if (current) segments.push(current);
    for (const d of segments) {
      const single = !d.includes('L');
      parts.push(
        single
          ? `<circle cx="${d.slice(1).split(' ')[0]}" cy="${d.split(' ')[1]}" r="2" fill="${s.color}"/>`
          : `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>`,
      );
    }
  }
  let lx = M.left;
  for (const s of spec.series) {
    parts.push(
      `<line x1="${lx}" x2="${lx + 16}" y1="30" y2="30" stroke="${s.color}" stroke-width="3"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>`,
      `<text x="${lx + 20}" y="34" fill="#333">${escapeXml(s.name)}</text>`,
    );
    lx += 30 + s.name.length * 6;
  }
  parts.push('</svg>');
  return parts.join('');
}
