import { useEffect, useState } from 'react';

interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

let deferred: BeforeInstallPromptEvent | null = null;
const listeners = new Set<() => void>();
if (typeof window !== 'undefined') {
  // Chromium offers installation once; keep the offer for the moment it makes sense (after a first booking).
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    deferred = e as BeforeInstallPromptEvent;
    for (const l of listeners) l();
  });
  window.addEventListener('appinstalled', () => {
    deferred = null;
    for (const l of listeners) l();
  });
}

/** "Add Slotcast to your home screen", shown only when the browser offers installation. */
export function InstallPrompt() {
  const [offer, setOffer] = useState(deferred);
  useEffect(() => {
    const update = () => setOffer(deferred);
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  if (!offer) return null;
  return (
    <div className="notice notice-info" data-testid="install-prompt">
      <p className="notice-title">Keep Slotcast on your home screen</p>
      <p>Open your bookings in one tap, like an app.</p>
      <p>
        <button
          type="button"
          className="button button-small"
          onClick={async () => {
            await offer.prompt();
            await offer.userChoice;
            deferred = null;
            setOffer(null);
          }}
        >
          Install
        </button>
      </p>
    </div>
  );
}
