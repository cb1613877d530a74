/**
 * Answers asked for before the app's code has arrived: the first script of a page (src/early.ts, inlined in its HTML)
 * starts the calls its first screen will make, and the API client takes each answer instead of asking again. An answer is
 * taken once, only by a GET to the same path and parameters (in any order), only if it succeeded (a refusal is asked again,
 * as the app would: after signing in, say), and only while the page is young. Once the app asks for anything, the first
 * script starts nothing more (the app asks for the rest itself), and answers nobody took are let go, so that a connection
 * is never held by a body nobody reads.
 */

const STORE = '__dmsEarly';
/** How long after navigation an early answer may stand for a fresh one. */
const FRESH_FOR_MS = 15_000;

interface Store {
  readonly answers: Map<string, Promise<Response>>;
  /** The app has started asking: the first script starts nothing more. */
  closed: boolean;
}
const store = (): Store => {
  const g = globalThis as { [STORE]?: Store };
  g[STORE] ??= { answers: new Map(), closed: false };
  return g[STORE];
};

const origin = () => globalThis.location?.origin ?? 'http://localhost';

/** The same key for the same call however its parameters are ordered or encoded. */
export const callKey = (url: string | URL): string => {
  const u = new URL(url, origin());
  const params = [...u.searchParams].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1));
  return `${u.pathname}?${new URLSearchParams(params)}`;
};

/** Starts a GET now and keeps its answer for the client (the page's first script); undefined once the app has started. */
export const startEarly = (path: string, query: Record<string, string | number>): Promise<Response> | undefined => {
  const early = store();
  if (early.closed) return undefined;
  const url = new URL(path, origin());
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
  const answer = fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  early.answers.set(callKey(url), answer);
  return answer;
};

/** Lets every answer nobody took go (their bodies cancelled), and starts nothing more. */
export const dropEarly = (): void => {
  const early = store();
  early.closed = true;
  for (const answer of early.answers.values())
    answer.then(
      (r) => r.body?.cancel(),
      () => undefined,
    );
  early.answers.clear();
};

/** The early answer to this request, if there is one to take; otherwise undefined (ask the server). */
export const takeEarly = (request: Request): Promise<Response> | undefined => {
  const early = store();
  early.closed = true;
  if (early.answers.size === 0 || request.method !== 'GET') return undefined;
  if (performance.now() > FRESH_FOR_MS) {
    dropEarly();
    return undefined;
  }
  const key = callKey(request.url);
  const answer = early.answers.get(key);
  if (!answer) return undefined;
  early.answers.delete(key);
  return answer.then(
    (response) => (response.ok ? response : fetch(request)),
    () => fetch(request),
  );
};

/** Lets the answers nobody took go once the page is no longer young (the first script arms it). */
export const dropEarlyLater = (): void => {
  setTimeout(dropEarly, FRESH_FOR_MS);
};
