import { useEffect, useId, useState } from 'react';
import { useSdk } from '../sdk/slotcast-context.js';
import { describeError } from '../ui/describe-error.js';
import { EmailField, FormError, PasswordField, useFormAction } from './form-parts.js';

/** Opens from the mailed link `/?verify=<token>`: confirms the address, then the app carries on. */
export function VerifyEmailPage({ token, onDone }: { token: string; onDone: () => void }) {
  const sdk = useSdk();
  const [state, setState] = useState<'busy' | 'ok' | string>('busy');
  useEffect(() => {
    sdk.api.auth.verifyEmail(token).then(
      () => setState('ok'),
      (err: unknown) => setState(describeError(err)),
    );
  }, [sdk, token]);
  return (
    <div className="signin">
      <h1 className="page-heading">Confirm your email</h1>
      {state === 'busy' && <p role="status">Confirming…</p>}
      {state === 'ok' && (
        <p className="notice notice-info" role="status">
          Your email address is confirmed.
        </p>
      )}
      {state !== 'busy' && state !== 'ok' && (
        <p className="notice notice-error" role="alert">
          {state}
        </p>
      )}
      {state !== 'busy' && (
        <button type="button" className="button button-primary" onClick={onDone}>
          Continue
        </button>
      )}
    </div>
  );
}

/** "Forgot password": asks for the email; the answer is the same whether or not it has an account. */
export function ForgotPasswordPage({ onBack }: { onBack: () => void }) {
  const sdk = useSdk();
  const id = useId();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, submit } = useFormAction(async () => {
    await sdk.api.auth.requestPasswordReset(email);
    setSent(true);
  });
  return (
    <div className="signin">
      <h1 className="page-heading">Reset your password</h1>
      {sent ? (
        <p className="notice notice-info" role="status">
          If an account uses {email}, we sent it a link to choose a new password.
        </p>
      ) : (
        <form onSubmit={submit} className="card signin-form">
          <EmailField id={`${id}-email`} autoComplete="username" value={email} onChange={setEmail} />
          <FormError error={error} />
          <button type="submit" className="button button-primary" disabled={busy}>
            Send reset link
          </button>
        </form>
      )}
      <button type="button" className="link-button" onClick={onBack}>
        Back to sign in
      </button>
    </div>
  );
}

/** Opens from the mailed link `/?reset=<token>`: a new password, after which every session is signed out. */
export function ResetPasswordPage({ token, onDone }: { token: string; onDone: () => void }) {
  const sdk = useSdk();
  const id = useId();
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, submit } = useFormAction(async () => {
    await sdk.api.auth.resetPassword(token, password);
    setDone(true);
  });
  return (
    <div className="signin">
      <h1 className="page-heading">Choose a new password</h1>
      {done ? (
        <>
          <p className="notice notice-info" role="status">
            Your password is changed and every device was signed out. Sign in with the new password.
          </p>
          <button type="button" className="button button-primary" onClick={onDone}>
            Sign in
          </button>
        </>
      ) : (
        <form onSubmit={submit} className="card signin-form">
          <PasswordField id={`${id}-password`} isNew value={password} onChange={setPassword} />
          <FormError error={error} />
          <button type="submit" className="button button-primary" disabled={busy}>
            Set new password
          </button>
        </form>
      )}
    </div>
  );
}

/** Tells a signed-in customer whose address is not confirmed yet, with a way to get a new link. */
export function VerifyNotice() {
  const sdk = useSdk();
  const [unverified, setUnverified] = useState(false);
  const [resent, setResent] = useState(false);
  useEffect(() => {
    sdk.api.auth.accountStatus().then(
      (s) => setUnverified(!s.emailVerified),
      () => {},
    );
  }, [sdk]);
  if (!unverified) return null;
  return (
    <p className="notice notice-info" role="status" data-testid="verify-notice">
      Confirm your email address to book: open the link we emailed you.{' '}
      {resent ? (
        'A new link is on its way.'
      ) : (
        <button
          type="button"
          className="link-button"
          onClick={() => void sdk.api.auth.resendVerification().then(() => setResent(true))}
        >
          Send a new link
        </button>
      )}
    </p>
  );
}
