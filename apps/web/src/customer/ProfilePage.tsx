import type { Profile } from '@slotcast/protocol';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useSdk } from '../sdk/slotcast-context.js';
import { userTimeZone } from '../time/zoned.js';
import { describeError } from '../ui/describe-error.js';
import { LoadState } from '../ui/LoadState.js';
import { PageHeading } from '../ui/PageHeading.js';
import { useAsync } from '../ui/use-async.js';
import './profile-page.css';

const ZONES: readonly string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [userTimeZone()];
  }
})();

/** What the places you book with may know about you: name, and the phone and email you choose to share. */
export function ProfilePage() {
  const sdk = useSdk();
  const profile = useAsync((signal) => sdk.api.profile.get({ signal }), [sdk]);
  return (
    <>
      <PageHeading>Your profile</PageHeading>
      {profile.data ? (
        <ProfileForm initial={profile.data} />
      ) : (
        <LoadState status={profile.status} error={profile.error} onRetry={profile.reload} what="your profile" />
      )}
    </>
  );
}

function ProfileForm({ initial }: { initial: Profile }) {
  const sdk = useSdk();
  const id = useId();
  const [name, setName] = useState(initial.name);
  const [phone, setPhone] = useState(initial.phone ?? '');
  const [timezone, setTimezone] = useState(initial.timezone ?? userTimeZone());
  const [sharePhone, setSharePhone] = useState(initial.sharePhone);
  const [shareEmail, setShareEmail] = useState(initial.shareEmail);
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; text: string }>({
    kind: 'idle',
  });
  const errorRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (state.kind === 'error') errorRef.current?.focus();
  }, [state]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setState({ kind: 'saving' });
    try {
      await sdk.api.profile.update({
        name: name.trim(),
        phone: phone.trim() ? phone.trim() : null,
        timezone,
        sharePhone,
        shareEmail,
      });
      setState({ kind: 'saved' });
    } catch (err) {
      setState({ kind: 'error', text: describeError(err) });
    }
  };

  return (
    <form className="profile-form" onSubmit={save} aria-describedby={`${id}-intro`}>
      <p id={`${id}-intro`} className="muted">
        Places you book with always see your name. They see your phone and email only if you share them here.
      </p>
      <div className="form-row">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          value={name}
          required
          maxLength={120}
          autoComplete="name"
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="form-row">
        <label htmlFor={`${id}-phone`}>Phone</label>
        <input
          id={`${id}-phone`}
          type="tel"
          value={phone}
          autoComplete="tel"
          inputMode="tel"
          onChange={(e) => setPhone(e.target.value)}
        />
      </div>
      <div className="form-row">
        <label htmlFor={`${id}-tz`}>Time zone</label>
        <select id={`${id}-tz`} value={timezone} onChange={(e) => setTimezone(e.target.value)}>
          {(ZONES.includes(timezone) ? ZONES : [timezone, ...ZONES]).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="form-row share-choices">
        <legend>Share with the places I book</legend>
        <label className="check-row">
          <input type="checkbox" checked={sharePhone} onChange={(e) => setSharePhone(e.target.checked)} />
          My phone number
        </label>
        <label className="check-row">
          <input type="checkbox" checked={shareEmail} onChange={(e) => setShareEmail(e.target.checked)} />
          My email address ({initial.email})
        </label>
      </fieldset>
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={state.kind === 'saving'}>
          {state.kind === 'saving' ? 'Saving…' : 'Save profile'}
        </button>
      </div>
      <p role="status" className="result-ok">
        {state.kind === 'saved' ? 'Saved.' : ''}
      </p>
      {state.kind === 'error' && (
        <p className="notice notice-error" role="alert" tabIndex={-1} ref={errorRef}>
          Could not save: {state.text}
        </p>
      )}
    </form>
  );
}
