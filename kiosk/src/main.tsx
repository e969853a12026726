import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import { App } from './App';
import { config } from './config';
import { registerServiceWorker } from './pwa';
import { browserDeps, createKioskStore, KioskStoreProvider } from './store';

const store = createKioskStore(
  browserDeps({ statePollMs: config.statePollMs, outboxMs: config.outboxMs, offlineCacheMs: config.offlineCacheMs, heartbeatMs: config.heartbeatMs }),
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <KioskStoreProvider store={store}>
      <App />
    </KioskStoreProvider>
  </StrictMode>,
);

// The installable offline app: a service worker precaches the whole kiosk (not in dev: Vite serves modules).
if (import.meta.env.PROD) registerServiceWorker(store);
