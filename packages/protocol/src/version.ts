/** Wire protocol version shared by the HTTP API, the event envelope and the socket handshake.
 * Additive changes (new optional fields, new event types) keep the number; a breaking change bumps it. */
export const PROTOCOL_VERSION = 1 as const;
export const API_PREFIX = '/api/v1' as const;
