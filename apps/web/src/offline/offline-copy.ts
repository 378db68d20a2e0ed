import type { Choice, Notice, QueuedKind } from '@slotcast/client';

/** Every text of the offline experience, in one place: sync states, per-booking states, conflicts, sign-out. */

const ACTION: Record<QueuedKind, string> = {
  book: 'Book',
  confirm: 'Confirm',
  decline: 'Decline',
  cancel: 'Cancel',
  reschedule: 'Reschedule',
  'check-in': 'Check in',
  'no-show': 'No-show',
  'mark-read': 'Mark as read',
};

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const changes = (n: number) => (n === 1 ? '1 change' : `${n} changes`);

export const OFFLINE_COPY = {
  actionLabel: (kind: QueuedKind) => ACTION[kind],

  // App-wide sync state.
  offline: (waiting: number) => (waiting > 0 ? `Offline — ${changes(waiting)} waiting` : 'Offline'),
  sending: (waiting: number) => `Sending ${changes(waiting)}…`,
  catchingUp: 'Catching up…',
  upToDate: (at: number | null) => (at === null ? 'Up to date' : `Up to date as of ${clock(at)}`),
  stale: (at: number) => `Last updated ${clock(at)} — this may be out of date`,
  attentionCount: (n: number) => (n === 1 ? '1 change needs your attention' : `${n} changes need your attention`),

  // One booking.
  pending: (kind: QueuedKind) => `${ACTION[kind]}: waiting to send`,
  syncing: (kind: QueuedKind) => `${ACTION[kind]}: sending…`,
  needsAttention: 'Needs your attention',
  queued: 'Saved on this device. It will be sent when you are back online.',

  // Things that need the server now.
  bookingNeedsConnection: (vendor: string) =>
    `Booking needs a connection: free times must be checked with ${vendor} first.`,

  // Refused actions, by what the server said.
  notice: {
    sent: 'Sent.',
    'already-done': 'Already done: nothing more was needed.',
    'changed-before': 'This booking was changed before your change reached the server, so it was not applied.',
    'slot-taken': 'That time was taken by someone else before your change reached the server.',
    expired: 'This request expired before your change reached the server.',
    'no-access': 'You can no longer see or change this booking.',
    'not-allowed': 'The booking rules no longer allow this change (for example, the cancellation cut-off passed).',
  } satisfies Record<Notice, string>,
  choice: {
    retry: 'Try again on the booking as it is now',
    keep: 'Keep it as it is',
    cancel: 'Cancel the booking',
    'pick-another-time': 'Pick another time',
    dismiss: 'Understood',
  } satisfies Record<Choice, string>,

  // Sign-out with work not sent.
  signOutWithPending: (n: number) =>
    `${changes(n)} made offline ${n === 1 ? 'has' : 'have'} not been sent yet. Signing out deletes ${n === 1 ? 'it' : 'them'} from this device. Sign out anyway?`,

  // A new version of the app.
  updateReady: 'A new version of Slotcast is ready.',
  updateReload: 'Reload',
  updateLater: 'Later',
} as const;

/** After this long without news from the server, cached data is marked as possibly out of date. */
export const STALE_AFTER_MS = 10 * 60_000;
