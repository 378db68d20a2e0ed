/** How far (CSS px, after damping) the content must be pulled to refresh on release. */
export const PULL_THRESHOLD_PX = 64;
/** The content follows the finger at half speed, up to this far. */
export const PULL_MAX_PX = 120;

export type PullPhase = 'idle' | 'pulling' | 'armed';

/**
 * One pull-down gesture, fed with touch positions: it starts only when the page is scrolled to its top (otherwise the
 * finger scrolls), follows the finger down with damping, and refreshes on release past the threshold. Moving back up
 * past the start gives the gesture up, so scrolling still works.
 */
export class PullGesture {
  private startY: number | null = null;
  distance = 0;

  get phase(): PullPhase {
    if (this.startY === null || this.distance === 0) return 'idle';
    return this.distance >= PULL_THRESHOLD_PX ? 'armed' : 'pulling';
  }

  /** A finger went down; `atTop`: nothing above to scroll back to. */
  start(y: number, atTop: boolean): void {
    this.startY = atTop ? y : null;
    this.distance = 0;
  }

  /** The finger moved; true while the gesture is a pull (the page should not scroll or bounce meanwhile). */
  move(y: number): boolean {
    if (this.startY === null) return false;
    const dy = y - this.startY;
    if (dy <= 0 && this.distance === 0) {
      // An upward move before any pull: the user is scrolling, not pulling.
      this.startY = null;
      return false;
    }
    this.distance = Math.min(PULL_MAX_PX, Math.max(0, dy / 2));
    return this.distance > 0;
  }

  /** The finger lifted (or the touch was cancelled): whether to refresh now. */
  end(cancelled = false): boolean {
    const refresh = !cancelled && this.phase === 'armed';
    this.startY = null;
    this.distance = 0;
    return refresh;
  }
}
