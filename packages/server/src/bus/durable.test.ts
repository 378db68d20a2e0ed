import { describe, expect, it } from 'vitest';
import { bindingMatches, bindingTypePatterns, checkConsumerName } from './durable.js';

describe('bindingMatches', () => {
  it('matches AMQP topic patterns against event types', () => {
    expect(bindingMatches('#', 'booking.confirmed')).toBe(true);
    expect(bindingMatches('booking.*', 'booking.confirmed')).toBe(true);
    expect(bindingMatches('booking.*', 'booking')).toBe(false);
    expect(bindingMatches('booking.#', 'booking')).toBe(true);
    expect(bindingMatches('*.confirmed', 'booking.confirmed')).toBe(true);
    expect(bindingMatches('booking.confirmed', 'booking.cancelled')).toBe(false);
    expect(bindingMatches('#.cancelled', 'a.b.cancelled')).toBe(true);
  });
});

describe('bindingTypePatterns', () => {
  it('selects in SQL at least every type the bindings match, and nothing for a leading wildcard', () => {
    expect(bindingTypePatterns(['booking.*'])).toEqual(['booking.%']);
    expect(bindingTypePatterns(['booking.#'])).toEqual(['booking%']);
    expect(bindingTypePatterns(['account.password_reset', 'a.b.*.c'])).toEqual(['account.password\\_reset', 'a.b.%']);
    expect(bindingTypePatterns(['booking.*', '#'])).toBeNull();
    expect(bindingTypePatterns(['*.confirmed'])).toBeNull();
  });
});

describe('checkConsumerName', () => {
  it('refuses names that would make odd queue names', () => {
    expect(() => checkConsumerName('notifications')).not.toThrow();
    expect(() => checkConsumerName('Notifications!')).toThrow();
  });
});
