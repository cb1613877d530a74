import type { AgreementEvent } from '../agreements/events';
import type { ProductEvent } from '../catalogue/events';
import { decidedAutomatically } from '../kpis/review-automation';
import type { OrderEvent } from '../orders/events';
import type { SettlementEvent } from '../settlements/events';
import { dateOf } from '../shared/calendar';
import type { ThreadEvent } from '../threads/events';

/**
 * What a dealer's KPIs are measured from: small facts taken from the events DMS records, each with the business date it
 * belongs to and the global position of the event it came from. The position is what makes a scorecard reproducible:
 * a scorecard is computed from the facts recorded before its period was closed, and the same facts are found again in
 * the events at any time (see `measure.ts`).
 *
 * | kind | from | what it carries |
 * |---|---|---|
 * | `ordered` | OrderPlaced | the order's value |
 * | `reviewed` | the order's first review outcome: OrderApproved, OrderQueuedForReview or OrderRejected | `automatic`: approved by the system |
 * | `delivered` | ShipmentDelivered | units delivered |
 * | `invoiced` | OrderInvoiced | the invoice amount and its due date |
 * | `invoiced_line` | OrderInvoiced, per order line | SKU, category, units, net amount |
 * | `credited` | CreditNoteIssued | the credit note amount |
 * | `returned_line` | GoodsReturned, per line | SKU, category, units, amount credited |
 * | `paid` | PaymentRecorded | the amount paid |
 * | `breach` | AgreementBreachRecorded by the dealer | the breach id |
 * | `reply` | MessagePosted by the dealer after a message from the manufacturer | minutes since that message |
 * | `closed` | SettlementStatementClosed | the period closed |
 */
