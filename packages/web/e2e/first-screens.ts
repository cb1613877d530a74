import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DESKTOP, newContext, PHONE, signIn } from './harness';

/** The budgets of issue 12 (docs/benchmarks.md#web-application): compressed JavaScript of each first screen, dashboard time. */
export const BUDGET = { portalKb: 250, consoleKb: 500, dashboardMs: 1500 } as const;

export interface ScriptBytes {
  readonly bytes: number;
  readonly files: number;
}

/** Compressed bytes of every script the page loads until the network is quiet (its first screen). */
export const scriptBytes = async (page: Page, open: () => Promise<void>): Promise<ScriptBytes> => {
  const sizes: Promise<number>[] = [];
  page.on('requestfinished', (request) => {
    if (request.resourceType() === 'script' || request.url().endsWith('.js')) sizes.push(request.sizes().then((s) => s.responseBodySize));
  });
  await open();
  await page.waitForLoadState('networkidle');
  const all = await Promise.all(sizes);
  return { bytes: all.reduce((a, b) => a + b, 0), files: all.length };
};

/**
 * A new browser context (empty cache) for a person already signed in: the session cookie is carried over from a context
 * that went through the sign-in screen, so the sign-in screen's scripts are not counted as the first screen's.
 */
export const signedInContext = async (browser: Browser, url: string, email: string, viewport: { width: number; height: number }): Promise<BrowserContext> => {
  const context = await newContext(browser, viewport);
  await signIn(await context.newPage(), url, email);
  const storageState = await context.storageState();
  await context.close();
  const fresh = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC', storageState });
  fresh.setDefaultTimeout(120_000);
  return fresh;
};

/**
 * The JavaScript each first screen transfers, as `pnpm bench:web` reports it and the browser tests hold to the budget: the
 * demo dealer on a phone opening the portal (its catalogue), the demo channel manager on a desktop opening the console
 * (its dashboard). Returns the channel manager's signed-in context, its cache filled, for further measurements.
 */
export const firstScreenScripts = async (browser: Browser, url: string): Promise<{ portal: ScriptBytes; console: ScriptBytes; sales: BrowserContext }> => {
  const dealer = await signedInContext(browser, url, 'dealer@nordic-flow.demo.dms', PHONE);
  const portalPage = await dealer.newPage();
  const portal = await scriptBytes(portalPage, async () => {
    await portalPage.goto(`${url}/portal`);
    await portalPage.getByRole('heading', { name: 'Catalogue' }).waitFor();
  });
  await dealer.close();
  const sales = await signedInContext(browser, url, 'sales@demo.dms', DESKTOP);
  const consolePage = await sales.newPage();
  const consoleScripts = await scriptBytes(consolePage, async () => {
    await consolePage.goto(`${url}/console`);
    await consolePage.getByTestId('kpi-net').waitFor();
  });
  return { portal, console: consoleScripts, sales };
};
