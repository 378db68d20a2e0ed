import { useState, useSyncExternalStore } from 'react';
import { OFFLINE_COPY } from './offline-copy.js';
import { serviceWorkerUpdate } from './service-worker-registration.js';
import './offline.css';

/** "A new version is ready — Reload": shown when a new service worker waits; nothing changes until the user agrees. */
export function UpdatePrompt() {
  const ready = useSyncExternalStore(serviceWorkerUpdate.subscribe, serviceWorkerUpdate.getSnapshot);
  const [later, setLater] = useState(false);
  if (!ready || later) return null;
  return (
    <div className="update-prompt notice" role="status" data-testid="update-prompt">
      <span>{OFFLINE_COPY.updateReady}</span>
      <button type="button" className="button button-small button-primary" onClick={() => serviceWorkerUpdate.reload()}>
        {OFFLINE_COPY.updateReload}
      </button>
      <button type="button" className="button button-small" onClick={() => setLater(true)}>
        {OFFLINE_COPY.updateLater}
      </button>
    </div>
  );
}
