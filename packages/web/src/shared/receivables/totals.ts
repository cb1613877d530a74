import type { Money } from '../../api/client';

/**
 * Amounts added up per currency, in minor units (never across currencies). Its own module, not shared/money.ts: that one
 * is in the portal's first screen, and a screen loaded later sharing it would split it into a chunk of its own there.
 */
export const totalPerCurrency = (amounts: readonly Money[]): Money[] => {
  const sums = new Map<string, number>();
  for (const m of amounts) sums.set(m.currency, (sums.get(m.currency) ?? 0) + m.amountMinor);
  return [...sums].map(([currency, amountMinor]) => ({ currency, amountMinor }));
};
