/** Reminder offsets when neither the vendor nor the customer chose: a day and two hours before. */
export const DEFAULT_REMINDER_OFFSETS_MINUTES: readonly number[] = [24 * 60, 120];

/**
 * The offsets that apply to a customer at a vendor: the customer's own, else the vendor's, else the defaults.
 * An empty list (chosen) means no reminders.
 */
export function reminderOffsets(own: readonly number[] | null, vendor: readonly number[] | null): readonly number[] {
  return own ?? vendor ?? DEFAULT_REMINDER_OFFSETS_MINUTES;
}

/**
 * The reminders a confirmed booking should have: one per offset whose time is still ahead (a booking confirmed
 * 90 minutes before it starts gets no 2-hour reminder). Pure.
 */
export function reminderSchedule(
  startAt: Date,
  offsets: readonly number[],
  now: Date,
): { offsetMinutes: number; dueAt: Date }[] {
  return [...new Set(offsets)]
    .map((offsetMinutes) => ({ offsetMinutes, dueAt: new Date(startAt.getTime() - offsetMinutes * 60_000) }))
    .filter((r) => r.dueAt > now)
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** "in 2 hours", "in 1 day", "in 90 minutes": how far ahead a reminder looks. */
export function aheadText(offsetMinutes: number): string {
  if (offsetMinutes % 1440 === 0) return `in ${offsetMinutes / 1440} day${offsetMinutes === 1440 ? '' : 's'}`;
  if (offsetMinutes % 60 === 0) return `in ${offsetMinutes / 60} hour${offsetMinutes === 60 ? '' : 's'}`;
  return `in ${offsetMinutes} minutes`;
}
