/**
 * The notification rules, as pure functions: an event (and what the process manager read about it) in, the notifications
 * it raises out; and, for the rules that depend on the date, a fact and the day in, a notification or none out.
 * Each notification's id is derived from what caused it, so it is raised once however often the rule runs.
 */
import { daysPastDue } from '../kpis/receivables';
import type { Contact } from '../partners/commands';
import { type DunningLevel, dunningLevel, dunningLevelOf } from '../receivables/dunning';
import type { ResourceTargeting } from '../resources/commands';
import { addDays } from '../shared/calendar';
import { formatMoney, type Money } from '../shared/money';
import type { PolicyEvent } from '../shared/policy';
import type { RaiseNotification } from './notification';

export type RaiseNotificationData = (typeof RaiseNotification)['_zod']['output']['data'];

/** The event types the process manager reacts to. */
export const NOTIFYING_EVENT_TYPES = [
  'OrderQueuedForReview',
  'StockReserved',
  'SettlementStatementApproved',
  'ResourcePublished',
  'ResourceVersionAdded',
] as const;

/**
 * What the process manager reads before it applies a rule: the order's dealer and region, the dealer's contacts; for a
 * resource, its stream folded up to and including the event (never further: what came after cannot change what the
 * event tells, so a replay raises the same notification).
 */
export interface NotificationContext {
  readonly order?: { readonly partnerId: string; readonly region: string } | undefined;
  readonly partner?: { readonly name: string; readonly contacts: readonly Contact[] } | undefined;
  readonly resource?: { readonly title: string; readonly targeting: ResourceTargeting; readonly status: 'draft' | 'published' | 'withdrawn' } | undefined;
}

const enc = encodeURIComponent;

/**
 * The person at a dealer who looks after money: the first contact whose role says finance (finance, accounting,
 * 财务, 会计), else the first contact; undefined when the dealer has none.
 */
export const financeContact = (contacts: readonly Contact[]): Contact | undefined =>
  contacts.find((c) => /financ|account|财务|会计/i.test(c.role ?? '')) ?? contacts[0];

/** The notifications an event raises, given what was read about it. */
export const notificationsFor = (event: PolicyEvent, context: NotificationContext, raisedAt: string): RaiseNotificationData[] => {
  const d = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'OrderQueuedForReview': {
      if (!context.order) return [];
      const orderId = String(d.orderId);
      return [
        {
          notificationId: `rv-${event.eventId}`,
          topic: 'order_waiting_for_review',
          audience: { kind: 'role', role: 'sales', region: context.order.region },
          title: {
            'zh-CN': `订单 ${orderId}(${context.order.partnerId})等待审核`,
            en: `Order ${orderId} from ${context.order.partnerId} is waiting for review`,
          },
          subject: { streamId: event.streamId, link: `/console/orders/${enc(orderId)}` },
          causedBy: event.eventId,
          raisedAt,
        },
      ];
    }
    case 'StockReserved': {
      if (d.fromBackorder !== true) return [];
      const orderId = String(d.orderId);
      return [
        {
          notificationId: `bf-${event.eventId}`,
          topic: 'backorder_filled',
          audience: { kind: 'dealer', partnerId: String(d.partnerId) },
          title: {
            'zh-CN': `订单 ${orderId} 的缺货已补:${String(d.sku)} × ${String(d.quantity)}`,
            en: `Backorder filled on order ${orderId}: ${String(d.sku)} × ${String(d.quantity)}`,
          },
          subject: { streamId: `order-${orderId}`, link: `/portal/orders/${enc(orderId)}` },
          causedBy: event.eventId,
          raisedAt,
        },
      ];
    }
    case 'SettlementStatementApproved': {
      const partnerId = String(d.partnerId);
      const period = String(d.period);
      const contact = context.partner ? financeContact(context.partner.contacts) : undefined;
      return [
        {
          notificationId: `sr-${event.eventId}`,
          topic: 'statement_ready',
          audience: { kind: 'dealer', partnerId, ...(contact ? { label: contact.name } : {}) },
          title: { 'zh-CN': `${period} 结算单已就绪`, en: `Your statement for ${period} is ready` },
          subject: { streamId: event.streamId, link: `/portal/statements/${enc(period)}` },
          causedBy: event.eventId,
          raisedAt,
        },
      ];
    }
    case 'ResourcePublished':
    case 'ResourceVersionAdded': {
      // A version added to a draft is no news to dealers (its publication will be); one added while published supersedes
      // what they see. Published (or published again after a withdrawal): the dealers it targets can see it from now.
      const resource = context.resource;
      if (resource?.status !== 'published') return [];
      const version = Number(d.version);
      const title = resource.title.slice(0, 200);
      const superseded = event.type === 'ResourceVersionAdded';
      return [
        {
          notificationId: `rp-${event.eventId}`,
          topic: 'resource_published',
          audience: { kind: 'dealers', targeting: resource.targeting },
          title: superseded
            ? { 'zh-CN': `资料已更新:${title}(第 ${version} 版)`, en: `New version of ${title} (version ${version})` }
            : { 'zh-CN': `新资料已发布:${title}`, en: `Published for you: ${title}` },
          subject: { streamId: event.streamId, link: '/portal/library' },
          causedBy: event.eventId,
          raisedAt,
        },
      ];
    }
    default:
      return [];
  }
};

