/**
 * `pnpm bench:web`: the web application's budgets, measured in headless Chromium against a real `dms serve` on a fresh
 * demo (the browser tests' harness): the compressed JavaScript a dealer's phone loads for the portal's first screen and a
 * channel manager's browser for the console's, as transferred (brotli, as served), and the time from navigation until
 * the console's dashboard shows every figure and chart (cold: a first visit; warm: the browser's cache filled). Writes its
 * section of docs/benchmarks.md. The API calls behind the dashboard are `pnpm bench:dashboard`'s.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { DESKTOP, findChromium, launchChromium, newContext, PHONE, REPO, signIn, startDemoServer } from '../e2e/harness';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '7' },
    runs: { type: 'string', default: '5' },
    month: { type: 'string', default: '2026-10' },
    port: { type: 'string', default: '3156' },
    report: { type: 'string', default: 'docs/benchmarks.md' },
    data: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(
    'pnpm bench:web [--orders 1000] [--seed 7] [--runs 5] [--month 2026-10] [--port 3156] [--report docs/benchmarks.md|none] [--data <dir>]\n' +
      '  --data: keep the demo in <dir> (made there when empty, reused otherwise) rather than a fresh one each run',
  );
  process.exit(0);
}
const BUDGET = { portalKb: 250, consoleKb: 500, dashboardMs: 1500 };

const chromium = findChromium();
if (!chromium) {
  console.error('bench:web needs Chromium: apt-get install -y chromium (or DMS_CHROMIUM=/path/to/chrome)');
  process.exit(69);
}

/** Compressed bytes of every script the page loads until the network is quiet (its first screen). */
const scriptBytes = async (page: Page, open: () => Promise<void>): Promise<{ bytes: number; files: number }> => {
  const sizes: Promise<number>[] = [];
  page.on('requestfinished', (request) => {
    if (request.resourceType() === 'script' || request.url().endsWith('.js')) sizes.push(request.sizes().then((s) => s.responseBodySize));
  });
  await open();
  await page.waitForLoadState('networkidle');
  const all = await Promise.all(sizes);
  return { bytes: all.reduce((a, b) => a + b, 0), files: all.length };
};

