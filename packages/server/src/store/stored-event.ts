import type { EventEnvelope } from '@slotcast/protocol';

/** Scope columns kept beside each event so replay can filter by who may see it without parsing payloads. */
export interface StoredEvent {
  envelope: EventEnvelope;
  vendorId: string | null;
  customerId: string | null;
  bookingId: string | null;
  resourceId: string | null;
  userId: string | null;
  /** W3C trace context of the change that appended it (tracing on), kept in the payload's `_meta`, never sent. */
  traceparent?: string;
}
