import type { KeyboardEvent } from 'react';

const NEXT = new Set(['ArrowRight', 'ArrowDown']);
const PREV = new Set(['ArrowLeft', 'ArrowUp']);

/**
 * Roving tabindex for a group of buttons (a day strip, a grid of times): the group is one Tab stop, arrow keys
 * move between its buttons, Home and End jump to the ends. Give the current button tabIndex 0 and the others -1;
 * spread the returned handler on the group's element.
 */
export function rovingKeys(e: KeyboardEvent<HTMLElement>): void {
  if (!NEXT.has(e.key) && !PREV.has(e.key) && e.key !== 'Home' && e.key !== 'End') return;
  const items = [...e.currentTarget.querySelectorAll<HTMLElement>('[data-roving]:not([disabled])')];
  if (items.length === 0) return;
  const at = items.indexOf(document.activeElement as HTMLElement);
  let to: number;
  if (e.key === 'Home') to = 0;
  else if (e.key === 'End') to = items.length - 1;
  else if (NEXT.has(e.key)) to = Math.min(items.length - 1, at + 1);
  else to = Math.max(0, at < 0 ? 0 : at - 1);
  e.preventDefault();
  for (const [i, el] of items.entries()) el.tabIndex = i === to ? 0 : -1;
  items[to]!.focus();
}
