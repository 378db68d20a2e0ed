import type { StoredEvent } from '../store/event-log.js';
import type { Metrics } from './metrics.js';
import type { Tracing } from './tracing.js';

/** What the gateway reports as it works; metrics and tracing listen. Called once per socket or per batch. */
export interface RealtimeObserver {
  authFailed(code: string): void;
  /** Handshakes waiting for their turn at authentication on this node. */
  handshakesWaiting(n: number): void;
  /** A queued handshake whose client had left by its turn: not authenticated. */
  handshakeSkipped(): void;
  connected(transport: string): void;
  disconnected(reason: string): void;
  replayStarted(): void;
  replayFinished(outcome: { kind: 'replayed'; replayed: number } | { kind: 'resync' }): void;
  replayFailed(): void;
  /** A batch from the bus was emitted to the local rooms. */
  emitted(batch: readonly StoredEvent[]): void;
}

export function realtimeObserver(metrics: Metrics, tracing: Tracing, nodeId: string): RealtimeObserver {
  return {
    authFailed: (code) => metrics.socketAuthFailures.inc({ code }),
    handshakesWaiting: (n) => metrics.socketHandshakesWaiting.set(n),
    handshakeSkipped: () => metrics.socketHandshakesSkipped.inc(),
    connected: (transport) => metrics.socketConnects.inc({ transport }),
    disconnected: (reason) => metrics.socketDisconnects.inc({ reason }),
    replayStarted: () => metrics.replayRequests.inc(),
    replayFinished(outcome) {
      if (outcome.kind === 'resync') metrics.replayResyncs.inc();
      else if (outcome.replayed > 0) metrics.replayedEvents.inc(outcome.replayed);
    },
    replayFailed: () => metrics.replayFailures.inc(),
    emitted(batch) {
      if (batch.length === 0) return;
      metrics.eventsDelivered.inc(batch.length);
      const now = Date.now();
      for (const e of batch)
        metrics.deliveryLatency.observe(Math.max(0, now - Date.parse(e.envelope.occurredAt)) / 1000);
      if (tracing.enabled) {
        tracing.emitted(
          batch.map((e) => ({ ...e.envelope, traceparent: e.traceparent })),
          nodeId,
        );
      }
    },
  };
}
