import { orderStream, type PriceSource } from '@dms/domain';
import { newId, streamHistory } from '@dms/eventstore';
import { type DmsRuntime, getOrder, listOrders, type OrderListFilter } from '@dms/projections';
import { date, dateTime, money } from '../format';
import { renderTable } from '../ui/table';
import { printHistory } from './audit';
import { operator } from './keys';

type Out = (line: string) => void;

/** A line's price source in a few words (docs/pricing.md). */
const priceSource = (source: PriceSource | null): string => {
  if (!source) return '';
  switch (source.kind) {
    case 'dealer_price_list':
      return `dealer ${source.versionId}${source.minQuantity > 1 ? ` ${source.minQuantity}+` : ''} (${source.agreementId})`;
    case 'tier_price_list':
      return `tier ${source.versionId}${source.minQuantity > 1 ? ` ${source.minQuantity}+` : ''}`;
    case 'tier_price':
      return `tier price ${source.tier}`;
    case 'list_price':
      return `list less ${source.tier} discount`;
  }
};

export const ordersList = async (runtime: DmsRuntime, filter: OrderListFilter, out: Out): Promise<number> => {
  const page = await listOrders(runtime.runner.db, filter);
  if (page.items.length === 0) {
    out('No orders match.');
    return 0;
  }
  out(
    renderTable(page.items, [
      { header: 'order', value: (o) => o.orderId },
      { header: 'placed', value: (o) => date(o.placedAt) },
      { header: 'dealer', value: (o) => o.partnerName ?? o.partnerId },
      { header: 'region', value: (o) => o.region },
      { header: 'status', value: (o) => o.status },
      { header: 'lines', value: (o) => o.lineCount, align: 'right' },
      { header: 'total', value: (o) => money(o.total), align: 'right' },
      { header: 'outstanding', value: (o) => (o.outstanding.amountMinor ? money(o.outstanding) : ''), align: 'right' },
    ]),
  );
  if (page.nextCursor) out(`… more: --cursor ${page.nextCursor}`);
  return 0;
};

