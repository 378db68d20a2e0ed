import { type FormEvent, useId, useState } from 'react';
import { useSdk } from '../sdk/slotcast-context.js';
import { describeError } from '../ui/describe-error.js';

/** The vendor's address in URLs, from its name: `Studio Mira Hair` → `studio-mira-hair`. */
function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug.length >= 2 ? slug : `${slug}-vendor`.replace(/^-/, '');
}

/** A customer account, or (ticked) a business owner's account with their vendor; signed in at once. */
export function SignUpPage({ onSignIn }: { onSignIn: () => void }) {
  const sdk = useSdk();
  const id = useId();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [business, setBusiness] = useState(false);
  const [vendorName, setVendorName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (business) {
        await sdk.api.auth.registerVendor({
          name,
          email,
          password,
          vendor: { name: vendorName, slug: slugOf(vendorName) },
        });
      } else {
        await sdk.api.auth.register({ name, email, password });
      }
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <h1 className="page-heading">Create your Slotcast account</h1>
      <form onSubmit={submit} className="card signin-form" aria-describedby={error ? `${id}-error` : undefined}>
        <div className="form-row">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            autoComplete="name"
            required
            maxLength={120}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="form-row">
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="email"
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
            autoComplete="new-password"
            required
            minLength={10}
            aria-describedby={`${id}-password-hint`}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <p id={`${id}-password-hint`} className="muted">
            At least 10 characters.
          </p>
        </div>
        <div className="form-row">
          <label>
            <input type="checkbox" checked={business} onChange={(e) => setBusiness(e.target.checked)} /> I run a
            business and want to take bookings
          </label>
        </div>
        {business && (
          <div className="form-row">
            <label htmlFor={`${id}-vendor`}>Business name</label>
            <input
              id={`${id}-vendor`}
              autoComplete="organization"
              required
              maxLength={120}
              value={vendorName}
              onChange={(e) => setVendorName(e.target.value)}
            />
          </div>
        )}
        {error && (
          <p id={`${id}-error`} className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p className="muted">
        Already have an account?{' '}
        <button type="button" className="link-button" onClick={onSignIn}>
          Sign in
        </button>
      </p>
    </div>
  );
}
