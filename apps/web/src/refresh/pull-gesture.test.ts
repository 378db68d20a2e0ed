import { describe, expect, it } from 'vitest';
import { PULL_MAX_PX, PULL_THRESHOLD_PX, PullGesture } from './pull-gesture.js';

describe('pull-down gesture', () => {
  it('refreshes on release after a pull past the threshold from the top of the page', () => {
    const g = new PullGesture();
    g.start(100, true);
    expect(g.move(100 + PULL_THRESHOLD_PX)).toBe(true);
    expect(g.phase).toBe('pulling');
    g.move(100 + PULL_THRESHOLD_PX * 2);
    expect(g.phase).toBe('armed');
    expect(g.end()).toBe(true);
    expect(g.phase).toBe('idle');
  });

  it('does not refresh on a short pull, a cancelled touch, or a pull brought back up', () => {
    const g = new PullGesture();
    g.start(100, true);
    g.move(140);
    expect(g.end()).toBe(false);
    g.start(100, true);
    g.move(400);
    expect(g.end(true)).toBe(false);
    g.start(100, true);
    g.move(400);
    g.move(110);
    expect(g.end()).toBe(false);
  });

  it('leaves the finger to scroll when the page is not at its top, or the first move is upward', () => {
    const g = new PullGesture();
    g.start(100, false);
    expect(g.move(400)).toBe(false);
    expect(g.end()).toBe(false);
    g.start(300, true);
    expect(g.move(250)).toBe(false);
    expect(g.move(600)).toBe(false);
    expect(g.end()).toBe(false);
  });

  it('follows the finger at half speed, up to a limit', () => {
    const g = new PullGesture();
    g.start(0, true);
    g.move(50);
    expect(g.distance).toBe(25);
    g.move(10_000);
    expect(g.distance).toBe(PULL_MAX_PX);
  });
});
