import type { ConnectionState } from '@slotcast/client';
import { type KeyboardEvent, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { type ConnectionCopy, describeConnection } from './connection-copy.js';

const SIGNED_OUT: ConnectionCopy = {
  label: 'Not connected',
  detail: null,
  tooltip: 'Live updates start once you sign in.',
  announcement: '',
  canRetry: false,
};

/** The part of RealtimeClient the indicator reads (tests pass the SDK's ConnectionStateStore). */
export interface ConnectionSource {
  getState(): ConnectionState;
  subscribeState(listener: (state: ConnectionState) => void): () => void;
  retryNow(): void;
}

/** Re-renders every `ms` while `active`, for the countdown. */
function useNow(active: boolean, ms = 500): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [active, ms]);
  return active ? now : Date.now();
}

/**
 * The live connection's state, on every page: a dot and a word (never the colour alone), the attempt and a countdown
 * while reconnecting, a "Retry now" button, a tooltip saying what it means for the user, and a polite live region
 * that announces each change of status once.
 */
export function ConnectionIndicator({
  connection,
  signedIn = true,
}: {
  connection: ConnectionSource;
  /** Signed out, nothing connects: say so instead of "offline". */
  signedIn?: boolean;
}) {
  const state = useSyncExternalStore(connection.subscribeState, connection.getState);
  const now = useNow(state.nextRetryAt !== null);
  const copy = signedIn ? describeConnection(state, now) : SIGNED_OUT;
  const tipId = useId();
  const [tipOpen, setTipOpen] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const lastStatus = useRef(state.status);

  useEffect(() => {
    // Announce changes, not the state found on arrival (the page itself says enough then), nor while signed out.
    if (state.status === lastStatus.current) return;
    lastStatus.current = state.status;
    setAnnouncement(signedIn ? describeConnection(state, Date.now()).announcement : '');
  }, [state, signedIn]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') setTipOpen(false);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape dismisses the tooltip from anywhere inside (WCAG 1.4.13).
    <div className="connection" data-status={signedIn ? state.status : 'signed-out'} onKeyDown={onKeyDown}>
      <button
        type="button"
        className="connection-badge"
        aria-describedby={tipId}
        onClick={() => setTipOpen((o) => !o)}
        onMouseEnter={() => setTipOpen(true)}
        onMouseLeave={() => setTipOpen(false)}
        onFocus={() => setTipOpen(true)}
        onBlur={() => setTipOpen(false)}
        data-testid="connection-status"
      >
        <span className="connection-dot" aria-hidden="true" />
        <span className="connection-label">{copy.label}</span>
        {copy.detail && <span className="connection-detail">{copy.detail}</span>}
      </button>
      <div role="tooltip" id={tipId} className="tooltip" hidden={!tipOpen}>
        {copy.tooltip}
      </div>
      {copy.canRetry && (
        <button type="button" className="button button-small" onClick={() => connection.retryNow()}>
          Retry now
        </button>
      )}
      <div role="status" aria-live="polite" className="visually-hidden" data-testid="connection-announcement">
        {announcement}
      </div>
    </div>
  );
}
