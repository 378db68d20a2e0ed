/**
 * What an `events` frame costs per event in each protocol version: bytes on the wire, the server's encode (once per
 * frame) and the client's decode (`JSON.parse`, plus rebuilding envelopes from rows in protocol 2), for a frame of a
 * vendor's staff changes. Prints ratios measured in the same run. Run it under the benchmark lock:
 * `flock /tmp/slotcast-bench.lock npx tsx bench/realtime/event-frame-codec.ts [events per frame]`.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { decodeEventFrame, type EventEnvelope, encodeEventFrame } from '@slotcast/protocol';

const perFrame = Number(process.argv[2] ?? 7);
const vendorId = randomUUID();
const serviceId = randomUUID();
const staffId = randomUUID();
const resources = [randomUUID(), randomUUID(), randomUUID()];
let nextId = 1_234_567;

/** A staff confirmation of a customer's booking, as the event log writes it. */
function confirmation(): EventEnvelope {
  const id = nextId++;
  const occurredAt = new Date(Date.UTC(2026, 10, 29, 6, 0, 0, id)).toISOString();
  const start = Date.UTC(2026, 11, 3, 9, 0) + (id % 50) * 1_800_000;
  return {
    v: 1,
    id,
    type: 'booking.confirmed',
    occurredAt,
    data: {
      booking: {
        id: randomUUID(),
        vendorId,
        resourceId: resources[id % 3]!,
        serviceId,
        customerId: randomUUID(),
        status: 'confirmed',
        startAt: new Date(start).toISOString(),
        endAt: new Date(start + 3_600_000).toISOString(),
        timezone: 'Europe/Berlin',
        version: 2,
        note: null,
        priceMinor: 4500,
        currency: 'EUR',
        statusReason: null,
        updatedBy: { userId: staffId, role: 'staff' },
        createdAt: new Date(Date.parse(occurredAt) - 60_000).toISOString(),
        updatedAt: occurredAt,
      },
      previousStatus: 'requested',
      actor: { userId: staffId, role: 'staff' },
      reason: null,
    },
  };
}

const frames = Array.from({ length: 200 }, () => Array.from({ length: perFrame }, confirmation));
const v1 = frames.map((f) => JSON.stringify(f));
const v2 = frames.map((f) => JSON.stringify(encodeEventFrame(f)));
for (const [i, text] of v2.entries()) {
  if (!isDeepStrictEqual(decodeEventFrame(JSON.parse(text)), frames[i])) throw new Error('round trip differs');
}
const bytesPerEvent = (texts: string[]) =>
  texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / (texts.length * perFrame);

let sink = 0;
/** ns per event of `work` over every frame, best of five passes (after a warm-up). */
function nsPerEvent<T>(items: T[], work: (item: T) => number): number {
  for (let w = 0; w < 5; w++) for (const item of items) sink += work(item);
  let best = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 5; pass++) {
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < 40; r++) for (const item of items) sink += work(item);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / (40 * items.length * perFrame));
  }
  return best;
}

const rows = [
  ['bytes per event', bytesPerEvent(v1), bytesPerEvent(v2)],
  [
    'server: encode ns/event',
    nsPerEvent(frames, (f) => JSON.stringify(f).length),
    nsPerEvent(frames, (f) => JSON.stringify(encodeEventFrame(f)).length),
  ],
  [
    'client: decode ns/event',
    nsPerEvent(v1, (t) => (JSON.parse(t) as unknown[]).length),
    nsPerEvent(v2, (t) => decodeEventFrame(JSON.parse(t))!.length),
  ],
] as const;
console.log(`events frame of ${perFrame} booking.confirmed of one vendor (protocol 1 → 2)`);
for (const [name, a, b] of rows)
  console.log(`${name.padEnd(26)} ${a.toFixed(0).padStart(6)} → ${b.toFixed(0).padStart(6)}  (${(a / b).toFixed(2)}×)`);
if (sink === 0) console.log('');
