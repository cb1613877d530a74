import type { Money } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { ReadModels } from '../schema';

export interface PriceListVersionView {
  readonly listKind: 'tier' | 'dealer';
  /** The tier, or the dealer's partner id. */
  readonly listId: string;
  readonly versionId: string;
  readonly validFrom: string;
  /** Exclusive; null while open-ended. */
  readonly validTo: string | null;
  readonly currency: string;
  readonly publishedAt: string;
  readonly endedAt: string | null;
  readonly supersededBy: string | null;
  readonly prices: {
    readonly sku: string;
    readonly unitPrice: Money;
    readonly breaks: { readonly minQuantity: number; readonly unitPrice: Money }[];
  }[];
}

export interface PriceListVersionFilter {
  readonly listKind: 'tier' | 'dealer';
  readonly listId: string;
  /** Only the version in force at this instant (at most one). */
  readonly at?: string | undefined;
  /** Only prices of this SKU. */
  readonly sku?: string | undefined;
}

/**
 * The versions of one price list, oldest first, each with its prices and quantity breaks.
 *
 * @example
 *   await listPriceListVersions(db, { listKind: 'tier', listId: 'gold', at: '2025-03-01T09:00:00Z' });
 */
export const listPriceListVersions = async (db: Kysely<ReadModels>, filter: PriceListVersionFilter): Promise<PriceListVersionView[]> => {
  const rows = await db
    .selectFrom('price_list_versions')
    .selectAll()
    .where('list_kind', '=', filter.listKind)
    .where('list_id', '=', filter.listId)
    .orderBy('valid_from')
    .orderBy('version_id')
    .execute();
  const at = filter.at === undefined ? undefined : Date.parse(filter.at);
  const versions = at === undefined ? rows : rows.filter((v) => Date.parse(v.valid_from) <= at && (v.valid_to === null || at < Date.parse(v.valid_to)));
  if (versions.length === 0) return [];
  let prices = db
    .selectFrom('price_list_prices')
    .selectAll()
    .where('list_kind', '=', filter.listKind)
    .where('list_id', '=', filter.listId)
    .where(
      'version_id',
      'in',
      versions.map((v) => v.version_id),
    );
  if (filter.sku) prices = prices.where('sku', '=', filter.sku);
  const priceRows = await prices.orderBy('sku').orderBy('min_quantity').execute();
  return versions.map((v) => {
    const bySku = new Map<string, { sku: string; unitPrice: Money; breaks: { minQuantity: number; unitPrice: Money }[] }>();
    for (const p of priceRows.filter((r) => r.version_id === v.version_id)) {
      const unitPrice = { amountMinor: Number(p.unit_price_minor), currency: v.currency };
      const entry = bySku.get(p.sku);
      if (p.min_quantity === 1 || !entry) bySku.set(p.sku, { sku: p.sku, unitPrice, breaks: entry?.breaks ?? [] });
      else entry.breaks.push({ minQuantity: p.min_quantity, unitPrice });
    }
    return {
      listKind: v.list_kind,
      listId: v.list_id,
      versionId: v.version_id,
      validFrom: v.valid_from,
      validTo: v.valid_to,
      currency: v.currency,
      publishedAt: v.published_at,
      endedAt: v.ended_at,
      supersededBy: v.superseded_by,
      prices: [...bySku.values()],
    };
  });
};
