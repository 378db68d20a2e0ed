import type { TokenPair } from '@slotcast/protocol';
import { TokenManager } from '../../src/token-manager.js';
import { tokenPair } from './fixtures.js';

/**
 * A token manager signed in with `tokenPair(1)` whose refresh hands out `tokenPair(2)`, `(3)`, … and records the
 * refresh token it was asked with (in `refreshes`), for the realtime client's tests.
 */
export async function signedInTokens(): Promise<{ tokens: TokenManager; refreshes: (string | undefined)[] }> {
  const refreshes: (string | undefined)[] = [];
  let n = 1;
  const tokens = new TokenManager({
    autoRefresh: false,
    refresh: async (refreshToken): Promise<TokenPair> => {
      refreshes.push(refreshToken);
      return tokenPair(++n);
    },
  });
  await tokens.setSession(tokenPair(1));
  return { tokens, refreshes };
}
