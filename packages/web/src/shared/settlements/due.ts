import type { Money } from '../../api/client';

/**
 * What settles a statement: its total, paid by the manufacturer; or, when the total is negative (a period of credit notes
 * only), the same amount paid by the dealer. The API takes the amount as a positive sum either way (docs/agreements.md).
 */
export const dueOf = (total: Money): { amount: Money; dealerPays: boolean } =>
  total.amountMinor < 0 ? { amount: { ...total, amountMinor: -total.amountMinor }, dealerPays: true } : { amount: total, dealerPays: false };
