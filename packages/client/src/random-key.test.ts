import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomKey } from './random-key.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomKey', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is a UUID v4 that the server accepts as an Idempotency-Key', () => {
    expect(randomKey()).toMatch(UUID_V4);
    expect(randomKey()).toMatch(/^[\x21-\x7e]{8,200}$/);
  });

  it('falls back to getRandomValues outside a secure context (plain HTTP on a LAN)', () => {
    vi.stubGlobal('isSecureContext', false);
    const keys = new Set(Array.from({ length: 100 }, randomKey));
    expect(keys.size).toBe(100);
    for (const k of keys) expect(k).toMatch(UUID_V4);
  });
});