/** An agreement in force whose last day is within 30 days of `asOf` (a date) tells the channel managers (sales), once. */
export const agreementExpiringNotification = (
  agreement: { readonly agreementId: string; readonly partnerId: string; readonly expiresOn: string; readonly region?: string | undefined },
  asOf: string,
  raisedAt: string,
): RaiseNotificationData | undefined => {
  if (agreement.expiresOn < asOf || agreement.expiresOn > addDays(asOf, 30)) return undefined;
  return {
    // One per agreement and last day: an amendment that moves the last day raises a new one.
    notificationId: `ae-${agreement.agreementId}-${agreement.expiresOn}`.slice(0, 64),
    topic: 'agreement_expiring',
    audience: { kind: 'role', role: 'sales', ...(agreement.region ? { region: agreement.region } : {}) },
    title: {
      'zh-CN': `协议 ${agreement.agreementId}(${agreement.partnerId})将于 ${agreement.expiresOn} 到期`,
      en: `Agreement ${agreement.agreementId} with ${agreement.partnerId} expires on ${agreement.expiresOn}`,
    },
    subject: { streamId: `agreement-${agreement.agreementId}`, link: '/console/agreements' },
    raisedAt,
  };
};

/** An open improvement action past its due date tells its owner: the dealer's people, or the manufacturer's sales team. */
export const overdueActionNotification = (
  action: {
    readonly partnerId: string;
    readonly period: string;
    readonly actionId: string;
    readonly title: string;
    readonly owner: { readonly name: string; readonly party: string };
    readonly dueOn: string;
  },
  asOf: string,
  raisedAt: string,
): RaiseNotificationData | undefined => {
  if (action.dueOn >= asOf) return undefined;
  const title = action.title.slice(0, 200);
  return {
    notificationId: `ao-${action.partnerId}-${action.period}-${action.actionId}`.slice(0, 64),
    topic: 'action_overdue',
    audience:
      action.owner.party === 'dealer'
        ? { kind: 'dealer', partnerId: action.partnerId, label: action.owner.name.slice(0, 200) }
        : { kind: 'role', role: 'sales', label: action.owner.name.slice(0, 200) },
    title: { 'zh-CN': `改进措施已逾期:${title}(截止 ${action.dueOn})`, en: `Improvement action overdue: ${title} (due ${action.dueOn})` },
    subject: {
      streamId: `evaluation-${action.partnerId}.${action.period}`,
      link: action.owner.party === 'dealer' ? '/portal' : '/console/partners',
    },
    raisedAt,
  };
};

/** FNV-1a of a text, eight hex digits: a short deterministic tag that keeps a shortened id apart from others. */
const fnv1a = (text: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
};

/** `prefix` + `key` as a notification id (at most 64 characters): a longer key is cut and tagged with its hash. */
const boundedId = (prefix: string, key: string): string =>
  prefix.length + key.length <= 64 ? `${prefix}${key}` : `${prefix}${key.slice(0, 64 - prefix.length - 9)}_${fnv1a(key)}`;

