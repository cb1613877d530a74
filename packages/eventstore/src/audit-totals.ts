import {
  type ExistingOrder,
  lineNet,
  type Money,
  type OrderEvent,
  OrderEvent as OrderEventSchema,
  type OrderState,
  orderDecider,
  outstanding,
  RevenueSplitEvent as RevenueSplitEventSchema,
  type SettlementEvent,
  SettlementEvent as SettlementEventSchema,
  type StatementState,
  statementDecider,
  taxLine,
} from '@dms/domain';

/**
 * Order and settlement totals recomputed from events with the domain's own evolve: what `dms audit export` writes into a
 * bundle's manifest and `dms audit verify-export` recomputes on the auditor's machine. Fed one event at a time in the
 * order of `$all`; only streams seen from their first event (version 0) are folded, since a state cannot be folded from
 * the middle of a stream. Beside the totals it checks what each event states against what the domain recomputes: a line's
 * net amount and an order's total, what is outstanding after a payment, a closed statement's totals.
 */

/** Money sums per currency, as decimal text of minor units (exact at any size). */
export type CurrencyTotals = Record<string, Record<string, string>>;

export interface AuditTotals {
  readonly orders: { readonly streams: number; readonly byCurrency: CurrencyTotals };
  readonly settlements: { readonly streams: number; readonly closed: number; readonly byCurrency: CurrencyTotals };
  /** Streams of orders or settlements seen from the middle only (a period selection): not folded, not in the totals. */
  readonly partialStreams: number;
}

/** One stated amount the domain recomputes differently, at one event. */
export interface TotalsFinding {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly detail: string;
}

/** The fields of a recorded event the totals need (a bundle line or a `RecordedEvent`). */
export interface TotalsInput {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
}

const show = (m: Money) => `${m.amountMinor} ${m.currency}`;
const same = (a: Money, b: Money) => a.amountMinor === b.amountMinor && a.currency === b.currency;

type Existing<S> = Extract<S, { exists: true }>;

export class TotalsCalculator {
  readonly #orders = new Map<string, OrderState>();
  readonly #statements = new Map<string, StatementState>();
  readonly #partial = new Set<string>();
  /** Revenue recognised so far per order, by its `revenuesplit-<orderId>` stream. */
  readonly #recognized = new Map<string, number>();
  readonly #skipped = new Set<string>();

  /** Folds the next event; returns what it states that the domain recomputes differently. */
  push(event: TotalsInput): TotalsFinding[] {
    if (event.streamId.startsWith('revenuesplit-')) return this.#split(event);
    const isOrder = event.streamId.startsWith('order-');
    const isStatement = event.streamId.startsWith('settlement-');
    if ((!isOrder && !isStatement) || this.#skipped.has(event.streamId)) return [];
    const states: Map<string, unknown> = isOrder ? this.#orders : this.#statements;
    if (!states.has(event.streamId) && event.streamVersion !== 0) {
      this.#partial.add(event.streamId);
      this.#skipped.add(event.streamId);
      return [];
    }
    const parsed = (isOrder ? OrderEventSchema : SettlementEventSchema).safeParse({ type: event.type, data: event.data });
    if (!parsed.success) {
      // Reported as undecodable by whoever checks schemas; its stream can no longer be folded.
      this.#skipped.add(event.streamId);
      states.delete(event.streamId);
      return [];
    }
    const findings: string[] = [];
    if (isOrder) {
      const before = this.#orders.get(event.streamId) ?? orderDecider.initialState;
      const after = orderDecider.evolve(before, parsed.data as OrderEvent);
      findings.push(...checkOrder(parsed.data as OrderEvent, after));
      this.#orders.set(event.streamId, after);
    } else {
      const before = this.#statements.get(event.streamId) ?? statementDecider.initialState;
      findings.push(...checkStatement(parsed.data as SettlementEvent, before));
      this.#statements.set(event.streamId, statementDecider.evolve(before, parsed.data as SettlementEvent));
    }
    return findings.map((detail) => ({ streamId: event.streamId, streamVersion: event.streamVersion, eventId: event.eventId, detail }));
  }

  /**
   * A revenue split: its lines add up to its amount, and what it says was recognised after it is what was recognised
   * before plus its amount (checked from the stream's first event on).
   */
  #split(event: TotalsInput): TotalsFinding[] {
    const parsed = RevenueSplitEventSchema.safeParse({ type: event.type, data: event.data });
    if (!parsed.success) return [];
    const d = parsed.data.data;
    const found: string[] = [];
    const lines = d.lines.reduce((a, l) => a + l.amount.amountMinor, 0);
    if (lines !== d.amount.amountMinor) found.push(`splits ${show(d.amount)}; its lines add up to ${lines} ${d.amount.currency}`);
    const before = this.#recognized.get(event.streamId) ?? (event.streamVersion === 0 ? 0 : undefined);
    if (before !== undefined && before + d.amount.amountMinor !== d.recognized.amountMinor)
      found.push(`states ${show(d.recognized)} recognised after it; ${before} before plus ${d.amount.amountMinor} is ${before + d.amount.amountMinor}`);
    if (before !== undefined) this.#recognized.set(event.streamId, d.recognized.amountMinor);
    return found.map((detail) => ({ streamId: event.streamId, streamVersion: event.streamVersion, eventId: event.eventId, detail }));
  }

