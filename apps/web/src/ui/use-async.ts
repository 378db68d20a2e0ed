import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';

export type AsyncState<T> =
  | { status: 'loading'; data: T | undefined; error: null }
  | { status: 'ready'; data: T; error: null }
  | { status: 'error'; data: T | undefined; error: unknown };

/**
 * Runs `load` when `deps` change and on `reload()`; a slower earlier run never overwrites a later one. Keeps the last
 * data while reloading, so a refresh does not blank the page.
 */
export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
): AsyncState<T> & { reload: () => Promise<void> } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading', data: undefined, error: null });
  const run = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const id = ++run.current;
    const ctrl = new AbortController();
    setState((s) => ({ status: 'loading', data: s.data, error: null }));
    try {
      const data = await loadRef.current(ctrl.signal);
      if (id === run.current) setState({ status: 'ready', data, error: null });
    } catch (error) {
      if (id === run.current) setState((s) => ({ status: 'error', data: s.data, error }));
    }
  }, deps);

  useEffect(() => {
    void reload();
    return () => {
      run.current++;
    };
  }, [reload]);

  return { ...state, reload };
}