/** Milliseconds from navigation start until the dashboard shows its figures and every chart, no skeleton left. */
const dashboardReady = async (page: Page, url: string): Promise<number> => {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(
    () => {
      const kpis = document.querySelectorAll('[data-testid^="kpi-"] .ant-statistic-content').length;
      const charts = document.querySelectorAll('.chart-card');
      const drawn = [...charts].filter((c) => c.querySelector('svg') || c.querySelector('table')).length;
      const loading = document.querySelectorAll('.ant-skeleton, .ant-card-loading-content').length;
      return kpis >= 8 && charts.length >= 10 && drawn === charts.length && loading === 0;
    },
    undefined,
    { polling: 'raf', timeout: 120_000 },
  );
  return page.evaluate(() => performance.now());
};

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const main = async () => {
  const loadBefore = loadavg()[0]!;
  const started = Date.now();
  console.log(`demo: ${args.orders} orders (seed ${args.seed}), then dms serve on port ${args.port}…`);
  const server = await startDemoServer({ port: Number(args.port), orders: Number(args.orders), seed: Number(args.seed), dataDir: args.data });
  console.log(`  ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium(chromium);
    // First screens: a person signed in (the session cookie carried into a new browser context, so the cache is empty and
    // the sign-in screen's scripts are not counted) opens the home: a dealer on a phone the portal, a channel manager the
    // console.
    const signedIn = async (email: string, viewport: { width: number; height: number }) => {
      const context = await newContext(browser!, viewport);
      await signIn(await context.newPage(), server.url, email);
      const storageState = await context.storageState();
      await context.close();
      const fresh = await browser!.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC', storageState });
      fresh.setDefaultTimeout(120_000);
      return fresh;
    };
    const dealer = await signedIn('dealer@nordic-flow.demo.dms', PHONE);
    const portalPage = await dealer.newPage();
    const portalJs = await scriptBytes(portalPage, async () => {
      await portalPage.goto(`${server.url}/portal`);
      await portalPage.getByRole('heading', { name: 'Catalogue' }).waitFor();
    });
    await dealer.close();
    const sales = await signedIn('sales@demo.dms', DESKTOP);
    const consolePage = await sales.newPage();
    const consoleJs = await scriptBytes(consolePage, async () => {
      await consolePage.goto(`${server.url}/console`);
      await consolePage.getByTestId('kpi-net').waitFor();
    });

    // Render time: cold (a new browser context each run: empty cache, the session cookie only), then warm (one page reloaded).
    const dashboardUrl = `${server.url}/console?month=${args.month}`;
    const cold: number[] = [];
    const warm: number[] = [];
    const loads: number[] = [];
    const state = await sales.storageState();
    for (let i = 0; i < Number(args.runs); i++) {
      const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC', storageState: state });
      const page = await context.newPage();
      cold.push(await dashboardReady(page, dashboardUrl));
      warm.push(await dashboardReady(page, dashboardUrl));
      await context.close();
      loads.push(loadavg()[0]!);
      console.log(`  run ${i + 1}: cold ${cold.at(-1)!.toFixed(0)} ms, warm ${warm.at(-1)!.toFixed(0)} ms (load ${loads.at(-1)!.toFixed(1)})`);
    }
    const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
    const verdict = (ok: boolean) => (ok ? 'within' : '**over**');
    const loadAfter = loadavg()[0]!;
    const section = [
      '<!-- web-bench:begin -->',
      '<!-- Generated by `pnpm bench:web`: everything between these two markers is replaced on every run. -->',
      '',
      `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`pnpm bench:web --orders ${args.orders} --seed ${args.seed} --runs ${args.runs} --month ${args.month}\`, embedded PGlite; headless Chromium ${browser.version()}; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after.`,
      '',
      '| what | measured | budget | |',
      '|---|---:|---:|---|',
      `| portal's first screen (catalogue, 360 × 740), JavaScript as transferred (brotli) | ${kb(portalJs.bytes)} KB in ${portalJs.files} files | ${BUDGET.portalKb} KB | ${verdict(portalJs.bytes <= BUDGET.portalKb * 1024)} |`,
      `| console's first screen (dashboard, 1280 × 800), JavaScript as transferred (brotli) | ${kb(consoleJs.bytes)} KB in ${consoleJs.files} files | ${BUDGET.consoleKb} KB | ${verdict(consoleJs.bytes <= BUDGET.consoleKb * 1024)} |`,
      `| console dashboard rendered (every figure and chart), first visit: median of ${cold.length} (best–worst) | ${median(cold).toFixed(0)} ms (${Math.min(...cold).toFixed(0)}–${Math.max(...cold).toFixed(0)}) | ${BUDGET.dashboardMs} ms | median ${verdict(median(cold) < BUDGET.dashboardMs)}, best ${verdict(Math.min(...cold) < BUDGET.dashboardMs)} |`,
      `| console dashboard rendered, reloaded (cached): median of ${warm.length} (best–worst) | ${median(warm).toFixed(0)} ms (${Math.min(...warm).toFixed(0)}–${Math.max(...warm).toFixed(0)}) | ${BUDGET.dashboardMs} ms | median ${verdict(median(warm) < BUDGET.dashboardMs)}, best ${verdict(Math.min(...warm) < BUDGET.dashboardMs)} |`,
      '',
      `Each run (first visit / reloaded, ms, and the 1-minute load average after it): ${cold.map((c, i) => `${c.toFixed(0)} / ${warm[i]!.toFixed(0)} (${loads[i]!.toFixed(1)})`).join('; ')}.`,
      '',
      '<!-- web-bench:end -->',
    ].join('\n');
    console.log(section);
    if (args.report !== 'none') {
      const file = join(REPO, args.report!);
      const text = await readFile(file, 'utf8');
      const begin = text.indexOf('<!-- web-bench:begin -->');
      const end = text.indexOf('<!-- web-bench:end -->');
      await writeFile(
        file,
        begin >= 0 && end > begin
          ? `${text.slice(0, begin)}${section}${text.slice(end + '<!-- web-bench:end -->'.length)}`
          : `${text.trimEnd()}\n\n## Web application\n\n${section}\n`,
      );
      console.log(`written to ${args.report}`);
    }
  } finally {
    await browser?.close();
    await server.stop();
  }
};

await main();
