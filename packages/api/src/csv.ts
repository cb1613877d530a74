import type { FastifyReply, FastifyRequest } from 'fastify';

export type Cell = string | number | boolean | null;
export type CsvRow = Readonly<Record<string, Cell>>;

const isMoney = (v: unknown): v is { amountMinor: number; currency: string } =>
  typeof v === 'object' && v !== null && Object.keys(v).length === 2 && 'amountMinor' in v && 'currency' in v;

/**
 * One flat row from a nested figure: nested objects become dotted columns (`current.net.amountMinor`). A money amount
 * becomes its `amountMinor` column, and its currency a column too unless the row states it as `currency` already.
 * Arrays are not expected in a table row and are written as JSON.
 */
export const flatten = (value: object): Record<string, Cell> => {
  const row: Record<string, Cell> = {};
  const stated = (value as { currency?: unknown }).currency;
  const rowCurrency = typeof stated === 'string' ? stated : undefined;
  const walk = (v: unknown, path: string) => {
    if (v === null || v === undefined) row[path] = null;
    else if (isMoney(v)) {
      row[`${path}.amountMinor`] = v.amountMinor;
      if (v.currency !== rowCurrency) row[`${path}.currency`] = v.currency;
    } else if (Array.isArray(v)) row[path] = JSON.stringify(v);
    else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    else row[path] = v as Cell;
  };
  walk(value, '');
  return row;
};

/** Text that a spreadsheet would run as a formula is prefixed with an apostrophe (CSV injection). */
const FORMULA = /^[=+\-@\t\r]/;

const cell = (v: Cell | undefined): string => {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  const safe = FORMULA.test(v) && Number.isNaN(Number(v)) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** RFC 4180 CSV with a header row: the columns of every row in the order they first appear; CRLF line ends. */
export const toCsv = (rows: readonly CsvRow[]): string => {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [columns.map(cell).join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].map((line) => `${line}\r\n`).join('');
};

/** CSV was asked for: `?format=csv`, or an `Accept` header that names text/csv (and no `?format=json`). */
export const wantsCsv = (request: FastifyRequest): boolean => {
  const format = (request.query as { format?: string } | undefined)?.format;
  if (format !== undefined) return format === 'csv';
  return /(^|[,\s])text\/csv\b/.test(request.headers.accept ?? '');
};

/**
 * Answers `body` as JSON, or its table as CSV when the caller asked for CSV: every KPI route offers its figures both
 * ways, the table built from the same body.
 */
export const jsonOrCsv = <T>(request: FastifyRequest, reply: FastifyReply, body: T, table: (body: T) => readonly CsvRow[], filename: string) => {
  if (!wantsCsv(request)) return body;
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}.csv"`)
    .send(toCsv(table(body)));
};
