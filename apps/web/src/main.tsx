import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { navigate } from './app/router.js';
import { startFirstRead } from './offline/first-read.js';
import { serviceWorkerUpdate } from './offline/service-worker-registration.js';
import { UpdatePrompt } from './offline/UpdatePrompt.js';
import { createAppClient } from './sdk/app-client.js';
import { SlotcastProvider } from './sdk/slotcast-context.js';
import './styles.css';

// Where a page load's time goes (bench:offline reads the slotcast:* marks).
performance.mark('slotcast:main');
// The last user's cached bookings, read from IndexedDB while the app starts (the live session takes the result).
startFirstRead();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

// The service worker (offline shell, push); a notification clicked while the app is open routes this window.
serviceWorkerUpdate.start({ onOpen: (url) => navigate(url) });

createRoot(root).render(
  <StrictMode>
    <SlotcastProvider sdk={createAppClient()}>
      <App />
      <UpdatePrompt />
    </SlotcastProvider>
  </StrictMode>,
);
