import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useSdk } from '../sdk/slotcast-context.js';
import { describeError } from '../ui/describe-error.js';
import { focusHeadingOnNextPage } from '../ui/PageHeading.js';

const ENDED: Record<string, string> = {
  'refresh-failed': 'Your session expired. Please sign in again.',
  'token-invalid': 'Your session is no longer valid. Please sign in again.',
  'signed-out-elsewhere': 'You signed out in another tab.',
  'session-revoked': 'You were signed out from another tab or device. Please sign in again.',
  logout: 'You are signed out.',
};

/** Email and password; the SDK keeps the session (and refreshes it) from here on. */
export function SignInPage({
  endedReason,
  onCreateAccount,
  onForgotPassword,
}: {
  endedReason: string | null;
  /** Shows the sign-up form instead. */
  onCreateAccount?: () => void;
  onForgotPassword?: () => void;
}) {
  const sdk = useSdk();
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // The page that replaces this form announces itself: its heading takes focus.
      focusHeadingOnNextPage();
      await sdk.api.auth.login({ email, password });
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };
  // After a failed sign-in, focus goes to the error, so it is read out and the form is one Tab away.
  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  return (
    <div className="signin">
      <h1 className="page-heading">Sign in to Slotcast</h1>
      {endedReason && (
        <p className="notice notice-info" role="status" data-testid="ended-reason">
          {ENDED[endedReason] ?? endedReason}
        </p>
      )}
      <form onSubmit={submit} className="card signin-form" aria-describedby={error ? `${id}-error` : undefined}>
        <div className="form-row">
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="form-row">
          <label htmlFor={`${id}-password`}>Password</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error && (
          <p id={`${id}-error`} className="notice notice-error" role="alert" tabIndex={-1} ref={errorRef}>
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {onForgotPassword && (
        <p className="muted">
          <button type="button" className="link-button" onClick={onForgotPassword}>
            Forgot password?
          </button>
        </p>
      )}
      {onCreateAccount && (
        <p className="muted">
          New here?{' '}
          <button type="button" className="link-button" onClick={onCreateAccount}>
            Create an account
          </button>
        </p>
      )}
      <p className="muted">Customers book; vendor staff manage their schedule; admins see every booking live.</p>
    </div>
  );
}
