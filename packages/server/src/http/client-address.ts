import type { IncomingMessage } from 'node:http';
import proxyaddr from '@fastify/proxy-addr';

/** Config TRUST_PROXY: nobody (false), the nearest `n` hops, or the proxies' addresses/CIDRs. */
export type TrustProxy = false | number | string[];

/**
 * The client address of a raw request, by the same rule Fastify applies to `request.ip` with `trustProxy`: with
 * nothing trusted, X-Forwarded-For is ignored (a client could write any address there and walk past every
 * per-address limit); otherwise the first address not added by a trusted proxy.
 */
export function clientAddressOf(trust: TrustProxy): (req: IncomingMessage) => string {
  const fn = trustFunction(trust);
  if (fn === false) return (req) => req.socket.remoteAddress ?? '';
  return (req) => proxyaddr(req, fn);
}

/** TRUST_PROXY as Fastify's `trustProxy` option takes it: which hop (address, index from the socket) is a proxy. */
export function trustFunction(trust: TrustProxy): false | ((addr: string, hop: number) => boolean) {
  if (trust === false) return false;
  if (typeof trust === 'number') return (_addr, hop) => hop < trust;
  return proxyaddr.compile(trust);
}
