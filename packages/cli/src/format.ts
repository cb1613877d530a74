import { formatMoney, type Money } from '@dms/domain';

export const money = (m: Money | null | undefined): string => (m ? formatMoney(m) : '');
export const date = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : '');
export const dateTime = (iso: string | null | undefined): string => (iso ? iso.slice(0, 16).replace('T', ' ') : '');
/** Whole currency units, for charts and compact tables. */
export const compact = (m: Money): string => `${Math.round(m.amountMinor / 100).toLocaleString('en-US')} ${m.currency}`;
