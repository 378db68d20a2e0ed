import { type Column, fixed, formatTable } from '../lib/table.js';
import type { HistogramSummary } from './histogram.js';
import type { LoadResult } from './result.js';

const n = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');
const ms = (v: number | null) =>
  v !== null && Number.isFinite(v) ? `${fixed(v, v < 10 ? 2 : v < 100 ? 1 : 0)} ms` : 'n/a';
const pct = (v: number | null) => (v === null || !Number.isFinite(v) ? 'n/a' : `${fixed(v, 0)}%`);

export const spread = (h: HistogramSummary): string =>
  h.count
    ? `p50 ${ms(h.p50Ms)}, p90 ${ms(h.p90Ms)}, p99 ${ms(h.p99Ms)}, p99.9 ${ms(h.p999Ms)}, max ${ms(h.maxMs)} (${n(h.count)} samples)`
    : 'no samples';

/** The human summary: what ran where, the figures, and the goals with their verdicts. */
export function formatSummary(r: LoadResult): string {
  const m = r.metadata;
  const o = r.options;
  const lines: string[] = [];
  lines.push(`Slotcast load test: ${r.scenario}${r.label ? ` — ${r.label}` : ''}`);
  lines.push(
    `${m.date}  node ${m.node}  ${m.cpus} × ${m.cpuModel}  ${m.totalMemoryGiB} GiB  ${m.platform}  commit ${m.gitCommit ?? '?'}`,
  );
  lines.push(`${m.postgres.split(' on ')[0]}; machine ${fixed(m.backgroundCpuBusy * 100, 0)}% busy before the run`);
  const env = Object.entries(r.target.serverEnv)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  lines.push(
    r.target.mode === 'spawn'
      ? `Target: ${r.servers.length} spawned ${r.target.serverKind} server process(es) ${r.target.urls.join(', ')}${env ? `; ${env}` : ''}`
      : `Target: ${r.target.urls.join(', ')}`,
  );
  const p = r.population;
  lines.push(
    `Clients: ${n(p.clients)} sockets (${n(p.customers)} customers, ${n(p.staff)} staff; ${n(p.vendors)} vendors) from ` +
      `${r.generator.workers} worker processes over ${r.generator.sourceAddresses} source addresses; ramp ${n(o.ramp)}/s`,
  );
  lines.push(`Phases: ${r.phases.map((ph) => `${ph.name} ${fixed(ph.fromS, 1)}–${fixed(ph.toS, 1)} s`).join(', ')}`);
  lines.push('');

  const c = r.connect;
  lines.push(
    `Connections: ${n(c.live)}/${n(c.attempted)} live, ${n(c.failed)} failed, in ${fixed(c.elapsedMs / 1000, 1)} s ` +
      `(${n(c.achievedRate)}/s)`,
  );
  lines.push(`  connect: ${spread(c.connectMs)}`);
  lines.push(`  to live (handshake + replay:done): ${spread(c.liveMs)}`);
  if (r.transitions.attempted) {
    const t = r.transitions;
    lines.push(
      `Booking transitions: ${n(r.totals.transitions)} committed at ${fixed(t.perSec, 1)}/s (asked ${o.rate}/s); ` +
        `${n(t.attempted)} steps started, ${n(t.lateStarts)} late`,
    );
    lines.push(`  HTTP: ${n(r.http.ok)} ok, ${n(r.http.errors)} errors; ${spread(r.http.latency)}`);
  }
  const d = r.deliveries;
  lines.push(
    `Deliveries: ${n(d.delivered)} live (${n(d.perSecMeasured)}/s in the measured phase), ${n(d.replayed)} replayed, ` +
      `${n(d.duplicatesDropped)} at or below a cursor (dropped)`,
  );
  lines.push(`  commit→receive, measured phase: ${spread(d.latencyMeasured)}`);
  if (r.ledger) {
    const l = r.ledger;
    lines.push(
      `Ledger (cursor accounting per client, through event ${l.through}): ${n(l.checked)} clients checked, ` +
        `${n(l.expected)} deliveries expected, ${n(l.received)} received; lost ${l.lost}, duplicated ${l.duplicated}, ` +
        `unexpected ${l.unexpected}, out of order ${l.outOfOrder}` +
        (l.skipped.neverLive + l.skipped.resynced + l.skipped.overflow
          ? `; not checked: ${l.skipped.neverLive} never live, ${l.skipped.resynced} resynced, ${l.skipped.overflow} overflowing`
          : ''),
    );
    for (const s of l.samples) lines.push(`  ${s}`);
  }
  if (r.storm) {
    const s = r.storm;
    lines.push(
      `Reconnect storm: ${n(s.live)}/${n(s.clients)} back in ${fixed(s.durationMs / 1000, 1)} s, ${n(s.failed)} failed; ` +
        `${n(s.appended)} events appended while away (${s.missedEach} each) in ${fixed(s.appendMs / 1000, 1)} s; ` +
        `${n(s.replayed)} replayed`,
    );
    lines.push(`  reconnect → replay:done per client: ${spread(s.liveMs)}`);
  }
  if (r.flood) {
    const f = r.flood;
    lines.push(
      `Flood: ${n(f.flooders)} flooding clients, ${n(f.bystanders)} bystanders; follow ${n(f.followAccepted)} accepted, ` +
        `${n(f.followRejected)} refused RATE_LIMITED; ${n(f.closedForFlooding)} sockets closed for flooding; ` +
        `${n(f.httpRateLimited)} HTTP 429`,
    );
  }
  const mem = r.memory;
  for (const x of [mem.slotcast, mem.baseline]) {
    if (!x) continue;
    lines.push(
      `Memory per socket (${x.kind}, after GC, over ${n(x.sockets)} sockets): heap+external ${n(x.heapPerSocket)} B, ` +
        `RSS ${n(x.rssPerSocket)} B; ${n(x.totalSockets)} sockets in ${n(x.rssBytes / 2 ** 20)} MiB RSS`,
    );
  }
  if (mem.heapRatio !== null) {
    lines.push(`  Slotcast/bare: heap ${fixed(mem.heapRatio, 2)}×, RSS ${fixed(mem.rssRatio ?? Number.NaN, 2)}×`);
  }
  for (const s of r.servers) {
    lines.push(
      `Server ${s.url} (${s.source}): CPU ${pct(s.meanCpuPct)} of a core on average, peak RSS ` +
        `${s.peakRssMiB === null ? 'n/a' : `${n(s.peakRssMiB)} MiB`}, peak event-loop lag p99 ${ms(s.peakLagMs)}`,
    );
  }
  const g = r.generator;
  const machine = r.timeline.map((x) => x.machineCpuPct).filter((x): x is number => x !== null);
  lines.push(
    `Load generator: CPU ${pct(g.meanCpuPct)} of a core on average (peak ${pct(g.peakCpuPct)}), peak RSS ${n(g.peakRssMiB)} MiB; ` +
      `whole machine ${pct(machine.length ? machine.reduce((a, b) => a + b, 0) / machine.length : null)} busy on average ` +
      '(generator, servers and PostgreSQL share it)',
  );
  const errors = Object.entries(r.errors).sort((a, b) => b[1] - a[1]);
  lines.push(`Errors by code: ${errors.length ? errors.map(([k, v]) => `${k} ${n(v)}`).join(', ') : 'none'}`);
  lines.push('');
  const cols: Column[] = [{ header: 'Goal' }, { header: 'Verdict' }, { header: 'Measured' }, { header: 'Target' }];
  if (r.goals.length)
    lines.push(
      formatTable(
        cols,
        r.goals.map((x) => [x.id, x.verdict, x.measured, x.goal]),
      ),
    );
  return lines.join('\n');
}
