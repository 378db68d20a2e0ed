import type { PushProvider as ProviderKind } from '@slotcast/protocol';
import type { PushSubscriptionRow } from '../store/push-repo.js';

/** One push to one device, already rendered: the same for every provider. */
export interface PushMessage {
  /** The JSON the app receives (PushPayload), at most MAX_PAYLOAD_BYTES. */
  payload: string;
  title: string;
  body: string;
  /** Same key = a newer push replaces the older one still waiting (Web Push Topic, FCM collapse key, APNs collapse id). */
  collapseKey: string;
  ttlSeconds: number;
  urgency: 'very-low' | 'low' | 'normal' | 'high';
}

/**
 * What the push service said. `gone`: the device is no more (remove it). `retry`: try again later (429, 5xx,
 * network). `rejected`: this message will never be taken (bad request, too large): retrying would not help.
 */
export type PushOutcome =
  | { kind: 'sent' }
  | { kind: 'gone'; status: number }
  | { kind: 'retry'; status: number; retryAfterSeconds?: number }
  | { kind: 'rejected'; status: number; reason: string };

export interface PushSender {
  readonly kind: ProviderKind;
  send(device: PushSubscriptionRow, message: PushMessage): Promise<PushOutcome>;
  /**
   * One message to several devices: one send per device (same order), each run when the caller's bound on pushes in
   * flight lets it. What a provider can do once per message rather than per device happens here (Web Push: one
   * hand-off to the encryption threads). Without it, each send is `send(device, message)`.
   */
  prepare?(devices: readonly PushSubscriptionRow[], message: PushMessage): Promise<(() => Promise<PushOutcome>)[]>;
  close?(): Promise<void>;
}

/** Pushes in flight per node: enough to hide a push service's latency, few enough not to flood it. */
export const DEFAULT_SEND_CONCURRENCY = 64;

/** Web Push allows 4096 bytes of encrypted record; the aes128gcm header and padding take 103, keep margin. */
export const MAX_PAYLOAD_BYTES = 3_800;

/** Seconds from a Retry-After header (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfter(value: string | string[] | undefined | null, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** How a status code that is not success reads for every provider. */
export function outcomeOfStatus(status: number, reason: string, retryAfterSeconds?: number): PushOutcome {
  if (status === 404 || status === 410) return { kind: 'gone', status };
  if (status === 429 || status >= 500) return { kind: 'retry', status, retryAfterSeconds };
  return { kind: 'rejected', status, reason: reason.slice(0, 200) };
}
