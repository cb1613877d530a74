import { decidedAutomatically, firstShipmentFill, type OrderEvent } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import type { Kysely } from 'kysely';
import type { KpiOrdersTable, KpiReceivablesTable } from './kpis-schema';
import { amongKeys, type Projection, upsertRows } from './projection';
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
  'PaymentRecorded',
  'CreditNoteIssued',
];

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
  invoiced_on: null,
  due_on: null,
  invoice_id: null,
  invoiced_minor: null,
  settled_minor: 0,
  last_settled_on: null,
  closed_on: null,
  version: 0,
});

/** After an invoice, payment or credit note: closed from the latest of their days when nothing is owed or due back. */
const reclose = (o: KpiOrdersTable): void => {
  const owed = o.invoiced_minor === null ? null : Number(o.invoiced_minor) - Number(o.settled_minor);
  o.closed_on = owed === 0 ? later(o.last_settled_on, o.invoiced_on!) : null;
};

/** Applies one event to its order's row, in place; returns the receivable entries it records, if any. */
const apply = (o: KpiOrdersTable, event: OrderEvent, recorded: RecordedEvent): KpiReceivablesTable[] | undefined => {
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
      o.invoice_id = event.data.invoiceId;
      o.invoiced_on = dayOf(event.data.invoicedAt);
      o.due_on = event.data.dueDate;
      o.invoiced_minor = event.data.amount.amountMinor;
      reclose(o);
      return;
    case 'PaymentRecorded':
    case 'CreditNoteIssued': {
      const payment = event.type === 'PaymentRecorded';
      const entry: KpiReceivablesTable = {
        order_id: o.order_id,
        kind: payment ? 'payment' : 'credit_note',
        entry_id: payment ? event.data.paymentId : event.data.creditNoteId,
        on_date: dayOf(payment ? event.data.paidAt : event.data.issuedAt),
        amount_minor: event.data.amount.amountMinor,
      };
      // An early-payment discount allowed with a payment settles the invoice as the cash does, on the same day.
      const discountMinor = payment ? (event.data.allocations ?? []).reduce((a, x) => a + (x.discount?.amountMinor ?? 0), 0) : 0;
      const entries = [entry, ...(discountMinor > 0 ? [{ ...entry, kind: 'discount', amount_minor: discountMinor }] : [])];
      o.settled_minor = Number(o.settled_minor) + entry.amount_minor + discountMinor;
      o.last_settled_on = later(o.last_settled_on, entry.on_date);
      reclose(o);
      return entries;
    }
    default:
      return;
  }
};

const orderIdOf = (e: RecordedEvent) => e.streamId.slice('order-'.length);

/**
 * `kpi_orders`: one row per order with the days and first-shipment figures behind the backlog, fill rate, on-time
 * delivery and review automation KPIs; `kpi_receivables`: its credit notes, payments and early-payment discounts
 * (`discount`, beside the payment that earned it) by day, for aged receivables
 * and DSO on any day (see docs/kpis.md).
 */
export const kpiOrdersProjection: Projection = {
  name: 'kpi_orders',
  // 2: the invoice id, for each dealer's open invoices (docs/receivables.md).
  version: 2,
  eventTypes: EVENT_TYPES,
  tables: ['kpi_orders', 'kpi_receivables'],
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
      'invoice_id',
      'invoiced_on',
      'due_on',
      'last_settled_on',
      'closed_on',
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
      .addColumn('invoiced_minor', 'bigint')
      .addColumn('settled_minor', 'bigint', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('kpi_receivables')
      .ifNotExists()
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('entry_id', 'text', (c) => c.notNull())
      .addColumn('on_date', 'text', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('kpi_receivables_pkey', ['order_id', 'kind', 'entry_id'])
      .execute();
  },
  async createIndexes(db) {
    for (const column of ['first_shipped_on', 'delivered_on', 'decided_on', 'approved_on', 'invoiced_on'])
      await db.schema.createIndex(`kpi_orders_${column}_idx`).ifNotExists().on('kpi_orders').column(column).execute();
    await db.schema.createIndex('kpi_orders_partner_idx').ifNotExists().on('kpi_orders').column('partner_id').execute();
    await db.schema.createIndex('kpi_receivables_on_idx').ifNotExists().on('kpi_receivables').columns(['kind', 'on_date']).execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    const ids = [...new Set(events.map(orderIdOf))];
    const rows = new Map((await db.selectFrom('kpi_orders').selectAll().where(amongKeys('order_id', ids)).execute()).map((o) => [o.order_id, o]));
    const changed = new Set<string>();
    const entries: KpiReceivablesTable[] = [];
    for (const recorded of events) {
      const event = recorded as unknown as OrderEvent;
      if (event.type === 'OrderPlaced') rows.set(event.data.orderId, placed(event.data));
      const row = rows.get(orderIdOf(recorded));
      if (!row) continue;
      const recordedEntries = apply(row, event, recorded);
      if (recordedEntries) entries.push(...recordedEntries);
      row.version = recorded.streamVersion;
      changed.add(row.order_id);
    }
    await upsertRows(
      db,
      'kpi_orders',
      ['order_id'],
      [...changed].map((id) => rows.get(id)!),
    );
    await upsertRows(db, 'kpi_receivables', ['order_id', 'kind', 'entry_id'], entries);
  },
};
