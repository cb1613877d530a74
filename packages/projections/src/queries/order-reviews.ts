import type { Money } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { OrderReviewsTable } from '../agreements-schema';
import type { ReadModels } from '../schema';
import { decodeCursor, encodeCursor } from './cursor';

export interface ReviewReasonView {
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export interface OrderReviewView {
  readonly orderId: string;
  readonly partnerId: string;
  readonly partnerName: string | null;
  readonly region: string;
  readonly placedAt: string;
  readonly total: Money;
  readonly status: OrderReviewsTable['status'];
  /** True when automated review approved the order. */
  readonly automatic: boolean;
  readonly reasons: ReviewReasonView[];
  readonly queuedAt: string | null;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly note: string | null;
  /** The dealer's credit now: what a reviewer weighs before approving over the limit. */
  readonly credit: { readonly exposure: Money; readonly limit: Money; readonly available: Money };
}

export interface ReviewQueueFilter {
  readonly partnerId?: string | undefined;
  /** Default `queued`: the orders waiting for a person. */
  readonly status?: OrderReviewsTable['status'] | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

const money = (amountMinor: number | bigint | null, currency: string): Money => ({ amountMinor: Number(amountMinor ?? 0), currency });

/** Orders by review outcome, oldest first (the queue is worked from the front), with every reason and the dealer's credit. */
export const reviewQueue = async (db: Kysely<ReadModels>, filter: ReviewQueueFilter = {}): Promise<{ items: OrderReviewView[]; nextCursor: string | null }> => {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  let q = db
    .selectFrom('order_reviews as r')
    .leftJoin('partners as p', 'p.partner_id', 'r.partner_id')
    .leftJoin('credit_exposure as c', 'c.partner_id', 'r.partner_id')
    .selectAll('r')
    .select(['p.name as partner_name', 'p.credit_limit_minor as limit_minor', 'c.exposure_minor as exposure_minor'])
    .where('r.status', '=', filter.status ?? 'queued');
  if (filter.partnerId !== undefined) q = q.where('r.partner_id', '=', filter.partnerId);
  if (filter.cursor) {
    const [placedAt, orderId] = decodeCursor(filter.cursor, 2) as [string, string];
    q = q.where(sql<boolean>`(r.placed_at, r.order_id) > (${placedAt}, ${orderId})`);
  }
  const rows = await q
    .orderBy('r.placed_at')
    .orderBy('r.order_id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => {
      const exposure = Number(r.exposure_minor ?? 0);
      const limitMinor = Number(r.limit_minor ?? 0);
      return {
        orderId: r.order_id,
        partnerId: r.partner_id,
        partnerName: r.partner_name,
        region: r.region,
        placedAt: r.placed_at,
        total: money(r.total_minor, r.currency),
        status: r.status,
        automatic: r.automatic,
        reasons: r.reasons as ReviewReasonView[],
        queuedAt: r.queued_at,
        decidedAt: r.decided_at,
        decidedBy: r.decided_by,
        note: r.note,
        credit: {
          exposure: money(exposure, r.currency),
          limit: money(limitMinor, r.currency),
          available: money(Math.max(0, limitMinor - exposure), r.currency),
        },
      };
    }),
    nextCursor: rows.length > limit && last ? encodeCursor([last.placed_at, last.order_id]) : null,
  };
};

export interface ReviewSummary {
  readonly status: OrderReviewsTable['status'];
  readonly automatic: boolean;
  readonly orders: number;
}

/** How many orders automated review approved, queued, and how people decided: the automation rate at a glance. */
export const reviewSummary = async (db: Kysely<ReadModels>, scope: { partnerId?: string | undefined } = {}): Promise<ReviewSummary[]> => {
  let q = db.selectFrom('order_reviews').select(['status', 'automatic', sql<number>`count(*)::int`.as('orders')]);
  if (scope.partnerId !== undefined) q = q.where('partner_id', '=', scope.partnerId);
  return q.groupBy(['status', 'automatic']).orderBy('status').orderBy('automatic').execute();
};

/** One order's review as its dealer may see it: the outcome, by whom (automatic or a person), and every reason. */
export interface OrderReviewOutcome {
  readonly status: OrderReviewsTable['status'];
  readonly automatic: boolean;
  readonly reasons: ReviewReasonView[];
  readonly queuedAt: string | null;
  readonly decidedAt: string | null;
  readonly note: string | null;
}

export const getOrderReview = async (db: Kysely<ReadModels>, orderId: string): Promise<OrderReviewOutcome | undefined> => {
  const r = await db.selectFrom('order_reviews').selectAll().where('order_id', '=', orderId).executeTakeFirst();
  return r
    ? { status: r.status, automatic: r.automatic, reasons: r.reasons as ReviewReasonView[], queuedAt: r.queued_at, decidedAt: r.decided_at, note: r.note }
    : undefined;
};
