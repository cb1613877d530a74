import type { OrderEvent, TaxRateEvent } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import type { Kysely, Selectable } from 'kysely';
import { amongKeys, insertNewRows, type Projection } from './projection';
import type { ReadModels, TaxOrderLinesTable } from './schema';

/**
 * `tax_rates` (one row per published rate, as it stands), `tax_order_lines` (each taxed order line as placed: its category,
 * rate, net, tax and gross) and `tax_entries`, the tax ledger: one row per taxed line of each invoice (positive: the whole
 * line on the whole order's invoice, the line's share on a shipment's) and each credit note (negative: the share of the
 * line's net and tax a return credits) and each early-payment discount that reduces the taxable amount (negative: the
 * net and tax the payment's `discountTax` gives back per line), dated by the document. The tax report (docs/tax.md) sums
 * `tax_entries` by period, region and rate. Untaxed orders (legacy, untaxed regions) write nothing here.
 * `tax_discount_treatments`: each region's treatments of early-payment discounts by start.
 */
export const taxProjection: Projection = {
  name: 'tax',
  // 2: each shipment's invoice (`ShipmentInvoiced`), its lines' shares of net and tax.
  // 3: early-payment discounts that reduce the taxable amount (`PaymentRecorded`), and the regions' treatments of them.
  version: 3,
  readsMetadata: false,
  eventTypes: [
    'TaxRatePublished',
    'TaxRateEnded',
    'EarlyPaymentDiscountTreatmentSet',
    'OrderPlaced',
    'OrderInvoiced',
    'ShipmentInvoiced',
    'GoodsReturned',
    'PaymentRecorded',
  ],
  tables: ['tax_rates', 'tax_order_lines', 'tax_entries', 'tax_discount_treatments'],
  async createTables(db) {
    await db.schema
      .createTable('tax_rates')
      .ifNotExists()
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('rate_id', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('rate_bps', 'integer', (c) => c.notNull())
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_to', 'text')
      .addColumn('name', 'text')
      .addColumn('published_at', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text')
      .addColumn('superseded_by', 'text')
      .addPrimaryKeyConstraint('tax_rates_pkey', ['region', 'rate_id'])
      .execute();
    await db.schema
      .createTable('tax_order_lines')
      .ifNotExists()
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('line_no', 'integer', (c) => c.notNull())
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('rate_bps', 'integer', (c) => c.notNull())
      .addColumn('rate_id', 'text')
      .addColumn('prices_include', 'text', (c) => c.notNull())
      .addColumn('net_minor', 'bigint', (c) => c.notNull())
      .addColumn('tax_minor', 'bigint', (c) => c.notNull())
      .addColumn('gross_minor', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('tax_order_lines_pkey', ['order_id', 'line_no'])
      .execute();
    await db.schema
      .createTable('tax_entries')
      .ifNotExists()
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('document_id', 'text', (c) => c.notNull())
      .addColumn('line_no', 'integer', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('rate_bps', 'integer', (c) => c.notNull())
      .addColumn('net_minor', 'bigint', (c) => c.notNull())
      .addColumn('tax_minor', 'bigint', (c) => c.notNull())
      .addColumn('gross_minor', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('tax_entries_pkey', ['order_id', 'document', 'document_id', 'line_no'])
      .execute();
    await db.schema
      .createTable('tax_discount_treatments')
      .ifNotExists()
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('treatment', 'text', (c) => c.notNull())
      .addColumn('set_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('tax_discount_treatments_pkey', ['region', 'valid_from'])
      .execute();
  },
  async createIndexes(db) {
    await db.schema.createIndex('tax_entries_date').ifNotExists().on('tax_entries').columns(['date']).execute();
  },
  /**
   * A batch at a time: the taxed lines of the batch's orders are read in one query (none for an order placed in the batch,
   * whose placement brings them), the ledger is folded in memory, and its new lines and entries are written in one
   * statement per 1000 rows, each kept as first written (`insertNewRows`), as the event-by-event inserts did. Rates and
   * discount treatments, rare, are still written event by event, in order.
   */
  async apply(db: Kysely<ReadModels>, events) {
    const lines = await taxedLinesOf(db, events);
    const newLines: TaxOrderLine[] = [];
    const entries = new Map<string, TaxEntry>();
    const record = (rows: readonly TaxEntry[]) => {
      for (const r of rows) {
        const key = `${r.order_id}\u0000${r.document}\u0000${r.document_id}\u0000${r.line_no}`;
        if (!entries.has(key)) entries.set(key, r);
      }
    };
    const linesOf = (orderId: string) => lines.get(orderId) ?? new Map<number, TaxOrderLine>();
    for (const recorded of events) {
      const event = recorded as unknown as TaxRateEvent | OrderEvent;
      switch (event.type) {
        case 'TaxRatePublished': {
          const d = event.data;
          await db
            .insertInto('tax_rates')
            .values({
              region: d.region,
              rate_id: d.rateId,
              category: d.category,
              rate_bps: d.rateBps,
              valid_from: d.validFrom,
              valid_to: d.validTo ?? null,
              name: d.name ?? null,
              published_at: d.publishedAt,
              ended_at: null,
              superseded_by: null,
            })
            .onConflict((oc) => oc.columns(['region', 'rate_id']).doNothing())
            .execute();
          break;
        }
        case 'TaxRateEnded': {
          const d = event.data;
          await db
            .updateTable('tax_rates')
            .set({ valid_to: d.validTo, ended_at: d.endedAt, superseded_by: d.supersededBy ?? null })
            .where('region', '=', d.region)
            .where('rate_id', '=', d.rateId)
            .execute();
          break;
        }
        case 'EarlyPaymentDiscountTreatmentSet': {
          const d = event.data;
          // One starting when the latest did replaces it (as the decider's state does).
          await db
            .insertInto('tax_discount_treatments')
            .values({ region: d.region, valid_from: d.validFrom, treatment: d.treatment, set_at: d.setAt })
            .onConflict((oc) => oc.columns(['region', 'valid_from']).doUpdateSet({ treatment: d.treatment, set_at: d.setAt }))
            .execute();
          break;
        }
        case 'PaymentRecorded': {
          const d = event.data;
          const discounts = (d.allocations ?? []).filter((a) => a.discountTax !== undefined);
          if (discounts.length === 0) break;
          const taxed = linesOf(d.orderId);
          record(
            discounts.flatMap((a) => {
              const doc = { document: 'discount', documentId: `${d.paymentId}/${a.invoiceId}`, at: d.paidAt } as const;
              return a.discountTax!.flatMap((s) => {
                const l = taxed.get(s.lineNo);
                return l ? [entry(l, doc, -s.net.amountMinor, -s.tax.amountMinor)] : [];
              });
            }),
          );
          break;
        }
        case 'OrderPlaced': {
          const d = event.data;
          let taxed = lines.get(d.orderId);
          for (const l of d.lines) {
            // A line already there stays as first written (a replayed placement changes nothing).
            if (!l.tax || taxed?.has(l.lineNo)) continue;
            const row: TaxOrderLine = {
              order_id: d.orderId,
              line_no: l.lineNo,
              partner_id: d.partnerId,
              region: d.region,
              currency: d.currency,
              category: l.tax.category,
              rate_bps: l.tax.rateBps,
              rate_id: l.tax.rateId ?? null,
              prices_include: l.tax.pricesInclude,
              net_minor: l.netAmount.amountMinor,
              tax_minor: l.tax.amount.amountMinor,
              gross_minor: l.tax.gross.amountMinor,
            };
            if (!taxed) {
              taxed = new Map();
              lines.set(d.orderId, taxed);
            }
            taxed.set(l.lineNo, row);
            newLines.push(row);
          }
          break;
        }
        case 'OrderInvoiced': {
          const d = event.data;
          if (d.tax === undefined) break;
          const invoice = { document: 'invoice', documentId: d.invoiceId, at: d.invoicedAt } as const;
          record([...linesOf(d.orderId).values()].map((l) => entry(l, invoice, Number(l.net_minor), Number(l.tax_minor))));
          break;
        }
        case 'ShipmentInvoiced': {
          const d = event.data;
          if (d.tax === undefined) break;
          const taxed = linesOf(d.orderId);
          const invoice = { document: 'invoice', documentId: d.invoiceId, at: d.invoicedAt } as const;
          record(
            d.lines.flatMap((s) => {
              const l = taxed.get(s.lineNo);
              return l && s.tax ? [entry(l, invoice, s.net.amountMinor, s.tax.amountMinor)] : [];
            }),
          );
          break;
        }
        case 'GoodsReturned': {
          const d = event.data;
          const credited = d.lines.filter((l) => l.creditTax !== undefined);
          if (credited.length === 0) break;
          const taxed = linesOf(d.orderId);
          const note = { document: 'credit_note', documentId: d.returnId, at: d.returnedAt } as const;
          record(
            credited.flatMap((r) => {
              const l = taxed.get(r.lineNo);
              return l ? [entry(l, note, -r.creditAmount.amountMinor, -r.creditTax!.amountMinor)] : [];
            }),
          );
          break;
        }
      }
    }
    await insertNewRows(db, 'tax_order_lines', ['order_id', 'line_no'], newLines);
    await insertNewRows(db, 'tax_entries', ['order_id', 'document', 'document_id', 'line_no'], [...entries.values()]);
  },
};

type TaxOrderLine = Selectable<TaxOrderLinesTable>;

/** Whether an order event needs its order's taxed lines (a taxed invoice, credit note or discount). */
const needsLines = (event: OrderEvent): boolean => {
  switch (event.type) {
    case 'PaymentRecorded':
      return (event.data.allocations ?? []).some((a) => a.discountTax !== undefined);
    case 'OrderInvoiced':
    case 'ShipmentInvoiced':
      return event.data.tax !== undefined;
    case 'GoodsReturned':
      return event.data.lines.some((l) => l.creditTax !== undefined);
    default:
      return false;
  }
};

/**
 * The taxed lines, as placed, of the orders whose invoices, credit notes or discounts the batch records, by order and line
 * number: one query, for the orders not placed earlier in the batch (a placement brings its own lines).
 */
const taxedLinesOf = async (db: Kysely<ReadModels>, events: readonly RecordedEvent[]): Promise<Map<string, Map<number, TaxOrderLine>>> => {
  const placedHere = new Set<string>();
  const toRead = new Set<string>();
  for (const recorded of events) {
    const event = recorded as unknown as OrderEvent;
    if (event.type === 'OrderPlaced') placedHere.add(event.data.orderId);
    else if (ORDER_EVENT_TYPES.has(event.type) && needsLines(event) && !placedHere.has(event.data.orderId)) toRead.add(event.data.orderId);
  }
  const lines = new Map<string, Map<number, TaxOrderLine>>();
  if (toRead.size === 0) return lines;
  const rows = await db
    .selectFrom('tax_order_lines')
    .selectAll()
    .where(amongKeys('order_id', [...toRead]))
    .execute();
  for (const l of rows) {
    const taxed = lines.get(l.order_id) ?? new Map<number, TaxOrderLine>();
    taxed.set(l.line_no, l);
    lines.set(l.order_id, taxed);
  }
  return lines;
};

const ORDER_EVENT_TYPES = new Set<string>(['OrderPlaced', 'OrderInvoiced', 'ShipmentInvoiced', 'GoodsReturned', 'PaymentRecorded']);

/** One line's entry in the ledger for a document: its net and tax (negative on a credit note or discount), dated by the document. */
const entry = (
  line: TaxOrderLine,
  doc: { readonly document: 'invoice' | 'credit_note' | 'discount'; readonly documentId: string; readonly at: string },
  netMinor: number,
  taxMinor: number,
) => ({
  order_id: line.order_id,
  document: doc.document,
  document_id: doc.documentId,
  line_no: line.line_no,
  date: doc.at.slice(0, 10),
  partner_id: line.partner_id,
  region: line.region,
  currency: line.currency,
  category: line.category,
  rate_bps: line.rate_bps,
  net_minor: netMinor,
  tax_minor: taxMinor,
  gross_minor: netMinor + taxMinor,
});

type TaxEntry = ReturnType<typeof entry>;
