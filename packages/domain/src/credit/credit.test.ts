import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { money } from '../shared/money';
import { given } from '../testing';
import type { CreditCommand } from './commands';
import { creditDecider } from './credit';
import type { CreditEvent } from './events';

const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const at = '2025-03-01T09:00:00Z';
const limit = eur(10_000_00);
const reserve = (orderId: string, amountMinor: number, allowOverLimit = false): CreditCommand => ({
  type: 'ReserveCredit',
  data: { partnerId: 'acme', orderId, amount: eur(amountMinor), limit, allowOverLimit, reason: 'order approved', reservedAt: at },
});
const release = (orderId: string, remainingMinor: number): CreditCommand => ({
  type: 'ReleaseCredit',
  data: { partnerId: 'acme', orderId, remaining: eur(remainingMinor), reason: 'payment received', releasedAt: at },
});
const reserved = (orderId: string, amountMinor: number, orderReserved: number, exposure: number, overLimit = false): CreditEvent => ({
  type: 'CreditReserved',
  data: {
    partnerId: 'acme',
    orderId,
    amount: eur(amountMinor),
    orderReserved: eur(orderReserved),
    exposure: eur(exposure),
    limit,
    overLimit,
    reason: 'order approved',
    reservedAt: at,
  },
});
const givenCredit = given(creditDecider);

describe("a dealer's credit exposure", () => {
  it('reserves an order within the limit', () => {
    givenCredit()
      .when(reserve('o1', 6_000_00))
      .then(reserved('o1', 6_000_00, 6_000_00, 6_000_00));
  });

  it('refuses an order that would take the exposure over the limit, saying what is available', () => {
    const error = givenCredit(reserved('o1', 6_000_00, 6_000_00, 6_000_00))
      .when(reserve('o2', 4_000_01))
      .thenRefuses('CREDIT_LIMIT_EXCEEDED');
    expect(error.details).toEqual({ exposureMinor: 6_000_00, limitMinor: 10_000_00, requestedMinor: 4_000_01, currency: 'EUR' });
    expect(error.message).toContain('4,000.00 EUR is available');
    givenCredit(reserved('o1', 6_000_00, 6_000_00, 6_000_00))
      .when(reserve('o2', 4_000_00))
      .then(reserved('o2', 4_000_00, 4_000_00, 10_000_00));
  });

  it('lets a person approve over the limit knowingly, and records that it is over', () => {
    givenCredit(reserved('o1', 6_000_00, 6_000_00, 6_000_00))
      .when(reserve('o2', 5_000_00, true))
      .then(reserved('o2', 5_000_00, 5_000_00, 11_000_00, true));
  });

  it('reserves an order once: a second reservation of the same amount changes nothing', () => {
    givenCredit(reserved('o1', 6_000_00, 6_000_00, 6_000_00))
      .when(reserve('o1', 6_000_00))
      .then();
  });

  it('releases what an order no longer needs, and never below zero', () => {
    givenCredit(reserved('o1', 6_000_00, 6_000_00, 6_000_00))
      .when(release('o1', 2_000_00))
      .then({
        type: 'CreditReleased',
        data: {
          partnerId: 'acme',
          orderId: 'o1',
          amount: eur(4_000_00),
          orderReserved: eur(2_000_00),
          exposure: eur(2_000_00),
          reason: 'payment received',
          releasedAt: at,
        },
      });
    givenCredit().when(release('unknown', 0)).then();
  });

  it('refuses another currency', () => {
    givenCredit(reserved('o1', 1, 1, 1))
      .when({
        type: 'ReserveCredit',
        data: { partnerId: 'acme', orderId: 'o2', amount: money(1, 'USD'), limit: money(5, 'USD'), allowOverLimit: false, reason: 'x', reservedAt: at },
      })
      .thenRefuses('CURRENCY_MISMATCH');
  });

  it('never lets reservations made without an override take the exposure over the limit, in any order', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('reserve' as const), order: fc.integer({ min: 1, max: 5 }), amount: fc.integer({ min: 0, max: 6_000_00 }) }),
      fc.record({ kind: fc.constant('release' as const), order: fc.integer({ min: 1, max: 5 }), amount: fc.integer({ min: 0, max: 6_000_00 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let state = creditDecider.initialState;
        for (const s of steps) {
          const result = creditDecider.decide(s.kind === 'reserve' ? reserve(`o${s.order}`, s.amount) : release(`o${s.order}`, s.amount), state);
          if (result._tag === 'Right') state = result.right.reduce(creditDecider.evolve, state);
          const held = [...state.reservations.values()].reduce((a, m) => a + m.amountMinor, 0);
          expect(state.exposure?.amountMinor ?? 0).toBe(held);
          expect(held).toBeLessThanOrEqual(limit.amountMinor);
          expect([...state.reservations.values()].every((m) => m.amountMinor >= 0)).toBe(true);
        }
      }),
    );
    expect(fold(creditDecider, []).exposure).toBeNull();
  });
});
