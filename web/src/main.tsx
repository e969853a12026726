import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import './styles.css';
import { App } from './App';
import { syncServerClock } from './lib/serverClock';

// Wait briefly for the server's clock so the first render already shows the right service date.
await Promise.race([syncServerClock(), new Promise((r) => setTimeout(r, 1500))]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
