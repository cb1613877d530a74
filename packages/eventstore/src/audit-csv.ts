import {
  type ExistingOrder,
  formatMoney,
  type Money,
  type OrderEvent,
  OrderEvent as OrderEventSchema,
  type OrderState,
  orderDecider,
  orderStatus,
} from '@dms/domain';

/**
 * Spreadsheet views of an audit selection: one row per event (`events.csv`), and one row per order line with its final
 * state and its history (`order-lines.csv`), folded with the domain's evolve. RFC 4180: comma separated, CRLF, fields
 * quoted when they hold a comma, a quote or a line break; a field that a spreadsheet would run as a formula (starting
 * with =, +, -, @) is prefixed with a quote mark.
 */

/** The fields of a recorded event the views need (a bundle line or a `RecordedEvent`). */
export interface CsvEvent {
  readonly globalPosition: bigint | string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: {
    readonly actor: { readonly id: string; readonly role: string; readonly partnerId?: string };
    readonly commandId?: string | null;
    readonly correlationId: string;
    readonly causationId?: string | null;
    readonly prevHash: string | null;
    readonly hash: string;
  };
  readonly recordedAt: Date | string;
}

const field = (value: unknown): string => {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
export const csvRow = (values: readonly unknown[]): string => `${values.map(field).join(',')}\r\n`;

const iso = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString());

export const EVENTS_CSV_HEADER = csvRow([
  'globalPosition',
  'streamId',
  'streamVersion',
  'recordedAt',
  'type',
  'actorId',
  'actorRole',
  'actorPartnerId',
  'commandId',
  'correlationId',
  'causationId',
  'eventId',
  'prevHash',
  'hash',
  'data',
]);

/** One event as a row of `events.csv`: who, when, why, its link, and its data as JSON. */
export const eventCsvRow = (e: CsvEvent): string =>
  csvRow([
    e.globalPosition.toString(),
    e.streamId,
    e.streamVersion,
    iso(e.recordedAt),
    e.type,
    e.metadata.actor.id,
    e.metadata.actor.role,
    e.metadata.actor.partnerId ?? '',
    e.metadata.commandId ?? '',
    e.metadata.correlationId,
    e.metadata.causationId ?? '',
    e.eventId,
    e.metadata.prevHash ?? '',
    e.metadata.hash,
    JSON.stringify(e.data),
  ]);

export const ORDER_LINES_CSV_HEADER = csvRow([
  'orderId',
  'partnerId',
  'region',
  'placedAt',
  'status',
  'lineNo',
  'sku',
  'quantity',
  'unitPrice',
  'discountBps',
  'netAmount',
  'currency',
  'shipped',
  'delivered',
  'returned',
  'credited',
  'history',
]);

const money = (m: Money) => formatMoney(m);
/** A spreadsheet number: minor units as a decimal with two places, no separators (the currency has its own column). */
const amount = (m: Money) => {
  const abs = BigInt(Math.abs(m.amountMinor));
  return `${m.amountMinor < 0 ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
};

/** Folds order events stream by stream and writes one row per order line, with what happened to it, when and by whom. */
export class OrderLinesCsv {
  readonly #orders = new Map<string, { state: OrderState; history: Map<number, string[]> }>();

  push(e: CsvEvent): void {
    if (!e.streamId.startsWith('order-')) return;
    const parsed = OrderEventSchema.safeParse({ type: e.type, data: e.data });
    const known = this.#orders.get(e.streamId);
    if (!parsed.success || (!known && e.streamVersion !== 0)) return;
    const order = known ?? { state: orderDecider.initialState, history: new Map<number, string[]>() };
    const event = parsed.data as OrderEvent;
    order.state = orderDecider.evolve(order.state, event);
    const when = `${iso(e.recordedAt).slice(0, 19)}Z ${e.metadata.actor.id}`;
    const note = (lineNo: number | 'all', text: string) => {
      const lines = lineNo === 'all' ? [...order.history.keys()] : [lineNo];
      for (const l of lines) order.history.set(l, [...(order.history.get(l) ?? []), `${when}: ${text}`]);
    };
    switch (event.type) {
      case 'OrderPlaced':
        for (const l of event.data.lines) order.history.set(l.lineNo, [`${when}: placed ${l.quantity} at ${money(l.netAmount)}`]);
        break;
      case 'OrderStockReserved':
        note(event.data.lineNo, `reserved ${event.data.quantity} at ${event.data.warehouseId}`);
        break;
      case 'OrderShipped':
        for (const l of event.data.lines) note(l.lineNo, `shipped ${l.quantity} (${event.data.shipmentId})`);
        break;
      case 'ShipmentDelivered':
        for (const l of event.data.lines) note(l.lineNo, `delivered ${l.quantity} (${event.data.shipmentId})`);
        break;
      case 'GoodsReturned':
        for (const l of event.data.lines) note(l.lineNo, `returned ${l.quantity}, credit ${money(l.creditAmount)} (${event.data.returnId})`);
        break;
      case 'OrderApproved':
      case 'OrderRejected':
      case 'OrderConfirmed':
      case 'OrderCancelled':
        note('all', event.type.replace(/^Order/, '').toLowerCase());
        break;
      case 'OrderInvoiced':
        note('all', `invoiced ${money(event.data.amount)} (${event.data.invoiceId})`);
        break;
      case 'PaymentRecorded':
        note('all', `payment ${money(event.data.amount)} (${event.data.paymentId})`);
        break;
      default:
        break;
    }
    this.#orders.set(e.streamId, order);
  }

  /** The rows, orders by stream id, lines by number. */
  *rows(): Iterable<string> {
    for (const streamId of [...this.#orders.keys()].sort()) {
      const { state, history } = this.#orders.get(streamId)!;
      if (!state.exists) continue;
      const order = state as ExistingOrder;
      for (const line of order.lines)
        yield csvRow([
          order.orderId,
          order.partnerId,
          order.region,
          order.placedAt,
          orderStatus(order),
          line.lineNo,
          line.sku,
          line.quantity,
          amount(line.unitPrice),
          line.discountBps,
          amount(line.netAmount),
          order.currency,
          line.shipped,
          line.delivered,
          line.returned,
          amount(line.credited),
          (history.get(line.lineNo) ?? []).join('; '),
        ]);
    }
  }
}
