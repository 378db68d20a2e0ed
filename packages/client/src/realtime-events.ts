import type {
  FollowTarget,
  OpsSample,
  ReplayDone,
  ResyncRequired,
  ScheduleChanged,
  SessionInfo,
} from '@slotcast/protocol';
import type { ConnectionError } from './connection-state.js';
import type { RealtimeError } from './follows.js';

/** What RealtimeClient.on() reports besides booking events (onEvent) and the connection state (subscribeState). */
export interface RealtimeEvents {
  /** Who the server thinks this socket is, and its rooms; sent on every connection. */
  session: SessionInfo;
  /** The missed events were all handled; the socket is live. Not sent on a first connection without a cursor. */
  replayDone: ReplayDone;
  /**
   * The cursor fell out of the server's retention (or is ahead of its log): reload a snapshot over REST. Listeners are
   * awaited before the cursor moves to `latestEventId` and later events are handled.
   */
  resync: ResyncRequired;
  /** A followed resource's schedule changed (live only, never replayed: reload availability after a reconnect). */
  scheduleChanged: ScheduleChanged;
  /** One node's live operations sample (admins only, every few seconds, never replayed). */
  opsSample: OpsSample;
  /** The server refused the session (revoked, invalid token); the client has stopped. */
  signedOut: ConnectionError;
  /** A follow re-sent after a reconnect was refused (FORBIDDEN, NOT_FOUND) and dropped. */
  followRefused: { target: FollowTarget; error: RealtimeError };
  /** A subscriber or listener failed, or the server sent something malformed. The stream goes on. */
  error: unknown;
}
