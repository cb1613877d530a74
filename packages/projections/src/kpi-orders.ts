import { decidedAutomatically, firstShipmentFill, type OrderEvent } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import { type Kysely, sql } from 'kysely';
import type { KpiInstalmentsTable, KpiInvoicesTable, KpiOrdersTable, KpiReceivablesTable } from './kpis-schema';
import { amongKeys, keysToRead, type Projection, upsertRows } from './projection';
import type { ReadModels } from './schema';

const EVENT_TYPES: readonly OrderEvent['type'][] = [
  'OrderPlaced',
  'OrderQueuedForReview',
  'OrderApproved',
  'OrderRejected',
  'OrderCancelled',
  'OrderShipped',
  'ShipmentDelivered',
  'OrderInvoiced',
  'ShipmentInvoiced',
  'PaymentRecorded',
  'CreditNoteIssued',
];

/**
 * The day an order left the review queue, decided or cancelled, whichever came first; `~` (after every date) while it has
 * not. The review automation KPI's waiting orders are those queued by a day with this after it (queries/kpis/review.ts),
 * over an index of this expression: the orders still waiting, and those that left after the day, not every order ever queued.
 */
export const QUEUE_LEFT_ON = sql`least(coalesce(decided_on, '~'), coalesce(cancelled_on, '~'))`;

/** The calendar day (UTC) of a timestamp, whatever offset it was written with. */
const dayOf = (timestamp: string): string => new Date(timestamp).toISOString().slice(0, 10);
const later = (a: string | null, b: string): string => (a !== null && a > b ? a : b);

const placed = (d: Extract<OrderEvent, { type: 'OrderPlaced' }>['data']): KpiOrdersTable => ({
  order_id: d.orderId,
  partner_id: d.partnerId,
  region: d.region,
  currency: d.currency,
  total_minor: d.total.amountMinor,
  placed_on: dayOf(d.placedAt),
  requested_on: d.requestedDeliveryDate ?? null,
  queued_on: null,
  decision: null,
  decided_on: null,
  decided_automatically: null,
  approved_on: null,
  cancelled_on: null,
  line_quantities: Object.fromEntries(d.lines.map((l) => [l.lineNo, l.quantity])),
  ordered_lines: d.lines.length,
  ordered_qty: d.lines.reduce((a, l) => a + l.quantity, 0),
  first_shipped_on: null,
  first_complete_lines: null,
  first_shipped_qty: null,
  fully_shipped_on: null,
  delivered_on: null,
  settled_minor: 0,
  last_settled_on: null,
  version: 0,
});

/** An order's row and its invoices by id. */
interface OrderRows {
  readonly order: KpiOrdersTable;
  readonly invoices: Map<string, KpiInvoicesTable>;
}

/** After an invoice, payment or credit note: closed from the latest of their days when nothing is owed or due back. */
const reclose = (i: KpiInvoicesTable): void => {
  i.closed_on = Number(i.invoiced_minor) - Number(i.settled_minor) === 0 ? later(i.last_settled_on, i.invoiced_on) : null;
};

/** The receivable entries of a payment: one per invoice it pays (and the discount allowed there), or one for the order's invoice. */
const paymentEntries = (orderId: string, d: Extract<OrderEvent, { type: 'PaymentRecorded' }>['data']): KpiReceivablesTable[] => {
  const base = { order_id: orderId, entry_id: d.paymentId, on_date: dayOf(d.paidAt) };
  if (!d.allocations) return [{ ...base, kind: 'payment', invoice_id: '', amount_minor: d.amount.amountMinor }];
  return d.allocations.flatMap((a) => [
    { ...base, kind: 'payment', invoice_id: a.invoiceId, amount_minor: a.amount.amountMinor },
    // An early-payment discount allowed with a payment settles the invoice as the cash does, on the same day.
    ...(a.discount && a.discount.amountMinor > 0 ? [{ ...base, kind: 'discount', invoice_id: a.invoiceId, amount_minor: a.discount.amountMinor }] : []),
  ]);
};

