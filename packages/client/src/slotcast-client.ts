import { ApiClient, type ApiClientOptions } from './api-client.js';
import { RealtimeClient, type RealtimeClientOptions } from './realtime-client.js';

export interface SlotcastClientOptions extends ApiClientOptions {
  /** RealtimeClient settings; `url` defaults to `baseUrl`, `tokens` is the ApiClient's. */
  realtime?: Omit<RealtimeClientOptions, 'tokens' | 'url'> & { url?: string };
}

export interface SlotcastClient {
  api: ApiClient;
  realtime: RealtimeClient;
}

/** The REST and realtime clients, wired to one TokenManager. Call `realtime.start()` once signed in. */
export function createSlotcastClient(opts: SlotcastClientOptions): SlotcastClient {
  const { realtime: realtimeOpts, ...apiOpts } = opts;
  const api = new ApiClient(apiOpts);
  const realtime = new RealtimeClient({
    clock: opts.clock,
    ...realtimeOpts,
    url: realtimeOpts?.url ?? (opts.baseUrl || undefined),
    tokens: api.tokens,
  });
  return { api, realtime };
}
