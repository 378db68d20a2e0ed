import type { OfflineDb } from './offline-db.js';

/**
 * When this user usually opens the app: a histogram of local hours of the day (24 buckets), kept on the device only
 * (the user's offline store, deleted at sign-out), so the service worker can catch up shortly before the usual time.
 */
export interface OpenHours {
  /** Weight per local hour 0–23. */
  counts: number[];
  /** The last hour counted (epoch ms of its start): one visit counts once per hour, however often the tab returns. */
  lastCountedHour: number | null;
}

const HOUR = 3_600_000;
/** Total weight kept: past it every bucket is halved, so the histogram stays small and follows a changed routine. */
export const OPEN_HOURS_MAX_TOTAL = 64;
/** An hour counts as usual with at least this many opens … */
export const USUAL_MIN_OPENS = 2;
/** … and at least this share of all of them. */
export const USUAL_MIN_SHARE = 0.1;
/** Catch up at most this long before a usual hour. */
export const PREFETCH_LEAD_MS = HOUR;

export const emptyOpenHours = (): OpenHours => ({ counts: new Array(24).fill(0), lastCountedHour: null });

/** The start of the local hour `at` falls in (whole-hour and half-hour zones alike). */
function hourStart(at: number): number {
  const d = new Date(at);
  d.setMinutes(0, 0, 0);
  return d.getTime();
}

/** Whether a stored value is a histogram (the store may hold anything an older version wrote). */
export function isOpenHours(v: unknown): v is OpenHours {
  const h = v as Partial<OpenHours> | null;
  return (
    !!h &&
    Array.isArray(h.counts) &&
    h.counts.length === 24 &&
    h.counts.every((c) => typeof c === 'number' && Number.isFinite(c) && c >= 0) &&
    (h.lastCountedHour === null || typeof h.lastCountedHour === 'number')
  );
}

/** Counts an open at `at` (a new histogram; the same one when this hour was already counted). */
export function recordOpen(h: OpenHours, at: number): OpenHours {
  const start = hourStart(at);
  if (h.lastCountedHour === start) return h;
  let counts = [...h.counts];
  counts[new Date(at).getHours()]! += 1;
  if (counts.reduce((a, b) => a + b, 0) > OPEN_HOURS_MAX_TOTAL) counts = counts.map((c) => c / 2);
  return { counts, lastCountedHour: start };
}

/** Whether the user usually opens the app in this local hour. */
function usual(h: OpenHours, hour: number): boolean {
  const total = h.counts.reduce((a, b) => a + b, 0);
  const c = h.counts[hour]!;
  return c >= USUAL_MIN_OPENS && c >= total * USUAL_MIN_SHARE;
}

/** The start of the next usual hour after `now` (within a day), or null while no hour is usual yet. */
export function nextLikelyOpen(h: OpenHours, now: number): number | null {
  const start = hourStart(now);
  for (let i = 1; i <= 24; i++) {
    // Local hours, so a day with a clock change is walked by wall clock, not by 3.6e6 ms steps alone.
    const at = hourStart(start + i * HOUR + HOUR / 2);
    if (usual(h, new Date(at).getHours())) return at;
  }
  return null;
}

/**
 * Whether to catch up now: a usual hour starts within `leadMs`, and the last catch-up was not already within that
 * lead (the browser may wake the worker several times an hour).
 */
export function prefetchDue(
  h: OpenHours,
  now: number,
  lastPrefetchAt: number | null,
  leadMs = PREFETCH_LEAD_MS,
): boolean {
  const next = nextLikelyOpen(h, now);
  if (next === null || next - now > leadMs) return false;
  return lastPrefetchAt === null || now - lastPrefetchAt >= leadMs;
}

/** The stored histogram (meta `openHours`; empty until the first open is counted). */
export async function storedOpenHours(db: OfflineDb): Promise<OpenHours> {
  const v = (await db.meta.get('openHours'))?.value;
  return isOpenHours(v) ? v : emptyOpenHours();
}

/** Counts an open of the app at `at` in the stored histogram (once per hour). */
export async function countOpen(db: OfflineDb, at = Date.now()): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const before = await storedOpenHours(db);
    const after = recordOpen(before, at);
    if (after !== before) await db.meta.put({ key: 'openHours', value: after });
  });
}

/** When the service worker last caught up ahead of a usual open (meta `prefetchedAt`), or null. */
export async function prefetchedAt(db: OfflineDb): Promise<number | null> {
  const v = (await db.meta.get('prefetchedAt'))?.value;
  return typeof v === 'number' ? v : null;
}

export async function setPrefetchedAt(db: OfflineDb, at: number): Promise<void> {
  await db.meta.put({ key: 'prefetchedAt', value: at });
}
