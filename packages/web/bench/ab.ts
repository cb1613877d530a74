/**
 * `pnpm bench:web:ab --a <url> --b <url> [--runs 6] [--month 2026-10]`: two builds of the app compared by cold visits of
 * the console's dashboard, taken in turn (A, B, A, B, …) so that both see the same load on a shared machine. Each server
 * is a `dms serve` of its own (`DMS_WEB_DIR` naming the build, a copy of one demo each: see docs/benchmarks.md), signed in
 * as the demo's sales user with the browser tests' password. Prints per visit the time until every figure and chart is
 * drawn (as `pnpm bench:web` measures it) and the page's main-thread work from Chromium's performance metrics (script,
 * style recalculation, layout), then the medians of each.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { signedInContext } from '../e2e/first-screens';
import { DESKTOP, findChromium, launchChromium } from '../e2e/harness';

const { values: args } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    runs: { type: 'string', default: '6' },
    month: { type: 'string', default: '2026-10' },
  },
});

interface Visit {
  readonly done: number;
  readonly script: number;
  readonly style: number;
  readonly layout: number;
  readonly task: number;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const main = async () => {
  const chromium = findChromium();
  if (!chromium || !args.a || !args.b) throw new Error('needs Chromium, --a <url> and --b <url>');
  const browser = await launchChromium(chromium);
  try {
    const servers = { A: args.a, B: args.b } as const;
    const states = {
      A: await (await signedInContext(browser, servers.A, 'sales@demo.dms', DESKTOP)).storageState(),
      B: await (await signedInContext(browser, servers.B, 'sales@demo.dms', DESKTOP)).storageState(),
    };
    const visits: Record<'A' | 'B', Visit[]> = { A: [], B: [] };
    for (let i = 0; i < Number(args.runs); i++) {
      for (const which of (i % 2 ? ['B', 'A'] : ['A', 'B']) as ('A' | 'B')[]) {
        const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC', storageState: states[which] });
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Performance.enable');
        await page.goto(`${servers[which]}/console?month=${args.month}`, { waitUntil: 'commit' });
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
        const done = await page.evaluate(() => performance.now());
        const { metrics } = await cdp.send('Performance.getMetrics');
        const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
        const visit = {
          done,
          script: metric('ScriptDuration'),
          style: metric('RecalcStyleDuration'),
          layout: metric('LayoutDuration'),
          task: metric('TaskDuration'),
        };
        visits[which].push(visit);
        console.log(
          `${which} ${i + 1}: done ${done.toFixed(0)} ms; script ${visit.script.toFixed(0)}, style ${visit.style.toFixed(0)}, layout ${visit.layout.toFixed(0)}, tasks ${visit.task.toFixed(0)} (load ${loadavg()[0]!.toFixed(1)})`,
        );
        await context.close();
      }
    }
    for (const which of ['A', 'B'] as const) {
      const v = visits[which];
      console.log(
        `${which} median of ${v.length}: done ${median(v.map((x) => x.done)).toFixed(0)} ms; script ${median(v.map((x) => x.script)).toFixed(0)}, style ${median(v.map((x) => x.style)).toFixed(0)}, layout ${median(v.map((x) => x.layout)).toFixed(0)}, tasks ${median(v.map((x) => x.task)).toFixed(0)}`,
      );
    }
  } finally {
    await browser.close();
  }
};

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
