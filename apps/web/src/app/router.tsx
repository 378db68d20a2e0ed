import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

/**
 * A router of a few lines: the path is the state, pushState changes it, popstate follows the browser's back button.
 * The server answers every app path with index.html, so any of them can be reloaded or shared.
 */
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const getPath = () => window.location.pathname;

export function usePath(): string {
  return useSyncExternalStore(subscribe, getPath, () => '/');
}

/** The query string (`?a=1`), for pages whose filters live in the URL. */
export function useSearch(): string {
  return useSyncExternalStore(
    subscribe,
    () => window.location.search,
    () => '',
  );
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const l of [...listeners]) l();
  // A new page: start at its top, and let the main heading take focus for screen readers (see PageHeading).
  window.scrollTo?.(0, 0);
}

/** `/vendors/:id` against `/vendors/abc` → { id: 'abc' }; null when it does not match (one matcher with the server). */
export { matchAppPath as matchPath } from '@slotcast/protocol';

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const path = usePath();
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} aria-current={path === to ? 'page' : undefined} onClick={handle} {...rest} />;
}
