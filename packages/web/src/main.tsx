import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startI18n } from './i18n';
// Ant Design's styles of the first screens' components, made at build time (build/antd-styles.ts); before the app's own.
import 'virtual:antd-first-screens.css';
import './styles.css';
import { App } from './app/App';
import { registerServiceWorker } from './app/service-worker';

// The app renders once the person's language is loaded (its messages are not in this first chunk: one language is).
void startI18n().then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
registerServiceWorker();
