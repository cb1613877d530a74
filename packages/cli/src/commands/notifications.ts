import { newId } from '@dms/eventstore';
import { type DmsRuntime, listNotifications, raiseDueNotifications } from '@dms/projections';
import { dateTime } from '../format';
import { renderTable } from '../ui/table';
import { operator } from './keys';

type Out = (line: string) => void;

export interface NotificationsListOptions {
  /** A dealer's inbox instead of the operator's (an admin's: everything addressed to the manufacturer's roles). */
  readonly partner?: string | undefined;
  readonly unread?: boolean | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/** `dms notifications list`: an inbox, newest first. */
export const notificationsList = async (runtime: DmsRuntime, o: NotificationsListOptions, out: Out): Promise<number> => {
  await runtime.runner.catchUp();
  const who = o.partner ? { id: `cli:dealer:${o.partner}`, role: 'dealer', partnerId: o.partner } : operator();
  const page = await listNotifications(runtime.runner.db, who, { unread: o.unread, limit: o.limit, cursor: o.cursor });
  if (page.items.length === 0) {
    out(o.partner ? `No notifications for ${o.partner}.` : 'No notifications.');
    return 0;
  }
  out(
    renderTable(page.items, [
      { header: 'raised', value: (n) => dateTime(n.raisedAt) },
      { header: 'topic', value: (n) => n.topic },
      { header: 'for', value: (n) => [n.partnerId ?? n.region ?? '', n.label ?? ''].filter(Boolean).join(' · ') },
      { header: 'notification', value: (n) => n.title.en },
      { header: 'link', value: (n) => n.link },
      { header: 'read', value: (n) => (n.read ? 'yes' : '') },
      { header: 'id', value: (n) => n.notificationId },
    ]),
  );
  out(`${page.unread} unread.`);
  if (page.nextCursor) out(`… more: --cursor ${page.nextCursor}`);
  return 0;
};

/** `dms notifications read <id>`: marks it read for the operator. */
export const notificationsRead = async (runtime: DmsRuntime, notificationId: string, out: Out): Promise<number> => {
  const result = await runtime.bus.execute(
    { type: 'MarkNotificationRead', data: { notificationId, readerId: operator().id, readAt: new Date().toISOString() } },
    { commandId: newId(), actor: operator() },
  );
  if (result._tag === 'Left') {
    out(`Refused: ${result.left.code}: ${result.left.message}`);
    return 1;
  }
  out(`Notification ${notificationId} read.`);
  return 0;
};

/** `dms notifications due [--date D]`: runs the date rules now (`dms serve` does daily): expiring agreements, overdue actions, dunning. */
export const notificationsDue = async (runtime: DmsRuntime, date: string | undefined, out: Out): Promise<number> => {
  const now = new Date();
  const asOf = date ?? now.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    out(`--date must be a date (YYYY-MM-DD), not "${asOf}".`);
    return 64;
  }
  await runtime.runner.catchUp();
  const { raised, considered } = await raiseDueNotifications(runtime.bus, runtime.runner.db, asOf, now);
  out(`As of ${asOf}: ${raised} notifications raised (${considered - raised} raised before).`);
  return 0;
};
