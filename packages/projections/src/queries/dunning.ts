import { addDays, type DunningLevel, dunningLevelOf, dunningLevelsOf, dunningNotificationId, governingAgreement, nextDunningLevel } from '@dms/domain';
import type { Kysely } from 'kysely';
import { agreementFromRows } from '../agreements';
import { amongKeys } from '../projection';
import type { ReadModels } from '../schema';
import type { KpiFilter, KpiScope } from './kpis/common';
import { type OpenInvoiceRow, openInvoices } from './kpis/receivables';

/** The dunning levels an order's invoices are reminded by, and the agreement that set them (null: the defaults). */
export interface OrderDunning {
  readonly agreementId: string | null;
  readonly levels: readonly DunningLevel[];
}

/**
 * The dunning levels of the agreement governing each order (the version in force when it was placed, covering the
 * dealer's region and every product category on it, as invoicing on terms finds it), from the orders, catalogue and
 * agreements read models; the defaults (`DUNNING_LEVELS`) for an order whose agreement sets none or that no agreement
 * governs. Keyed by order id.
 */
export const orderDunning = async (db: Kysely<ReadModels>, orderIds: readonly string[]): Promise<Map<string, OrderDunning>> => {
  const ids = [...new Set(orderIds)];
  if (ids.length === 0) return new Map();
  const [orders, lines] = await Promise.all([
    db.selectFrom('orders').select(['order_id', 'partner_id', 'region', 'placed_at']).where(amongKeys('order_id', ids)).execute(),
    db.selectFrom('order_lines').select(['order_id', 'sku']).where(amongKeys('order_id', ids)).execute(),
  ]);
  const partnerIds = [...new Set(orders.map((o) => o.partner_id))];
  const skus = [...new Set(lines.map((l) => l.sku))];
  const [products, agreements] = await Promise.all([
    skus.length > 0 ? db.selectFrom('products').select(['sku', 'category']).where(amongKeys('sku', skus)).execute() : [],
    partnerIds.length > 0 ? db.selectFrom('agreements').selectAll().where(amongKeys('partner_id', partnerIds)).execute() : [],
  ]);
  const versions =
    agreements.length > 0
      ? await db
          .selectFrom('agreement_versions')
          .selectAll()
          .where(
            amongKeys(
              'agreement_id',
              agreements.map((a) => a.agreement_id),
            ),
          )
          .orderBy('version')
          .execute()
      : [];
  const categoryOf = new Map(products.map((p) => [p.sku, p.category]));
  const agreementsOf = new Map<string, ReturnType<typeof agreementFromRows>[]>();
  for (const a of agreements) {
    const own = versions.filter((v) => v.agreement_id === a.agreement_id);
    if (own.length === 0) continue;
    agreementsOf.set(a.partner_id, [...(agreementsOf.get(a.partner_id) ?? []), agreementFromRows(a, own)]);
  }
  const result = new Map<string, OrderDunning>();
  for (const o of orders) {
    const categories = lines.filter((l) => l.order_id === o.order_id).flatMap((l) => categoryOf.get(l.sku) ?? []);
    const coverage = governingAgreement(agreementsOf.get(o.partner_id) ?? [], {
      partnerId: o.partner_id,
      at: o.placed_at,
      region: o.region,
      categories,
    });
    const terms = coverage.covered ? coverage.version.terms.dunning : undefined;
    result.set(o.order_id, { agreementId: coverage.covered && terms ? coverage.agreement.agreementId : null, levels: dunningLevelsOf(terms) });
  }
  return result;
};

const DEFAULT_DUNNING: OrderDunning = { agreementId: null, levels: dunningLevelsOf(undefined) };

export interface DunningRow extends OpenInvoiceRow {
  /** The dunning level reached on the day by its days past due (docs/receivables.md#dunning). */
  readonly level: number;
  /** The level's name (English); null at level 0 (past due, but before the first level). */
  readonly levelName: string | null;
  /** The agreement whose levels apply; null when DMS's default levels do (the agreement sets none, or none governs). */
  readonly agreementId: string | null;
  /** The next level and the day the invoice reaches it, if still owed then; null at the last level. */
  readonly nextLevel: { readonly level: number; readonly on: string } | null;
  /**
   * Each level sent so far (the inbox's `dn<level>-<invoiceId>` to the dealer, or `dn<level>s-<invoiceId>` for a level
   * that tells only the sales team), lowest first: when, and its id.
   */
  readonly sent: { readonly level: number; readonly sentAt: string; readonly notificationId: string }[];
}

/** The notification that records a level as sent: the dealer's, or the sales team's when the level tells only them. */
const sentId = (invoiceId: string, level: DunningLevel) => dunningNotificationId(invoiceId, level.level, level.tell.includes('dealer') ? 'dealer' : 'sales');

/**
 * The invoices past due at the end of `asOf` (the open invoices with days past due: on an invoice with instalments, its
 * oldest instalment still owed, `oldestDueOn`), each with the dunning level reached
 * under the levels of the agreement governing its order, the next level and when each level was sent, from the
 * notifications read model: the collector's follow-up list. A level reached but not listed as sent is sent by the next
 * daily run; a level the rule skipped (it first ran late) is never sent.
 */
export const dunningList = async (
  db: Kysely<ReadModels>,
  query: { readonly asOf: string },
  filter: KpiFilter = {},
  scope: KpiScope = {},
): Promise<DunningRow[]> => {
  const overdue = (await openInvoices(db, query, filter, scope)).filter((i) => i.daysPastDue > 0);
  if (overdue.length === 0) return [];
  const dunning = await orderDunning(
    db,
    overdue.map((i) => i.orderId),
  );
  const of = (i: OpenInvoiceRow) => dunning.get(i.orderId) ?? DEFAULT_DUNNING;
  const ids = overdue.flatMap((i) => of(i).levels.map((l) => sentId(i.invoiceId, l)));
  const sent = new Map(
    (await db.selectFrom('notifications').select(['notification_id', 'raised_at']).where(amongKeys('notification_id', ids)).execute()).map((n) => [
      n.notification_id,
      n.raised_at,
    ]),
  );
  return overdue.map((i) => {
    const { agreementId, levels } = of(i);
    const level = dunningLevelOf(i.daysPastDue, levels);
    const next = nextDunningLevel(i.daysPastDue, levels);
    return {
      ...i,
      level,
      levelName: levels.find((l) => l.level === level)?.name.en ?? null,
      agreementId,
      nextLevel: next ? { level: next.level, on: addDays(i.oldestDueOn, next.fromDaysPastDue) } : null,
      sent: levels.flatMap((l) => {
        const notificationId = sentId(i.invoiceId, l);
        const sentAt = sent.get(notificationId);
        return sentAt === undefined ? [] : [{ level: l.level, sentAt, notificationId }];
      }),
    };
  });
};
