/** Today as the API counts it when a query names no day: the UTC calendar day (YYYY-MM-DD). */
export const todayUtc = (now = new Date()): string => now.toISOString().slice(0, 10);

/** A real calendar day written YYYY-MM-DD (an address typed by hand may hold anything: 2026-02-30, 2026-13-01). */
export const isIsoDate = (s: string): boolean => {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : Number.NaN;
  return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(s);
};
