import { type FormEvent, useId, useState } from 'react';
import { useSdk } from '../sdk/slotcast-context.js';
import { describeError } from '../ui/describe-error.js';

const ENDED: Record<string, string> = {
  'refresh-failed': 'Your session expired. Please sign in again.',
  'token-invalid': 'Your session is no longer valid. Please sign in again.',
  'signed-out-elsewhere': 'You signed out in another tab.',
  logout: 'You are signed out.',
  'session-revoked': 'You were signed out.',
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

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await sdk.api.auth.login({ email, password });
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

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
          <p id={`${id}-error`} className="notice notice-error" role="alert">
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
