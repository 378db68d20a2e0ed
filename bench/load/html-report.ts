import type { LoadResult } from './result.js';
import { spread } from './summary.js';
import { type Band, escapeXml as esc, lineChart, type Series } from './svg-chart.js';

const COLORS = {
  blue: '#1f6feb',
  red: '#d1242f',
  orange: '#d97706',
  green: '#1a7f37',
  purple: '#8250df',
  grey: '#6e7781',
};
const n = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');

/** Turns the percentile spectrum into chart x positions: 0, 50, 90, 99, 99.9 % equally spaced (log of 1/(1-p)). */
function percentileX(p: number): number {
  return p >= 100 ? 6 : Math.min(6, Math.log10(100 / (100 - p)));
}

function table(head: string[], rows: (string | number)[][]): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(String(c))}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

/**
 * A self-contained HTML report (inline CSS and SVG, no scripts): the goals with verdicts at the top, the figures, and
 * charts over the run's time line — latency, deliveries, requests, connections, server and generator resources.
 */
export function renderHtml(r: LoadResult): string {
  const t = r.timeline;
  const bands: Band[] = r.phases
    .filter((p) => p.toS > p.fromS)
    .map((p) => ({ from: p.fromS, to: p.toS, label: p.name }));
  const line = (
    name: string,
    color: string,
    pick: (p: (typeof t)[number]) => number | null,
    dashed = false,
  ): Series => ({
    name,
    color,
    dashed,
    points: t.map((p) => [p.t, pick(p)] as const),
  });
  const chart = (
    title: string,
    yLabel: string,
    series: Series[],
    extra: Partial<Parameters<typeof lineChart>[0]> = {},
  ) => lineChart({ title, xLabel: 'seconds since start', yLabel, series, bands, ...extra });
  const p2 = r.scenario === 'browse-book-cancel' || r.scenario === 'staff' || r.scenario === 'flood';

  const charts = [
    chart(
      'Commit → receive latency (per second)',
      'ms (log)',
      [
        line('p50', COLORS.blue, (p) => p.latencyP50Ms),
        line('p99', COLORS.red, (p) => p.latencyP99Ms),
        line('max', COLORS.grey, (p) => p.latencyMaxMs, true),
      ],
      { logY: true, threshold: p2 ? { value: 25, label: 'P2 goal: p99 ≤ 25 ms' } : undefined },
    ),
    chart('Events delivered per second', 'events/s', [
      line('live', COLORS.blue, (p) => p.deliveredPerSec),
      line('replayed', COLORS.purple, (p) => p.replayedPerSec),
    ]),
    chart('Requests per second', 'per s', [
      line('booking transitions', COLORS.green, (p) => p.transitionsPerSec),
      line('HTTP requests', COLORS.blue, (p) => p.httpPerSec),
      line('errors', COLORS.red, (p) => p.errorsPerSec),
    ]),
    chart('Connections', 'sockets', [
      line('open', COLORS.blue, (p) => p.open),
      line('live (replay done)', COLORS.green, (p) => p.live, true),
      line('connects/s', COLORS.orange, (p) => p.connectsPerSec),
    ]),
    chart('CPU', '% of one core', [
      line('servers', COLORS.red, (p) => p.serverCpuPct),
      line('load generator', COLORS.orange, (p) => p.generatorCpuPct),
      line('whole machine (% of all cores)', COLORS.grey, (p) => p.machineCpuPct, true),
    ]),
    chart('Server memory and event loop', 'MiB / ms', [
      line('RSS MiB', COLORS.blue, (p) => p.serverRssMiB),
      line('heap MiB', COLORS.green, (p) => p.serverHeapMiB),
      line('loop lag p99 ms', COLORS.red, (p) => p.serverLagMs, true),
    ]),
    lineChart({
      title: 'Commit → receive latency by percentile (measured phase)',
      xLabel: 'percentile',
      yLabel: 'ms (log)',
      logY: true,
      series: [
        {
          name: 'latency',
          color: COLORS.red,
          points: r.deliveries.distribution.map((d) => [percentileX(d.percentile), d.ms] as const),
        },
      ],
      xTicks: [50, 90, 99, 99.9, 99.99, 100].map((p) => ({
        value: percentileX(p),
        label: p === 100 ? 'max' : `${p}%`,
      })),
      threshold: p2 ? { value: 25, label: 'goal 25 ms' } : undefined,
    }),
  ];

  const m = r.metadata;
  const verdicts = r.goals
    .map(
      (g) =>
        `<div class="goal ${g.verdict === 'meets' ? 'ok' : g.verdict === 'misses' ? 'bad' : 'na'}"><div class="v">${esc(g.id)}: ${esc(g.verdict)}</div><div>${esc(g.measured)}</div><div class="small">goal: ${esc(g.goal)}</div></div>`,
    )
    .join('');
  const figures: (string | number)[][] = [
    [
      'Sockets live',
      `${n(r.connect.live)} of ${n(r.connect.attempted)} (${n(r.connect.failed)} failed) in ${(r.connect.elapsedMs / 1000).toFixed(1)} s`,
    ],
    ['Connect time', spread(r.connect.connectMs)],
    ['Handshake + replay', spread(r.connect.liveMs)],
    ['Commit → receive (measured phase)', spread(r.deliveries.latencyMeasured)],
    ['Live deliveries', `${n(r.deliveries.delivered)} (${n(r.deliveries.perSecMeasured)}/s in the measured phase)`],
    ['Replayed / dropped as duplicates', `${n(r.deliveries.replayed)} / ${n(r.deliveries.duplicatesDropped)}`],
    [
      'Booking transitions',
      `${n(r.totals.transitions)} at ${r.transitions.perSec.toFixed(1)}/s (asked ${r.options.rate}/s)`,
    ],
    ['HTTP', `${n(r.http.ok)} ok, ${n(r.http.errors)} errors; ${spread(r.http.latency)}`],
  ];
  if (r.ledger) {
    const l = r.ledger;
    figures.push([
      'Ledger',
      `${n(l.checked)} clients, ${n(l.expected)} expected deliveries: lost ${l.lost}, duplicated ${l.duplicated}, unexpected ${l.unexpected}, out of order ${l.outOfOrder}`,
    ]);
  }
  if (r.storm) {
    const s = r.storm;
    figures.push([
      'Reconnect storm',
      `${n(s.live)}/${n(s.clients)} back in ${(s.durationMs / 1000).toFixed(1)} s (${s.missedEach} missed each); per client ${spread(s.liveMs)}`,
    ]);
  }
  if (r.flood) {
    const f = r.flood;
    figures.push([
      'Flood',
      `${n(f.flooders)} flooders: follow ${n(f.followAccepted)} ok / ${n(f.followRejected)} refused; ${n(f.closedForFlooding)} closed; ${n(f.httpRateLimited)} HTTP 429`,
    ]);
  }
  for (const x of [r.memory.slotcast, r.memory.baseline]) {
    if (x) {
      figures.push([
        `Memory per socket (${x.kind})`,
        `heap+external ${n(x.heapPerSocket)} B, RSS ${n(x.rssPerSocket)} B over ${n(x.sockets)} sockets`,
      ]);
    }
  }
  if (r.memory.heapRatio !== null) {
    figures.push(['Slotcast / bare', `heap ${r.memory.heapRatio.toFixed(2)}×, RSS ${r.memory.rssRatio?.toFixed(2)}×`]);
  }
  const errors = Object.entries(r.errors).sort((a, b) => b[1] - a[1]);
  const servers = r.servers.map((s) => [
    s.url,
    s.source,
    s.meanCpuPct === null ? 'n/a' : `${s.meanCpuPct.toFixed(0)}%`,
    s.peakRssMiB === null ? 'n/a' : n(s.peakRssMiB),
    s.peakLagMs === null ? 'n/a' : s.peakLagMs.toFixed(1),
  ]);
  const o = r.options;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Slotcast load test: ${esc(r.scenario)} ${esc(m.date)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1f2328;max-width:1180px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:22px 0 8px}
.meta{color:#57606a;font-size:12px}
.goals{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}
.goal{border-radius:6px;padding:8px 12px;flex:1 1 340px;border:1px solid}
.goal .v{font-weight:600;font-size:15px}.small{font-size:12px;color:#57606a}
.ok{background:#dafbe1;border-color:#1a7f37}.bad{background:#ffebe9;border-color:#d1242f}.na{background:#f6f8fa;border-color:#8c959f}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:12px}
.charts svg{border:1px solid #d0d7de;border-radius:6px;background:#fff;max-width:100%;height:auto}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
</style></head><body>
<h1>Slotcast load test: ${esc(r.scenario)}${r.label ? ` — ${esc(r.label)}` : ''}</h1>
<div class="meta">${esc(m.date)} · node ${esc(m.node)} · ${m.cpus} × ${esc(m.cpuModel)} · ${m.totalMemoryGiB} GiB · ${esc(m.postgres.split(' on ')[0] ?? '')} · commit ${esc(m.gitCommit ?? '?')}<br>
${esc(r.target.mode === 'spawn' ? `${r.servers.length} spawned ${r.target.serverKind} server process(es)` : `target ${r.target.urls.join(', ')}`)} ·
${n(r.population.clients)} sockets (${n(r.population.customers)} customers, ${n(r.population.staff)} staff, ${n(r.population.vendors)} vendors) from ${r.generator.workers} worker processes over ${r.generator.sourceAddresses} source addresses ·
ramp ${n(o.ramp)}/s · rate ${n(o.rate)}/s · ${o.duration} s · the generator, the servers and PostgreSQL share this machine</div>
<div class="goals">${verdicts || '<div class="goal na">No goal applies to this scenario.</div>'}</div>
<h2>Figures</h2>${table(['', ''], figures)}
<h2>Over time</h2><div class="charts">${charts.join('\n')}</div>
<h2>Errors by code</h2>${
    errors.length
      ? table(
          ['code', 'count'],
          errors.map(([k, v]) => [k, n(v)]),
        )
      : '<p>none</p>'
  }
${r.ledger?.samples.length ? `<h2>Ledger findings</h2><ul>${r.ledger.samples.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>` : ''}
<h2>Servers</h2>${table(['server', 'measured from', 'mean CPU (of a core)', 'peak RSS MiB', 'peak loop lag p99 ms'], servers)}
<p class="small">Load generator: mean CPU ${r.generator.meanCpuPct.toFixed(0)}% of a core (peak ${r.generator.peakCpuPct.toFixed(0)}%), peak RSS ${n(r.generator.peakRssMiB)} MiB.
Phases: ${esc(r.phases.map((p) => `${p.name} ${p.fromS.toFixed(1)}–${p.toS.toFixed(1)} s`).join(', '))}.</p>
<h2>Options</h2><pre>${esc(JSON.stringify({ options: r.options, serverEnv: r.target.serverEnv }, null, 2))}</pre>
</body></html>
`;
}