/** Applies one event to its order's rows, in place; returns the receivable entries it records, if any. */
const apply = ({ order: o, invoices }: OrderRows, event: OrderEvent, recorded: RecordedEvent): KpiReceivablesTable[] | undefined => {
  switch (event.type) {
    case 'OrderQueuedForReview':
      o.queued_on = dayOf(event.data.queuedAt);
      return;
    case 'OrderApproved':
    case 'OrderRejected': {
      const on = dayOf(event.type === 'OrderApproved' ? event.data.approvedAt : event.data.rejectedAt);
      o.decision = event.type === 'OrderApproved' ? 'approved' : 'rejected';
      o.decided_on = on;
      o.decided_automatically = decidedAutomatically(recorded.metadata.actor);
      if (event.type === 'OrderApproved') o.approved_on = on;
      return;
    }
    case 'OrderCancelled':
      o.cancelled_on = dayOf(event.data.cancelledAt);
      return;
    case 'OrderShipped': {
      const on = dayOf(event.data.shippedAt);
      if (o.first_shipped_on === null) {
        const ordered = Object.entries(o.line_quantities as Record<string, number>).map(([lineNo, quantity]) => ({ lineNo: Number(lineNo), quantity }));
        const fill = firstShipmentFill(ordered, event.data.lines);
        o.first_shipped_on = on;
        o.first_complete_lines = fill.completeLines;
        o.first_shipped_qty = fill.shippedQty;
      }
      if (event.data.fullyShipped) o.fully_shipped_on = on;
      return;
    }
    case 'ShipmentDelivered':
      if (event.data.fullyDelivered) o.delivered_on = dayOf(event.data.deliveredAt);
      return;
    case 'OrderInvoiced':
    case 'ShipmentInvoiced': {
      const whole = event.type === 'OrderInvoiced';
      const invoice: KpiInvoicesTable = {
        order_id: o.order_id,
        invoice_id: event.data.invoiceId,
        shipment_id: event.type === 'ShipmentInvoiced' ? event.data.shipmentId : null,
        partner_id: o.partner_id,
        region: o.region,
        currency: o.currency,
        invoiced_on: dayOf(event.data.invoicedAt),
        due_on: event.data.dueDate,
        invoiced_minor: event.data.amount.amountMinor,
        // The whole order's invoice takes every credit note and payment of the order, those before it too.
        settled_minor: whole ? Number(o.settled_minor) : 0,
        last_settled_on: whole ? o.last_settled_on : null,
        closed_on: null,
      };
      reclose(invoice);
      invoices.set(invoice.invoice_id, invoice);
      return;
    }
    case 'PaymentRecorded':
    case 'CreditNoteIssued': {
      const entries =
        event.type === 'PaymentRecorded'
          ? paymentEntries(o.order_id, event.data)
          : [
              {
                order_id: o.order_id,
                kind: 'credit_note',
                entry_id: event.data.creditNoteId,
                invoice_id: event.data.invoiceId ?? '',
                on_date: dayOf(event.data.issuedAt),
                amount_minor: event.data.amount.amountMinor,
              },
            ];
      const onDate = entries[0]!.on_date;
      o.settled_minor = Number(o.settled_minor) + entries.reduce((a, e) => a + e.amount_minor, 0);
      o.last_settled_on = later(o.last_settled_on, onDate);
      for (const invoice of invoices.values()) {
        const settles = entries.filter((e) => invoice.shipment_id === null || e.invoice_id === invoice.invoice_id);
        if (settles.length === 0) continue;
        invoice.settled_minor = Number(invoice.settled_minor) + settles.reduce((a, e) => a + e.amount_minor, 0);
        invoice.last_settled_on = later(invoice.last_settled_on, onDate);
        reclose(invoice);
      }
      return entries;
    }
    default:
      return;
  }
};

const orderIdOf = (e: RecordedEvent) => e.streamId.slice('order-'.length);

/** The instalments an invoice event records, oldest due first, each with what must be settled to pay it off. */
const instalmentRows = (orderId: string, event: OrderEvent): KpiInstalmentsTable[] => {
  if ((event.type !== 'OrderInvoiced' && event.type !== 'ShipmentInvoiced') || !event.data.instalments) return [];
  let through = 0;
  return event.data.instalments.map((i, n) => {
    through += i.amount.amountMinor;
    return { order_id: orderId, invoice_id: event.data.invoiceId, seq: n + 1, due_on: i.dueOn, amount_minor: i.amount.amountMinor, through_minor: through };
  });
};

/**
 * `kpi_orders`: one row per order with the days and first-shipment figures behind the backlog, fill rate, on-time
 * delivery and review automation KPIs; `kpi_invoices`: one row per invoice (the whole order's, or each shipment's) with
 * its days and what is set against it; `kpi_instalments`: the instalments of an invoice that has them; `kpi_receivables`: the order's credit notes, payments and early-payment discounts
 * (`discount`, beside the payment that earned it) by day and invoice, for aged receivables and DSO on any day (see
 * docs/kpis.md, docs/receivables.md).
 */
