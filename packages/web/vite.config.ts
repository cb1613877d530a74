import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { antdFirstScreenStyles } from './build/antd-styles';
import { compressAssets, firstScreenPreloads, serviceWorker } from './build/plugins';
import { THEME } from './src/app/theme';

// `pnpm --filter @dms/web dev` proxies the API of a running `pnpm dms serve` (DMS_API, default http://127.0.0.1:3000).
// `vite build` writes dist/, which `dms serve` serves at /: .br/.gz beside each asset, sw.js with the shell's precache list,
// and a copy of index.html per area that preloads its first screen's chunks.
const api = process.env.DMS_API ?? 'http://127.0.0.1:3000';
const apiPaths = ['/auth', '/users', '/partners', '/products', '/catalogue', '/price-lists', '/orders', '/reports', '/kpis', '/health', '/projections'];
const morePaths = [
  '/warehouses',
  '/regions',
  '/stock',
  '/agreements',
  '/review-queue',
  '/splits',
  '/rebates',
  '/settlements',
  '/audit',
  '/threads',
  '/webhooks',
  '/notifications',
  '/actors',
];

export default defineConfig({
  plugins: [
    react(),
    // Ant Design's styles of the first screens' components, made at build time (src/main.tsx imports them first).
    antdFirstScreenStyles(THEME),
    serviceWorker(),
    // What each area's first address opens: sent by `dms serve` for /console (the dashboard), /console/... and /portal/...
    firstScreenPreloads([
      {
        html: 'console-home.html',
        modules: ['src/console/ConsoleApp.tsx', 'src/console/dashboard/DashboardPage.tsx', 'src/console/dashboard/queries.ts'],
        early: 'src/early.ts',
      },
      { html: 'console.html', modules: ['src/console/ConsoleApp.tsx'] },
      { html: 'portal.html', modules: ['src/portal/PortalApp.tsx'] },
    ]),
    compressAssets(),
  ],
  server: { port: 3701, proxy: Object.fromEntries([...apiPaths, ...morePaths].map((p) => [p, { target: api }])) },
  build: { target: 'es2022', chunkSizeWarningLimit: 1500 },
});
