import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { StockCommand } from './commands';
import { StockEvent } from './events';
import { adjust, count, eur, inTransit, receive, release, reserve, returnStock, setPolicy, shipStock, transferIn, transferOut, withdraw } from './fixtures';
import { backorderQueue, stockDecider } from './index';
import { availableQuantity } from './reorder';
import type { StockState } from './state';

// Small pools of ids, so that repeats (and their refusals) happen often.
const order = fc.integer({ min: 1, max: 6 });
const line = fc.integer({ min: 1, max: 2 });
const qty = fc.integer({ min: 1, max: 8 });
const id = (prefix: string) => fc.integer({ min: 1, max: 4 }).map((n) => `${prefix}${n}`);

type Make = (state: StockState) => StockCommand;

const step: fc.Arbitrary<Make> = fc.oneof(
  {
    arbitrary: fc.record({ r: id('r'), q: qty, cost: fc.integer({ min: 0, max: 99_999 }) }).map(
      ({ r, q, cost }) =>
        () =>
          receive(r, q, cost),
    ),
    weight: 4,
  },
  {
    arbitrary: fc.record({ n: order, l: line, q: qty, mode: fc.constantFrom('refuse' as const, 'backorder' as const) }).map(
      ({ n, l, q, mode }) =>
        () =>
          reserve(n, q, mode, l),
    ),
    weight: 5,
  },
  {
    arbitrary: fc.record({ n: order, l: line }).map(
      ({ n, l }) =>
        () =>
          release(n, l),
    ),
    weight: 2,
  },
  {
    arbitrary: fc.record({ n: order, l: line, s: id('s'), q: fc.oneof(qty, fc.constant('all' as const)) }).map(({ n, l, s, q }) => (state: StockState) => {
      const held = state.lines.get(`o${n}#${l}`)?.reserved ?? 1;
      return shipStock(n, s, q === 'all' ? Math.max(1, held) : q, l);
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ n: order, l: line, q: qty }).map(
      ({ n, l, q }) =>
        () =>
          withdraw(n, q, 'hub-1', l),
    ),
    weight: 1,
  },
  {
    arbitrary: fc.record({ n: order, l: line, s: id('s'), r: id('ret'), q: fc.integer({ min: 1, max: 3 }) }).map(
      ({ n, l, s, r, q }) =>
        () =>
          returnStock(n, s, r, q, l),
    ),
    weight: 2,
  },
  {
    arbitrary: fc.record({ t: id('out'), q: qty }).map(
      ({ t, q }) =>
        () =>
          transferOut(t, q),
    ),
    weight: 1,
  },
  {
    arbitrary: fc.record({ t: id('in'), q: qty, v: fc.integer({ min: 0, max: 500_000 }) }).map(
      ({ t, q, v }) =>
        () =>
          inTransit(t, q, v),
    ),
    weight: 1,
  },
  {
    arbitrary: fc.record({ t: id('in'), q: fc.option(qty, { nil: undefined }) }).map(
      ({ t, q }) =>
        () =>
          transferIn(t, q),
    ),
    weight: 1,
  },
  {
    arbitrary: fc
      .record({
        a: id('a'),
        change: fc.integer({ min: -5, max: 5 }).filter((n) => n !== 0),
        cost: fc.option(fc.integer({ min: 0, max: 9_999 }), { nil: undefined }),
      })
      .map(({ a, change, cost }) => () => {
        const c = adjust(a, change, change > 0 ? 'found' : 'damage');
        if (cost !== undefined && c.type === 'AdjustStock') c.data.unitCost = eur(cost);
        return c;
      }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ a: id('c'), n: fc.integer({ min: 0, max: 30 }) }).map(
      ({ a, n }) =>
        () =>
          count(a, n),
    ),
    weight: 1,
  },
  {
    arbitrary: fc
      .record({ min: fc.nat(10), extra: fc.nat(20), pack: fc.integer({ min: 1, max: 6 }) })
      .map((p) => () => setPolicy(p.min, p.min + p.extra + 1, p.pack)),
    weight: 1,
  },
);

