/**
 * The console home's first script, inlined at the top of console-home.html (build/plugins.ts): it asks for the session and
 * the dashboard's figures while the browser is still fetching and running the app's code (about a second of a first
 * visit), and the app's client takes the answers (src/api/early.ts). Two calls at a time: the server answers them one after
 * another anyway on an embedded database, and the browser's other connections stay free for the app's code. It stops
 * as soon as the app asks for anything itself.
 */
import { dropEarlyLater, startEarly } from './api/early';
import { dashboardCalls, defaultMonth, NEWEST_ORDER } from './console/dashboard/calls';
import { isMonth } from './console/dashboard/period';

const AT_ONCE = 2;

const run = async () => {
  dropEarlyLater();
  void startEarly('/auth/me', {});
  const asked = new URLSearchParams(location.search).get('month');
  let month = asked && isMonth(asked) ? asked : undefined;
  if (!month) {
    const newest = await startEarly(NEWEST_ORDER[0], NEWEST_ORDER[1])?.then((r) => (r.ok ? r.clone().json() : undefined));
    if (!newest) return; // not signed in or not allowed (the app will say so), or the app has started
    month = defaultMonth((newest as { items: { placedAt: string }[] }).items[0]?.placedAt);
  }
  const calls = dashboardCalls(month);
  const next = async (): Promise<void> => {
    const call = calls.shift();
    const answer = call && startEarly(call[0], call[1]);
    if (!answer) return;
    await answer.catch(() => undefined);
    return next();
  };
  await Promise.all(Array.from({ length: AT_ONCE }, next));
};
void run();
