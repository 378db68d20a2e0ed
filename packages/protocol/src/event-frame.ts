import { z } from 'zod';
import type { Actor, Booking, BookingStatus } from './entities.js';
import { BOOKING_EVENT_TYPES, type BookingEventData, EventEnvelope } from './events.js';
import { ENVELOPE_VERSION } from './version.js';

/**
 * How an `events` frame travels to a client of protocol 2: the same envelopes as version 1 sends (an array of them),
 * but a booking event is a positional row instead of an object, its strings (ids, timestamps, zone, status, …) are
 * indexes into one table per frame. A `booking.confirmed` is ~820 bytes as an envelope
 * and ~200 as a row (see docs/performance.md); field names are not repeated per event, an id shared by the frame's
 * events (vendor, resource, service, staff) is sent and parsed once, and the client's JSON.parse stays the parser.
 *
 * Decoding gives back exactly the envelopes that were encoded (deep-equal): whatever a row cannot carry (another
 * event type, a field a later server adds, a timestamp not in `toISOString` form) travels as the envelope itself.
 */
export const EventFrameV2 = z.object({
  v: z.literal(2),
  /** Strings the rows refer to by index. */
  s: z.array(z.string()),
  /** The events in the frame's order: a row per booking event it fits, else the envelope unchanged. */
  e: z.array(z.union([z.custom<BookingEventRow>((r) => Array.isArray(r)), EventEnvelope])),
});
export type EventFrameV2 = z.infer<typeof EventFrameV2>;

type Str = number;
type NullableStr = number | null;
/** An ISO timestamp, by index like other strings: a frame's events share many (occurredAt = updatedAt, a slot's
 * start and end), and turning epoch milliseconds back into ISO text costs the client more than parsing it. */
type Instant = Str;

/** One booking event, positionally. The order is the protocol: a new position is a new version. */
export type BookingEventRow = [
  id: number,
  type: Str,
  occurredAt: Instant,
  bookingId: Str,
  vendorId: Str,
  resourceId: Str,
  serviceId: Str,
  customerId: Str,
  status: Str,
  startAt: Instant,
  endAt: Instant,
  timezone: Str,
  version: number,
  note: NullableStr,
  priceMinor: number,
  currency: Str,
  statusReason: NullableStr,
  updatedByUserId: NullableStr,
  updatedByRole: Str,
  createdAt: Instant,
  updatedAt: Instant,
  previousStatus: NullableStr,
  actorUserId: NullableStr,
  actorRole: Str,
  reason: NullableStr,
  /** booking.rescheduled: the interval held before (startAt, endAt, resourceId); absent otherwise. */
  previous?: [startAt: Instant, endAt: Instant, resourceId: Str],
];

const BOOKING_KEYS = new Set([
  'id',
  'vendorId',
  'resourceId',
  'serviceId',
  'customerId',
  'status',
  'startAt',
  'endAt',
  'timezone',
  'version',
  'note',
  'priceMinor',
  'currency',
  'statusReason',
  'updatedBy',
  'createdAt',
  'updatedAt',
]);
const DATA_KEYS = new Set(['booking', 'previousStatus', 'previous', 'actor', 'reason']);
const BOOKING_TYPES: ReadonlySet<string> = new Set(BOOKING_EVENT_TYPES);

/** Encodes a frame for protocol 2 clients. Done once per frame (Socket.IO then encodes the packet once per emit). */
export function encodeEventFrame(envelopes: readonly EventEnvelope[]): EventFrameV2 {
  const s: string[] = [];
  const index = new Map<string, number>();
  const str = (v: string): number => {
    let i = index.get(v);
    if (i === undefined) {
      i = s.length;
      s.push(v);
      index.set(v, i);
    }
    return i;
  };
  const e = envelopes.map((envelope) => encodeRow(envelope, str) ?? envelope);
  return { v: 2, s, e };
}

function encodeRow(envelope: EventEnvelope, str: (v: string) => number): BookingEventRow | null {
  if (envelope.v !== ENVELOPE_VERSION || !BOOKING_TYPES.has(envelope.type) || !fits(envelope.data)) return null;
  const { booking: b, previousStatus, previous, actor, reason } = envelope.data as BookingEventData;
  const opt = (v: string | null) => (v === null ? null : str(v));
  const row: BookingEventRow = [
    envelope.id,
    str(envelope.type),
    str(envelope.occurredAt),
    str(b.id),
    str(b.vendorId),
    str(b.resourceId),
    str(b.serviceId),
    str(b.customerId),
    str(b.status),
    str(b.startAt),
    str(b.endAt),
    str(b.timezone),
    b.version,
    opt(b.note),
    b.priceMinor,
    str(b.currency),
    opt(b.statusReason),
    opt(b.updatedBy.userId),
    str(b.updatedBy.role),
    str(b.createdAt),
    str(b.updatedAt),
    opt(previousStatus),
    opt(actor.userId),
    str(actor.role),
    opt(reason),
  ];
  if (previous !== undefined) row.push([str(previous.startAt), str(previous.endAt), str(previous.resourceId)]);
  return row;
}

