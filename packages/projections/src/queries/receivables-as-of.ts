import { type AgeingFigures, ageReceivables, aggregates, type OrderEvent, type OrderState, type Receivable } from '@dms/domain';
import { type AsOf, type EventStore, evolveRecorded, withinCut } from '@dms/eventstore';

/**
 * Aged receivables at the end of a business day, as the log stood at a moment: every order folded by the domain's own
 * evolve from the events recorded by then (`AsOf`), its invoice, payments and credit notes aged by the domain's
 * `ageReceivables` exactly as the receivables KPI does. A payment recorded after the moment, even one dated before the
 * day (back-dated), is not in it: the figures are those printed then.
 */
export const receivablesAsOf = async (store: EventStore, asOf: AsOf, day: string): Promise<AgeingFigures[]> => {
  const receivables = new Map<string, { invoice?: Omit<Receivable, 'settlements'>; settlements: { on: string; amountMinor: number }[] }>();
  const cut = new Set<string>();
  const orders = new Map<string, OrderState>();
  for await (const e of store.readAll({ filter: { streamPrefixes: ['order-'] } })) {
    if (asOf.position !== undefined && e.globalPosition > asOf.position) break;
    if (cut.has(e.streamId) || !withinCut(e, asOf)) {
      cut.add(e.streamId);
      continue;
    }
    // Folded by the order's own evolve first: an event its schema refuses stops here, as it would stop the order.
    orders.set(e.streamId, evolveRecorded(aggregates.orders, orders.get(e.streamId) ?? aggregates.orders.decider.initialState, e));
    const r = receivables.get(e.streamId) ?? { settlements: [] };
    const event = { type: e.type, data: e.data } as OrderEvent;
    if (event.type === 'OrderInvoiced')
      r.invoice = {
        currency: event.data.amount.currency,
        invoicedOn: event.data.invoicedAt.slice(0, 10),
        dueOn: event.data.dueDate,
        invoicedMinor: event.data.amount.amountMinor,
      };
    else if (event.type === 'PaymentRecorded') r.settlements.push({ on: event.data.paidAt.slice(0, 10), amountMinor: event.data.amount.amountMinor });
    else if (event.type === 'CreditNoteIssued') r.settlements.push({ on: event.data.issuedAt.slice(0, 10), amountMinor: event.data.amount.amountMinor });
    receivables.set(e.streamId, r);
  }
  return ageReceivables(
    [...receivables.values()].flatMap((r) => (r.invoice ? [{ ...r.invoice, settlements: r.settlements }] : [])),
    day,
  );
};