export const ordersShow = async (runtime: DmsRuntime, orderId: string, out: Out): Promise<number> => {
  const o = await getOrder(runtime.runner.db, orderId);
  if (!o) {
    out(`Order ${orderId} does not exist.`);
    return 1;
  }
  out(`Order ${o.orderId}  ${o.status}${o.statusReason ? ` (${o.statusReason})` : ''}`);
  out(
    `Dealer ${o.partnerName ?? o.partnerId} (${o.partnerId}), region ${o.region}, tier ${o.tier}${o.customerReference ? `, ref ${o.customerReference}` : ''}`,
  );
  out(`Total ${money(o.total)}   credited ${money(o.credited)}   paid ${money(o.paid)}   outstanding ${money(o.outstanding)}`);
  if (o.tax.amountMinor !== 0 || o.lines.some((l) => l.tax))
    out(
      `Net ${money(o.total)}   tax ${money(o.tax)}   gross ${money(o.gross)}${o.invoice ? `   invoice ${o.invoice.invoiceId}: ${money(o.invoice.amount)} incl. tax ${money(o.invoice.tax)}` : ''}${o.creditedTax.amountMinor ? `   credited tax ${money(o.creditedTax)}` : ''}`,
    );
  out('');
  out(
    renderTable(o.lines, [
      { header: '#', value: (l) => l.lineNo, align: 'right' },
      { header: 'sku', value: (l) => l.sku },
      { header: 'qty', value: (l) => l.quantity, align: 'right' },
      { header: 'unit price', value: (l) => money(l.unitPrice), align: 'right' },
      { header: 'disc %', value: (l) => (l.discountBps / 100).toFixed(2), align: 'right' },
      { header: 'net', value: (l) => money(l.netAmount), align: 'right' },
      { header: 'price source', value: (l) => priceSource(l.priceSource) },
      {
        header: 'promotions',
        value: (l) => l.promotions.map((p) => `${p.promotionId} -${money(p.discount)}`).join('; '),
      },
      { header: 'tax', value: (l) => (l.tax ? `${l.tax.category} ${(l.tax.rateBps / 100).toFixed(2)} % ${money(l.tax.amount)}` : ''), align: 'right' },
      { header: 'gross', value: (l) => (l.tax ? money(l.tax.gross) : ''), align: 'right' },
      { header: 'shipped', value: (l) => l.shipped, align: 'right' },
      { header: 'delivered', value: (l) => l.delivered, align: 'right' },
      { header: 'returned', value: (l) => l.returned, align: 'right' },
    ]),
  );
  if (o.shipments.length > 0) {
    out('');
    out(
      renderTable(o.shipments, [
        { header: 'shipment', value: (s) => s.shipmentId },
        { header: 'qty', value: (s) => s.quantity, align: 'right' },
        { header: 'carrier', value: (s) => s.carrier },
        { header: 'shipped', value: (s) => dateTime(s.shippedAt) },
        { header: 'delivered', value: (s) => dateTime(s.deliveredAt) },
        // Its own invoice, on an order invoiced per shipment or per delivery (docs/receivables.md).
        { header: 'invoice', value: (s) => s.invoice?.invoiceId ?? '' },
        { header: 'amount', value: (s) => (s.invoice ? money(s.invoice.amount) : ''), align: 'right' },
        { header: 'due', value: (s) => s.invoice?.dueDate ?? '' },
      ]),
    );
  }
  out('');
  out(
    Object.entries(o.dates)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k.replace(/At$/, '')} ${date(v)}`)
      .join('  →  '),
  );
  return 0;
};

export const ordersHistory = async (runtime: DmsRuntime, orderId: string, out: Out): Promise<number> => {
  const history = await streamHistory(runtime.store, orderStream(orderId));
  if (history.entries.length === 0) {
    out(`Order ${orderId} has no history: it does not exist.`);
    return 1;
  }
  return printHistory(history, out);
};

export interface InvoiceOptions {
  readonly shipmentId?: string | undefined;
  readonly invoiceId?: string | undefined;
  readonly dueDate?: string | undefined;
  readonly now: () => Date;
}

/**
 * `dms orders invoice`: invoices a delivered order as a whole (on the due date given, else on the governing agreement's
 * payment terms), or with `--shipment` one shipment on those terms, as `POST /orders/{id}/invoice` and
 * `POST /orders/{id}/shipments/{shipmentId}/invoice` do (docs/receivables.md). Shipments of an order invoiced per
 * shipment or per delivery are invoiced automatically; this is for one that was not.
 */
export const ordersInvoice = async (runtime: DmsRuntime, orderId: string, o: InvoiceOptions, out: Out): Promise<number> => {
  const invoicedAt = o.now().toISOString();
  const invoiceId = o.invoiceId ?? `inv-${newId()}`;
  const command = o.shipmentId
    ? { type: 'InvoiceShipmentByTerms', data: { orderId, shipmentId: o.shipmentId, invoiceId, invoicedAt } }
    : o.dueDate
      ? { type: 'InvoiceOrder', data: { orderId, invoiceId, invoicedAt, dueDate: o.dueDate } }
      : { type: 'InvoiceOrderByTerms', data: { orderId, invoiceId, invoicedAt } };
  const result = await runtime.bus.execute(command, { commandId: `cli-${newId()}`, actor: operator() });
  if (result._tag === 'Left') {
    out(`Refused (${result.left.code}): ${result.left.message}`);
    return 2;
  }
  for (let head = await runtime.store.headPosition(); ; ) {
    await runtime.runner.catchUp();
    const after = await runtime.store.headPosition();
    if (after === head) break;
    head = after;
  }
  const invoiced = result.right.events[0]?.data as { invoiceId: string; amount: { amountMinor: number; currency: string }; dueDate: string } | undefined;
  out(
    invoiced
      ? `Invoice ${invoiced.invoiceId} of order ${orderId}${o.shipmentId ? `, shipment ${o.shipmentId}` : ''}: ${money(invoiced.amount)} due ${invoiced.dueDate}.`
      : `Order ${orderId}: nothing to invoice.`,
  );
  return 0;
};