/** Whether a row carries every field of the event's data, and nothing else: if not, the envelope travels as is. */
function fits(data: unknown): boolean {
  if (!isObject(data) || !keysWithin(data, DATA_KEYS)) return false;
  const { booking: b, previousStatus, previous, actor, reason } = data;
  if (!isObject(b) || Object.keys(b).length !== BOOKING_KEYS.size || !keysWithin(b, BOOKING_KEYS)) return false;
  if (!isActor(b.updatedBy) || !isActor(actor) || !nullableString(previousStatus) || !nullableString(reason))
    return false;
  if (previous !== undefined) {
    if (!isObject(previous) || Object.keys(previous).length !== 3) return false;
    if (!isString(previous.startAt) || !isString(previous.endAt) || !isString(previous.resourceId)) return false;
  }
  return (
    isString(b.id) &&
    isString(b.vendorId) &&
    isString(b.resourceId) &&
    isString(b.serviceId) &&
    isString(b.customerId) &&
    isString(b.status) &&
    isString(b.startAt) &&
    isString(b.endAt) &&
    isString(b.timezone) &&
    typeof b.version === 'number' &&
    nullableString(b.note) &&
    typeof b.priceMinor === 'number' &&
    isString(b.currency) &&
    nullableString(b.statusReason) &&
    isString(b.createdAt) &&
    isString(b.updatedAt)
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const nullableString = (v: unknown) => v === null || typeof v === 'string';
const isActor = (v: unknown) =>
  isObject(v) && Object.keys(v).length === 2 && nullableString(v.userId) && isString(v.role);

function keysWithin(o: object, allowed: ReadonlySet<string>): boolean {
  for (const k in o) if (!allowed.has(k)) return false;
  return true;
}

/**
 * The envelopes of an `events` frame in either form: version 1 (an array of envelopes, returned as it is) or version 2
 * (`EventFrameV2`). Null when the frame is neither. Fields are not validated here: the SDK checks each event against
 * its type's schema, as it does for version 1.
 */
export function decodeEventFrame(raw: unknown): EventEnvelope[] | null {
  if (Array.isArray(raw)) return raw as EventEnvelope[];
  if (!isObject(raw) || raw.v !== 2 || !Array.isArray(raw.s) || !Array.isArray(raw.e)) return null;
  const s = raw.s as string[];
  const rows = raw.e as unknown[];
  const out: EventEnvelope[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    out[i] = Array.isArray(r) ? decodeRow(r as BookingEventRow, s) : (r as EventEnvelope);
  }
  return out;
}

const opt = (s: string[], i: NullableStr): string | null => (i === null ? null : s[i]!);

function decodeRow(r: BookingEventRow, s: string[]): EventEnvelope {
  const booking: Booking = {
    id: s[r[3]]!,
    vendorId: s[r[4]]!,
    resourceId: s[r[5]]!,
    serviceId: s[r[6]]!,
    customerId: s[r[7]]!,
    status: s[r[8]] as BookingStatus,
    startAt: s[r[9]]!,
    endAt: s[r[10]]!,
    timezone: s[r[11]]!,
    version: r[12],
    note: opt(s, r[13]),
    priceMinor: r[14],
    currency: s[r[15]]!,
    statusReason: opt(s, r[16]),
    updatedBy: { userId: opt(s, r[17]), role: s[r[18]] as Actor['role'] },
    createdAt: s[r[19]]!,
    updatedAt: s[r[20]]!,
  };
  const p = r[25];
  const data: BookingEventData = {
    booking,
    previousStatus: opt(s, r[21]) as BookingStatus | null,
    actor: { userId: opt(s, r[22]), role: s[r[23]] as Actor['role'] },
    reason: opt(s, r[24]),
  };
  if (p !== undefined) data.previous = { startAt: s[p[0]]!, endAt: s[p[1]]!, resourceId: s[p[2]]! };
  return { v: ENVELOPE_VERSION, id: r[0], type: s[r[1]]!, occurredAt: s[r[2]]!, data };
}
