import { PushDevice, PushDeviceList, type SubscribePushRequest, VapidKeyResponse } from '@slotcast/protocol';
import type { RequestOptions } from './catalog-api.js';
import type { HttpTransport } from './http-transport.js';

/** The devices the signed-in user receives pushes on. */
export class PushApi {
  constructor(private readonly http: HttpTransport) {}

  /** The applicationServerKey to pass to `pushManager.subscribe`. */
  async vapidKey(opts: RequestOptions = {}): Promise<string> {
    const res = await this.http.request({
      method: 'GET',
      path: '/push/vapid-key',
      auth: false,
      schema: VapidKeyResponse,
      ...opts,
    });
    return res.publicKey;
  }

  /** Subscribing the same endpoint again updates it, so this is safe to re-send. */
  subscribe(req: SubscribePushRequest, opts: RequestOptions = {}): Promise<PushDevice> {
    return this.http.request({
      method: 'POST',
      path: '/push/subscriptions',
      body: req,
      auth: true,
      schema: PushDevice,
      safeToResend: true,
      ...opts,
    });
  }

  async devices(opts: RequestOptions = {}): Promise<PushDevice[]> {
    const res = await this.http.request({
      method: 'GET',
      path: '/push/subscriptions',
      auth: true,
      schema: PushDeviceList,
      ...opts,
    });
    return res.items;
  }
}
