import type { CommandBus } from '@dms/app';
import { type PromotionEvent, promotionBudgetPolicy } from '@dms/domain';
import type { Kysely } from 'kysely';
import { policyReactor } from './policy-reactor';
import type { Projection } from './projection';
import type { Logger } from './runner';
import type { ReadModels } from './schema';

/**
 * `promotions` and `promotion_orders`: every promotion with its budget used (`consumed_minor`, as its own stream last said),
 * and the orders holding part of it. Few events per order, each written as it comes.
 */
export const promotionsProjection: Projection = {
  name: 'promotions',
  version: 1,
  eventTypes: ['PromotionCreated', 'PromotionEnded', 'PromotionBudgetConsumed', 'PromotionBudgetReleased'],
  tables: ['promotions', 'promotion_orders'],
  async createTables(db) {
    await db.schema
      .createTable('promotions')
      .ifNotExists()
      .addColumn('promotion_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_to', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text')
      .addColumn('end_reason', 'text')
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('target', 'jsonb', (c) => c.notNull())
      .addColumn('benefit', 'jsonb', (c) => c.notNull())
      .addColumn('budget_minor', 'bigint', (c) => c.notNull())
      .addColumn('consumed_minor', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('promotion_orders')
      .ifNotExists()
      .addColumn('promotion_id', 'text', (c) => c.notNull())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('consumed_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('promotion_orders_pkey', ['promotion_id', 'order_id'])
      .execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    for (const recorded of events) {
      const event = recorded as unknown as PromotionEvent;
      switch (event.type) {
        case 'PromotionCreated': {
          const d = event.data;
          await db
            .insertInto('promotions')
            .values({
              promotion_id: d.promotionId,
              name: d.name,
              valid_from: d.validFrom,
              valid_to: d.validTo,
              ended_at: null,
              end_reason: null,
              currency: d.currency,
              target: JSON.stringify(d.target),
              benefit: JSON.stringify(d.benefit),
              budget_minor: d.budget.amountMinor,
              consumed_minor: 0,
              created_at: d.createdAt,
            })
            .onConflict((oc) => oc.column('promotion_id').doNothing())
            .execute();
          break;
        }
        case 'PromotionEnded':
          await db
            .updateTable('promotions')
            .set({ ended_at: event.data.endedAt, end_reason: event.data.reason })
            .where('promotion_id', '=', event.data.promotionId)
            .execute();
          break;
        case 'PromotionBudgetConsumed': {
          const d = event.data;
          await db.updateTable('promotions').set({ consumed_minor: d.consumed.amountMinor }).where('promotion_id', '=', d.promotionId).execute();
          await db
            .insertInto('promotion_orders')
            .values({ promotion_id: d.promotionId, order_id: d.orderId, amount_minor: d.amount.amountMinor, consumed_at: d.consumedAt })
            .onConflict((oc) => oc.columns(['promotion_id', 'order_id']).doUpdateSet({ amount_minor: d.amount.amountMinor, consumed_at: d.consumedAt }))
            .execute();
          break;
        }
        case 'PromotionBudgetReleased': {
          const d = event.data;
          await db.updateTable('promotions').set({ consumed_minor: d.consumed.amountMinor }).where('promotion_id', '=', d.promotionId).execute();
          await db.deleteFrom('promotion_orders').where('promotion_id', '=', d.promotionId).where('order_id', '=', d.orderId).execute();
          break;
        }
      }
    }
  },
};

/** The promotion process: a rejected or cancelled order gives its discounts back to the promotions' budgets. */
export const promotionReactors = (bus: CommandBus, logger?: Logger): Projection[] => [policyReactor(promotionBudgetPolicy, bus, logger)];
