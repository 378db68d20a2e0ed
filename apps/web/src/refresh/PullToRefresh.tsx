import { type ReactNode, useEffect, useRef, useState } from 'react';
import { formatTime } from '../time/zoned.js';
import { PullGesture, type PullPhase } from './pull-gesture.js';
import './pull-to-refresh.css';

/** Whether the touch began where nothing can scroll up any more: the page, and any scrolled box around the target. */
function atTop(target: EventTarget | null): boolean {
  if ((document.scrollingElement?.scrollTop ?? window.scrollY) > 0) return false;
  for (let el = target instanceof Element ? target : null; el; el = el.parentElement) {
    if (el.scrollTop > 0) return false;
  }
  return true;
}

/**
 * A screen that refreshes by a pull down from its top on touch screens (standalone PWAs have no reload button), with
 * a Refresh button as the same action for everyone else. While it runs it says "Catching up…", then "Up to date as
 * of …". The browser's own pull-to-refresh and overscroll bounce are turned off (`overscroll-behavior-y: contain`
 * on the page) while the screen is shown, so one pull does one thing.
 */
export function PullToRefresh({
  onRefresh,
  children,
}: {
  /** Resolves false when it could not catch up (offline, server unreachable). */
  onRefresh: () => Promise<boolean>;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [pull, setPull] = useState<{ phase: PullPhase; distance: number }>({ phase: 'idle', distance: 0 });
  const [refreshing, setRefreshing] = useState(false);
  const [outcome, setOutcome] = useState<{ at: number; ok: boolean } | null>(null);
  const running = useRef(false);
  const latest = useRef(onRefresh);
  latest.current = onRefresh;

  const refresh = async () => {
    if (running.current) return;
    running.current = true;
    setRefreshing(true);
    try {
      const ok = await latest.current().catch(() => false);
      setOutcome({ at: Date.now(), ok });
    } finally {
      running.current = false;
      setRefreshing(false);
    }
  };
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const root = document.documentElement;
    const before = root.style.overscrollBehaviorY;
    root.style.overscrollBehaviorY = 'contain';
    const gesture = new PullGesture();
    const show = () => setPull({ phase: gesture.phase, distance: gesture.distance });
    const onStart = (e: TouchEvent) => {
      if (e.touches.length !== 1) return gesture.end(true);
      gesture.start(e.touches[0]!.clientY, !running.current && atTop(e.target));
    };
    const onMove = (e: TouchEvent) => {
      const touch = e.touches[0];
      if (!touch) return;
      if (gesture.move(touch.clientY)) {
        // The pull is ours: no scroll and no bounce under the finger.
        if (e.cancelable) e.preventDefault();
        show();
      }
    };
    const onEnd = (e: TouchEvent) => {
      const go = gesture.end(e.type === 'touchcancel');
      show();
      if (go) void refreshRef.current();
    };
    el.addEventListener('touchstart', onStart, { passive: true });
    // Not passive: a pull must be able to stop the page from scrolling.
    el.addEventListener('touchmove', onMove, { passive: false });
    el.addEventListener('touchend', onEnd);
    el.addEventListener('touchcancel', onEnd);
    return () => {
      root.style.overscrollBehaviorY = before;
      el.removeEventListener('touchstart', onStart);
      el.removeEventListener('touchmove', onMove);
      el.removeEventListener('touchend', onEnd);
      el.removeEventListener('touchcancel', onEnd);
    };
  }, []);

  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const hint = pull.phase === 'armed' ? 'Release to refresh' : 'Pull to refresh';
  return (
    <div ref={ref} className="pull-to-refresh" data-pull={pull.phase} data-testid="pull-to-refresh">
      <div className="pull-indicator" aria-hidden="true" style={{ height: pull.distance }}>
        {pull.phase !== 'idle' && hint}
      </div>
      <p className="refresh-line">
        <button type="button" className="button button-small" onClick={() => void refresh()} disabled={refreshing}>
          {refreshing ? 'Refreshing…' : 'Refresh'}
        </button>{' '}
        <span role="status" className="muted" data-testid="refresh-status">
          {refreshing
            ? 'Catching up…'
            : outcome === null
              ? ''
              : outcome.ok
                ? `Up to date as of ${formatTime(outcome.at, timeZone)}`
                : 'Could not reach Slotcast: showing what this device has'}
        </span>
      </p>
      {children}
    </div>
  );
}
