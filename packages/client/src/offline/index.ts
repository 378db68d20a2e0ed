// `@slotcast/client/offline`: the offline store and everything that opens it (Dexie, IndexedDB). A separate entry,
// so an app can load it after its first paint (a dynamic import) instead of with the SDK; the main entry exports the
// types and the parts that do not open the store.
export {
  ActionQueue,
  type ActionQueueEvents,
  type ActionResult,
  type FlushResult,
  type OutboxChange,
} from './action-queue.js';
export { type ActionSender, sdkActionSender } from './action-sender.js';
export { type CacheWindow, OfflineCache } from './offline-cache.js';
export { OfflineCursorStore } from './offline-cursor-store.js';
export { type AttentionRow, deleteOfflineDb, OfflineDb, offlineDbName } from './offline-db.js';
export { cacheWindow, OfflineSession, type OfflineSessionOptions } from './offline-session.js';
export type { QueuedAction, QueuedKind, QueuedPayload } from './queued-action.js';
export { evict, overBudget, requestPersistence, type StorageBudget } from './storage-hygiene.js';
