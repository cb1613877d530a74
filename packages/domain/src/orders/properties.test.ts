import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { proportion, sum } from '../shared/money';
import { type LineQuantity, OrderCommand, type PricedLine } from './commands';
import { OrderEvent } from './events';
import { approve, at, cancel, confirm, deliver, orderId, place, pricedLine, reject } from './fixtures';
import { orderDecider } from './index';
import type { ExistingOrder, OrderState } from './state';
import { ORDER_STATUSES, orderStatus, outstanding } from './status';

// Generators. Ids come from small pools so that duplicates (and their refusals) happen often.

const orderLines = fc
  .array(
    fc.record({
      quantity: fc.integer({ min: 1, max: 6 }),
      unitPriceMinor: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000_000 })),
      discountBps: fc.oneof(fc.constantFrom(0, 2_500, 10_000), fc.integer({ min: 0, max: 10_000 })),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((lines) => lines.map((l, i) => pricedLine(i + 1, `sku-${i + 1}`, l.quantity, l.unitPriceMinor, l.discountBps)));

/**
 * Line quantities as a client would ask for them. `'rest'` is whatever is left to ship (or to return) on that line and `'all'`
 * is the rest of every line, so that sequences often get to the end of the flow.
 */
const lineQuantities = fc.oneof(
  fc.uniqueArray(fc.record({ lineNo: fc.integer({ min: 1, max: 5 }), quantity: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant('rest' as const)) }), {
    selector: (l) => l.lineNo,
    minLength: 1,
    maxLength: 4,
  }),
  fc.constant('all' as const),
);
type RequestedLines = readonly { lineNo: number; quantity: number | 'rest' }[] | 'all';
const idFrom = (prefix: string) => fc.integer({ min: 1, max: 6 }).map((n) => `${prefix}${n}`);

type Step =
  | { kind: 'place' | 'approve' | 'reject' | 'confirm' | 'cancel' }
  | { kind: 'ship'; shipmentId: string; lines: RequestedLines }
  | { kind: 'deliver'; shipmentId: string }
  | { kind: 'invoice'; invoiceId: string; dueDate: string }
  | { kind: 'pay'; paymentId: string; amount: number | 'rest' }
  | { kind: 'return'; returnId: string; creditNoteId: string; lines: RequestedLines };

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.constantFrom<Step>({ kind: 'place' }, { kind: 'reject' }, { kind: 'cancel' }), weight: 1 },
  { arbitrary: fc.constantFrom<Step>({ kind: 'approve' }, { kind: 'confirm' }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('ship' as const), shipmentId: idFrom('s'), lines: lineQuantities }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('deliver' as const), shipmentId: idFrom('s') }), weight: 6 },
  {
    arbitrary: fc.record({ kind: fc.constant('invoice' as const), invoiceId: idFrom('inv'), dueDate: fc.constantFrom('2025-02-01', '2025-03-31') }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      paymentId: idFrom('p'),
      amount: fc.oneof(fc.integer({ min: 1, max: 50_000 }), fc.constant('rest' as const)),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('return' as const), returnId: idFrom('r'), creditNoteId: idFrom('cn'), lines: lineQuantities }), weight: 3 },
);

const commandSequences = fc.array(step, { maxLength: 40, size: 'max' });

// Turning steps into commands, as a client would: only `'rest'` looks at the current state.

const resolve = (state: OrderState, lines: RequestedLines, left: (line: ExistingOrder['lines'][number]) => number): LineQuantity[] => {
  const orderLines = state.exists ? state.lines : [];
  if (lines === 'all') {
    const open = orderLines.filter((l) => left(l) > 0).map((l) => ({ lineNo: l.lineNo, quantity: left(l) }));
    return open.length > 0 ? open : [{ lineNo: 1, quantity: 1 }];
  }
  return lines.map(({ lineNo, quantity }) => {
    const line = orderLines.find((l) => l.lineNo === lineNo);
    return { lineNo, quantity: quantity === 'rest' ? Math.max(1, line ? left(line) : 1) : quantity };
  });
};

