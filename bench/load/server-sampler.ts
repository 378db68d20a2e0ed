import { readFile } from 'node:fs/promises';

/** One look at a server: what /metrics says, or what /proc says about a process we spawned. */
export interface ServerSample {
  at: number;
  source: 'metrics' | 'proc' | 'none';
  rssBytes: number | null;
  /** Cumulative CPU seconds (user + system) of the process. */
  cpuSeconds: number | null;
  heapUsedBytes: number | null;
  eventLoopLagP99Ms: number | null;
  sockets: number | null;
  /** Handshakes queued for authentication (slotcast_socket_handshakes_waiting). */
  handshakesWaiting: number | null;
  /** Cumulative counts, for rates per tick: sockets connected, replays started, database statements. */
  socketConnects: number | null;
  replays: number | null;
  dbQueries: number | null;
}

/** Sums each metric's samples over its label sets: `name{a="b"} 1` and `name{a="c"} 2` give name → 3. */
export function parsePrometheus(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const v = Number(m[3]);
    if (!Number.isFinite(v)) continue;
    out.set(m[1]!, (out.get(m[1]!) ?? 0) + v);
  }
  return out;
}

/** Reads utime + stime and VmRSS of a Linux process. */
export async function procSample(pid: number, ticksPerSecond = 100): Promise<{ cpuSeconds: number; rssBytes: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; fields after it start past the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return { cpuSeconds: (utime + stime) / ticksPerSecond, rssBytes: rssKb * 1024 };
}

const NO_COUNTERS = { handshakesWaiting: null, socketConnects: null, replays: null, dbQueries: null } as const;

const get = (m: Map<string, number>, name: string): number | null => (m.has(name) ? m.get(name)! : null);

/**
 * Samples one server: GET /metrics while it answers with Prometheus text (process_resident_memory_bytes,
 * process_cpu_seconds_total, nodejs_heap_size_used_bytes, nodejs_eventloop_lag_p99_seconds,
 * slotcast_socket_connections), else /proc of the process when we spawned it. A server without either yields nulls.
 */
export class ServerSampler {
  private metrics = true;

  constructor(
    readonly url: string,
    readonly pid: number | null,
    private readonly metricsToken?: string,
  ) {}

  async sample(): Promise<ServerSample> {
    const at = Date.now();
    if (this.metrics) {
      try {
        const res = await fetch(new URL('/metrics', this.url), {
          headers: this.metricsToken ? { authorization: `Bearer ${this.metricsToken}` } : {},
          signal: AbortSignal.timeout(2000),
        });
        if (res.status === 404) this.metrics = false;
        else if (res.ok) {
          const m = parsePrometheus(await res.text());
          const lag = get(m, 'nodejs_eventloop_lag_p99_seconds');
          const proc = this.pid ? await procSample(this.pid).catch(() => null) : null;
          return {
            at,
            source: 'metrics',
            rssBytes: get(m, 'process_resident_memory_bytes') ?? proc?.rssBytes ?? null,
            cpuSeconds: get(m, 'process_cpu_seconds_total') ?? proc?.cpuSeconds ?? null,
            heapUsedBytes: get(m, 'nodejs_heap_size_used_bytes'),
            eventLoopLagP99Ms: lag === null ? null : lag * 1000,
            sockets: get(m, 'slotcast_socket_connections'),
            handshakesWaiting: get(m, 'slotcast_socket_handshakes_waiting'),
            socketConnects: get(m, 'slotcast_socket_connects_total'),
            replays: get(m, 'slotcast_replay_requests_total'),
            dbQueries: get(m, 'slotcast_db_query_duration_seconds_count'),
          };
        }
      } catch {
        // A busy server may not answer in time; /proc still does.
      }
    }
    if (this.pid) {
      const p = await procSample(this.pid).catch(() => null);
      if (p) {
        return {
          at,
          source: 'proc',
          rssBytes: p.rssBytes,
          cpuSeconds: p.cpuSeconds,
          heapUsedBytes: null,
          eventLoopLagP99Ms: null,
          sockets: null,
          ...NO_COUNTERS,
        };
      }
    }
    return {
      at,
      source: 'none',
      rssBytes: null,
      cpuSeconds: null,
      heapUsedBytes: null,
      eventLoopLagP99Ms: null,
      sockets: null,
      ...NO_COUNTERS,
    };
  }
}
