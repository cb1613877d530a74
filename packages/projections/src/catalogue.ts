import type { PriceListEvent, ProductEvent } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { Projection } from './projection';
import type { ReadModels } from './schema';

/** `products`, `tier_prices`, `tier_discounts`: the catalogue and what each tier pays. Few events: written one by one. */
export const catalogueProjection: Projection = {
  name: 'catalogue',
  version: 1,
  eventTypes: ['ProductRegistered', 'ListPriceChanged', 'ProductDiscontinued', 'TierPriceSet', 'TierPriceRemoved', 'TierDiscountSet'],
  tables: ['products', 'tier_prices', 'tier_discounts'],
  async createTables(db) {
    await db.schema
      .createTable('products')
      .ifNotExists()
      .addColumn('sku', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('unit', 'text', (c) => c.notNull())
      .addColumn('list_price_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('discontinued', 'boolean', (c) => c.notNull())
      .addColumn('registered_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('tier_prices')
      .ifNotExists()
      .addColumn('tier', 'text', (c) => c.notNull())
      .addColumn('sku', 'text', (c) => c.notNull())
      .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('set_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('tier_prices_pkey', ['tier', 'sku'])
      .execute();
    await db.schema
      .createTable('tier_discounts')
      .ifNotExists()
      .addColumn('tier', 'text', (c) => c.primaryKey())
      .addColumn('discount_bps', 'integer', (c) => c.notNull())
      .addColumn('set_at', 'text', (c) => c.notNull())
      .execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    for (const recorded of events) {
      const event = recorded as unknown as ProductEvent | PriceListEvent;
      switch (event.type) {
        case 'ProductRegistered': {
          const d = event.data;
          const row = {
            sku: d.sku,
            name: d.name,
            category: d.category,
            unit: d.unit,
            list_price_minor: d.listPrice.amountMinor,
            currency: d.listPrice.currency,
            discontinued: false,
            registered_at: d.registeredAt,
            updated_at: d.registeredAt,
          };
          await db
            .insertInto('products')
            .values(row)
            .onConflict((oc) => oc.column('sku').doUpdateSet(row))
            .execute();
          break;
        }
        case 'ListPriceChanged':
          await db
            .updateTable('products')
            .set({ list_price_minor: event.data.to.amountMinor, updated_at: event.data.changedAt })
            .where('sku', '=', event.data.sku)
            .execute();
          break;
        case 'ProductDiscontinued':
          await db.updateTable('products').set({ discontinued: true, updated_at: event.data.discontinuedAt }).where('sku', '=', event.data.sku).execute();
          break;
        case 'TierPriceSet': {
          const d = event.data;
          const row = { tier: d.tier, sku: d.sku, unit_price_minor: d.unitPrice.amountMinor, currency: d.unitPrice.currency, set_at: d.setAt };
          await db
            .insertInto('tier_prices')
            .values(row)
            .onConflict((oc) => oc.columns(['tier', 'sku']).doUpdateSet(row))
            .execute();
          break;
        }
        case 'TierPriceRemoved':
          await db.deleteFrom('tier_prices').where('tier', '=', event.data.tier).where('sku', '=', event.data.sku).execute();
          break;
        case 'TierDiscountSet': {
          const row = { tier: event.data.tier, discount_bps: event.data.discountBps, set_at: event.data.setAt };
          await db
            .insertInto('tier_discounts')
            .values(row)
            .onConflict((oc) => oc.column('tier').doUpdateSet(row))
            .execute();
          break;
        }
      }
    }
  },
};
