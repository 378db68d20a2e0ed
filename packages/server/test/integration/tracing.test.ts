import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Booking } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { listen } from '../support/sockets.js';
import { book, buildWorld, slotAt, type World } from '../support/world.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

async function storedPayload(server: TestServer, eventId: number) {
  const [row] = await server.slotcast.db.query<{ payload: Record<string, unknown> }>(
    'SELECT payload FROM events WHERE id = $1',
    [eventId],
  );
  return row!.payload;
}

describe.each(DB_KINDS)('tracing on %s', (kind) => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    // A provider handed to this node only: no global SDK, so other suites in the process stay untraced.
    server = await startTestServer(kind, {}, undefined, { tracerProvider: provider });
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
    await provider.shutdown();
  });

  it('follows one change in one trace: HTTP request → transaction → event appended → socket emission', async () => {
    const alice = await listen(server, { token: w.alice.token });
    exporter.reset();
    const res = await book(server, w.alice, w.a, slotAt(3, 14));
    expect(res.status).toBe(201);
    const [event] = await alice.waitFor(1);
    expect((event!.data as { booking: Booking }).booking.id).toBe((res.body as Booking).id);

    // The emission span ends just after the socket write the client already saw.
    await expect.poll(() => exporter.getFinishedSpans().some((s) => s.name === 'realtime.emit')).toBe(true);
    const all = exporter.getFinishedSpans();
    const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
    const parentOf = (s: ReadableSpan) => byId.get(s.parentSpanContext?.spanId ?? '');
    // From the emission of this event up: each span's parent is the step before it.
    const emit = all.find((s) => s.name === 'realtime.emit' && s.attributes['slotcast.event.id'] === event!.id)!;
    expect(emit.attributes).toMatchObject({ 'slotcast.event.type': 'booking.requested' });
    const append = parentOf(emit)!;
    expect(append.name).toBe('events.append');
    expect(append.attributes['slotcast.event.ids']).toEqual([event!.id]);
    const tx = parentOf(append)!;
    expect(tx.name).toBe('db.transaction');
    const http = parentOf(tx)!;
    expect(http.name).toBe('POST /api/v1/bookings');
    expect(http.kind).toBe(SpanKind.SERVER);
    expect(http.attributes).toMatchObject({ 'http.route': '/api/v1/bookings', 'http.response.status_code': 201 });
    expect(http.parentSpanContext).toBeUndefined();
    for (const s of [tx, append, emit]) expect(s.spanContext().traceId).toBe(http.spanContext().traceId);
    alice.close();
  });

  it('continues the caller’s trace from its traceparent header', async () => {
    exporter.reset();
    const res = await book(server, w.bob, w.a, slotAt(3, 16));
    expect(res.status).toBe(201);
    const traced = await fetch(`${server.url}/api/v1/vendors`, {
      headers: { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` },
    });
    expect(traced.status).toBe(200);
    const http = exporter.getFinishedSpans().find((s) => s.name === 'GET /api/v1/vendors')!;
    expect(http.spanContext().traceId).toBe(TRACE_ID);
    expect(http.parentSpanContext?.spanId).toBe(CALLER_SPAN);
  });

  it('keeps the trace context in the stored payload’s _meta, and never sends it to clients', async () => {
    const res = await book(server, w.alice, w.a, slotAt(3, 18));
    const [row] = await server.slotcast.db.query<{ id: number }>(
      "SELECT id FROM events WHERE payload->'booking'->>'id' = $1",
      [(res.body as Booking).id],
    );
    const payload = await storedPayload(server, Number(row!.id));
    expect(payload._meta).toEqual({ traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) });
    const replay = await listen(server, { token: w.alice.token, lastEventId: 0 });
    await replay.replayDone;
    expect(replay.events.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(replay.events)).not.toMatch(/_meta|traceparent/);
    replay.close();
  });
});

describe('tracing off (the default: no SDK registered)', () => {
  let server: TestServer;
  let w: World;
  beforeAll(async () => {
    server = await startTestServer('pglite');
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('adds nothing to stored events', async () => {
    expect(server.slotcast.tracing.enabled).toBe(false);
    const res = await book(server, w.alice, w.a, slotAt(3, 10));
    expect(res.status).toBe(201);
    const [row] = await server.slotcast.db.query<{ payload: Record<string, unknown> }>(
      'SELECT payload FROM events ORDER BY id DESC LIMIT 1',
    );
    expect(row!.payload).not.toHaveProperty('_meta');
  });
});
