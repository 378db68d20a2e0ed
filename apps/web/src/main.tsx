import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { navigate } from './app/router.js';
import { createAppClient } from './sdk/app-client.js';
import { SlotcastProvider } from './sdk/slotcast-context.js';
import { registerServiceWorker } from './sw/register.js';
import './styles.css';

registerServiceWorker({ onOpen: (url) => navigate(url) });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <SlotcastProvider sdk={createAppClient()}>
      <App />
    </SlotcastProvider>
  </StrictMode>,
);