/**
 * The id of the dunning notification of an invoice at a level, for the dealer or for the sales team: `dn2-<invoiceId>`,
 * `dn2s-<invoiceId>`. One per invoice, level and audience, so a level is raised once however often the rule runs.
 */
export const dunningNotificationId = (invoiceId: string, level: number, audience: 'dealer' | 'sales'): string =>
  boundedId(`dn${level}${audience === 'sales' ? 's' : ''}-`, invoiceId);

/** An invoice still owed, as the dunning rule reads it (from the open invoices of the receivables read models). */
export interface OverdueInvoice {
  readonly invoiceId: string;
  readonly orderId: string;
  readonly partnerId: string;
  readonly region: string;
  readonly dueOn: string;
  /** What is still owed on it as of the day. */
  readonly owed: Money;
  /** The dealer's contacts (for its finance contact), when they could be read. */
  readonly contacts?: readonly Contact[] | undefined;
  /** The dunning levels of the agreement governing its order (`dunningLevelsOf`); absent: the default levels. */
  readonly levels?: readonly DunningLevel[] | undefined;
}

/**
 * The reminders an invoice past due earns on `asOf` (a date): the notification of its dunning level (`dunningLevelOf`
 * its days past due, under its agreement's levels or the defaults) to whom the level tells: the dealer, addressed to its
 * finance contact, naming the invoice, what is owed, the due date, the days past due and the level; the sales team of
 * the dealer's region, naming the dealer too. Nothing when nothing is owed or it is not past due. Only the level
 * reached is raised: a run late by weeks sends the final notice, not the reminders it skipped, and a level raised
 * already is refused as raised (`NOTIFICATION_ALREADY_RAISED`).
 */
export const overdueInvoiceNotifications = (invoice: OverdueInvoice, asOf: string, raisedAt: string): RaiseNotificationData[] => {
  const days = daysPastDue(invoice.dueOn, asOf);
  const levels = invoice.levels;
  const level = dunningLevel(dunningLevelOf(days, levels), levels);
  if (!level || invoice.owed.amountMinor <= 0) return [];
  const owed = formatMoney(invoice.owed);
  const pastDue = `${days} ${days === 1 ? 'day' : 'days'} past due`;
  const contact = invoice.contacts ? financeContact(invoice.contacts) : undefined;
  const subject = `order-${invoice.orderId}`;
  const dealer: RaiseNotificationData = {
    notificationId: dunningNotificationId(invoice.invoiceId, level.level, 'dealer'),
    topic: 'invoice_overdue',
    audience: { kind: 'dealer', partnerId: invoice.partnerId, ...(contact ? { label: contact.name.slice(0, 200) } : {}) },
    title: {
      'zh-CN': `${level.name['zh-CN']}(第 ${level.level} 级):发票 ${invoice.invoiceId} 尚欠 ${owed},已于 ${invoice.dueOn} 到期,逾期 ${days} 天`,
      en: `Level ${level.level} ${level.name.en}: invoice ${invoice.invoiceId} has ${owed} outstanding, due on ${invoice.dueOn}, ${pastDue}`,
    },
    subject: { streamId: subject, link: `/portal/orders/${enc(invoice.orderId)}` },
    raisedAt,
  };
  const sales: RaiseNotificationData = {
    notificationId: dunningNotificationId(invoice.invoiceId, level.level, 'sales'),
    topic: 'invoice_overdue',
    audience: { kind: 'role', role: 'sales', region: invoice.region },
    title: {
      'zh-CN': `${level.name['zh-CN']}(第 ${level.level} 级):${invoice.partnerId} 的发票 ${invoice.invoiceId} 尚欠 ${owed},逾期 ${days} 天(${invoice.dueOn} 到期)`,
      en: `Level ${level.level} ${level.name.en} to ${invoice.partnerId}: invoice ${invoice.invoiceId} has ${owed} outstanding, ${pastDue} (due ${invoice.dueOn})`,
    },
    subject: { streamId: subject, link: `/console/orders/${enc(invoice.orderId)}` },
    raisedAt,
  };
  return [...(level.tell.includes('dealer') ? [dealer] : []), ...(level.tell.includes('sales') ? [sales] : [])];
};
