import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { isAppPath } from '@slotcast/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths the web app never answers: the API, Socket.IO's handshake and the API docs keep their own 404s. */
const NOT_THE_APP = /^\/(api|socket\.io|docs)(\/|$)/;

/**
 * Serves the built web app (WEB_DIST) at `/`. A GET of one of the app's pages (the protocol's APP_PATHS) gets
 * index.html, so `/bookings/…` survives a reload; any other path gets the app's 404 page with status 404. Hashed assets are cached for good; index.html never is, so a
 * deploy is picked up on the next load.
 */
export async function webStatic(
  app: FastifyInstance,
  opts: {
    dist: string | undefined;
    /** A page link followed from a mail (`?n=…`): counted as the message opened. Never fails the page. */
    onMailLinkFollowed?: (mark: string) => Promise<void>;
  },
): Promise<void> {
  if (!opts.dist) return;
  const root = path.resolve(opts.dist);
  if (!existsSync(path.join(root, 'index.html'))) {
    app.log.warn({ root }, 'WEB_DIST has no index.html; the web app is not served');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    // One route per built file, found at start: the wildcard below is then free for the SPA fallback.
    wildcard: false,
    index: false,
    setHeaders(reply, file) {
      const immutable = file.includes(`${path.sep}assets${path.sep}`);
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const sendIndex = async (request: FastifyRequest, reply: FastifyReply) => {
    const urlPath = request.url.split('?')[0] ?? '/';
    const mark = (request.query as Record<string, unknown> | undefined)?.n;
    if (typeof mark === 'string' && opts.onMailLinkFollowed && isAppPath(urlPath)) {
      await opts.onMailLinkFollowed(mark).catch((err) => request.log.warn({ err }, 'mail open not recorded'));
    }
    // A missing asset (a stale tab after a deploy) is a 404, not the app's HTML under a .js name.
    if (NOT_THE_APP.test(urlPath) || path.extname(urlPath) !== '') return reply.callNotFound();
    // An unknown page: the app renders its "not found" page, and crawlers and link checkers see a 404.
    if (!isAppPath(urlPath)) return reply.code(404).sendFile('index.html');
    return reply.sendFile('index.html');
  };
  app.get('/', sendIndex);
  app.get('/*', sendIndex);
}