const commandFor = (s: Step, state: OrderState, lines: readonly PricedLine[]): OrderCommand => {
  switch (s.kind) {
    case 'place':
      return place(lines);
    case 'approve':
      return approve();
    case 'reject':
      return reject();
    case 'confirm':
      return confirm();
    case 'cancel':
      return cancel();
    case 'ship':
      return { type: 'ShipOrder', data: { orderId, shipmentId: s.shipmentId, lines: resolve(state, s.lines, (l) => l.quantity - l.shipped), shippedAt: at } };
    case 'deliver':
      return deliver(s.shipmentId);
    case 'invoice':
      return { type: 'InvoiceOrder', data: { orderId, invoiceId: s.invoiceId, invoicedAt: at, dueDate: s.dueDate } };
    case 'pay': {
      const rest = state.exists ? outstanding(state).amountMinor : 0;
      const amount = s.amount === 'rest' ? Math.max(1, rest) : s.amount;
      return { type: 'RecordPayment', data: { orderId, paymentId: s.paymentId, amount: { amountMinor: amount, currency: 'EUR' }, paidAt: at, method: 'cash' } };
    }
    case 'return':
      return {
        type: 'ReturnGoods',
        data: {
          orderId,
          returnId: s.returnId,
          creditNoteId: s.creditNoteId,
          lines: resolve(state, s.lines, (l) => l.delivered - l.returned),
          reason: 'damaged',
          returnedAt: at,
        },
      };
  }
};

// Running a sequence: every command is validated as the command handler would, refused commands are dropped.

interface Run {
  readonly state: OrderState;
  readonly history: readonly OrderEvent[];
}

type AfterCommand = (run: Run, recorded: readonly OrderEvent[]) => void;

const apply = (run: Run, command: OrderCommand, afterCommand: AfterCommand = () => {}): Run => {
  const result = orderDecider.decide(OrderCommand.parse(command), run.state);
  if (result._tag === 'Left') return run;
  for (const event of result.right) expect(OrderEvent.parse(event)).toEqual(event);
  const next = { state: result.right.reduce(orderDecider.evolve, run.state), history: [...run.history, ...result.right] };
  afterCommand(next, result.right);
  return next;
};

const runSteps = (lines: readonly PricedLine[], steps: readonly Step[], afterCommand?: AfterCommand): Run =>
  steps.reduce(
    (run, s) => apply(run, commandFor(s, run.state, lines), afterCommand),
    apply({ state: orderDecider.initialState, history: [] }, place(lines), afterCommand),
  );

const existing = (state: OrderState): ExistingOrder => {
  if (!state.exists) throw new Error('the order was placed first, so it must exist');
  return state;
};

/** What must hold after every accepted command. */
const checkInvariants = ({ state, history }: Run, recorded: readonly OrderEvent[]): void => {
  const order = existing(state);
  for (const line of order.lines) {
    expect(line.shipped).toBeLessThanOrEqual(line.quantity);
    expect(line.delivered).toBeLessThanOrEqual(line.shipped);
    expect(line.returned).toBeLessThanOrEqual(line.delivered);
    // Credits follow the returned share of the line, so they never exceed what the line cost.
    expect(line.credited).toEqual(proportion(line.netAmount, line.returned, line.quantity));
  }
  expect(order.total).toEqual(
    sum(
      order.currency,
      order.lines.map((l) => l.netAmount),
    ),
  );
  expect(order.credited).toEqual(
    sum(
      order.currency,
      order.lines.map((l) => l.credited),
    ),
  );
  expect(order.credited.amountMinor).toBeLessThanOrEqual(order.total.amountMinor);
  expect(order.paid.amountMinor).toBeLessThanOrEqual(order.invoice?.amount.amountMinor ?? 0);

  const lastPayment = history.findLastIndex((e) => e.type === 'PaymentRecorded');
  const creditedAfterPayment = lastPayment >= 0 && history.slice(lastPayment).some((e) => e.type === 'CreditNoteIssued');
  if (!creditedAfterPayment) expect(outstanding(order).amountMinor).toBeGreaterThanOrEqual(0);

  for (const event of recorded) {
    if (event.type === 'OrderShipped') expect(event.data.fullyShipped).toBe(order.lines.every((l) => l.shipped === l.quantity));
    if (event.type === 'ShipmentDelivered') expect(event.data.fullyDelivered).toBe(order.lines.every((l) => l.delivered === l.quantity));
    if (event.type === 'PaymentRecorded') expect(event.data.outstanding).toEqual(outstanding(order));
    if (event.type === 'OrderPaid') expect(outstanding(order).amountMinor).toBe(0);
  }
  if (order.lines.some((l) => l.shipped > 0)) expect(order.lifecycle).toBe('confirmed');
  expect(ORDER_STATUSES).toContain(orderStatus(order));
};

