import { deriveOrderStatus, type OrderEvent } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import { type Kysely, sql } from 'kysely';
import { addToRows, amongKeys, keysToRead, type Projection, upsertRows } from './projection';
import type { OrderLinesTable, OrderSalesDailyTable, OrderShipmentsTable, OrdersTable, ReadModels } from './schema';

interface OrderRows {
  order: OrdersTable;
  lines: Map<number, OrderLinesTable>;
  shipments: Map<string, OrderShipmentsTable>;
  /** The lines and shipments this batch changed: only they are written back (most events change the order row alone). */
  changedLines: Set<OrderLinesTable>;
  changedShipments: Set<OrderShipmentsTable>;
}

const EVENT_TYPES: readonly OrderEvent['type'][] = [
  'OrderPlaced',
  'OrderApproved',
  'OrderRejected',
  'OrderConfirmed',
  'OrderCancelled',
  'OrderShipped',
  'ShipmentDelivered',
  'OrderInvoiced',
  'ShipmentInvoiced',
  'PaymentRecorded',
  'OrderPaid',
  'GoodsReturned',
  'CreditNoteIssued',
  'OrderQueuedForReview',
];

const sumLines = (rows: OrderRows, field: 'quantity' | 'shipped' | 'delivered' | 'returned') => {
  let total = 0;
  for (const line of rows.lines.values()) total += line[field];
  return total;
};

/** Invoiced in full: the whole order's invoice, or every line shipped in full and every shipment invoiced (the domain's `fullyInvoiced`). */
const fullyInvoiced = (rows: OrderRows): boolean =>
  rows.order.invoice_id !== null ||
  (rows.shipments.size > 0 && sumLines(rows, 'shipped') === sumLines(rows, 'quantity') && [...rows.shipments.values()].every((s) => s.invoice_id !== null));

/** Recomputes the totals and the displayed status with the domain's own rule, so read model and aggregate agree. */
const refresh = (rows: OrderRows, at: string, version: number): void => {
  const o = rows.order;
  o.ordered_qty = sumLines(rows, 'quantity');
  o.shipped_qty = sumLines(rows, 'shipped');
  o.delivered_qty = sumLines(rows, 'delivered');
  o.returned_qty = sumLines(rows, 'returned');
  const invoiced = o.invoice_id !== null || [...rows.shipments.values()].some((s) => s.invoice_id !== null);
  o.outstanding_minor = invoiced ? Number(o.invoiced_minor) - Number(o.credited_minor) - Number(o.paid_minor) - Number(o.discounted_minor) : 0;
  o.status = deriveOrderStatus({
    lifecycle: o.lifecycle as Parameters<typeof deriveOrderStatus>[0]['lifecycle'],
    ordered: o.ordered_qty,
    shipped: o.shipped_qty,
    delivered: o.delivered_qty,
    invoiced: fullyInvoiced(rows),
    outstandingMinor: o.outstanding_minor,
  });
  o.updated_at = at;
  o.version = version;
};

const placed = (event: Extract<OrderEvent, { type: 'OrderPlaced' }>): OrderRows => {
  const d = event.data;
  const order: OrdersTable = {
    order_id: d.orderId,
    partner_id: d.partnerId,
    region: d.region,
    tier: d.tier,
    currency: d.currency,
    status: 'placed',
    lifecycle: 'placed',
    status_reason: null,
    total_minor: d.total.amountMinor,
    tax_minor: d.tax?.amountMinor ?? 0,
    credited_tax_minor: 0,
    line_count: d.lines.length,
    ordered_qty: 0,
    shipped_qty: 0,
    delivered_qty: 0,
    returned_qty: 0,
    invoice_id: null,
    invoiced_minor: 0,
    credited_minor: 0,
    paid_minor: 0,
    discounted_minor: 0,
    outstanding_minor: 0,
    due_date: null,
    customer_reference: d.customerReference ?? null,
    requested_delivery_date: d.requestedDeliveryDate ?? null,
    placed_at: d.placedAt,
    approved_at: null,
    rejected_at: null,
    confirmed_at: null,
    cancelled_at: null,
    first_shipped_at: null,
    shipped_at: null,
    delivered_at: null,
    invoiced_at: null,
    paid_at: null,
    last_returned_at: null,
    version: 0,
    updated_at: d.placedAt,
  };
  const lines = new Map(
    d.lines.map((l) => [
      l.lineNo,
      {
        order_id: d.orderId,
        line_no: l.lineNo,
        sku: l.sku,
        quantity: l.quantity,
        unit_price_minor: l.unitPrice.amountMinor,
        discount_bps: l.discountBps,
        net_minor: l.netAmount.amountMinor,
        shipped: 0,
        delivered: 0,
        returned: 0,
        invoiced_minor: 0,
        credited_minor: 0,
        price_source: l.priceSource ?? null,
        promotions: l.promotions ?? null,
        tax: l.tax ?? null,
        credited_tax_minor: 0,
      },
    ]),
  );
  return { order, lines, shipments: new Map(), changedLines: new Set(lines.values()), changedShipments: new Set() };
};

