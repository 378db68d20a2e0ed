/**
 * The bench's local Web Push service in a process of its own, so that verifying every VAPID JWT and decrypting every
 * payload does not compete with the Slotcast node for its event loop. The parent asks for devices and reads what was
 * accepted (`npm run bench:push` forks this; see bench/push.ts).
 */
import type { PushPayload } from '@slotcast/protocol';
import { loopbackCertificate } from '../../packages/server/test/support/push/tls.js';
import { WebPushService } from '../../packages/server/test/support/push/web-push-service.js';
import { serveRpc } from '../realtime/child-rpc.js';

export interface AcceptedPush {
  device: string;
  at: number;
  eventId: number;
  bookingId: string | null;
}

const applicationServerKey = process.argv[2];
if (!applicationServerKey) throw new Error('usage: push-service-process.ts <VAPID public key>');
const tls = await loopbackCertificate();
const service = new WebPushService(tls, applicationServerKey);
await service.start();

// Exit on the parent's SIGTERM through process.exit, so a `--cpu-prof` run writes its profile.
process.once('SIGTERM', () => process.exit(0));

serveRpc(
  {
    /** Makes and registers devices; the private halves stay here, where the payloads are decrypted. */
    devices: (names: string[]) =>
      names.map((name) => {
        const d = service.register(service.device(name));
        return { name, endpoint: d.endpoint, keys: d.keys };
      }),
    /** What was accepted from position `from` on. */
    received: (from: number): AcceptedPush[] =>
      service.received.slice(from).map((p) => {
        const payload = JSON.parse(p.payload) as PushPayload;
        return { device: p.device, at: p.at, eventId: payload.eventId, bookingId: payload.bookingId };
      }),
    close: () => service.close(),
  },
  { cert: tls.cert },
);
