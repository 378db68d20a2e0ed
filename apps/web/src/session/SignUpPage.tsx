import { useId, useState } from 'react';
import { useSdk } from '../sdk/slotcast-context.js';
import { EmailField, FormError, PasswordField, TextField, useFormAction } from './form-parts.js';

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
  const { busy, error, submit } = useFormAction(async () => {
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
  });

  return (
    <div className="signin">
      <h1 className="page-heading">Create your Slotcast account</h1>
      <form onSubmit={submit} className="card signin-form" aria-describedby={error ? `${id}-error` : undefined}>
        <TextField
          id={`${id}-name`}
          label="Name"
          autoComplete="name"
          required
          maxLength={120}
          value={name}
          onChange={setName}
        />
        <EmailField id={`${id}-email`} autoComplete="email" value={email} onChange={setEmail} />
        <PasswordField id={`${id}-password`} isNew label="Password" value={password} onChange={setPassword} />
        <div className="form-row">
          <label>
            <input type="checkbox" checked={business} onChange={(e) => setBusiness(e.target.checked)} /> I run a
            business and want to take bookings
          </label>
        </div>
        {business && (
          <TextField
            id={`${id}-vendor`}
            label="Business name"
            autoComplete="organization"
            required
            maxLength={120}
            value={vendorName}
            onChange={setVendorName}
          />
        )}
        <FormError id={`${id}-error`} error={error} />
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
