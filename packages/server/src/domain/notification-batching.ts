import type { DigestFrequency } from '@slotcast/protocol';
import { DateTime } from 'luxon';

/** Local hour at which a staff member's daily digest goes out, in their time zone. */
export const DAILY_DIGEST_HOUR = 8;

/** When a staff digest of this frequency next goes out: the next full hour, or the next 08:00 in the user's zone. */
export function nextDigestAt(frequency: Exclude<DigestFrequency, 'immediate'>, now: Date, timeZone: string): Date {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  if (frequency === 'hourly') return local.startOf('hour').plus({ hours: 1 }).toJSDate();
  const today = local.startOf('day').set({ hour: DAILY_DIGEST_HOUR });
  return (today > local ? today : today.plus({ days: 1 })).toJSDate();
}

export type BatchDecision = { kind: 'send' } | { kind: 'hold'; until: Date };

/**
 * The batching window of push and email, per user × channel. The first message after a quiet spell (nothing made due
 * within the window) goes at once, so a lone request is not delayed. One that follows within the window waits until
 * the window after that first message ends, and every other one arriving meanwhile joins it; the digest job then
 * sends them as one ("Studio Mira: 4 new requests"). A steady stream thus costs one message per window.
 */
export function batchDecision(
  recent: { lastDue: Date | null; batchUntil: Date | null } | undefined,
  now: Date,
  windowMs: number,
): BatchDecision {
  if (windowMs <= 0) return { kind: 'send' };
  // A batch still waiting (not yet released, even if its time has come): join it.
  if (recent?.batchUntil) return { kind: 'hold', until: recent.batchUntil };
  if (recent?.lastDue && now.getTime() - recent.lastDue.getTime() < windowMs)
    return { kind: 'hold', until: new Date(recent.lastDue.getTime() + windowMs) };
  return { kind: 'send' };
}
