export { isNotificationEvent, NotificationEvent } from '@slotcast/protocol';
export { AnalyticsApi } from './analytics-api.js';
export { ApiClient, type ApiClientOptions } from './api-client.js';
export { AuthApi, type LoginInput, type RegisterInput, type VendorSignUpInput } from './auth-api.js';
export { type BackoffOptions, backoffCeiling, backoffDelay, DEFAULT_BACKOFF, parseRetryAfter } from './backoff.js';
export {
  type BookingFilters,
  type BookingPage,
  BookingsApi,
  type CreateBookingInput,
  type RescheduleInput,
  type TransitionInput,
} from './bookings-api.js';
export {
  type Availability,
  type AvailabilityInput,
  type CreateResourceInput,
  type CreateServiceInput,
  type CreateStaffInput,
  type CreateVendorInput,
  type MutationOptions,
  type RequestOptions,
  ResourcesApi,
  type UpdateResourceHoursInput,
  type UpdateVendorInput,
  VendorsApi,
} from './catalog-api.js';
export { type Clock, sleep, systemClock, type TimerHandle } from './clock.js';
export { fromConnectError, type Reaction, reactionTo } from './connection-errors.js';
export {
  batteryIsLow,
  type ClosableConnection,
  type ConnectionConditions,
  ConnectionPolicy,
  type ConnectionPolicySettings,
  DEFAULT_CONNECTION_POLICY,
  heartbeatInterval,
  type NetworkSignals,
  networkKind,
  reconnectBackoff,
} from './connection-policy.js';
export {
  type ConnectionError,
  type ConnectionState,
  ConnectionStateStore,
  type ConnectionStatus,
  INITIAL_CONNECTION_STATE,
  type TransportName,
} from './connection-state.js';
export { type CursorStore, LocalStorageCursorStore, MemoryCursorStore } from './cursor-store.js';
export { Emitter, type Listener } from './emitter.js';
export {
  isApiError,
  type ProblemCode,
  type ReceivedProblem,
  SlotcastApiError,
  SlotcastNetworkError,
  SlotcastProtocolError,
} from './errors.js';
export {
  type EnvelopeHandler,
  type EventHandler,
  EventStream,
  type Handler,
  type NotificationHandler,
} from './event-stream.js';
export type { FollowResult, RealtimeError, RealtimeErrorCode } from './follows.js';
export { HttpTransport, type HttpTransportOptions, type RequestSpec, type RetryOptions } from './http-transport.js';
export { alwaysOnline, browserNetworkStatus, ManualNetworkStatus, type NetworkStatus } from './network-status.js';
export { type NotificationFilters, type NotificationPage, NotificationsApi } from './notifications-api.js';
export {
  ActionQueue,
  type ActionQueueEvents,
  type ActionResult,
  type FlushResult,
  type OutboxChange,
} from './offline/action-queue.js';
export { type ActionSender, sdkActionSender } from './offline/action-sender.js';
export { type CatchUpOutcome, catchUpOnce } from './offline/background-catch-up.js';
export {
  type Choice,
  CONFLICT_RULES,
  type ConflictRule,
  classifyMeanwhile,
  conflictRule,
  type Meanwhile,
  type Notice,
  type Outcome,
} from './offline/conflict-rules.js';
export { offlineDbName, readCachedBookings } from './offline/first-read.js';
export { lazyOfflineCursorStore } from './offline/lazy-cursor-store.js';
export { type CacheWindow, OfflineCache } from './offline/offline-cache.js';
// The store itself (Dexie) is in `@slotcast/client/offline`, loaded when an app opens it; here, its types only.
export type { OfflineCursorStore } from './offline/offline-cursor-store.js';
export type { AttentionRow, OfflineDb } from './offline/offline-db.js';
export type { OfflineSession, OfflineSessionOptions } from './offline/offline-session.js';
export {
  countOpen,
  emptyOpenHours,
  nextLikelyOpen,
  type OpenHours,
  PREFETCH_LEAD_MS,
  prefetchDue,
  prefetchedAt,
  recordOpen,
  setPrefetchedAt,
  storedOpenHours,
} from './offline/open-hours.js';
export type { QueuedAction, QueuedKind, QueuedPayload } from './offline/queued-action.js';
export { evict, overBudget, requestPersistence, type StorageBudget } from './offline/storage-hygiene.js';
export { ProfileApi } from './profile-api.js';
export { PushApi } from './push-api.js';
export { randomKey } from './random-key.js';
export { RealtimeClient } from './realtime-client.js';
export type { RealtimeEvents } from './realtime-events.js';
export type { ConnectionOptions, RealtimeClientOptions } from './realtime-options.js';
export { createSlotcastClient, type SlotcastClient, type SlotcastClientOptions } from './slotcast-client.js';
export {
  type Refresher,
  type SignOutReason,
  TokenManager,
  type TokenManagerEvents,
  type TokenManagerOptions,
} from './token-manager.js';
export { LastUserRecord, LocalStorageTokenStorage, MemoryTokenStorage, type TokenStorage } from './token-storage.js';
export { browserLocalStorage, MemoryStorage, type StorageLike } from './web-storage.js';
