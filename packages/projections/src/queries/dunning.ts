import { DUNNING_LEVELS, dunningLevelOf, dunningNotificationId } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { ReadModels } from '../schema';
import type { KpiFilter, KpiScope } from './kpis/common';
import { type OpenInvoiceRow, openInvoices } from './kpis/receivables';

export interface DunningRow extends OpenInvoiceRow {
  /** The dunning level reached on the day by its days past due (docs/receivables.md#dunning). */
  readonly level: number;
  /** Each level sent to the dealer so far (the inbox's `dn<level>-<invoiceId>`), lowest first: when, and its id. */
  readonly sent: { readonly level: number; readonly sentAt: string; readonly notificationId: string }[];
}

/**
 * The invoices past due at the end of `asOf` (the open invoices with days past due), each with the dunning level reached
 * and when each level was sent to the dealer, from the notifications read model: the collector's follow-up list. A level
 * reached but not listed as sent is sent by the next daily run; a level the rule skipped (it first ran late) is never sent.
 */
export const dunningList = async (
  db: Kysely<ReadModels>,
  query: { readonly asOf: string },
  filter: KpiFilter = {},
  scope: KpiScope = {},
): Promise<DunningRow[]> => {
  const overdue = (await openInvoices(db, query, filter, scope)).filter((i) => i.daysPastDue > 0);
  if (overdue.length === 0) return [];
  const ids = overdue.flatMap((i) => DUNNING_LEVELS.map((l) => dunningNotificationId(i.invoiceId, l.level, 'dealer')));
  const sent = new Map(
    (await db.selectFrom('notifications').select(['notification_id', 'raised_at']).where('notification_id', 'in', ids).execute()).map((n) => [
      n.notification_id,
      n.raised_at,
    ]),
  );
  return overdue.map((i) => ({
    ...i,
    level: dunningLevelOf(i.daysPastDue),
    sent: DUNNING_LEVELS.flatMap((l) => {
      const notificationId = dunningNotificationId(i.invoiceId, l.level, 'dealer');
      const sentAt = sent.get(notificationId);
      return sentAt === undefined ? [] : [{ level: l.level, sentAt, notificationId }];
    }),
  }));
};
