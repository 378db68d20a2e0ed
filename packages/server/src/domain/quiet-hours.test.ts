import type { QuietHours } from '@slotcast/protocol';
import { describe, expect, it } from 'vitest';
import { effectivePreferences } from './notification-preferences.js';
import { decide, nextQuietPeriod, quietPeriodAt } from './quiet-hours.js';

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const nights = (timeZone: string, urgentWithinHours: number | null = null): QuietHours => ({
  timeZone,
  windows: [{ days: EVERY_DAY, start: '22:00', end: '07:00' }],
  urgentWithinHours,
});
const prefs = (q: QuietHours) => ({ matrix: effectivePreferences('customer', [], []), quietHours: q });
const at = (iso: string) => new Date(iso);

describe('quiet hours across midnight', () => {
  const q = nights('Europe/Berlin');
  it.each([
    // Berlin is UTC+1 in January.
    ['2030-01-15T20:59:00Z', null], // 21:59 local
    ['2030-01-15T21:00:00Z', '2030-01-16T06:00:00.000Z'], // 22:00 local → until 07:00 local
    ['2030-01-15T23:30:00Z', '2030-01-16T06:00:00.000Z'], // 00:30 local, the window began yesterday
    ['2030-01-16T05:59:00Z', '2030-01-16T06:00:00.000Z'],
    ['2030-01-16T06:00:00Z', null], // 07:00 local: over
  ])('at %s holds until %s', (now, until) => {
    const d = decide(prefs(q), 'confirmation', 'push', at(now));
    expect(d).toEqual(until ? { kind: 'hold', until: at(until) } : { kind: 'send' });
  });

  it('only on the weekdays given: Friday night to Saturday morning, not Saturday night', () => {
    const fri: QuietHours = { ...q, windows: [{ days: [5], start: '22:00', end: '07:00' }] };
    // 2030-01-18 is a Friday.
    expect(quietPeriodAt(fri, at('2030-01-19T01:00:00Z'))?.end).toEqual(at('2030-01-19T06:00:00Z'));
    expect(quietPeriodAt(fri, at('2030-01-19T22:00:00Z'))).toBeNull();
  });

  it('joins touching windows into one period, so a held message waits for the last end', () => {
    const q2: QuietHours = {
      ...q,
      windows: [
        { days: EVERY_DAY, start: '22:00', end: '07:00' },
        { days: EVERY_DAY, start: '07:00', end: '09:00' },
      ],
    };
    expect(quietPeriodAt(q2, at('2030-01-15T23:00:00Z'))?.end).toEqual(at('2030-01-16T08:00:00Z'));
  });
});

describe('quiet hours across DST changes', () => {
  it('Europe/Berlin, spring forward (31 Mar 2030): the night is an hour shorter in UTC', () => {
    // 22:00 CET = 21:00Z on the 30th; 07:00 CEST = 05:00Z on the 31st.
    expect(quietPeriodAt(nights('Europe/Berlin'), at('2030-03-30T23:00:00Z'))).toEqual({
      start: at('2030-03-30T21:00:00Z'),
      end: at('2030-03-31T05:00:00Z'),
    });
  });

  it('Europe/Berlin, fall back (27 Oct 2030): the night is an hour longer in UTC', () => {
    // 22:00 CEST = 20:00Z on the 26th; 07:00 CET = 06:00Z on the 27th.
    expect(quietPeriodAt(nights('Europe/Berlin'), at('2030-10-27T05:30:00Z'))).toEqual({
      start: at('2030-10-26T20:00:00Z'),
      end: at('2030-10-27T06:00:00Z'),
    });
  });

  it('America/New_York, spring forward (10 Mar 2030) and fall back (3 Nov 2030)', () => {
    // 22:00 EST = 03:00Z; 07:00 EDT = 11:00Z.
    expect(quietPeriodAt(nights('America/New_York'), at('2030-03-10T08:00:00Z'))).toEqual({
      start: at('2030-03-10T03:00:00Z'),
      end: at('2030-03-10T11:00:00Z'),
    });
    // 22:00 EDT = 02:00Z; 07:00 EST = 12:00Z. 11:30Z is 06:30 EST, still quiet.
    expect(decide(prefs(nights('America/New_York')), 'reminder', 'email', at('2030-11-03T11:30:00Z'))).toEqual({
      kind: 'hold',
      until: at('2030-11-03T12:00:00Z'),
    });
  });

  it('a window starting in the skipped hour starts when the clock jumps', () => {
    const q: QuietHours = {
      timeZone: 'Europe/Berlin',
      windows: [{ days: EVERY_DAY, start: '02:30', end: '06:00' }],
      urgentWithinHours: null,
    };
    // 02:30 does not exist on 31 Mar 2030 in Berlin; luxon moves it to 03:30 CEST = 01:30Z.
    expect(quietPeriodAt(q, at('2030-03-31T01:30:00Z'))?.end).toEqual(at('2030-03-31T04:00:00Z'));
    expect(quietPeriodAt(q, at('2030-03-31T01:29:00Z'))).toBeNull();
  });
});

describe('decide', () => {
  const night = at('2030-01-15T23:00:00Z'); // 00:00 in Berlin
  const morning = at('2030-01-16T06:00:00Z');

  it('drops a channel that is off for the category, and sends in-app even in quiet hours', () => {
    const p = prefs(nights('Europe/Berlin'));
    p.matrix.confirmation.push = false;
    expect(decide(p, 'confirmation', 'push', night)).toEqual({ kind: 'drop' });
    expect(decide(p, 'confirmation', 'in_app', night)).toEqual({ kind: 'send' });
    p.matrix.confirmation.in_app = false;
    expect(decide(p, 'confirmation', 'in_app', night)).toEqual({ kind: 'drop' });
  });

  it('lets a cancellation of a booking starting within N hours break through, when the user set N', () => {
    const soon = new Date(night.getTime() + 3 * 3_600_000);
    const later = new Date(night.getTime() + 5 * 3_600_000);
    const urgent = prefs(nights('Europe/Berlin', 4));
    expect(decide(urgent, 'cancellation', 'push', night, soon)).toEqual({ kind: 'send' });
    expect(decide(urgent, 'change', 'email', night, soon)).toEqual({ kind: 'send' });
    expect(decide(urgent, 'cancellation', 'push', night, later)).toEqual({ kind: 'hold', until: morning });
    // Not urgent by category, however close.
    expect(decide(urgent, 'confirmation', 'push', night, soon)).toEqual({ kind: 'hold', until: morning });
    // The user did not ask for break-through.
    expect(decide(prefs(nights('Europe/Berlin')), 'cancellation', 'push', night, soon)).toEqual({
      kind: 'hold',
      until: morning,
    });
  });

  it('sends at once without quiet hours', () => {
    const none: QuietHours = { timeZone: 'UTC', windows: [], urgentWithinHours: null };
    expect(decide(prefs(none), 'reminder', 'push', night)).toEqual({ kind: 'send' });
    expect(nextQuietPeriod(none, night)).toBeNull();
  });

  it('previews the next quiet period from the afternoon', () => {
    expect(nextQuietPeriod(nights('America/New_York'), at('2030-07-01T18:00:00Z'))).toEqual({
      start: at('2030-07-02T02:00:00Z'),
      end: at('2030-07-02T11:00:00Z'),
    });
  });
});