const addToLines = (rows: OrderRows, changes: readonly { lineNo: number; quantity: number }[], field: 'shipped' | 'delivered') => {
  for (const c of changes) {
    const line = rows.lines.get(c.lineNo);
    if (line) {
      line[field] += c.quantity;
      rows.changedLines.add(line);
    }
  }
};

/** Applies one event to the rows of its order, in place. Returns the moment the event happened. */
const apply = (rows: OrderRows, event: OrderEvent): string => {
  const o = rows.order;
  switch (event.type) {
    case 'OrderPlaced':
      return event.data.placedAt;
    case 'OrderApproved':
      o.lifecycle = 'approved';
      o.status_reason = null;
      o.approved_at = event.data.approvedAt;
      return event.data.approvedAt;
    case 'OrderRejected':
      o.lifecycle = 'rejected';
      o.rejected_at = event.data.rejectedAt;
      o.status_reason = event.data.reason;
      return event.data.rejectedAt;
    case 'OrderConfirmed':
      o.lifecycle = 'confirmed';
      o.confirmed_at = event.data.confirmedAt;
      return event.data.confirmedAt;
    case 'OrderCancelled':
      o.lifecycle = 'cancelled';
      o.cancelled_at = event.data.cancelledAt;
      o.status_reason = event.data.reason;
      return event.data.cancelledAt;
    case 'OrderShipped': {
      const d = event.data;
      addToLines(rows, d.lines, 'shipped');
      const shipment: OrderShipmentsTable = {
        order_id: d.orderId,
        shipment_id: d.shipmentId,
        warehouse_id: d.warehouseId ?? null,
        carrier: d.carrier ?? null,
        tracking_number: d.trackingNumber ?? null,
        lines: d.lines,
        quantity: d.lines.reduce((a, l) => a + l.quantity, 0),
        shipped_at: d.shippedAt,
        delivered_at: null,
        invoice_id: null,
        invoiced_minor: null,
        invoiced_tax_minor: null,
        invoiced_at: null,
        due_date: null,
      };
      rows.shipments.set(d.shipmentId, shipment);
      rows.changedShipments.add(shipment);
      o.first_shipped_at ??= d.shippedAt;
      if (d.fullyShipped) o.shipped_at = d.shippedAt;
      return d.shippedAt;
    }
    case 'ShipmentDelivered': {
      const d = event.data;
      addToLines(rows, d.lines, 'delivered');
      const shipment = rows.shipments.get(d.shipmentId);
      if (shipment) {
        shipment.delivered_at = d.deliveredAt;
        rows.changedShipments.add(shipment);
      }
      if (d.fullyDelivered) o.delivered_at = d.deliveredAt;
      return d.deliveredAt;
    }
    case 'OrderInvoiced':
      for (const line of rows.lines.values()) {
        line.invoiced_minor = line.net_minor;
        rows.changedLines.add(line);
      }
      o.invoice_id = event.data.invoiceId;
      o.invoiced_minor = event.data.amount.amountMinor;
      o.invoiced_at = event.data.invoicedAt;
      o.due_date = event.data.dueDate;
      return event.data.invoicedAt;
    case 'ShipmentInvoiced': {
      const d = event.data;
      const shipment = rows.shipments.get(d.shipmentId);
      if (shipment) {
        shipment.invoice_id = d.invoiceId;
        shipment.invoiced_minor = d.amount.amountMinor;
        shipment.invoiced_tax_minor = d.tax?.amountMinor ?? 0;
        shipment.invoiced_at = d.invoicedAt;
        shipment.due_date = d.dueDate;
        rows.changedShipments.add(shipment);
      }
      for (const l of d.lines) {
        const line = rows.lines.get(l.lineNo);
        if (line) {
          line.invoiced_minor = Number(line.invoiced_minor) + l.net.amountMinor;
          rows.changedLines.add(line);
        }
      }
      o.invoiced_minor = Number(o.invoiced_minor) + d.amount.amountMinor;
      // The order's invoice date is its last shipment's, once every line is invoiced; each shipment keeps its own.
      if (fullyInvoiced(rows)) o.invoiced_at = d.invoicedAt;
      return d.invoicedAt;
    }
    case 'PaymentRecorded':
      o.paid_minor += event.data.amount.amountMinor;
      o.discounted_minor += (event.data.allocations ?? []).reduce((a, x) => a + (x.discount?.amountMinor ?? 0), 0);
      return event.data.paidAt;
    case 'OrderPaid':
      o.paid_at = event.data.paidAt;
      return event.data.paidAt;
    case 'GoodsReturned':
      for (const r of event.data.lines) {
        const line = rows.lines.get(r.lineNo);
        if (line) {
          line.returned += r.quantity;
          line.credited_minor += r.creditAmount.amountMinor;
          line.credited_tax_minor += r.creditTax?.amountMinor ?? 0;
          rows.changedLines.add(line);
        }
      }
      o.last_returned_at = event.data.returnedAt;
      return event.data.returnedAt;
    case 'CreditNoteIssued':
      o.credited_minor += event.data.amount.amountMinor;
      o.credited_tax_minor += event.data.tax?.amountMinor ?? 0;
      return event.data.issuedAt;
    case 'OrderQueuedForReview':
      o.status_reason = `Waiting for review: ${event.data.reasons.map((r) => r.message).join(' ')}`;
      return event.data.queuedAt;
    // Stock allocation is shown by the stock read models (stock_reservations), not here.
    case 'OrderStockAllocated':
      return event.data.allocatedAt;
    case 'OrderStockReserved':
      return event.data.reservedAt;
    case 'OrderStockReallocated':
      return event.data.reallocatedAt;
  }
};

