import { aggregates, type ExistingOrder, type OrderState } from '@dms/domain';
import { type AsOf, type EventStore, evolveRecorded, type RecordedEvent, withinCut } from '@dms/eventstore';
import type { SalesFigures } from './sales-source';

/** Sales of one dealer in one period and currency, as of a moment. */
export interface SalesAsOfRow {
  readonly partnerId: string;
  /** `2026-06`, `2026-Q2` or `2026`, by the orders' placement date. */
  readonly period: string;
  readonly currency: string;
  readonly figures: SalesFigures;
}

const periodOf = (placedAt: string, by: 'month' | 'quarter' | 'year') =>
  by === 'year' ? placedAt.slice(0, 4) : by === 'month' ? placedAt.slice(0, 7) : `${placedAt.slice(0, 4)}-Q${Math.ceil(Number(placedAt.slice(5, 7)) / 3)}`;

/**
 * Sales by dealer and period as of a moment, recomputed from the event log, not from the current tables: every order
 * folded by the domain's own evolve from the events recorded by then (`AsOf`, as `dms audit state` cuts), counted as the
 * sales report counts them (rejected and cancelled orders never; ordered, shipped, delivered and returned quantities; net
 * ordered value, credit notes, invoices and payments). An order cancelled after the moment still counts, as it did in
 * the report printed then. Rows by dealer, then period, then currency.
 */
export const salesByPartnerAsOf = async (store: EventStore, asOf: AsOf, by: 'month' | 'quarter' | 'year' = 'month'): Promise<SalesAsOfRow[]> => {
  const orders = new Map<string, OrderState>();
  const cut = new Set<string>();
  const within = (e: RecordedEvent) => {
    if (cut.has(e.streamId)) return false;
    if (withinCut(e, asOf)) return true;
    cut.add(e.streamId);
    return false;
  };
  for await (const e of store.readAll({ filter: { streamPrefixes: ['order-'] } })) {
    if (asOf.position !== undefined && e.globalPosition > asOf.position) break;
    if (!within(e)) continue;
    orders.set(e.streamId, evolveRecorded(aggregates.orders, orders.get(e.streamId) ?? aggregates.orders.decider.initialState, e));
  }
  const groups = new Map<string, { partnerId: string; period: string; currency: string; f: Record<string, number> }>();
  for (const state of orders.values()) {
    if (!state.exists || state.lifecycle === 'rejected' || state.lifecycle === 'cancelled') continue;
    const o = state as ExistingOrder;
    const period = periodOf(o.placedAt, by);
    const key = `${o.partnerId}\u0000${period}\u0000${o.currency}`;
    const g = groups.get(key) ?? {
      partnerId: o.partnerId,
      period,
      currency: o.currency,
      f: { orders: 0, orderedQty: 0, shippedQty: 0, deliveredQty: 0, returnedQty: 0, ordered: 0, credited: 0, invoiced: 0, paid: 0 },
    };
    const f = g.f as Record<string, number>;
    f.orders! += 1;
    for (const l of o.lines) {
      f.orderedQty! += l.quantity;
      f.shippedQty! += l.shipped;
      f.deliveredQty! += l.delivered;
      f.returnedQty! += l.returned;
    }
    f.ordered! += o.total.amountMinor;
    f.credited! += o.credited.amountMinor;
    f.invoiced! += o.invoice?.amount.amountMinor ?? 0;
    f.paid! += o.paid.amountMinor;
    groups.set(key, g);
  }
  const money = (amountMinor: number, currency: string) => ({ amountMinor, currency });
  return [...groups.values()]
    .sort((a, b) =>
      a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : a.period < b.period ? -1 : a.period > b.period ? 1 : a.currency < b.currency ? -1 : 1,
    )
    .map(({ partnerId, period, currency, f }) => ({
      partnerId,
      period,
      currency,
      figures: {
        orders: f.orders!,
        orderedQty: f.orderedQty!,
        shippedQty: f.shippedQty!,
        deliveredQty: f.deliveredQty!,
        returnedQty: f.returnedQty!,
        ordered: money(f.ordered!, currency),
        credited: money(f.credited!, currency),
        net: money(f.ordered! - f.credited!, currency),
        invoiced: money(f.invoiced!, currency),
        paid: money(f.paid!, currency),
      },
    }));
};