  totals(): AuditTotals {
    const orders: CurrencyTotals = {};
    let orderStreams = 0;
    for (const state of this.#orders.values()) {
      if (!state.exists) continue;
      orderStreams++;
      const c = orders[state.currency] ?? { placed: '0', invoiced: '0', paid: '0', credited: '0', outstanding: '0' };
      orders[state.currency] = c;
      add(c, 'placed', state.total.amountMinor);
      for (const invoice of state.invoices.values()) add(c, 'invoiced', invoice.amount.amountMinor);
      add(c, 'paid', state.paid.amountMinor);
      add(c, 'credited', state.credited.amountMinor);
      add(c, 'outstanding', outstanding(state).amountMinor);
    }
    const settlements: CurrencyTotals = {};
    let statementStreams = 0;
    let closed = 0;
    for (const state of this.#statements.values()) {
      if (!state.exists) continue;
      statementStreams++;
      const c = settlements[state.currency] ?? { lines: '0', closedTotal: '0', revenueShare: '0', rebates: '0', jointMarketing: '0', penalties: '0' };
      settlements[state.currency] = c;
      add(
        c,
        'lines',
        [...state.lines.values()].reduce((a, l) => a + l.amount.amountMinor, 0),
      );
      if (state.totals) {
        closed++;
        add(c, 'closedTotal', state.totals.total.amountMinor);
        add(c, 'revenueShare', state.totals.revenueShare.amountMinor);
        add(c, 'rebates', state.totals.rebates.amountMinor);
        add(c, 'jointMarketing', state.totals.jointMarketing.amountMinor);
        add(c, 'penalties', state.totals.penalties.amountMinor);
      }
    }
    return {
      orders: { streams: orderStreams, byCurrency: sortKeys(orders) },
      settlements: { streams: statementStreams, closed, byCurrency: sortKeys(settlements) },
      partialStreams: this.#partial.size,
    };
  }
}

const add = (totals: Record<string, string>, key: string, amountMinor: number) => {
  totals[key] = (BigInt(totals[key] ?? '0') + BigInt(amountMinor)).toString();
};

const sortKeys = (totals: CurrencyTotals): CurrencyTotals => Object.fromEntries(Object.entries(totals).sort(([a], [b]) => a.localeCompare(b)));