const orderIdOf = (e: RecordedEvent) => e.streamId.slice('order-'.length);

type SalesKey = Pick<OrderSalesDailyTable, 'day' | 'region' | 'partner_id' | 'currency'>;
const keyOfSales = ({ day, region, partner_id, currency }: SalesKey): SalesKey => ({ day, region, partner_id, currency });
const amongSalesKeys = (keys: readonly SalesKey[]) =>
  sql<boolean>`(day, region, partner_id, currency) in (
    select k.day, k.region, k.partner_id, k.currency from jsonb_to_recordset(${JSON.stringify(keys.map(keyOfSales))}::jsonb)
      as k(day text, region text, partner_id text, currency text))`;
const salesId = (k: SalesKey) => JSON.stringify([k.day, k.region, k.partner_id, k.currency]);
const SALES_SUMS = [
  'orders',
  'ordered_qty',
  'shipped_qty',
  'delivered_qty',
  'returned_qty',
  'ordered_minor',
  'credited_minor',
  'invoiced_minor',
  'paid_minor',
] as const satisfies readonly (keyof OrderSalesDailyTable)[];

/** What an order adds to its day's sales (`order_sales_daily`): nothing once rejected or cancelled, as the sales KPIs count. */
const salesOf = (o: OrdersTable): OrderSalesDailyTable | null =>
  o.lifecycle === 'rejected' || o.lifecycle === 'cancelled'
    ? null
    : {
        // The text comparisons of the sales queries (`placed_at >= from`, `< day after to`) are exactly those of its first ten characters.
        day: o.placed_at.slice(0, 10),
        region: o.region,
        partner_id: o.partner_id,
        currency: o.currency,
        orders: 1,
        // bigint columns come back as text: Number keeps integers exact far beyond any order's amounts (see Money).
        ordered_qty: Number(o.ordered_qty),
        shipped_qty: Number(o.shipped_qty),
        delivered_qty: Number(o.delivered_qty),
        returned_qty: Number(o.returned_qty),
        ordered_minor: Number(o.total_minor),
        credited_minor: Number(o.credited_minor),
        invoiced_minor: Number(o.invoiced_minor),
        paid_minor: Number(o.paid_minor ?? 0),
      };

/**
 * The change a batch makes to `order_sales_daily`: per key, each changed order's sales after the batch less its sales
 * before (read with its row), added to the key's row; a key left with no order loses its row, so that a rebuild and the
 * live projection hold the same rows.
 */
