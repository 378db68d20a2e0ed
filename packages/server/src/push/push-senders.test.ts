import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createPushSenders } from './push-senders.js';

describe('push senders from settings', () => {
  it('makes development VAPID keys once per DATA_DIR, even when nodes start together, and keeps them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'slotcast-vapid-'));
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dir });
    const logger = pino({ level: 'silent' });
    const started = await Promise.all(Array.from({ length: 4 }, () => createPushSenders(config, logger)));
    const keys = new Set(started.map((s) => s.vapidPublicKey));
    expect(keys.size).toBe(1);
    expect((await createPushSenders(config, logger)).vapidPublicKey).toBe([...keys][0]);
    expect(started[0]!.senders.map((s) => s.kind)).toEqual(['webpush']);
  });

  it('turns Web Push off in production without keys, and refuses half a key pair', async () => {
    const off = await createPushSenders(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }),
      pino({ level: 'silent' }),
    );
    expect(off).toEqual({ senders: [], vapidPublicKey: null });
    expect(() => loadConfig({ VAPID_PUBLIC_KEY: `B${'A'.repeat(86)}` })).toThrow(/set both or neither/);
  });
});
