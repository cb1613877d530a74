import type { DealerPriceListEvent, PriceListEvent } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { Projection } from './projection';
import type { PriceListPricesTable, ReadModels } from './schema';

/**
 * `price_list_versions` and `price_list_prices`: the dated versions of every tier's and dealer's price list, one price row per
 * SKU and quantity break (`min_quantity` 1 is the base price). Few events, each written as it comes.
 */
export const priceListsProjection: Projection = {
  name: 'price_lists',
  version: 1,
  eventTypes: ['PriceListVersionPublished', 'PriceListVersionEnded', 'DealerPriceListVersionPublished', 'DealerPriceListVersionEnded'],
  tables: ['price_list_versions', 'price_list_prices'],
  async createTables(db) {
    await db.schema
      .createTable('price_list_versions')
      .ifNotExists()
      .addColumn('list_kind', 'text', (c) => c.notNull())
      .addColumn('list_id', 'text', (c) => c.notNull())
      .addColumn('version_id', 'text', (c) => c.notNull())
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_to', 'text')
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('published_at', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text')
      .addColumn('superseded_by', 'text')
      .addPrimaryKeyConstraint('price_list_versions_pkey', ['list_kind', 'list_id', 'version_id'])
      .execute();
    await db.schema
      .createTable('price_list_prices')
      .ifNotExists()
      .addColumn('list_kind', 'text', (c) => c.notNull())
      .addColumn('list_id', 'text', (c) => c.notNull())
      .addColumn('version_id', 'text', (c) => c.notNull())
      .addColumn('sku', 'text', (c) => c.notNull())
      .addColumn('min_quantity', 'integer', (c) => c.notNull())
      .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('price_list_prices_pkey', ['list_kind', 'list_id', 'version_id', 'sku', 'min_quantity'])
      .execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    for (const recorded of events) {
      const event = recorded as unknown as PriceListEvent | DealerPriceListEvent;
      switch (event.type) {
        case 'PriceListVersionPublished':
        case 'DealerPriceListVersionPublished': {
          const d = event.data;
          const [kind, listId] =
            event.type === 'PriceListVersionPublished' ? (['tier', event.data.tier] as const) : (['dealer', event.data.partnerId] as const);
          const key = { list_kind: kind, list_id: listId, version_id: d.versionId };
          await db
            .insertInto('price_list_versions')
            .values({
              ...key,
              valid_from: d.validFrom,
              valid_to: d.validTo ?? null,
              currency: d.currency,
              published_at: d.publishedAt,
              ended_at: null,
              superseded_by: null,
            })
            .onConflict((oc) => oc.columns(['list_kind', 'list_id', 'version_id']).doNothing())
            .execute();
          const prices: PriceListPricesTable[] = d.prices.flatMap((p) => [
            { ...key, sku: p.sku, min_quantity: 1, unit_price_minor: p.unitPrice.amountMinor },
            ...(p.breaks ?? []).map((b) => ({ ...key, sku: p.sku, min_quantity: b.minQuantity, unit_price_minor: b.unitPrice.amountMinor })),
          ]);
          for (let i = 0; i < prices.length; i += 1000) {
            await db
              .insertInto('price_list_prices')
              .values(prices.slice(i, i + 1000))
              .onConflict((oc) => oc.columns(['list_kind', 'list_id', 'version_id', 'sku', 'min_quantity']).doNothing())
              .execute();
          }
          break;
        }
        case 'PriceListVersionEnded':
        case 'DealerPriceListVersionEnded': {
          const listId = event.type === 'PriceListVersionEnded' ? event.data.tier : event.data.partnerId;
          await db
            .updateTable('price_list_versions')
            .set({ valid_to: event.data.validTo, ended_at: event.data.endedAt, superseded_by: event.data.supersededBy ?? null })
            .where('list_kind', '=', event.type === 'PriceListVersionEnded' ? 'tier' : 'dealer')
            .where('list_id', '=', listId)
            .where('version_id', '=', event.data.versionId)
            .execute();
          break;
        }
      }
    }
  },
};