const writeSalesDeltas = async (db: Kysely<ReadModels>, changes: readonly { before: OrderSalesDailyTable | null; after: OrderSalesDailyTable | null }[]) => {
  const deltas = new Map<string, OrderSalesDailyTable>();
  const add = (s: OrderSalesDailyTable | null, sign: 1 | -1) => {
    if (s === null) return;
    const id = salesId(s);
    let d = deltas.get(id);
    if (!d) {
      d = { ...s };
      for (const c of SALES_SUMS) d[c] = 0;
      deltas.set(id, d);
    }
    for (const c of SALES_SUMS) d[c] += sign * s[c];
  };
  for (const { before, after } of changes) {
    add(before, -1);
    add(after, 1);
  }
  const rows = [...deltas.values()].filter((d) => SALES_SUMS.some((c) => d[c] !== 0));
  // Added in place rather than read, summed and written back: a rebuild applies a batch's orders in parts at once
  // (`partOf`), whose sums for one day and partner must all count.
  await addToRows(db, 'order_sales_daily', ['day', 'region', 'partner_id', 'currency'], rows);
  const fewer = rows.filter((r) => r.orders < 0);
  if (fewer.length > 0) await db.deleteFrom('order_sales_daily').where(amongSalesKeys(fewer)).where('orders', '=', 0).execute();
};

/**
 * `orders`, `order_lines`, `order_shipments`: one row per order with its status, totals and the date of every step;
 * `order_sales_daily`: those orders summed per day, region, partner and currency, for the sales KPIs.
 */