describe('order invariants over random command sequences', () => {
  it('hold after every accepted command, and the history folds back to the same order', () => {
    fc.assert(
      fc.property(orderLines, commandSequences, (lines, steps) => {
        const run = runSteps(lines, steps, checkInvariants);
        expect(fold(orderDecider, run.history)).toEqual(run.state);
      }),
      { numRuns: 300 },
    );
  });

  it('reach every status, so the invariants are tested on orders at every stage', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(orderLines, commandSequences, (lines, steps) => {
        runSteps(lines, steps, ({ state }) => seen.add(orderStatus(existing(state))));
      }),
      { numRuns: 300, seed: 42 },
    );
    expect([...seen].sort()).toEqual([...ORDER_STATUSES].sort());
  });
});

describe('returns', () => {
  /** Sizes of successive returns that together give back all `quantity` units: the pieces between sorted cut points. */
  const piecesOf = (quantity: number, cuts: number[]) => {
    const ends = [...cuts.sort((a, b) => a - b), quantity];
    return ends.map((end, i) => end - (ends[i - 1] ?? 0));
  };

  /** A line of `quantity` units at some price and discount, and the split of its full return into partial returns. */
  const lineAndReturns = fc.integer({ min: 1, max: 1_000_000 }).chain((quantity) =>
    fc.record({
      unitPriceMinor: fc.integer({ min: 0, max: 1_000_000 }),
      discountBps: fc.integer({ min: 0, max: 10_000 }),
      quantity: fc.constant(quantity),
      returns: fc
        .uniqueArray(fc.integer({ min: 1, max: Math.max(1, quantity - 1) }), { maxLength: Math.min(quantity - 1, 20) })
        .map((cuts) => piecesOf(quantity, cuts)),
    }),
  );

  it('a line returned in full is credited exactly its net amount, however the return is split', () => {
    fc.assert(
      fc.property(lineAndReturns, ({ unitPriceMinor, discountBps, quantity, returns }) => {
        const lines = [pricedLine(1, 'pump-a', quantity, unitPriceMinor, discountBps), pricedLine(2, 'valve-b', 1, 9_99)];
        const delivered = runSteps(lines, [
          { kind: 'approve' },
          { kind: 'confirm' },
          { kind: 'ship', shipmentId: 's1', lines: [{ lineNo: 1, quantity }] },
          { kind: 'deliver', shipmentId: 's1' },
        ]);
        const returned = returns.reduce(
          (run, q, i) =>
            apply(run, {
              type: 'ReturnGoods',
              data: { orderId, returnId: `r${i}`, creditNoteId: `cn${i}`, lines: [{ lineNo: 1, quantity: q }], reason: 'damaged', returnedAt: at },
            }),
          delivered,
        );
        const credits = returned.history.flatMap((e) => (e.type === 'CreditNoteIssued' ? [e.data.amount] : []));
        const order = existing(returned.state);
        expect(credits).toHaveLength(returns.length);
        expect(credits.every((c) => c.amountMinor >= 0)).toBe(true);
        expect(sum('EUR', credits)).toEqual(order.lines[0]?.netAmount);
        expect(order.lines[0]?.returned).toBe(quantity);
        expect(order.credited).toEqual(order.lines[0]?.netAmount);
      }),
    );
  });
});