export const FACT_KINDS = [
  'ordered',
  'reviewed',
  'delivered',
  'invoiced',
  'invoiced_line',
  'credited',
  'returned_line',
  'paid',
  'breach',
  'reply',
  'closed',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export interface PerformanceFact {
  readonly partnerId: string;
  /** Global position of the event the fact comes from. */
  readonly position: bigint;
  /** Index of the fact among its event's facts. */
  readonly seq: number;
  readonly kind: FactKind;
  /** The business date the fact belongs to (YYYY-MM-DD). */
  readonly date: string;
  readonly orderId?: string;
  readonly sku?: string;
  readonly category?: string;
  readonly quantity?: number;
  readonly amountMinor?: number;
  readonly currency?: string;
  /** Of an invoice. */
  readonly dueOn?: string;
  /** Of a review: approved by the automated review. */
  readonly automatic?: boolean;
  /** Of a reply. */
  readonly minutes?: number;
  /** The breach id, thread id or closed period. */
  readonly ref?: string;
}

/** What the mapping needs to remember between events: whose each order is, each product's category, each thread's state. */
export interface FactOrder {
  readonly partnerId: string;
  readonly currency: string;
  readonly lines: readonly { readonly lineNo: number; readonly sku: string; readonly quantity: number; readonly netMinor: number }[];
  readonly reviewed: boolean;
}
export interface FactThread {
  readonly partnerId: string;
  /** When the oldest message from the manufacturer the dealer has not yet answered was posted. */
  readonly awaitingSince?: string;
}
export interface FactContext {
  order(orderId: string): FactOrder | undefined;
  setOrder(orderId: string, order: FactOrder): void;
  category(sku: string): string | undefined;
  setCategory(sku: string, category: string): void;
  thread(threadId: string): FactThread | undefined;
  setThread(threadId: string, thread: FactThread): void;
}

/** An event as the mapping sees it: its payload, position and who recorded it. */
export interface FactSource {
  readonly type: string;
  readonly data: unknown;
  readonly position: bigint;
  readonly actorRole: string;
}

/** The event types facts come from (and the ones the mapping remembers things from). */
export const FACT_EVENT_TYPES = [
  'ProductRegistered',
  'OrderPlaced',
  'OrderQueuedForReview',
  'OrderApproved',
  'OrderRejected',
  'ShipmentDelivered',
  'OrderInvoiced',
  'CreditNoteIssued',
  'GoodsReturned',
  'PaymentRecorded',
  'AgreementBreachRecorded',
  'ThreadOpened',
  'MessagePosted',
  'SettlementStatementClosed',
] as const;

const minutesBetween = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
const UNCATEGORISED = 'uncategorised';

type Handled = OrderEvent | ProductEvent | AgreementEvent | ThreadEvent | SettlementEvent;

/** The facts one event yields, in order, updating `context` as it goes. Events must be given in global order. */
export const factsOf = (source: FactSource, context: FactContext): PerformanceFact[] => {
  const event = { type: source.type, data: source.data } as Handled;
  const facts: PerformanceFact[] = [];
  const fact = (partnerId: string, kind: FactKind, date: string, rest: Partial<PerformanceFact> = {}) =>
    facts.push({ ...rest, partnerId, position: source.position, seq: facts.length, kind, date });
  const reviewed = (orderId: string, date: string, automatic: boolean) => {
    const order = context.order(orderId);
    if (!order || order.reviewed) return;
    context.setOrder(orderId, { ...order, reviewed: true });
    fact(order.partnerId, 'reviewed', date, { orderId, automatic });
  };
  switch (event.type) {
    case 'ProductRegistered':
      context.setCategory(event.data.sku, event.data.category);
      break;
    case 'OrderPlaced': {
      const d = event.data;
      context.setOrder(d.orderId, {
        partnerId: d.partnerId,
        currency: d.currency,
        lines: d.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, quantity: l.quantity, netMinor: l.netAmount.amountMinor })),
        reviewed: false,
      });
      fact(d.partnerId, 'ordered', dateOf(d.placedAt), { orderId: d.orderId, amountMinor: d.total.amountMinor, currency: d.currency });
      break;
    }
    case 'OrderQueuedForReview':
      reviewed(event.data.orderId, dateOf(event.data.queuedAt), false);
      break;
    case 'OrderApproved':
      reviewed(event.data.orderId, dateOf(event.data.approvedAt), decidedAutomatically({ role: source.actorRole }));
      break;
    case 'OrderRejected':
      reviewed(event.data.orderId, dateOf(event.data.rejectedAt), false);
      break;
    case 'ShipmentDelivered': {
      const order = context.order(event.data.orderId);
      if (!order) break;
      const quantity = event.data.lines.reduce((a, l) => a + l.quantity, 0);
      fact(order.partnerId, 'delivered', dateOf(event.data.deliveredAt), { orderId: event.data.orderId, quantity });
      break;
    }
    case 'OrderInvoiced': {
      const d = event.data;
      const order = context.order(d.orderId);
      if (!order) break;
      const date = dateOf(d.invoicedAt);
      fact(order.partnerId, 'invoiced', date, { orderId: d.orderId, amountMinor: d.amount.amountMinor, currency: d.amount.currency, dueOn: d.dueDate });
      // An invoice covers its whole order: its lines are the order's lines.
      for (const line of order.lines) {
        fact(order.partnerId, 'invoiced_line', date, {
          orderId: d.orderId,
          sku: line.sku,
          category: context.category(line.sku) ?? UNCATEGORISED,
          quantity: line.quantity,
          amountMinor: line.netMinor,
          currency: order.currency,
        });
      }
      break;
    }
    case 'CreditNoteIssued': {
      const order = context.order(event.data.orderId);
      if (!order) break;
      const d = event.data;
      fact(order.partnerId, 'credited', dateOf(d.issuedAt), { orderId: d.orderId, amountMinor: d.amount.amountMinor, currency: d.amount.currency });
      break;
    }
    case 'GoodsReturned': {
      const order = context.order(event.data.orderId);
      if (!order) break;
      for (const line of event.data.lines) {
        fact(order.partnerId, 'returned_line', dateOf(event.data.returnedAt), {
          orderId: event.data.orderId,
          sku: line.sku,
          category: context.category(line.sku) ?? UNCATEGORISED,
          quantity: line.quantity,
          amountMinor: line.creditAmount.amountMinor,
          currency: line.creditAmount.currency,
        });
      }
      break;
    }
    case 'PaymentRecorded': {
      const order = context.order(event.data.orderId);
      if (!order) break;
      const d = event.data;
      fact(order.partnerId, 'paid', dateOf(d.paidAt), { orderId: d.orderId, amountMinor: d.amount.amountMinor, currency: d.amount.currency });
      break;
    }
    case 'AgreementBreachRecorded':
      if (event.data.breachingParty === 'dealer') fact(event.data.partnerId, 'breach', event.data.occurredOn, { ref: event.data.breachId });
      break;
    case 'ThreadOpened':
      context.setThread(event.data.threadId, { partnerId: event.data.partnerId });
      break;
    case 'MessagePosted': {
      const thread = context.thread(event.data.threadId);
      if (!thread) break;
      const d = event.data;
      const fromDealer = d.author.role === 'dealer' && d.author.partnerId === thread.partnerId;
      if (fromDealer && thread.awaitingSince) {
        fact(thread.partnerId, 'reply', dateOf(d.postedAt), { ref: d.threadId, minutes: minutesBetween(thread.awaitingSince, d.postedAt) });
        context.setThread(d.threadId, { partnerId: thread.partnerId });
      } else if (!fromDealer && d.author.role !== 'system' && !thread.awaitingSince) {
        context.setThread(d.threadId, { partnerId: thread.partnerId, awaitingSince: d.postedAt });
      }
      break;
    }
    case 'SettlementStatementClosed':
      fact(event.data.partnerId, 'closed', dateOf(event.data.closedAt), { ref: event.data.period });
      break;
  }
  return facts;
};

/** A `FactContext` in memory: what an independent replay of the events (`dms performance verify`) uses. */
export const memoryFactContext = (): FactContext => {
  const orders = new Map<string, FactOrder>();
  const categories = new Map<string, string>();
  const threads = new Map<string, FactThread>();
  return {
    order: (id) => orders.get(id),
    setOrder: (id, o) => void orders.set(id, o),
    category: (sku) => categories.get(sku),
    setCategory: (sku, c) => void categories.set(sku, c),
    thread: (id) => threads.get(id),
    setThread: (id, t) => void threads.set(id, t),
  };
};
