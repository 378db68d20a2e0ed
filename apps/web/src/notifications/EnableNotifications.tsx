import { useEffect, useState } from 'react';
import { useSdk } from '../sdk/slotcast-context.js';
import { describeError } from '../ui/describe-error.js';
import { enablePush, type PushState, pushState } from './push-permission.js';

/**
 * Offers phone notifications once they are useful (a customer with a booking, staff with a schedule). A refusal is
 * explained and respected: the app keeps working and shows changes live while it is open.
 */
export function EnableNotifications({ reason }: { reason: string }) {
  const sdk = useSdk();
  const [state, setState] = useState<PushState>(pushState);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState(() => sessionStorage.getItem('slotcast.push.dismissed') === '1');

  useEffect(() => {
    // Already granted (another tab, or earlier): make sure this device is registered, quietly.
    if (state === 'granted') enablePush(sdk.api).catch(() => {});
  }, [sdk, state]);

  if (state === 'unsupported' || state === 'granted' || (dismissed && state === 'default')) return null;
  if (state === 'denied') {
    return (
      <div className="notice notice-info" role="status" data-testid="push-denied">
        <p className="notice-title">Notifications are off</p>
        <p>
          Your browser blocks notifications from Slotcast, so we cannot tell you about changes while the app is closed.
          Everything else works, and changes still appear here live. To turn them on, allow notifications for this site
          in your browser settings.
        </p>
      </div>
    );
  }
  const enable = async () => {
    setBusy(true);
    setError(null);
    try {
      setState(await enablePush(sdk.api));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="notice notice-info" data-testid="enable-notifications">
      <p className="notice-title">Get told on this device</p>
      <p>{reason}</p>
      {error && <p role="alert">{error}</p>}
      <p>
        <button type="button" className="button button-small button-primary" onClick={enable} disabled={busy}>
          {busy ? 'Turning on…' : 'Enable notifications'}
        </button>{' '}
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            sessionStorage.setItem('slotcast.push.dismissed', '1');
            setDismissed(true);
          }}
        >
          Not now
        </button>
      </p>
    </div>
  );
}
