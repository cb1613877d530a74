import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

/** Browser tests and the web budget script drive a real `dms serve` with the real built app in Debian's Chromium. */

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const DMS = join(REPO, 'packages/cli/bin/dms.js');
export const DEMO_PASSWORD = 'e2e-demo-password-1';

export const PHONE = { width: 360, height: 740 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;

/** Chromium to drive: DMS_CHROMIUM, or Debian's package (`apt-get install chromium`, which .ci/run does). */
export const findChromium = (): string | undefined =>
  [process.env.DMS_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));

export const launchChromium = (executablePath: string): Promise<Browser> =>
  chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });

export interface DemoServer {
  readonly url: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

const run = (args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DMS, ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`dms ${args.join(' ')} exited ${code}:\n${out}`))));
  });

/**
 * A fresh embedded database with a small demo (its users' password set to DEMO_PASSWORD), then `dms serve` on the port;
 * resolves once the server says it listens. `stop()` ends the server and removes the data. With `dataDir`, the demo is
 * kept there: made only when the folder is empty (or missing), reused as it is otherwise, and left in place at `stop()`.
 */
export const startDemoServer = async (options: { port: number; orders: number; seed: number; dataDir?: string }): Promise<DemoServer> => {
  const kept = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'dms-web-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DMS_DATA_DIR: dataDir, DMS_DEMO_PASSWORD: DEMO_PASSWORD, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.DMS_WEB_DIR;
  if (!kept || !existsSync(dataDir) || readdirSync(dataDir).length === 0)
    await run(['demo', '--orders', String(options.orders), '--seed', String(options.seed)], env);
  const child: ChildProcess = spawn(process.execPath, [DMS, 'serve', '--port', String(options.port)], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`dms serve did not start within 180 s:\n${out}`)), 180_000);
    const read = (d: Buffer) => {
      out += d;
      const match = /DMS on (http:\/\/\S+?):? /.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dms serve exited ${code}:\n${out}`));
    });
  });
  return {
    url,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!kept) rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** Signs in through the sign-in screen and waits for the person's home (the portal or the console). */
export const signIn = async (page: Page, baseUrl: string, email: string): Promise<void> => {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/(portal|console)(\/|$)/);
};

/** A browser context as a person on a device: English, UTC, the given viewport. */
export const newContext = async (browser: Browser, viewport: { width: number; height: number }): Promise<BrowserContext> => {
  const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC', deviceScaleFactor: 1 });
  // Generous: on a machine shared with other work a first page load can take many seconds.
  context.setDefaultTimeout(45_000);
  context.setDefaultNavigationTimeout(90_000);
  return context;
};

/**
 * Waits until the CSS animations and transitions of an element and its descendants have finished, such as a dialog's
 * opening zoom: on a loaded machine a click computed mid-animation can land on the mask behind and close the dialog.
 */
export const settled = async (locator: Locator): Promise<void> => {
  await locator.evaluate((element) => Promise.all(element.getAnimations({ subtree: true }).map((a) => a.finished.catch(() => undefined))));
};

/** GET an API route as the context's signed-in person (its session cookie). */
export const apiGet = async <T>(context: BrowserContext, baseUrl: string, path: string): Promise<T> => {
  const answer = await context.request.get(`${baseUrl}${path}`);
  if (!answer.ok()) throw new Error(`GET ${path}: ${answer.status()} ${await answer.text()}`);
  return (await answer.json()) as T;
};

/**
 * POST to an API route as the context's signed-in person, as the application sends it: its session cookie, its CSRF token
 * (from /auth/me) and an idempotency key. For a test's set-up, not for what the test is about.
 */
export const apiPost = async <T>(context: BrowserContext, baseUrl: string, path: string, body: unknown): Promise<T> => {
  const { csrfToken } = await apiGet<{ csrfToken: string }>(context, baseUrl, '/auth/me');
  const answer = await context.request.post(`${baseUrl}${path}`, {
    data: body,
    headers: { 'x-csrf-token': csrfToken, 'idempotency-key': randomUUID() },
  });
  if (!answer.ok()) throw new Error(`POST ${path}: ${answer.status()} ${await answer.text()}`);
  return (await answer.json()) as T;
};

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

/** axe-core's WCAG 2.x A/AA checks on the page as it stands; only serious and critical violations are returned. */
export const seriousAxeViolations = async (page: Page): Promise<AxeViolation[]> => {
  // Evaluated through the DevTools protocol, so the app's content security policy does not apply to it.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<{ violations: AxeResult[] }> } }).axe;
    interface AxeResult {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: string[]; failureSummary?: string }[];
    }
    // Colours judged halfway through a transition belong to neither state (a button fading from disabled to enabled as its
    // data arrives measured 3.2:1 once): let the running finite animations and transitions end first, for 5 s at most.
    // Spinners loop forever, and Ant Design's motions wait paused until they start: neither is waited for.
    const running = document
      .getAnimations()
      .filter((a) => a.playState === 'running' && Number.isFinite(Number(a.effect?.getComputedTiming().endTime ?? Number.POSITIVE_INFINITY)));
    await Promise.race([Promise.all(running.map((a) => a.finished.catch(() => undefined))), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`) }));
  });
};
