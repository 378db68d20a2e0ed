import type { IncomingMessage } from 'node:http';

/**
 * Browsers send Origin on every WebSocket and polling request; a foreign one is a cross-site WebSocket hijack attempt.
 * Requests without Origin come from non-browser clients (SDK in Node, load tests) and carry a bearer token anyway.
 */
export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  const host = req.headers['x-forwarded-host'] ?? req.headers.host;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
