import { AGEING_BUCKET_NAMES, type AgeingFigures, BACKLOG_AGE_BUCKET_NAMES, type Money } from '@dms/domain';
import type { BacklogFigures } from './backlog';

const nothing = (currency: string): Money => ({ amountMinor: 0, currency });

/** An empty backlog in a currency: what a period without any shows. */
export const zeroBacklog = (currency: string): BacklogFigures => ({
  currency,
  orders: 0,
  partiallyShipped: 0,
  value: nothing(currency),
  averageAgeDays: null,
  oldestAgeDays: null,
  ageing: Object.fromEntries(BACKLOG_AGE_BUCKET_NAMES.map((b) => [b, { orders: 0, value: nothing(currency) }])) as BacklogFigures['ageing'],
});

/** Nothing owed in a currency. */
export const zeroAgeing = (currency: string): AgeingFigures => ({
  currency,
  openInvoices: 0,
  outstanding: nothing(currency),
  buckets: Object.fromEntries(AGEING_BUCKET_NAMES.map((b) => [b, nothing(currency)])) as AgeingFigures['buckets'],
  overdue: nothing(currency),
  overdueInvoices: 0,
  creditBalance: nothing(currency),
});

/** The currencies that occur anywhere in per-currency results, in order. */
export const currenciesOf = (results: Iterable<readonly { readonly currency: string }[]>): string[] => {
  const all = new Set<string>();
  for (const list of results) for (const x of list) all.add(x.currency);
  return [...all].sort();
};
