import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The policy the web app is built to pass: its scripts and styles are files of its own origin (Vite emits no inline
 * script), the favicon is a data: URL, the API and Socket.IO are same-origin. Nothing may frame a page (clickjacking).
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  workerSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // Served over plain HTTP on a LAN or localhost, upgrading would break every request.
  upgradeInsecureRequests: null,
};

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Security headers on every response (helmet): CSP, nosniff, Referrer-Policy, no framing. HSTS only when the request
 * came over TLS (directly, or per X-Forwarded-Proto from a trusted proxy): over plain HTTP it would be ignored at
 * best, and could pin a name to HTTPS that does not serve it. Browsers from other origins get CORS only when
 * ALLOWED_ORIGINS names them.
 */
export async function securityHeaders(app: FastifyInstance, opts: { allowedOrigins: readonly string[] }) {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
    // The app loads nothing cross-origin; COEP would only get in the way of a future CDN.
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
  });
  if (opts.allowedOrigins.length) {
    await app.register(cors, {
      origin: [...opts.allowedOrigins],
      credentials: true,
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id', 'x-slotcast-csrf'],
      exposedHeaders: ['retry-after', 'idempotent-replayed', 'x-request-id'],
      maxAge: 600,
    });
  }
}
