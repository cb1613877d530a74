/** Installs sw.js (the shell and the catalogue for offline browsing) in production builds; orders always go to the network. */
export const registerServiceWorker = () => {
  if (import.meta.env.PROD && 'serviceWorker' in navigator && location.protocol !== 'file:') {
    window.addEventListener('load', () => {
      navigator.serviceWorker.register('/sw.js').catch(() => {
        // An unregistered worker only costs offline browsing; the app works without it.
      });
    });
  }
};
