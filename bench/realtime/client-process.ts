/**
 * A share of the benchmark's sockets in one process: connects them over WebSocket (as the SDK does), decodes and counts the
 * booking events and frames they receive, and on request records each event's commit→receive latency.
 */
import { decodeEventFrame } from '@slotcast/protocol';
import { io, type Socket } from 'socket.io-client';
import { runClosedLoop } from '../lib/closed-loop.js';
import { serveRpc } from './child-rpc.js';
import { RoundProfile } from './round-profile.js';

export interface ConnectParams {
  /** Which server these sockets belong to: their counts are kept apart. */
  tag: string;
  url: string;
  auths: Record<string, unknown>[];
  concurrency: number;
}

export interface ConnectResult {
  connected: number;
  failed: number;
  errorSamples: string[];
  elapsedMs: number;
}

export interface ClientStats {
  /** Booking events received (what the benchmark drives and counts). */
  events: number;
  /** Other events: a user's private notification events, made by the node from booking events. */
  otherEvents: number;
  frames: number;
  /** Wall-clock ms of the last frame received. */
  lastAt: number;
  /** Sockets that closed without being asked to. */
  dropped: number;
}

export interface LatencySamples {
  /** occurredAt of each recorded event (wall-clock ms)… */
  occurredAt: Float64Array;
  /** …and how long after it the client had it (ms). */
  latencyMs: Float64Array;
}

let sockets: Socket[] = [];
const statsByTag = new Map<string, ClientStats>();
let recording = false;
let occurred: number[] = [];
let latencies: number[] = [];
let closing = false;
let cpuMark: NodeJS.CpuUsage | null = null;
const roundProfile = new RoundProfile();

const emptyStats = (): ClientStats => ({ events: 0, otherEvents: 0, frames: 0, lastAt: 0, dropped: 0 });

function onEvents(stats: ClientStats, frame: unknown) {
  const now = Date.now();
  stats.frames++;
  stats.lastAt = now;
  // Every event decoded to its envelope, as the SDK does: the bare server's arrays of envelopes pass through as they
  // are, Slotcast's compact frames (protocol 2) are turned back into the same envelopes.
  const batch = decodeEventFrame(frame);
  if (batch === null) throw new Error('a malformed events frame arrived');
  for (const e of batch) {
    if (!e.type.startsWith('booking.')) {
      stats.otherEvents++;
      continue;
    }
    stats.events++;
    if (!recording) continue;
    const at = Date.parse(e.occurredAt);
    occurred.push(at);
    latencies.push(now - at);
  }
}

function connectOne(stats: ClientStats, url: string, auth: Record<string, unknown>): Promise<Socket> {
  const socket = io(url, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 30_000,
  });
  socket.on('events', (frame: unknown) => onEvents(stats, frame));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.on('disconnect', () => {
        if (!closing) stats.dropped++;
      });
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      socket.disconnect();
      reject(err);
    });
  });
}

serveRpc({
  async connect(p: ConnectParams): Promise<ConnectResult> {
    closing = false;
    let stats = statsByTag.get(p.tag);
    if (!stats) statsByTag.set(p.tag, (stats = emptyStats()));
    const r = await runClosedLoop(
      async (i) => {
        sockets.push(await connectOne(stats, p.url, p.auths[i]!));
        return 'ok';
      },
      { concurrency: p.concurrency, count: p.auths.length, maxMs: 120_000 },
    );
    return { connected: r.ok, failed: r.errors, errorSamples: r.errorSamples, elapsedMs: r.elapsedMs };
  },
  /** With `profile` (a file), the stretch up to cpuSince is also profiled into it. */
  async cpuMark(params: { profile?: string } | null) {
    if (params?.profile) await roundProfile.start();
    cpuMark = process.cpuUsage();
    return null;
  },
  /** User + system CPU ms this process spent since cpuMark: decoding frames is the clients' share of a fan-out. */
  async cpuSince(params: { profile?: string } | null): Promise<number> {
    if (!cpuMark) throw new Error('cpuMark first');
    const cpu = process.cpuUsage(cpuMark);
    if (params?.profile) await roundProfile.stop(params.profile);
    return (cpu.user + cpu.system) / 1000;
  },
  stats: (tag: string): ClientStats => ({ ...(statsByTag.get(tag) ?? emptyStats()) }),
  reset() {
    // In place: each socket's handler holds its tag's object.
    for (const s of statsByTag.values()) Object.assign(s, { events: 0, otherEvents: 0, frames: 0, lastAt: 0 });
    return null;
  },
  record(on: boolean) {
    recording = on;
    if (on) {
      occurred = [];
      latencies = [];
    }
    return null;
  },
  samples(): LatencySamples {
    const out = { occurredAt: Float64Array.from(occurred), latencyMs: Float64Array.from(latencies) };
    occurred = [];
    latencies = [];
    return out;
  },
  async disconnect() {
    closing = true;
    for (const s of sockets) s.disconnect();
    sockets = [];
    statsByTag.clear();
    // Let the close frames go out before the server is stopped.
    await new Promise((r) => setTimeout(r, 500));
    return null;
  },
});
