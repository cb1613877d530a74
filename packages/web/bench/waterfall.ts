/**
 * `pnpm bench:web:waterfall [--data <dir>] [--runs 3] [--url http://…] [--verbose] [--profile]`: where a first visit's time
 * goes. Cold visits (a new browser context each, the session cookie only) of the console's dashboard, each with its
 * request waterfall (start, request sent, first byte, end, bytes) from the browser's resource timings, and with --profile
 * a CPU profile of the page written to /tmp/dms-first-visit-<n>.cpuprofile (open it in Chrome's DevTools). Against
 * `dms serve` on a kept demo (--data, made there when empty), or a server already running (--url, signed in as the
 * demo's sales user with the demo password of the browser tests). Figures for docs/benchmarks.md come from `pnpm bench:web`.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { signedInContext } from '../e2e/first-screens';
import { DESKTOP, findChromium, launchChromium, startDemoServer } from '../e2e/harness';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '.dms-bench-web' },
    runs: { type: 'string', default: '3' },
    url: { type: 'string' },
    month: { type: 'string', default: '2026-10' },
    port: { type: 'string', default: '3157' },
    verbose: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});

const main = async () => {
  const chromium = findChromium();
  if (!chromium) throw new Error('needs Chromium: apt-get install -y chromium (or DMS_CHROMIUM=/path/to/chrome)');
  const server = args.url
    ? { url: args.url, stop: async () => {} }
    : await startDemoServer({ port: Number(args.port), orders: 1000, seed: 7, dataDir: args.data });
  const browser = await launchChromium(chromium);
  try {
    const state = await (await signedInContext(browser, server.url, 'sales@demo.dms', DESKTOP)).storageState();
    for (let i = 1; i <= Number(args.runs); i++) {
      const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC', storageState: state });
      const page = await context.newPage();
      const cdp = args.profile ? await context.newCDPSession(page) : undefined;
      await cdp?.send('Profiler.enable');
      await cdp?.send('Profiler.start');
      await page.goto(`${server.url}/console?month=${args.month}`, { waitUntil: 'commit' });
      await page.waitForFunction(
        () => {
          const charts = [...document.querySelectorAll('.chart-card')];
          const drawn = charts.filter((c) => c.querySelector('.echart svg') || c.querySelector('table')).length;
          const kpis = document.querySelectorAll('[data-testid^="kpi-"] .ant-statistic-content').length;
          return (
            kpis >= 8 && charts.length >= 10 && drawn === charts.length && document.querySelectorAll('.ant-skeleton, .ant-card-loading-content').length === 0
          );
        },
        undefined,
        { polling: 'raf', timeout: 120_000 },
      );
      if (cdp) writeFileSync(`/tmp/dms-first-visit-${i}.cpuprofile`, JSON.stringify((await cdp.send('Profiler.stop')).profile));
      const r = await page.evaluate(() => ({
        done: performance.now(),
        paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0,
        resources: performance.getEntriesByType('resource').map((e) => {
          const t = e as PerformanceResourceTiming;
          const name = t.name.replace(/^https?:\/\/[^/]+/, '').slice(0, 70);
          return { name, start: t.startTime, sent: t.requestStart, first: t.responseStart, end: t.responseEnd, kb: t.encodedBodySize / 1024 };
        }),
      }));
      const ms = (x: number) => x.toFixed(0).padStart(5);
      const scripts = r.resources.filter((x) => x.name.endsWith('.js'));
      const calls = r.resources.filter((x) => !x.name.startsWith('/assets/') && !/\.(svg|png|json|webmanifest)$/.test(x.name));
      console.log(
        `visit ${i}: done at ${ms(r.done)} ms, first paint ${ms(r.paint)}; ${scripts.length} scripts, the last in at ${ms(Math.max(...scripts.map((x) => x.end)))}; ` +
          `${calls.length} API calls, the first sent at ${ms(Math.min(...calls.map((x) => x.sent)))}, the last in at ${ms(Math.max(...calls.map((x) => x.end)))}`,
      );
      if (args.verbose) {
        console.log('  start  sent first   end      KB  resource');
        for (const x of r.resources) console.log(`  ${ms(x.start)} ${ms(x.sent)} ${ms(x.first)} ${ms(x.end)} ${x.kb.toFixed(1).padStart(7)}  ${x.name}`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
};

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
