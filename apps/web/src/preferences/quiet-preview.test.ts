import { describe, expect, it } from 'vitest';
import { nextQuietPeriod } from './quiet-preview.js';

const nights = (timeZone: string) => ({
  timeZone,
  windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '07:00' }],
  urgentWithinHours: null,
});
const ms = (iso: string) => Date.parse(iso);

describe('nextQuietPeriod (web preview)', () => {
  it('finds the period in force after midnight, begun the evening before', () => {
    expect(nextQuietPeriod(nights('Europe/Berlin'), ms('2030-01-15T23:30:00Z'))).toEqual({
      start: ms('2030-01-15T21:00:00Z'),
      end: ms('2030-01-16T06:00:00Z'),
    });
  });

  it('agrees with the server across the spring DST change in Berlin and the fall change in New York', () => {
    expect(nextQuietPeriod(nights('Europe/Berlin'), ms('2030-03-30T12:00:00Z'))).toEqual({
      start: ms('2030-03-30T21:00:00Z'),
      end: ms('2030-03-31T05:00:00Z'),
    });
    expect(nextQuietPeriod(nights('America/New_York'), ms('2030-11-02T18:00:00Z'))).toEqual({
      start: ms('2030-11-03T02:00:00Z'),
      end: ms('2030-11-03T12:00:00Z'),
    });
  });

  it('is null without windows', () => {
    expect(nextQuietPeriod({ ...nights('UTC'), windows: [] }, ms('2030-01-15T12:00:00Z'))).toBeNull();
  });
});
