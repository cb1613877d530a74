import { type AgeingFigures, ageReceivables, aggregates, type OrderEvent, type OrderState, type Receivable } from '@dms/domain';
import { type AsOf, type EventStore, evolveRecorded, withinCut } from '@dms/eventstore';
import type { KpiFilter } from './kpis/common';
import type { AgedReceivablesRow, ReceivablesGroup } from './kpis/receivables';

interface OrderReceivable {
  partnerId: string;
  region: string;
  /** The order's invoices: the whole order's (no shipment), or one per shipment. */
  invoices: (Omit<Receivable, 'settlements'> & { invoiceId: string; shipment: boolean })[];
  /** Its credit notes, payments and discounts, each with the invoice it names ('' for none). */
  settlements: { on: string; amountMinor: number; invoiceId: string }[];
}

/**
 * Every order's invoices, payments and credit notes as the log stood at a moment: each order folded by the domain's own
 * evolve from the events recorded by then (`AsOf`), always a prefix of its stream, so a later event never shows through.
 */
const orderReceivablesAsOf = async (store: EventStore, asOf: AsOf): Promise<OrderReceivable[]> => {
  const receivables = new Map<string, OrderReceivable>();
  const cut = new Set<string>();
  const orders = new Map<string, OrderState>();
  for await (const e of store.readAll({ filter: { streamPrefixes: ['order-'] } })) {
    if (asOf.position !== undefined && e.globalPosition > asOf.position) break;
    if (cut.has(e.streamId) || !withinCut(e, asOf)) {
      cut.add(e.streamId);
      continue;
    }
    // Folded by the order's own evolve first: an event its schema refuses stops here, as it would stop the order.
    const state = evolveRecorded(aggregates.orders, orders.get(e.streamId) ?? aggregates.orders.decider.initialState, e);
    orders.set(e.streamId, state);
    if (!state.exists) continue;
    const r = receivables.get(e.streamId) ?? { partnerId: state.partnerId, region: state.region, invoices: [], settlements: [] };
    const event = { type: e.type, data: e.data } as OrderEvent;
    // Each invoice as the receivables read models age it (kpi_invoices, kpi_instalments, kpi_receivables).
    if (event.type === 'OrderInvoiced' || event.type === 'ShipmentInvoiced')
      r.invoices.push({
        invoiceId: event.data.invoiceId,
        shipment: event.type === 'ShipmentInvoiced',
        currency: event.data.amount.currency,
        invoicedOn: event.data.invoicedAt.slice(0, 10),
        dueOn: event.data.dueDate,
        invoicedMinor: event.data.amount.amountMinor,
        ...(event.data.instalments ? { instalments: event.data.instalments.map((i) => ({ dueOn: i.dueOn, amountMinor: i.amount.amountMinor })) } : {}),
      });
    else if (event.type === 'PaymentRecorded') {
      const on = event.data.paidAt.slice(0, 10);
      if (event.data.allocations)
        for (const a of event.data.allocations)
          r.settlements.push({ on, amountMinor: a.amount.amountMinor + (a.discount?.amountMinor ?? 0), invoiceId: a.invoiceId });
      else r.settlements.push({ on, amountMinor: event.data.amount.amountMinor, invoiceId: '' });
    } else if (event.type === 'CreditNoteIssued')
      r.settlements.push({ on: event.data.issuedAt.slice(0, 10), amountMinor: event.data.amount.amountMinor, invoiceId: event.data.invoiceId ?? '' });
    receivables.set(e.streamId, r);
  }
  return [...receivables.values()];
};

const within =
  (filter: KpiFilter) =>
  (r: OrderReceivable): boolean =>
    (filter.region === undefined || r.region === filter.region) && (filter.partnerId === undefined || r.partnerId === filter.partnerId);

/** Each invoice with what settles it: on the whole order's invoice every entry of the order, on a shipment's those naming it. */
const invoiced = (orders: readonly OrderReceivable[]): Receivable[] =>
  orders.flatMap((r) =>
    r.invoices.map(({ invoiceId, shipment, ...invoice }) => ({
      ...invoice,
      settlements: r.settlements.filter((s) => !shipment || s.invoiceId === invoiceId).map(({ on, amountMinor }) => ({ on, amountMinor })),
    })),
  );

/**
 * Aged receivables at the end of a business day, as the log stood at a moment: every order folded by the domain's own
 * evolve from the events recorded by then (`AsOf`), its invoices, payments and credit notes aged by the domain's
 * `ageReceivables` exactly as the receivables KPI does. A payment recorded after the moment, even one dated before the
 * day (back-dated), is not in it: the figures are those printed then.
 */
export const receivablesAsOf = async (store: EventStore, asOf: AsOf, day: string, filter: KpiFilter = {}): Promise<AgeingFigures[]> =>
  ageReceivables(invoiced((await orderReceivablesAsOf(store, asOf)).filter(within(filter))), day);

/** Every dealer's name as the log stood at a moment, folded by the partner's own evolve. */
const partnerNamesAsOf = async (store: EventStore, asOf: AsOf): Promise<Map<string, string>> => {
  const partners = new Map<string, typeof aggregates.partners.decider.initialState>();
  const cut = new Set<string>();
  for await (const e of store.readAll({ filter: { streamPrefixes: ['partner-'] } })) {
    if (asOf.position !== undefined && e.globalPosition > asOf.position) break;
    if (cut.has(e.streamId) || !withinCut(e, asOf)) {
      cut.add(e.streamId);
      continue;
    }
    partners.set(e.streamId, evolveRecorded(aggregates.partners, partners.get(e.streamId) ?? aggregates.partners.decider.initialState, e));
  }
  return new Map([...partners.values()].flatMap((p) => (p.exists ? [[p.partnerId, p.name] as const] : [])));
};

/**
 * The collector's list as of a moment: aged receivables at the end of `day` per dealer (with its name) or region and
 * currency, most overdue first, recomputed from the log as `receivablesAsOf` does, in the order and shape of
 * `agedReceivables` (the read model's), so the list printed then can be printed again.
 */
export const agedReceivablesAsOf = async (
  store: EventStore,
  asOf: AsOf,
  query: { readonly day: string; readonly by: ReceivablesGroup },
  filter: KpiFilter = {},
): Promise<AgedReceivablesRow[]> => {
  const groups = new Map<string, OrderReceivable[]>();
  for (const r of (await orderReceivablesAsOf(store, asOf)).filter(within(filter))) {
    const key = query.by === 'partner' ? r.partnerId : r.region;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const names = query.by === 'partner' ? await partnerNamesAsOf(store, asOf) : new Map<string, string>();
  return [...groups]
    .flatMap(([group, orders]) => ageReceivables(invoiced(orders), query.day).map((f) => ({ group, name: names.get(group) ?? null, ...f })))
    .sort(
      (a, b) =>
        a.currency.localeCompare(b.currency) ||
        b.overdue.amountMinor - a.overdue.amountMinor ||
        b.outstanding.amountMinor - a.outstanding.amountMinor ||
        a.group.localeCompare(b.group),
    );
};