const checkOrder = (event: OrderEvent, after: OrderState): string[] => {
  if (!after.exists) return [];
  const order = after as Existing<OrderState> & ExistingOrder;
  switch (event.type) {
    case 'OrderPlaced': {
      const found: string[] = [];
      for (const line of event.data.lines) {
        const before = lineNet(line.unitPrice, line.quantity, line.discountBps);
        const off = (line.promotions ?? []).reduce((a, p) => a + p.discount.amountMinor, 0);
        const priced = { amountMinor: before.amountMinor - off, currency: before.currency };
        // A taxed line's amount is split by the one tax rule; prices entered gross make the net the smaller part.
        const net = line.tax ? taxLine(priced, line.tax.rateBps, line.tax.pricesInclude).net : priced;
        if (!same(net, line.netAmount))
          found.push(
            `line ${line.lineNo} states net ${show(line.netAmount)}; ${line.quantity} x ${show(line.unitPrice)} less ${line.discountBps} bp${off > 0 ? ` less ${off} minor units of promotions` : ''}${line.tax ? ` (tax at ${line.tax.rateBps} bp, prices ${line.tax.pricesInclude})` : ''} is ${show(net)}`,
          );
        if (line.tax) {
          const taxed = taxLine(priced, line.tax.rateBps, line.tax.pricesInclude);
          if (!same(taxed.tax, line.tax.amount) || !same(taxed.gross, line.tax.gross))
            found.push(
              `line ${line.lineNo} states tax ${show(line.tax.amount)} and gross ${show(line.tax.gross)}; the tax rule gives ${show(taxed.tax)} and ${show(taxed.gross)}`,
            );
        }
      }
      const total = event.data.lines.reduce((a, l) => a + l.netAmount.amountMinor, 0);
      if (total !== event.data.total.amountMinor || event.data.total.currency !== event.data.currency)
        found.push(`states total ${show(event.data.total)}; its lines add up to ${total} ${event.data.currency}`);
      if (event.data.tax) {
        const tax = event.data.lines.reduce((a, l) => a + (l.tax?.amount.amountMinor ?? 0), 0);
        if (tax !== event.data.tax.amountMinor) found.push(`states tax ${show(event.data.tax)}; its lines' tax adds up to ${tax} ${event.data.currency}`);
        if (event.data.gross?.amountMinor !== total + tax)
          found.push(`states gross ${event.data.gross ? show(event.data.gross) : 'none'}; net plus tax is ${total + tax} ${event.data.currency}`);
      }
      return found;
    }
    case 'PaymentRecorded': {
      const owed = outstanding(order);
      return same(owed, event.data.outstanding)
        ? []
        : [`states ${show(event.data.outstanding)} outstanding after it; invoiced less credited less paid is ${show(owed)}`];
    }
    case 'OrderPaid':
      return same(order.paid, event.data.totalPaid) ? [] : [`states ${show(event.data.totalPaid)} paid in all; the payments add up to ${show(order.paid)}`];
    default:
      return [];
  }
};

const checkStatement = (event: SettlementEvent, before: StatementState): string[] => {
  if (!before.exists) return [];
  if (event.type === 'SettlementStatementClosed') {
    const lines = [...before.lines.values()];
    const of = (kind: string) => lines.filter((l) => l.kind === kind).reduce((a, l) => a + l.amount.amountMinor, 0);
    const rebates = event.data.rebates.reduce((a, r) => a + r.amount.amountMinor, 0);
    const expected = { revenueShare: of('revenue_share'), jointMarketing: of('joint_marketing'), penalties: of('penalty'), rebates };
    const total = expected.revenueShare + expected.jointMarketing + expected.penalties + expected.rebates;
    const found: string[] = [];
    for (const [key, value] of Object.entries({ ...expected, total })) {
      const stated = event.data.totals[key as keyof typeof event.data.totals];
      if (stated.amountMinor !== value) found.push(`states ${key} ${show(stated)}; its lines and rebates give ${value} ${before.currency}`);
    }
    const volume = lines.reduce((a, l) => a + l.volume.amountMinor, 0);
    if (volume !== event.data.volume.amountMinor) found.push(`states volume ${show(event.data.volume)}; its lines give ${volume} ${before.currency}`);
    if (lines.length !== event.data.lineCount) found.push(`states ${event.data.lineCount} lines; the statement has ${lines.length}`);
    return found;
  }
  if (event.type === 'SettlementStatementApproved' && before.totals && !same(before.totals.total, event.data.total))
    return [`approves ${show(event.data.total)}; the statement closed at ${show(before.totals.total)}`];
  return [];
};
