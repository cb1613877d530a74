import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The worked examples in docs/ are checked by tests that read their tables: the rows of the Markdown table between
 * `<!-- name:start -->` and `<!-- name:end -->` in `docs/<file>`, each a list of trimmed cells, the header and its rule
 * left out. Missing markers fail the test rather than check nothing.
 */
export const docTable = (file: string, name: string): string[][] => {
  const doc = readFileSync(resolve(__dirname, '../../../../docs', file), 'utf8');
  const body = doc.split(`<!-- ${name}:start -->`)[1]?.split(`<!-- ${name}:end -->`)[0];
  if (body === undefined) throw new Error(`docs/${file} has no table between <!-- ${name}:start --> and <!-- ${name}:end -->`);
  return body
    .trim()
    .split('\n')
    .slice(2)
    .map((row) =>
      row
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
};

/** "1,234.56" (or "-1,234.5", or "" for nothing) to minor units, exactly: no floating point on the way. */
export const minor = (text: string): number => {
  if (text === '') return 0;
  const negative = text.startsWith('-');
  const [units, cents = ''] = text.replace(/^-/, '').replaceAll(',', '').split('.');
  const value = Number(units) * 100 + Number(cents.padEnd(2, '0'));
  return negative ? -value : value;
};
