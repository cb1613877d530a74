/**
 * Resolves once no resource has finished loading for `quietMs` (or after `maxMs` in any case): the first screen's chunks
 * and figures are in.
 */
const networkQuiet = (quietMs: number, maxMs: number): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      observer.disconnect();
      clearTimeout(quiet);
      clearTimeout(cap);
      resolve();
    };
    let quiet = setTimeout(done, quietMs);
    const cap = setTimeout(done, maxMs);
    const observer = new PerformanceObserver(() => {
      clearTimeout(quiet);
      quiet = setTimeout(done, quietMs);
    });
    observer.observe({ type: 'resource' });
  });

/**
 * Installs sw.js (the shell and the catalogue for offline browsing) in production builds; orders always go to the network.
 * Not at the page's `load` event: the app's screens are chunks loaded after it, and installing the worker fetches the
 * shell's files again, which on a first visit took the browser's few connections from the first screen's own chunks and
 * figures. The worker installs once the first screen has loaded, which is soon enough for the next visit.
 */
export const registerServiceWorker = () => {
  if (import.meta.env.PROD && 'serviceWorker' in navigator && location.protocol !== 'file:') {
    window.addEventListener('load', () => {
      void networkQuiet(1_000, 10_000).then(() =>
        navigator.serviceWorker.register('/sw.js').catch(() => {
          // An unregistered worker only costs offline browsing; the app works without it.
        }),
      );
    });
  }
};
