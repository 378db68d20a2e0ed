import { describeError } from './describe-error.js';

/** Loading and failure of a snapshot read, with a retry; nothing once loaded. */
export function LoadState({
  status,
  error,
  onRetry,
  what,
}: {
  status: 'loading' | 'ready' | 'error';
  error: unknown;
  onRetry: () => void;
  what: string;
}) {
  if (status === 'loading') {
    return (
      <p className="muted" role="status">
        Loading {what}…
      </p>
    );
  }
  if (status === 'error') {
    return (
      <div className="notice notice-error" role="alert">
        <p>
          Could not load {what}: {describeError(error)}
        </p>
        <button type="button" className="button button-small" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  }
  return null;
}
