import { describe, expect, it } from 'vitest';
import { prettyLog, serverLogger } from '../src/ui/log-lines';

/** What `dms serve` prints to a terminal for the JSON lines its logger (pino) writes. */
describe("dms serve's log in a terminal", () => {
  const printed = (...entries: object[]) => {
    let out = '';
    const log = prettyLog((t) => {
      out += t;
    });
    for (const e of entries) log.write(`${JSON.stringify(e)}\n`);
    return out;
  };
  const at = Date.parse('2026-12-03T09:58:01.250Z');

  it('prints each request once, short: time, method, path, status and duration', () => {
    expect(
      printed(
        { level: 30, time: at, pid: 1, hostname: 'h', reqId: 'req-1', req: { method: 'GET', url: '/orders?limit=5', remotePort: 1 }, msg: 'incoming request' },
        { level: 30, time: at + 8, pid: 1, hostname: 'h', reqId: 'req-1', res: { statusCode: 200 }, responseTime: 8.4, msg: 'request completed' },
      ),
    ).toBe('09:58:01 GET /orders?limit=5 200 8 ms\n');
  });

  it('prints other entries with their level, message, error and fields, and passes anything else through', () => {
    expect(printed({ level: 40, time: at, pid: 1, hostname: 'h', msg: 'projection failing', projection: 'orders', err: { message: 'boom' } })).toBe(
      '09:58:01 WARN projection failing: boom projection=orders\n',
    );
    let out = '';
    prettyLog((t) => {
      out += t;
    }).write('not json');
    expect(out).toBe('not json\n');
  });
});

/** Which of the two `dms serve` logs: the terminal check is injected (the `out` stream's isTTY). */
describe("dms serve's log: short lines in a terminal, JSON lines otherwise", () => {
  const request = [
    { level: 30, time: Date.parse('2026-12-03T09:58:01Z'), reqId: 'req-7', req: { method: 'POST', url: '/orders' }, msg: 'incoming request' },
    { level: 30, time: Date.parse('2026-12-03T09:58:01Z'), reqId: 'req-7', res: { statusCode: 201 }, responseTime: 12, msg: 'request completed' },
  ];
  const destination = (isTTY: boolean | undefined) => {
    const written: string[] = [];
    return { out: { isTTY, write: (text: string) => written.push(text) }, written };
  };

  it('given a terminal, when a request is logged, then one readable line is printed at the level asked for', () => {
    const { out, written } = destination(true);
    const options = serverLogger(out, 'warn');
    expect(options.level).toBe('warn');
    for (const entry of request) options.stream?.write(`${JSON.stringify(entry)}\n`);
    expect(written).toEqual(['09:58:01 POST /orders 201 12 ms\n']);
  });

  it.each([
    ['a pipe or file (isTTY false)', false],
    ['a stream that does not say (isTTY undefined)', undefined],
  ])('given %s, then the logger keeps its JSON lines on stdout (no destination of ours) at info by default', (_, isTTY) => {
    const { out, written } = destination(isTTY);
    const options = serverLogger(out);
    expect(options).toEqual({ level: 'info' });
    expect(written).toEqual([]);
  });
});
