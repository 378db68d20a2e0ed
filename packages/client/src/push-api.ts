import { type PushDevice, ROUTES, type SubscribePushRequest } from '@slotcast/protocol';
import type { RequestOptions } from './catalog-api.js';
import type { HttpTransport } from './http-transport.js';

/** The devices the signed-in user receives pushes on. */
export class PushApi {
  constructor(private readonly http: HttpTransport) {}

  /** The applicationServerKey to pass to `pushManager.subscribe`. */
  async vapidKey(opts: RequestOptions = {}): Promise<string> {
    return (await this.http.call(ROUTES.pushVapidKey, {}, opts)).publicKey;
  }

  /** Subscribing the same endpoint again updates it, so this is re-sent after a lost answer. */
  subscribe(req: SubscribePushRequest, opts: RequestOptions = {}): Promise<PushDevice> {
    return this.http.call(ROUTES.subscribePush, { body: req }, opts);
  }

  async devices(opts: RequestOptions = {}): Promise<PushDevice[]> {
    return (await this.http.call(ROUTES.listPushDevices, {}, opts)).items;
  }

  unsubscribe(deviceId: string, opts: RequestOptions = {}): Promise<void> {
    return this.http.call(ROUTES.unsubscribePush, { params: { id: deviceId } }, opts);
  }
}
