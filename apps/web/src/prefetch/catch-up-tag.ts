/** The Periodic Background Sync registration under which the service worker catches up before a usual open. */
export const CATCH_UP_TAG = 'slotcast-catch-up';
/** Asked of the browser as the least interval; it may wake the worker less often. */
export const CATCH_UP_MIN_INTERVAL_MS = 60 * 60_000;
