import { createHash } from 'node:crypto';
import { type OrderPlaced, PeriodId, periodEnd, periodStart } from '@dms/domain';
import { type HistoryEntry, historyEntry } from './audit';
import { foldSteps, type StateStep } from './audit-state';
import { InvalidArgument } from './errors';
import { verifyChain } from './hash-chain';
import type { EventStore, RecordedEvent } from './port';

/**
 * A reproducible sample of orders for an audit. The population is every order placed in the period (by the `placedAt` of
 * its `OrderPlaced`); each order is ranked by `SHA-256(seed + "\n" + orderId)` in hex, and the sample is the lowest
 * ranks. Anyone with the seed re-draws the same sample from the same population, with DMS or with a shell
 * (`printf '%s\n%s' 42 SO-00042 | sha256sum`), and a sample does not change when orders outside the period are added.
 */

/** An order's rank in a draw: the lower, the sooner it is drawn. */
export const sampleRank = (seed: string, orderId: string): string => createHash('sha256').update(`${seed}\n${orderId}`, 'utf8').digest('hex');

/** A money movement on an order: its invoices (the whole order's or each shipment's), payments, returns and credit notes, in the order they were recorded. */
export interface TrailEntry {
  readonly streamVersion: number;
  readonly recordedAt: string;
  readonly type: string;
  /** The business document: invoice, payment, return or credit note id. */
  readonly document: string;
  /** When it happened in business terms (invoicedAt, paidAt...). */
  readonly at: string;
  readonly amount: { readonly amountMinor: number; readonly currency: string } | null;
  readonly by: string;
}

export interface SampledOrder {
  readonly orderId: string;
  readonly rank: string;
  readonly partnerId: string;
  readonly placedAt: string;
  /** Every event of the order with the state and status right after it. */
  readonly steps: readonly StateStep[];
  readonly trail: readonly TrailEntry[];
  /** The `revenuesplit-<orderId>` stream: each split recorded (invoice, payment or credit note) with its lines. */
  readonly revenueSplit: readonly HistoryEntry[];
  /** True when the hash chains of the order and of its revenue split hold. */
  readonly verified: boolean;
}

export interface AuditSample {
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly seed: string;
  readonly requested: number;
  /** Orders placed in the period. */
  readonly population: number;
  /** The store's head when the sample was drawn. */
  readonly upToPosition: string | null;
  readonly orders: readonly SampledOrder[];
}

const TRAIL: Readonly<Record<string, { document: string; at: string; amount: string | null }>> = {
  OrderInvoiced: { document: 'invoiceId', at: 'invoicedAt', amount: 'amount' },
  ShipmentInvoiced: { document: 'invoiceId', at: 'invoicedAt', amount: 'amount' },
  PaymentRecorded: { document: 'paymentId', at: 'paidAt', amount: 'amount' },
  OrderPaid: { document: 'orderId', at: 'paidAt', amount: 'totalPaid' },
  GoodsReturned: { document: 'returnId', at: 'returnedAt', amount: null },
  CreditNoteIssued: { document: 'creditNoteId', at: 'issuedAt', amount: 'amount' },
};

const trailOf = (events: readonly RecordedEvent[]): TrailEntry[] =>
  events.flatMap((e) => {
    const fields = TRAIL[e.type];
    if (!fields) return [];
    const d = e.data as Record<string, unknown>;
    const returned = e.type === 'GoodsReturned' ? (d.lines as { creditAmount: { amountMinor: number; currency: string } }[]) : null;
    const amount = fields.amount
      ? (d[fields.amount] as TrailEntry['amount'])
      : returned && returned.length > 0
        ? { amountMinor: returned.reduce((a, l) => a + l.creditAmount.amountMinor, 0), currency: returned[0]!.creditAmount.currency }
        : null;
    return [
      {
        streamVersion: e.streamVersion,
        recordedAt: e.recordedAt.toISOString(),
        type: e.type,
        document: String(d[fields.document]),
        at: String(d[fields.at]),
        amount,
        by: e.metadata.actor.id,
      },
    ];
  });

const readStream = async (store: EventStore, streamId: string, upTo: bigint) => {
  const events: RecordedEvent[] = [];
  for await (const e of store.readStream(streamId)) if (e.globalPosition <= upTo) events.push(e);
  return events;
};

/** Draws the sample: reads every `OrderPlaced` once, then the sampled orders and their revenue splits, up to the head. */
export const drawSample = async (store: EventStore, options: { period: string; orders: number; seed: string }): Promise<AuditSample> => {
  if (!PeriodId.safeParse(options.period).success)
    throw new InvalidArgument(`"${options.period}" is not a period: give a month (2026-07) or a quarter (2026-Q3).`);
  if (!Number.isInteger(options.orders) || options.orders < 1) throw new InvalidArgument('A sample needs at least one order.');
  if (options.seed.length === 0) throw new InvalidArgument('A sample needs a seed: anyone re-drawing it needs the same one.');
  const from = periodStart(options.period);
  const to = periodEnd(options.period);
  const head = await store.headPosition();
  const upTo = head ?? 0n;
  const population: { orderId: string; rank: string; partnerId: string; placedAt: string }[] = [];
  for await (const e of store.readAll({ filter: { eventTypes: ['OrderPlaced'], streamPrefixes: ['order-'] } })) {
    if (e.globalPosition > upTo) break;
    const d = e.data as OrderPlaced['data'];
    const day = d.placedAt.slice(0, 10);
    if (day >= from && day <= to)
      population.push({ orderId: d.orderId, rank: sampleRank(options.seed, d.orderId), partnerId: d.partnerId, placedAt: d.placedAt });
  }
  population.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  const orders: SampledOrder[] = [];
  for (const o of population.slice(0, options.orders)) {
    const events = await readStream(store, `order-${o.orderId}`, upTo);
    const split = await readStream(store, `revenuesplit-${o.orderId}`, upTo);
    orders.push({
      ...o,
      steps: foldSteps(`order-${o.orderId}`, events),
      trail: trailOf(events),
      revenueSplit: split.map(historyEntry),
      verified: verifyChain(`order-${o.orderId}`, events).ok && verifyChain(`revenuesplit-${o.orderId}`, split).ok,
    });
  }
  return {
    period: options.period,
    from,
    to,
    seed: options.seed,
    requested: options.orders,
    population: population.length,
    upToPosition: head === null ? null : head.toString(),
    orders,
  };
};
