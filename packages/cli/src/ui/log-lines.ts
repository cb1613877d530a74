/**
 * `dms serve`'s log in a terminal: pino writes one JSON object a line, which suits a log collector but not a person.
 * This destination prints each request once, short (`09:58:01 GET /orders?limit=5 200 8 ms`), and any other entry as
 * time, level, message and its fields. serve.ts uses it only when stdout is a terminal; otherwise the JSON lines stay.
 */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const OMIT = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'req', 'res', 'responseTime', 'err']);

interface Entry {
  level?: number;
  time?: number;
  msg?: string;
  reqId?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { message?: string };
  [field: string]: unknown;
}

export const prettyLog = (write: (text: string) => void): { write(line: string): void } => {
  // What each request asked, from its "incoming request" entry, until its "request completed" one.
  const pending = new Map<string, { method?: string | undefined; url?: string | undefined }>();
  return {
    write(line: string) {
      let e: Entry;
      try {
        e = JSON.parse(line) as Entry;
      } catch {
        write(line.endsWith('\n') ? line : `${line}\n`);
        return;
      }
      const time = typeof e.time === 'number' ? new Date(e.time).toISOString().slice(11, 19) : '';
      if (e.msg === 'incoming request' && e.reqId) {
        pending.set(e.reqId, { method: e.req?.method, url: e.req?.url });
        return;
      }
      if (e.msg === 'request completed' && e.res) {
        const req = (e.reqId && pending.get(e.reqId)) || {};
        if (e.reqId) pending.delete(e.reqId);
        const ms = typeof e.responseTime === 'number' ? ` ${Math.round(e.responseTime)} ms` : '';
        write(`${time} ${req.method ?? '?'} ${req.url ?? '?'} ${e.res.statusCode ?? '?'}${ms}\n`);
        return;
      }
      const level = LEVELS[e.level ?? 30] ?? String(e.level);
      const fields = Object.entries(e).filter(([k]) => !OMIT.has(k));
      const extra = fields.length > 0 ? ` ${fields.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')}` : '';
      write(`${time} ${level} ${e.msg ?? ''}${e.err?.message ? `: ${e.err.message}` : ''}${extra}\n`);
    },
  };
};

/**
 * The server's logger options: at `level` (LOG_LEVEL, `info` by default), one short line a request through `prettyLog`
 * when `out` is a terminal, pino's JSON lines (its default destination, stdout) when it is not: a pipe, a file, a service
 * manager or a log collector.
 */
export const serverLogger = (
  out: { isTTY?: boolean | undefined; write(text: string): unknown },
  level = 'info',
): { level: string; stream?: { write(line: string): void } } => (out.isTTY === true ? { level, stream: prettyLog((text) => out.write(text)) } : { level });
