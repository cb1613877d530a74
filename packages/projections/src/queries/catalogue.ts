import type { Money } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from '../schema';
import { decodeCursor, encodeCursor } from './cursor';

export interface ProductView {
  readonly sku: string;
  readonly name: string;
  readonly category: string;
  readonly unit: string;
  readonly listPrice: Money;
  readonly discontinued: boolean;
  /** What the requested tier pays, when a tier was given. */
  readonly tierPrice?: { readonly unitPrice: Money; readonly discountBps: number };
}

export interface ProductListFilter {
  readonly category?: string | undefined;
  readonly includeDiscontinued?: boolean | undefined;
  /** Show the price this tier pays next to the list price. */
  readonly tier?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/** The catalogue by SKU, optionally priced for a tier (its own price, else list price less the tier discount). */
export const listProducts = async (db: Kysely<ReadModels>, filter: ProductListFilter = {}): Promise<{ items: ProductView[]; nextCursor: string | null }> => {
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), 500);
  let q = db
    .selectFrom('products')
    .leftJoin('tier_prices', (j) => j.onRef('tier_prices.sku', '=', 'products.sku').on('tier_prices.tier', '=', filter.tier ?? ''))
    .leftJoin('tier_discounts', (j) => j.on('tier_discounts.tier', '=', filter.tier ?? ''))
    .selectAll('products')
    .select(['tier_prices.unit_price_minor as tier_price_minor', 'tier_discounts.discount_bps as tier_discount_bps']);
  if (filter.category) q = q.where('products.category', '=', filter.category);
  if (!filter.includeDiscontinued) q = q.where('products.discontinued', '=', false);
  if (filter.cursor) {
    const [sku] = decodeCursor(filter.cursor, 1) as [string];
    q = q.where(sql<boolean>`products.sku > ${sku}`);
  }
  const rows = await q
    .orderBy('products.sku')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((p) => {
      const listPrice = { amountMinor: Number(p.list_price_minor), currency: p.currency };
      const base = { sku: p.sku, name: p.name, category: p.category, unit: p.unit, listPrice, discontinued: p.discontinued };
      if (!filter.tier) return base;
      const tierPrice =
        p.tier_price_minor !== null
          ? { unitPrice: { amountMinor: Number(p.tier_price_minor), currency: p.currency }, discountBps: 0 }
          : { unitPrice: listPrice, discountBps: p.tier_discount_bps ?? 0 };
      return { ...base, tierPrice };
    }),
    nextCursor: rows.length > limit && last ? encodeCursor([last.sku]) : null,
  };
};
