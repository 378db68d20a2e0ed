/** Wire protocol version of the socket handshake: what a client says it reads, and what the server speaks.
 * Additive changes (new optional fields, new event types) keep the number; a breaking change bumps it.
 * 2: `events` frames travel in the compact form of event-frame.ts (version 1 clients still get arrays of envelopes). */
export const PROTOCOL_VERSION = 2 as const;
/** Version of an event envelope (`v`): the event-log row as the HTTP API, the offline store and the SDK hand it over.
 * Unchanged by protocol 2, which changed only how `events` frames travel. */
export const ENVELOPE_VERSION = 1 as const;
export const API_PREFIX = '/api/v1' as const;