export const kpiOrdersProjection: Projection = {
  name: 'kpi_orders',
  // 2: the invoice id, for each dealer's open invoices (docs/receivables.md). 3: one row per invoice (`kpi_invoices`),
  // each shipment's too, and the invoice each receivable entry settles. 4: each invoice's instalments
  // (`kpi_instalments`), aged by their own due dates.
  version: 4,
  eventTypes: EVENT_TYPES,
  tables: ['kpi_orders', 'kpi_invoices', 'kpi_instalments', 'kpi_receivables'],
  async createTables(db) {
    let orders = db.schema
      .createTable('kpi_orders')
      .ifNotExists()
      .addColumn('order_id', 'text', (c) => c.primaryKey());
    for (const col of ['partner_id', 'region', 'currency', 'placed_on']) orders = orders.addColumn(col, 'text', (c) => c.notNull());
    for (const col of [
      'requested_on',
      'queued_on',
      'decision',
      'decided_on',
      'approved_on',
      'cancelled_on',
      'first_shipped_on',
      'fully_shipped_on',
      'delivered_on',
      'last_settled_on',
    ])
      orders = orders.addColumn(col, 'text');
    await orders
      .addColumn('total_minor', 'bigint', (c) => c.notNull())
      .addColumn('decided_automatically', 'boolean')
      .addColumn('line_quantities', 'jsonb', (c) => c.notNull())
      .addColumn('ordered_lines', 'integer', (c) => c.notNull())
      .addColumn('ordered_qty', 'integer', (c) => c.notNull())
      .addColumn('first_complete_lines', 'integer')
      .addColumn('first_shipped_qty', 'integer')
      .addColumn('settled_minor', 'bigint', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    let invoices = db.schema.createTable('kpi_invoices').ifNotExists();
    for (const col of ['partner_id', 'region', 'currency', 'invoiced_on', 'due_on']) invoices = invoices.addColumn(col, 'text', (c) => c.notNull());
    for (const col of ['shipment_id', 'last_settled_on', 'closed_on']) invoices = invoices.addColumn(col, 'text');
    await invoices
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('invoice_id', 'text', (c) => c.notNull())
      .addColumn('invoiced_minor', 'bigint', (c) => c.notNull())
      .addColumn('settled_minor', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('kpi_invoices_pkey', ['order_id', 'invoice_id'])
      .execute();
    await db.schema
      .createTable('kpi_instalments')
      .ifNotExists()
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('invoice_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('due_on', 'text', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('through_minor', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('kpi_instalments_pkey', ['order_id', 'invoice_id', 'seq'])
      .execute();
    await db.schema
      .createTable('kpi_receivables')
      .ifNotExists()
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('entry_id', 'text', (c) => c.notNull())
      .addColumn('invoice_id', 'text', (c) => c.notNull())
      .addColumn('on_date', 'text', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('kpi_receivables_pkey', ['order_id', 'kind', 'entry_id', 'invoice_id'])
      .execute();
  },
  async createIndexes(db) {
    for (const column of ['first_shipped_on', 'delivered_on', 'decided_on', 'approved_on'])
      await db.schema.createIndex(`kpi_orders_${column}_idx`).ifNotExists().on('kpi_orders').column(column).execute();
    await db.schema.createIndex('kpi_orders_partner_idx').ifNotExists().on('kpi_orders').column('partner_id').execute();
    // The review queue at the end of a day: orders queued by then that left it (decided or cancelled) after it, or not yet.
    await db.schema
      .createIndex('kpi_orders_queue_left_idx')
      .ifNotExists()
      .on('kpi_orders')
      .expression(QUEUE_LEFT_ON)
      .where(sql.ref('queued_on'), 'is not', null)
      .execute();
    await db.schema.createIndex('kpi_invoices_invoiced_on_idx').ifNotExists().on('kpi_invoices').column('invoiced_on').execute();
    await db.schema.createIndex('kpi_invoices_partner_idx').ifNotExists().on('kpi_invoices').column('partner_id').execute();
    await db.schema.createIndex('kpi_receivables_on_idx').ifNotExists().on('kpi_receivables').columns(['kind', 'on_date']).execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    // An order placed in this batch has no rows to read yet (placement is its stream's first event).
    const ids = keysToRead(events, orderIdOf, (e) => e.type === 'OrderPlaced');
    const rows = new Map<string, OrderRows>(
      ids.length === 0
        ? []
        : (await db.selectFrom('kpi_orders').selectAll().where(amongKeys('order_id', ids)).execute()).map((o) => [
            o.order_id,
            { order: o, invoices: new Map() },
          ]),
    );
    if (rows.size > 0)
      for (const i of await db
        .selectFrom('kpi_invoices')
        .selectAll()
        .where(amongKeys('order_id', [...rows.keys()]))
        .execute())
        rows.get(i.order_id)?.invoices.set(i.invoice_id, i);
    const changed = new Set<string>();
    const entries: KpiReceivablesTable[] = [];
    const instalments: KpiInstalmentsTable[] = [];
    for (const recorded of events) {
      const event = recorded as unknown as OrderEvent;
      if (event.type === 'OrderPlaced') rows.set(event.data.orderId, { order: placed(event.data), invoices: new Map() });
      const row = rows.get(orderIdOf(recorded));
      if (!row) continue;
      const recordedEntries = apply(row, event, recorded);
      if (recordedEntries) entries.push(...recordedEntries);
      instalments.push(...instalmentRows(row.order.order_id, event));
      row.order.version = recorded.streamVersion;
      changed.add(row.order.order_id);
    }
    const orders = [...changed].map((id) => rows.get(id)!);
    await upsertRows(
      db,
      'kpi_orders',
      ['order_id'],
      orders.map((r) => r.order),
    );
    await upsertRows(
      db,
      'kpi_invoices',
      ['order_id', 'invoice_id'],
      orders.flatMap((r) => [...r.invoices.values()]),
    );
    await upsertRows(db, 'kpi_instalments', ['order_id', 'invoice_id', 'seq'], instalments);
    await upsertRows(db, 'kpi_receivables', ['order_id', 'kind', 'entry_id', 'invoice_id'], entries);
  },
};
