import { type ReactNode, useEffect, useRef } from 'react';

let firstPage = true;

/** The next page's heading takes focus even if it is the first one shown (after signing in). */
export function focusHeadingOnNextPage(): void {
  firstPage = false;
}

/**
 * The page's h1. After an in-app navigation it takes focus, so screen readers announce the new page and keyboard
 * users continue from its top (a full page load leaves focus where the browser puts it).
 */
export function PageHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (firstPage) {
      firstPage = false;
      return;
    }
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
