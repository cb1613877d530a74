/// <reference lib="webworker" />
// The service worker: the app's shell is precached (it opens offline), other app chunks are cached as they are used, and
// the catalogue (products, availability, the dealer's own partner record, the session) is served from the network when
// there is one and from the cache when not. Orders and every other write always go to the network: never cached, never
// queued. Built by build/plugins.ts with the shell's file list injected as self.__WB_MANIFEST.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: { url: string; revision: string | null }[] };

/** Must match API_CACHE in src/auth/session.ts: emptied at sign-out. */
const API_CACHE = 'dms-api';

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

// Client routes of the app (not API paths) open the cached shell when offline.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { allowlist: [/^\/$/, /^\/portal(\/|$)/, /^\/console(\/|$)/, /^\/sign-in$/] }));

// Hashed build files never change: cache first.
registerRoute(
  ({ url, request }) => url.origin === self.location.origin && url.pathname.startsWith('/assets/') && request.method === 'GET',
  new CacheFirst({ cacheName: 'dms-assets' }),
);

// The catalogue, and the resource library's list, for offline browsing: fresh when online (3 s), the last copy when not.
// (A library's files are downloaded online only.)
const CATALOGUE = [/^\/products$/, /^\/catalogue\/availability$/, /^\/partners\/[^/]+$/, /^\/auth\/me$/, /^\/resources$/];
registerRoute(
  ({ url, request }) => url.origin === self.location.origin && request.method === 'GET' && CATALOGUE.some((p) => p.test(url.pathname)),
  new NetworkFirst({ cacheName: API_CACHE, networkTimeoutSeconds: 3 }),
);

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') void self.skipWaiting();
});
