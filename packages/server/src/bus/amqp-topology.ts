import type { Options } from 'amqplib';
import type { StoredEvent } from '../store/event-log.js';

/** Every committed event is published here, routed by its type (`booking.confirmed`). */
export const EVENTS_EXCHANGE = 'slotcast.events';
const PREFIX = 'slotcast';
/** The id of the event before this one in the log (0 if none): lets a consumer tell a hole from a lost message. */
const PREV_HEADER = 'x-slotcast-prev';
/** How many times a durable consumer has tried this message (1 on first delivery). */
export const ATTEMPT_HEADER = 'x-slotcast-attempt';
export const ERROR_HEADER = 'x-slotcast-error';

export const nodeQueue = (nodeId: string) => `${PREFIX}.realtime.${nodeId}`;
export const durableQueue = (name: string) => `${PREFIX}.${name}`;
export const retryQueue = (name: string, level: number) => `${PREFIX}.${name}.retry.${level}`;
export const deadLetterQueue = (name: string) => `${PREFIX}.${name}.dead`;

export interface BusMessage {
  event: StoredEvent;
  /** Id of the preceding event in the log at publish time; null if the publisher did not say. */
  prev: number | null;
}

/** Serialises an event once for the broker: the StoredEvent as JSON, with id and type in the properties. */
export function encodeEvent(event: StoredEvent, prev: number): { content: Buffer; options: Options.Publish } {
  return {
    content: Buffer.from(JSON.stringify(event)),
    options: {
      persistent: true,
      contentType: 'application/json',
      messageId: String(event.envelope.id),
      type: event.envelope.type,
      timestamp: Math.floor(Date.parse(event.envelope.occurredAt) / 1000),
      appId: 'slotcast',
      headers: { [PREV_HEADER]: prev },
    },
  };
}

export function decodeEvent(msg: { content: Buffer; properties: { headers?: Record<string, unknown> } }): BusMessage {
  const event = JSON.parse(msg.content.toString('utf8')) as StoredEvent;
  if (typeof event?.envelope?.id !== 'number') throw new Error('not a Slotcast event message');
  const prev = msg.properties.headers?.[PREV_HEADER];
  return { event, prev: typeof prev === 'number' ? prev : null };
}

/** A routing key as the event's type; `#` in a binding matches every event. */
export const routingKey = (event: StoredEvent) => event.envelope.type;
