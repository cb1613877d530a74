/**
 * Test-only clock shift. When DMS_TEST_NOW is set (an ISO-8601 instant), every test file starts with `Date` standing at that
 * instant and moving on in real time from there: `new Date()`, `Date.now()` and everything built on them (PGlite's now(),
 * JWT expiry, the CLI's default clock) see the shifted time, while timers keep running on the real clock. `.ci/run` uses it to
 * prove that no test depends on today's date (a month end, a year end, 29 February); production code never reads it.
 */
const target = process.env.DMS_TEST_NOW;

if (target) {
  const at = Date.parse(target);
  if (Number.isNaN(at)) throw new Error(`DMS_TEST_NOW must be an ISO-8601 instant (e.g. 2028-02-29T12:00:00Z), not "${target}".`);
  const RealDate = Date;
  const offset = at - RealDate.now();
  const now = () => RealDate.now() + offset;
  class ShiftedDate extends RealDate {
    // biome-ignore lint/suspicious/noExplicitAny: mirrors the Date constructor's overloads
    constructor(...args: any[]) {
      if (args.length === 0) super(now());
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return now();
    }
    // Dates made before the shift, or by Node itself, are still dates.
    static [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof RealDate;
    }
  }
  // Called as a function, Date returns the current time as a string; keep that shifted too.
  const ShiftedDateFunction = new Proxy(ShiftedDate, {
    apply: () => new ShiftedDate().toString(),
  });
  globalThis.Date = ShiftedDateFunction as DateConstructor;
}
