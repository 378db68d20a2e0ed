import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { serviceWorkerUpdate } from './offline/service-worker-registration.js';
import { UpdatePrompt } from './offline/UpdatePrompt.js';
import { createAppClient } from './sdk/app-client.js';
import { SlotcastProvider } from './sdk/slotcast-context.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

serviceWorkerUpdate.start();

createRoot(root).render(
  <StrictMode>
    <SlotcastProvider sdk={createAppClient()}>
      <App />
      <UpdatePrompt />
    </SlotcastProvider>
  </StrictMode>,
);
