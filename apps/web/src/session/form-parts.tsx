import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { describeError } from '../ui/describe-error.js';

/**
 * A form's submit with the states every account form shows: busy while the request runs (the button is disabled, so a
 * second tap cannot send it twice) and the server's reason in people's words when it fails. After success `busy`
 * stays true: the page that follows replaces the form, or the form shows its outcome.
 */
export function useFormAction(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

/** A labelled input in a form row, with an optional hint the input is described by. */
export function TextField({
  id,
  label,
  value,
  onChange,
  type = 'text',
  hint,
  ...input
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'password';
  hint?: ReactNode;
  autoComplete: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
}) {
  return (
    <div className="form-row">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        aria-describedby={hint ? `${id}-hint` : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...input}
      />
      {hint && (
        <p id={`${id}-hint`} className="muted">
          {hint}
        </p>
      )}
    </div>
  );
}

/** The form's error; it takes focus when it appears, so it is read out and the form is one Tab away. */
export function FormError({ id, error }: { id?: string; error: string | null }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  return (
    <p id={id} className="notice notice-error" role="alert" tabIndex={-1} ref={ref}>
      {error}
    </p>
  );
}

/** The account's email address: the sign-in name. */
export function EmailField(props: { id: string; value: string; onChange: (v: string) => void; autoComplete: string }) {
  return <TextField label="Email" type="email" required {...props} />;
}

/** A password; a new one (sign-up, reset) is held to the server's minimum, which the hint says. */
export function PasswordField({
  isNew,
  label = isNew ? 'New password' : 'Password',
  ...props
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  isNew: boolean;
  label?: string;
}) {
  return (
    <TextField
      label={label}
      type="password"
      required
      autoComplete={isNew ? 'new-password' : 'current-password'}
      {...(isNew ? { minLength: 10, hint: 'At least 10 characters.' } : {})}
      {...props}
    />
  );
}