interface Run {
  readonly state: StockState;
  readonly history: readonly StockEvent[];
}

const run = (steps: readonly Make[], check: (r: Run) => void): Run =>
  steps.reduce<Run>(
    (r, make) => {
      const command = StockCommand.parse(make(r.state));
      const result = stockDecider.decide(command, r.state);
      if (result._tag === 'Left') return r;
      for (const event of result.right) expect(StockEvent.parse(event)).toEqual(event);
      const next = { state: result.right.reduce(stockDecider.evolve, r.state), history: [...r.history, ...result.right] };
      check(next);
      return next;
    },
    { state: stockDecider.initialState, history: [] },
  );

const total = (events: readonly StockEvent[], f: (e: StockEvent) => number) => events.reduce((a, e) => a + f(e), 0);

/** What the history says, summed movement by movement, against what the state holds. */
const checkIdentities = ({ state, history }: Run): void => {
  const onHand = total(history, (e) => {
    switch (e.type) {
      case 'StockReceived':
      case 'StockTransferredIn':
      case 'StockReturned':
        return e.data.quantity;
      case 'StockShipped':
      case 'StockTransferredOut':
        return -e.data.quantity;
      case 'StockAdjusted':
        return e.data.quantityChange;
      default:
        return 0;
    }
  });
  const reserved = total(history, (e) =>
    e.type === 'StockReserved' ? e.data.quantity : e.type === 'StockReservationReleased' || e.type === 'StockShipped' ? -e.data.quantity : 0,
  );
  const backordered = total(history, (e) =>
    e.type === 'StockBackordered'
      ? e.data.quantity
      : e.type === 'StockBackorderCancelled' || e.type === 'StockBackorderWithdrawn' || (e.type === 'StockReserved' && e.data.fromBackorder)
        ? -e.data.quantity
        : 0,
  );
  // Value = the sum of every movement at its cost, exactly.
  const value = total(history, (e) => {
    switch (e.type) {
      case 'StockReceived':
      case 'StockTransferredIn':
      case 'StockAdjusted':
      case 'StockReturned':
        return e.data.value.amountMinor;
      case 'StockShipped':
      case 'StockTransferredOut':
        return -e.data.value.amountMinor;
      default:
        return 0;
    }
  });
  expect(state.onHand).toBe(onHand);
  expect(state.reserved).toBe(reserved);
  expect(state.backordered).toBe(backordered);
  expect(state.value).toBe(value);
  expect(state.reserved).toBe([...state.lines.values()].reduce((a, l) => a + l.reserved, 0));
  expect(state.backordered).toBe([...state.lines.values()].reduce((a, l) => a + l.backordered, 0));
  // Never negative; nothing to value when nothing is on hand; no backorder waits while stock is available.
  expect(availableQuantity(state)).toBeGreaterThanOrEqual(0);
  expect(Math.min(state.reserved, state.backordered, state.incoming, state.value, state.incomingValue)).toBeGreaterThanOrEqual(0);
  if (state.onHand === 0) expect(state.value).toBe(0);
  if (backorderQueue(state).length > 0) expect(availableQuantity(state)).toBe(0);
  for (const l of state.lines.values()) expect(Math.min(l.reserved, l.backordered)).toBeGreaterThanOrEqual(0);
  // A shipment never comes back more than it took, nor at more than it was worth.
  for (const [key, out] of state.shipmentsOut) {
    const back = history.filter((e) => e.type === 'StockReturned' && `${e.data.orderId}#${e.data.lineNo}/${e.data.shipmentId}` === key);
    expect(total(back, (e) => (e.type === 'StockReturned' ? e.data.quantity : 0))).toBe(out.returned);
    expect(out.returned).toBeLessThanOrEqual(out.quantity);
    expect(total(back, (e) => (e.type === 'StockReturned' ? e.data.value.amountMinor : 0))).toBeLessThanOrEqual(out.value);
  }
};

