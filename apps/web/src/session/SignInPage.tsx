import { useId, useState } from 'react';
import { useSdk } from '../sdk/slotcast-context.js';
import { focusHeadingOnNextPage } from '../ui/PageHeading.js';
import { EmailField, FormError, PasswordField, useFormAction } from './form-parts.js';

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
  const { busy, error, submit } = useFormAction(async () => {
    // The page that replaces this form announces itself: its heading takes focus.
    focusHeadingOnNextPage();
    await sdk.api.auth.login({ email, password });
  });

  return (
    <div className="signin">
      <h1 className="page-heading">Sign in to Slotcast</h1>
      {endedReason && (
        <p className="notice notice-info" role="status" data-testid="ended-reason">
          {ENDED[endedReason] ?? endedReason}
        </p>
      )}
      <form onSubmit={submit} className="card signin-form" aria-describedby={error ? `${id}-error` : undefined}>
        <EmailField id={`${id}-email`} autoComplete="username" value={email} onChange={setEmail} />
        <PasswordField id={`${id}-password`} isNew={false} value={password} onChange={setPassword} />
        <FormError id={`${id}-error`} error={error} />
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
