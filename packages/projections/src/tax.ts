import type { OrderEvent, TaxRateEvent } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { Projection } from './projection';
import type { ReadModels } from './schema';

/**
 * `tax_rates` (one row per published rate, as it stands), `tax_order_lines` (each taxed order line as placed: its category,
 * rate, net, tax and gross) and `tax_entries`, the tax ledger: one row per taxed line of each invoice (positive: the whole
 * line on the whole order's invoice, the line's share on a shipment's) and each credit note (negative: the share of the
 * line's net and tax a return credits), dated by the document. The tax report (docs/tax.md) sums `tax_entries` by period,
 * region and rate. Untaxed orders (legacy, untaxed regions) write nothing here.
 */
export const taxProjection: Projection = {
  name: 'tax',
  // 2: each shipment's invoice (`ShipmentInvoiced`), its lines' shares of net and tax.
  version: 2,
  eventTypes: ['TaxRatePublished', 'TaxRateEnded', 'OrderPlaced', 'OrderInvoiced', 'ShipmentInvoiced', 'GoodsReturned'],
  tables: ['tax_rates', 'tax_order_lines', 'tax_entries'],
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
  },
  async createIndexes(db) {
    await db.schema.createIndex('tax_entries_date').ifNotExists().on('tax_entries').columns(['date']).execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
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
        case 'OrderPlaced': {
          const d = event.data;
          const rows = d.lines.flatMap((l) =>
            l.tax
              ? [
                  {
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
                  },
                ]
              : [],
          );
          if (rows.length > 0)
            await db
              .insertInto('tax_order_lines')
              .values(rows)
              .onConflict((oc) => oc.columns(['order_id', 'line_no']).doNothing())
              .execute();
          break;
        }
        case 'OrderInvoiced': {
          const d = event.data;
          if (d.tax === undefined) break;
          const lines = await db.selectFrom('tax_order_lines').selectAll().where('order_id', '=', d.orderId).execute();
          if (lines.length === 0) break;
          await db
            .insertInto('tax_entries')
            .values(
              lines.map((l) => ({
                order_id: d.orderId,
                document: 'invoice',
                document_id: d.invoiceId,
                line_no: l.line_no,
                date: d.invoicedAt.slice(0, 10),
                partner_id: l.partner_id,
                region: l.region,
                currency: l.currency,
                category: l.category,
                rate_bps: l.rate_bps,
                net_minor: Number(l.net_minor),
                tax_minor: Number(l.tax_minor),
                gross_minor: Number(l.gross_minor),
              })),
            )
            .onConflict((oc) => oc.columns(['order_id', 'document', 'document_id', 'line_no']).doNothing())
            .execute();
          break;
        }
        case 'ShipmentInvoiced': {
          const d = event.data;
          if (d.tax === undefined) break;
          const lines = new Map((await db.selectFrom('tax_order_lines').selectAll().where('order_id', '=', d.orderId).execute()).map((l) => [l.line_no, l]));
          const rows = d.lines.flatMap((s) => {
            const l = lines.get(s.lineNo);
            if (!l || !s.tax) return [];
            return [
              {
                order_id: d.orderId,
                document: 'invoice',
                document_id: d.invoiceId,
                line_no: s.lineNo,
                date: d.invoicedAt.slice(0, 10),
                partner_id: l.partner_id,
                region: l.region,
                currency: l.currency,
                category: l.category,
                rate_bps: l.rate_bps,
                net_minor: s.net.amountMinor,
                tax_minor: s.tax.amountMinor,
                gross_minor: s.net.amountMinor + s.tax.amountMinor,
              },
            ];
          });
          if (rows.length > 0)
            await db
              .insertInto('tax_entries')
              .values(rows)
              .onConflict((oc) => oc.columns(['order_id', 'document', 'document_id', 'line_no']).doNothing())
              .execute();
          break;
        }
        case 'GoodsReturned': {
          const d = event.data;
          const credited = d.lines.filter((l) => l.creditTax !== undefined);
          if (credited.length === 0) break;
          const lines = new Map((await db.selectFrom('tax_order_lines').selectAll().where('order_id', '=', d.orderId).execute()).map((l) => [l.line_no, l]));
          const rows = credited.flatMap((r) => {
            const l = lines.get(r.lineNo);
            if (!l) return [];
            const net = r.creditAmount.amountMinor;
            const tax = r.creditTax!.amountMinor;
            return [
              {
                order_id: d.orderId,
                document: 'credit_note',
                document_id: d.returnId,
                line_no: r.lineNo,
                date: d.returnedAt.slice(0, 10),
                partner_id: l.partner_id,
                region: l.region,
                currency: l.currency,
                category: l.category,
                rate_bps: l.rate_bps,
                net_minor: -net,
                tax_minor: -tax,
                gross_minor: -(net + tax),
              },
            ];
          });
          if (rows.length > 0)
            await db
              .insertInto('tax_entries')
              .values(rows)
              .onConflict((oc) => oc.columns(['order_id', 'document', 'document_id', 'line_no']).doNothing())
              .execute();
          break;
        }
      }
    }
  },
};
