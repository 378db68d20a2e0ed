import type { SlotcastClient } from '@slotcast/client';
import type { User } from '@slotcast/protocol';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
} from 'react';
import { SESSION_CHANNEL } from './app-client.js';
import { LiveSession } from './live-session.js';

export interface SlotcastContextValue {
  sdk: SlotcastClient;
  /** Null until the stored session was read, and while signed out. */
  user: User | null;
  /** False until the stored session was read (so a signed-in reload does not flash the sign-in form). */
  ready: boolean;
  live: LiveSession | null;
}

/** Exported for component tests, which provide a value of their own; the app uses SlotcastProvider. */
export const SlotcastContext = createContext<SlotcastContextValue | null>(null);

export function SlotcastProvider({ sdk, children }: { sdk: SlotcastClient; children: ReactNode }) {
  const { tokens } = sdk.api;
  const [ready, setReady] = useState(false);
  const subscribe = useCallback((notify: () => void) => tokens.on('change', notify), [tokens]);
  const user = useSyncExternalStore(subscribe, () => tokens.user);
  const userId = user?.id ?? null;
  const role = user?.role ?? null;
  const [live, setLive] = useState<LiveSession | null>(null);

  useEffect(() => {
    let cancelled = false;
    void tokens.ready.then(() => {
      if (!cancelled) setReady(true);
    });
    return () => {
      cancelled = true;
    };
  }, [tokens]);

  // One live session per signed-in user: a sign-out or another user's sign-in ends it.
  useEffect(() => {
    if (!ready || userId === null || role === null) {
      setLive(null);
      return;
    }
    const session = new LiveSession(sdk, { id: userId, role });
    session.start();
    setLive(session);
    return () => {
      void session.stop();
    };
  }, [sdk, ready, userId, role]);

  // Tabs share the refresh cookie, not the access token (memory only): tell the others of a sign-in or sign-out.
  // A tab told of a sign-in reloads, which restores the session from the cookie.
  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(SESSION_CHANNEL);
    let signedIn = tokens.session !== null;
    const offChange = tokens.on('change', (pair) => {
      if (pair && !signedIn) channel.postMessage('signed-in');
      signedIn = pair !== null;
    });
    const offSignedOut = tokens.on('signedOut', ({ reason }) => {
      if (reason === 'logout') channel.postMessage('signed-out');
    });
    channel.onmessage = (e: MessageEvent) => {
      if (e.data === 'signed-out') void tokens.signOut('signed-out-elsewhere');
      else if (e.data === 'signed-in' && !tokens.session) window.location.reload();
    };
    return () => {
      offChange();
      offSignedOut();
      channel.close();
    };
  }, [tokens]);

  return (
    <SlotcastContext.Provider value={{ sdk, user: ready ? user : null, ready, live }}>
      {children}
    </SlotcastContext.Provider>
  );
}

function useSlotcast(): SlotcastContextValue {
  const value = useContext(SlotcastContext);
  if (!value) throw new Error('useSlotcast outside SlotcastProvider');
  return value;
}

export const useSdk = (): SlotcastClient => useSlotcast().sdk;
export const useSessionState = () => {
  const { user, ready } = useSlotcast();
  return { user, ready };
};

/** The signed-in user; for views rendered only when signed in. */
export function useUser(): User {
  const { user } = useSlotcast();
  if (!user) throw new Error('useUser while signed out');
  return user;
}

/** The live session; for views rendered only once it exists. */
export function useLive(): LiveSession {
  const { live } = useSlotcast();
  if (!live) throw new Error('useLive before the live session started');
  return live;
}

export const useOptionalLive = (): LiveSession | null => useSlotcast().live;
