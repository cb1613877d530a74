import type { Money } from '@dms/domain';
import { encodeCursor } from './cursor';

/** Helpers shared by the stock queries; not part of the package's public face. */

export type Page<T> = { items: T[]; nextCursor: string | null };
export const limitOf = (limit: number | undefined) => Math.min(Math.max(limit ?? 50, 1), 500);
export const money = (amountMinor: number | bigint | string, currency: string | null): Money | null =>
  currency === null ? null : { amountMinor: Number(amountMinor), currency };
/** Takes `limit` of `limit + 1` rows; the extra row says there is a next page, whose cursor is the last row's key. */
export const page = <R, T>(rows: R[], limit: number, map: (r: R) => T, key: (r: R) => (string | number)[]): Page<T> => {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
};
