import { describe, expect, it } from 'vitest';
import { loopbackAddresses } from './source-addresses.js';

describe('loopbackAddresses', () => {
  it('counts up from 127.0.0.11, never using .0 or .255 of a block', () => {
    expect(loopbackAddresses(3)).toEqual(['127.0.0.11', '127.0.0.12', '127.0.0.13']);
    const many = loopbackAddresses(300);
    expect(many[239]).toBe('127.0.0.250');
    expect(many[240]).toBe('127.0.1.1');
    expect(new Set(many).size).toBe(300);
    expect(many.every((a) => /^127\.0\.\d+\.([1-9]|[1-9]\d|1\d\d|2[0-4]\d|250)$/.test(a))).toBe(true);
  });

  it('refuses nonsense counts', () => {
    expect(() => loopbackAddresses(0)).toThrow(RangeError);
    expect(() => loopbackAddresses(1.5)).toThrow(RangeError);
  });
});