export const ordersProjection: Projection = {
  name: 'orders',
  // 5: early-payment discounts allowed (`discounted_minor`), which settle an invoice as payments do. 6: each shipment's
  // invoice (`order_shipments.invoice_id` ...), counted in what the order invoiced and owes; the net invoiced per line.
  // 7: sales per day, region, partner and currency (`order_sales_daily`), which the sales KPIs sum.
  version: 7,
  eventTypes: EVENT_TYPES,
  tables: ['orders', 'order_lines', 'order_shipments', 'order_sales_daily'],
  partOf: orderIdOf,
  readsMetadata: false,
  async createTables(db) {
    const money = 'bigint' as const;
    let orders = db.schema
      .createTable('orders')
      .ifNotExists()
      .addColumn('order_id', 'text', (c) => c.primaryKey());
    for (const col of ['partner_id', 'region', 'tier', 'currency', 'status', 'lifecycle', 'placed_at', 'updated_at'])
      orders = orders.addColumn(col, 'text', (c) => c.notNull());
    for (const col of ['status_reason', 'invoice_id', 'due_date', 'customer_reference', 'requested_delivery_date']) orders = orders.addColumn(col, 'text');
    for (const col of [
      'approved_at',
      'rejected_at',
      'confirmed_at',
      'cancelled_at',
      'first_shipped_at',
      'shipped_at',
      'delivered_at',
      'invoiced_at',
      'paid_at',
      'last_returned_at',
    ]) {
      orders = orders.addColumn(col, 'text');
    }
    for (const col of [
      'total_minor',
      'tax_minor',
      'invoiced_minor',
      'credited_minor',
      'credited_tax_minor',
      'paid_minor',
      'discounted_minor',
      'outstanding_minor',
    ])
      orders = orders.addColumn(col, money, (c) => c.notNull());
    for (const col of ['line_count', 'ordered_qty', 'shipped_qty', 'delivered_qty', 'returned_qty', 'version'])
      orders = orders.addColumn(col, 'integer', (c) => c.notNull());
    await orders.execute();

    await db.schema
      .createTable('order_lines')
      .ifNotExists()
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('line_no', 'integer', (c) => c.notNull())
      .addColumn('sku', 'text', (c) => c.notNull())
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('unit_price_minor', money, (c) => c.notNull())
      .addColumn('discount_bps', 'integer', (c) => c.notNull())
      .addColumn('net_minor', money, (c) => c.notNull())
      .addColumn('shipped', 'integer', (c) => c.notNull())
      .addColumn('delivered', 'integer', (c) => c.notNull())
      .addColumn('returned', 'integer', (c) => c.notNull())
      .addColumn('invoiced_minor', money, (c) => c.notNull())
      .addColumn('credited_minor', money, (c) => c.notNull())
      .addColumn('price_source', 'jsonb')
      .addColumn('promotions', 'jsonb')
      .addColumn('tax', 'jsonb')
      .addColumn('credited_tax_minor', money, (c) => c.notNull())
      .addPrimaryKeyConstraint('order_lines_pkey', ['order_id', 'line_no'])
      .execute();

    await db.schema
      .createTable('order_shipments')
      .ifNotExists()
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('shipment_id', 'text', (c) => c.notNull())
      .addColumn('warehouse_id', 'text')
      .addColumn('carrier', 'text')
      .addColumn('tracking_number', 'text')
      .addColumn('lines', 'jsonb', (c) => c.notNull())
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('shipped_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .addColumn('invoice_id', 'text')
      .addColumn('invoiced_minor', money)
      .addColumn('invoiced_tax_minor', money)
      .addColumn('invoiced_at', 'text')
      .addColumn('due_date', 'text')
      .addPrimaryKeyConstraint('order_shipments_pkey', ['order_id', 'shipment_id'])
      .execute();

    let daily = db.schema.createTable('order_sales_daily').ifNotExists();
    for (const col of ['day', 'region', 'partner_id', 'currency']) daily = daily.addColumn(col, 'text', (c) => c.notNull());
    daily = daily.addColumn('orders', 'integer', (c) => c.notNull());
    for (const col of SALES_SUMS.slice(1)) daily = daily.addColumn(col, 'bigint', (c) => c.notNull());
    await daily.addPrimaryKeyConstraint('order_sales_daily_pkey', ['day', 'region', 'partner_id', 'currency'] as never).execute();
  },
  async createIndexes(db) {
    await db.schema.createIndex('orders_placed_idx').ifNotExists().on('orders').columns(['placed_at desc', 'order_id desc']).execute();
    await db.schema.createIndex('orders_partner_idx').ifNotExists().on('orders').columns(['partner_id', 'placed_at desc']).execute();
    await db.schema.createIndex('orders_status_idx').ifNotExists().on('orders').columns(['status', 'placed_at desc']).execute();
    await db.schema.createIndex('orders_region_idx').ifNotExists().on('orders').columns(['region', 'placed_at desc']).execute();
    await db.schema.createIndex('order_lines_sku_idx').ifNotExists().on('order_lines').column('sku').execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    // An order placed in this batch has no rows to read yet (placement is its stream's first event).
    const ids = keysToRead(events, orderIdOf, (e) => e.type === 'OrderPlaced');
    const [orders, lines, shipments] =
      ids.length === 0
        ? [[], [], []]
        : await Promise.all([
            db.selectFrom('orders').selectAll().where(amongKeys('order_id', ids)).execute(),
            db.selectFrom('order_lines').selectAll().where(amongKeys('order_id', ids)).execute(),
            db.selectFrom('order_shipments').selectAll().where(amongKeys('order_id', ids)).execute(),
          ]);
    const byId = new Map<string, OrderRows>(
      orders.map((o) => [o.order_id, { order: o, lines: new Map(), shipments: new Map(), changedLines: new Set(), changedShipments: new Set() }]),
    );
    for (const l of lines) byId.get(l.order_id)?.lines.set(l.line_no, l);
    for (const s of shipments) byId.get(s.order_id)?.shipments.set(s.shipment_id, s);

    // Each loaded order's sales before the batch; an order placed in it had none.
    const salesBefore = new Map<string, OrderSalesDailyTable | null>(orders.map((o) => [o.order_id, salesOf(o)]));
    const changed = new Set<OrderRows>();
    for (const recorded of events) {
      const event = recorded as unknown as OrderEvent;
      let rows = byId.get(orderIdOf(recorded));
      if (event.type === 'OrderPlaced') {
        rows = placed(event);
        byId.set(event.data.orderId, rows);
      }
      if (!rows) continue;
      const at = apply(rows, event);
      refresh(rows, at, recorded.streamVersion);
      changed.add(rows);
    }
    const all = [...changed];
    await upsertRows(
      db,
      'orders',
      ['order_id'],
      all.map((r) => r.order),
    );
    await upsertRows(
      db,
      'order_lines',
      ['order_id', 'line_no'],
      all.flatMap((r) => [...r.changedLines]),
    );
    await upsertRows(
      db,
      'order_shipments',
      ['order_id', 'shipment_id'],
      all.flatMap((r) => [...r.changedShipments]),
    );
    await writeSalesDeltas(
      db,
      all.map((r) => ({ before: salesBefore.get(r.order.order_id) ?? null, after: salesOf(r.order) })),
    );
  },
};