describe('stock invariants over random movement sequences', () => {
  it('the quantity identities and value = sum of movements at cost hold after every accepted command', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60, size: 'medium' }), (steps) => {
        const r = run(steps, checkIdentities);
        expect(fold(stockDecider, r.history)).toEqual(r.state);
      }),
      { numRuns: 400 },
    );
  });

  it('a transfer received in any number of parts brings in exactly its value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 50 })),
        (quantity, value, parts) => {
          const start = run([() => inTransit('t1', quantity, value)], () => {}).state;
          // Each part as it arrives, capped at what is still in transit; the last one brings whatever is left.
          const state = [...parts, quantity].reduce<StockState>((s, p) => {
            const left = quantity - (s.transfersIn.get('t1')?.received ?? 0);
            if (left === 0) return s;
            const result = stockDecider.decide(transferIn('t1', Math.min(p, left)), s);
            if (result._tag === 'Left') throw new Error(result.left.message);
            return result.right.reduce(stockDecider.evolve, s);
          }, start);
          expect(state).toMatchObject({ onHand: quantity, value, incoming: 0, incomingValue: 0 });
        },
      ),
    );
  });

  it('a shipment returned in any number of parts brings back exactly the value it left with', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.integer({ min: 1, max: 40 })),
        (first, firstCost, second, secondCost, parts) => {
          // Two receipts at different costs, so that the shipment leaves at an average that is rarely a whole number.
          const start = run(
            [
              () => receive('r1', first, firstCost),
              () => receive('r2', second, secondCost),
              () => reserve(1, first + second - 1),
              () => shipStock(1, 's1', first + second - 1),
            ],
            () => {},
          );
          const shipped = start.history.find((e) => e.type === 'StockShipped');
          if (shipped?.type !== 'StockShipped') throw new Error('not shipped');
          const quantity = shipped.data.quantity;
          let state = start.state;
          let back = 0;
          for (const [i, p] of [...parts, quantity].entries()) {
            const left = quantity - (state.shipmentsOut.get('o1#1/s1')?.returned ?? 0);
            if (left === 0) break;
            const result = stockDecider.decide(returnStock(1, 's1', `ret${i}`, Math.min(p, left)), state);
            if (result._tag === 'Left') throw new Error(result.left.message);
            for (const e of result.right) if (e.type === 'StockReturned') back += e.data.value.amountMinor;
            state = result.right.reduce(stockDecider.evolve, state);
          }
          expect(back).toBe(shipped.data.value.amountMinor);
          expect(state).toMatchObject({ onHand: first + second, value: first * firstCost + second * secondCost });
        },
      ),
    );
  });

  it('issues everything received at exactly its total cost, however it leaves', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ q: fc.integer({ min: 1, max: 1_000 }), cost: fc.integer({ min: 0, max: 1_000_000 }) }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 20 }),
        (receipts, issues) => {
          let state = receipts.reduce<StockState>((s, r, i) => {
            const result = stockDecider.decide(receive(`r${i}`, r.q, r.cost), s);
            return result._tag === 'Right' ? result.right.reduce(stockDecider.evolve, s) : s;
          }, stockDecider.initialState);
          const received = receipts.reduce((a, r) => a + r.q * r.cost, 0);
          let issued = 0;
          for (const [i, q] of [...issues, Number.MAX_SAFE_INTEGER].entries()) {
            if (state.onHand === 0) break;
            const result = stockDecider.decide(transferOut(`t${i}`, Math.min(q, state.onHand)), state);
            if (result._tag === 'Left') throw new Error(result.left.message);
            for (const e of result.right) if (e.type === 'StockTransferredOut') issued += e.data.value.amountMinor;
            state = result.right.reduce(stockDecider.evolve, state);
          }
          expect(issued).toBe(received);
          expect(state.value).toBe(0);
        },
      ),
    );
  });
});

describe('random sequences', () => {
  it('reach every kind of movement, so the invariants are tested on all of them', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 60 }), (steps) => {
        for (const e of run(steps, () => {}).history) seen.add(e.type);
      }),
      { numRuns: 300, seed: 7 },
    );
    expect([...seen].sort()).toEqual(StockEvent.options.map((o) => o.shape.type.value).sort());
  });
});
