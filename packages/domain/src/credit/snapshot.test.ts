import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { money } from '../shared/money';
import type { CreditCommand } from './commands';
import { CREDIT_SNAPSHOT_SCHEMA, type CreditState, creditDecider, creditSnapshotCodec } from './credit';

const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const at = '2025-03-01T09:00:00Z';

const command = fc.oneof(
  fc
    .record({
      order: fc.integer({ min: 1, max: 8 }),
      amount: fc.integer({ min: 0, max: 3_000_00 }),
      limit: fc.integer({ min: 0, max: 10_000_00 }),
      over: fc.boolean(),
    })
    .map(
      (c): CreditCommand => ({
        type: 'ReserveCredit',
        data: { partnerId: 'acme', orderId: `o${c.order}`, amount: eur(c.amount), limit: eur(c.limit), allowOverLimit: c.over, reason: 'r', reservedAt: at },
      }),
    ),
  fc.record({ order: fc.integer({ min: 1, max: 8 }), remaining: fc.integer({ min: 0, max: 3_000_00 }) }).map(
    (c): CreditCommand => ({
      type: 'ReleaseCredit',
      data: { partnerId: 'acme', orderId: `o${c.order}`, remaining: eur(c.remaining), reason: 'r', releasedAt: at },
    }),
  ),
);

/** Runs commands from a state, keeping what each decided. */
const run = (state: CreditState, commands: readonly CreditCommand[]) => {
  const decisions = [];
  for (const c of commands) {
    const decision = creditDecider.decide(c, state);
    decisions.push(decision);
    if (decision._tag === 'Right') state = decision.right.reduce(creditDecider.evolve, state);
  }
  return { state, decisions };
};

/** A state kept as a snapshot and read back, as a database would hand it over. */
const throughSnapshot = (state: CreditState) => creditSnapshotCodec.fromJson(JSON.parse(JSON.stringify(creditSnapshotCodec.toJson(state))));

describe('credit snapshots', () => {
  it('decide every later command exactly as the state folded from every event does, wherever the snapshot is taken', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), fc.array(command, { maxLength: 30 }), (before, after) => {
        const history = run(creditDecider.initialState, before);
        const snapshot = throughSnapshot(history.state);
        expect(snapshot).not.toBeNull();
        expect(run(snapshot!, after).decisions).toEqual(run(history.state, after).decisions);
      }),
    );
  });

  it('hold only the orders that still hold credit', () => {
    const { state } = run(creditDecider.initialState, [
      {
        type: 'ReserveCredit',
        data: { partnerId: 'acme', orderId: 'paid', amount: eur(5_00), limit: eur(100_00), allowOverLimit: false, reason: 'r', reservedAt: at },
      },
      {
        type: 'ReserveCredit',
        data: { partnerId: 'acme', orderId: 'open', amount: eur(7_00), limit: eur(100_00), allowOverLimit: false, reason: 'r', reservedAt: at },
      },
      { type: 'ReleaseCredit', data: { partnerId: 'acme', orderId: 'paid', remaining: eur(0), reason: 'paid', releasedAt: at } },
    ]);
    expect([...state.reservations.keys()]).toEqual(['open']);
    expect(state.exposure).toEqual(eur(7_00));
  });

  it('are not read back when their JSON is not a credit state', () => {
    expect(creditSnapshotCodec.fromJson({ currency: 'EUR', exposure: 5, reservations: [] })).toBeNull();
    expect(creditSnapshotCodec.schema).toBe(CREDIT_SNAPSHOT_SCHEMA);
  });
});
