import type { TokenPair } from '@slotcast/protocol';
import { describe, expect, it, vi } from 'vitest';
import { jwtPair, tokenPair } from '../test/support/fixtures.js';
import type { Clock } from './clock.js';
import { localProblem, SlotcastApiError, SlotcastNetworkError } from './errors.js';
import { TokenManager } from './token-manager.js';
import { LocalStorageTokenStorage, MemoryTokenStorage } from './token-storage.js';
import { MemoryStorage } from './web-storage.js';

/** A refresher that answers after a tick with pair n+1, counting calls. */
function countingRefresher() {
  let n = 1;
  const calls: (string | undefined)[] = [];
  const refresh = async (refreshToken: string | undefined): Promise<TokenPair> => {
    calls.push(refreshToken);
    await new Promise((r) => setTimeout(r, 10));
    return tokenPair(++n);
  };
  return { refresh, calls };
}

describe('TokenManager', () => {
  it('shares one refresh among concurrent callers of an expiring token', async () => {
    const { refresh, calls } = countingRefresher();
    const tokens = new TokenManager({ refresh, autoRefresh: false });
    await tokens.setSession(tokenPair(1, 10_000)); // inside the 30 s skew: due for a refresh
    const got = await Promise.all(Array.from({ length: 20 }, () => tokens.getAccessToken()));
    expect(calls).toEqual(['refresh-token-1']);
    expect(new Set(got)).toEqual(new Set(['access-2']));
  });

  it('does not refresh again for a 401 on a token that was already replaced', async () => {
    const { refresh, calls } = countingRefresher();
    const tokens = new TokenManager({ refresh, autoRefresh: false });
    await tokens.setSession(tokenPair(1));
    // Ten requests sent with access-1 all come back AUTH_TOKEN_EXPIRED at about the same time.
    const recovered = await Promise.all(Array.from({ length: 10 }, () => tokens.recoverFromExpired('access-1')));
    expect(recovered.every((t) => t === 'access-2')).toBe(true);
    // A late 401 for the old token after the refresh finished: the new token is handed out as it is.
    expect(await tokens.recoverFromExpired('access-1')).toBe('access-2');
    expect(calls).toHaveLength(1);
  });

  it('signs out and tells listeners when the server refuses the refresh token', async () => {
    const storage = new MemoryTokenStorage();
    const tokens = new TokenManager({
      storage,
      autoRefresh: false,
      refresh: async () => {
        throw new SlotcastApiError(localProblem('AUTH_REFRESH_REUSED'));
      },
    });
    await tokens.setSession(tokenPair(1, 1_000));
    const signedOut = vi.fn();
    tokens.on('signedOut', signedOut);
    await expect(tokens.getAccessToken()).rejects.toMatchObject({ code: 'AUTH_REFRESH_REUSED' });
    expect(tokens.session).toBeNull();
    expect(storage.load()).toBeNull();
    expect(signedOut).toHaveBeenCalledWith(expect.objectContaining({ reason: 'refresh-failed' }));
  });

  it('keeps the session when the refresh fails for want of a network, handing out a token not yet expired', async () => {
    const tokens = new TokenManager({
      autoRefresh: false,
      refresh: async () => {
        throw new SlotcastNetworkError('offline', new TypeError('fetch failed'));
      },
    });
    await tokens.setSession(tokenPair(1, 5_000));
    expect(await tokens.getAccessToken()).toBe('access-1');
    await tokens.setSession(tokenPair(2, -1_000));
    await expect(tokens.getAccessToken()).rejects.toBeInstanceOf(SlotcastNetworkError);
    expect(tokens.session?.accessToken).toBe('access-2');
  });

  it('persists the pair and loads it back (localStorage adapter)', async () => {
    const backing = new MemoryStorage();
    const first = new TokenManager({ storage: new LocalStorageTokenStorage({ storage: backing }), refresh: vi.fn() });
    await first.setSession(tokenPair(1));
    first.dispose();
    const second = new TokenManager({ storage: new LocalStorageTokenStorage({ storage: backing }), refresh: vi.fn() });
    await second.ready;
    expect(second.session?.accessToken).toBe('access-1');
    expect(second.user?.email).toBe('alice@test.test');
    second.dispose();
    backing.setItem('slotcast:session', '{"accessToken":1}');
    const third = new TokenManager({ storage: new LocalStorageTokenStorage({ storage: backing }), refresh: vi.fn() });
    await third.ready;
    expect(third.session).toBeNull();
  });

  it('adopts a pair another tab rotated instead of presenting the spent refresh token', async () => {
    const backing = new MemoryStorage();
    const { refresh, calls } = countingRefresher();
    const tab = new TokenManager({
      storage: new LocalStorageTokenStorage({ storage: backing }),
      refresh,
      autoRefresh: false,
    });
    await tab.setSession(tokenPair(1, 1_000));
    // The other tab refreshed meanwhile and stored pair 7.
    new LocalStorageTokenStorage({ storage: backing }).save(tokenPair(7));
    expect(await tab.getAccessToken()).toBe('access-7');
    expect(calls).toEqual([]);
  });

  it('refreshes on a timer shortly before expiry', async () => {
    const timers: { fn: () => void; ms: number }[] = [];
    const clock: Clock = {
      now: () => Date.now(),
      setTimeout: (fn, ms) => timers.push({ fn, ms }),
      clearTimeout: () => {},
    };
    const { refresh, calls } = countingRefresher();
    const tokens = new TokenManager({ refresh, clock, refreshSkewMs: 30_000 });
    await tokens.setSession(tokenPair(1, 15 * 60_000));
    const due = timers.at(-1)!;
    expect(due.ms).toBeGreaterThan(14 * 60_000 + 29_000);
    expect(due.ms).toBeLessThanOrEqual(14 * 60_000 + 30_000);
    due.fn();
    await vi.waitFor(() => expect(tokens.session?.accessToken).toBe('access-2'));
    expect(calls).toEqual(['refresh-token-1']);
    tokens.dispose();
  });

  it.each([
    ['fast', 45],
    ['slow', -45],
  ])(
    'reads expiry by the server’s clock on a device %s by 45 minutes: no refresh per call, one just before expiry',
    async (_, minutes) => {
      const server = Date.now();
      const timers: { fn: () => void; ms: number }[] = [];
      const clock: Clock = {
        now: () => server + minutes * 60_000,
        setTimeout: (fn, ms) => timers.push({ fn, ms }),
        clearTimeout: () => {},
      };
      const { refresh, calls } = countingRefresher();
      const tokens = new TokenManager({ refresh, clock, refreshSkewMs: 30_000 });
      const pair = jwtPair(1, server, 15 * 60_000);
      await tokens.setSession(pair);
      expect(await tokens.getAccessToken()).toBe(pair.accessToken);
      expect(tokens.isFresh()).toBe(true);
      expect(calls).toEqual([]);
      // By the server's clock: 15 minutes less the 30 s lead (and the second `iat` is rounded to).
      const due = timers.at(-1)!;
      expect(due.ms).toBeGreaterThan(14 * 60_000 + 29_000);
      expect(due.ms).toBeLessThanOrEqual(14 * 60_000 + 30_000);
      tokens.dispose();
    },
  );

  it('does not let a refresh that finishes after a sign-out bring the session back', async () => {
    const { refresh } = countingRefresher();
    const tokens = new TokenManager({ refresh, autoRefresh: false });
    await tokens.setSession(tokenPair(1, 1_000));
    const pending = tokens.refresh();
    await tokens.signOut('logout');
    await expect(pending).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    expect(tokens.session).toBeNull();
  });
});

describe('TokenManager with a restore (the browser’s refresh cookie)', () => {
  it('signs in on load through the restore when storage is empty, keeping the tokens in memory', async () => {
    const { refresh, calls } = countingRefresher();
    const tokens = new TokenManager({ refresh, autoRefresh: false, restore: () => refresh(undefined) });
    await tokens.ready;
    expect(calls).toEqual([undefined]);
    expect(tokens.session?.accessToken).toBe('access-2');
  });

  it('starts signed out when the restore finds no session, without failing', async () => {
    const tokens = new TokenManager({
      refresh: async () => tokenPair(9),
      autoRefresh: false,
      restore: async () => {
        throw new Error('401 AUTH_REFRESH_INVALID');
      },
    });
    await tokens.ready;
    expect(tokens.session).toBeNull();
  });
});
