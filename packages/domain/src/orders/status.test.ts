import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import type { OrderEvent } from './events';
import {
  approved,
  cancelled,
  confirmedOrder,
  creditNoteIssued,
  delivered,
  deliveredOrder,
  eur,
  everything,
  goodsReturned,
  invoicedOrder,
  orderPaid,
  paymentRecorded,
  placed,
  rejected,
  shipped,
  standardTotal,
} from './fixtures';
import { orderDecider } from './index';
import type { ExistingOrder } from './state';
import { deriveOrderStatus, type OrderProgress, type OrderStatus, orderProgress, orderStatus, outstanding } from './status';

const orderAfter = (...history: OrderEvent[]): ExistingOrder => {
  const state = fold(orderDecider, history);
  if (!state.exists) throw new Error('no order in this history');
  return state;
};

describe('the status a person sees, from the order history', () => {
  const partlyShipped = () => [...confirmedOrder(), shipped('s1', { 1: 1 }, { fullyShipped: false })];
  const allShipped = () => [...confirmedOrder(), shipped('s1', { 1: 2 }, { fullyShipped: false }), shipped('s2', { 1: 1, 2: 2 }, { fullyShipped: true })];

  it.each<[OrderStatus, string, () => OrderEvent[]]>([
    ['placed', 'waiting for review', () => [placed()]],
    ['approved', 'approved, not yet confirmed', () => [placed(), approved()]],
    ['rejected', 'rejected in review', () => [placed(), rejected()]],
    ['cancelled', 'cancelled before shipment', () => [placed(), approved(), cancelled()]],
    ['confirmed', 'confirmed, nothing shipped', confirmedOrder],
    ['partially_shipped', 'some goods shipped', partlyShipped],
    ['partially_shipped', 'some goods shipped and delivered', () => [...partlyShipped(), delivered('s1', { 1: 1 }, { fullyDelivered: false })]],
    ['shipped', 'everything shipped over two shipments, nothing delivered', allShipped],
    ['shipped', 'everything shipped, one shipment still on its way', () => [...allShipped(), delivered('s1', { 1: 2 }, { fullyDelivered: false })]],
    ['delivered', 'everything delivered', deliveredOrder],
    [
      'delivered',
      'everything delivered, some goods returned',
      () => [...deliveredOrder(), goodsReturned('r1', { 2: [1, 5_00] }), creditNoteIssued('cn1', 'r1', 5_00)],
    ],
    ['invoiced', 'invoiced, nothing paid', invoicedOrder],
    ['invoiced', 'invoiced, partly paid', () => [...invoicedOrder(), paymentRecorded('p1', 10_00, { outstanding: standardTotal - 10_00 })]],
    ['paid', 'invoiced and paid in full', () => [...invoicedOrder(), paymentRecorded('p1', standardTotal, { outstanding: 0 }), orderPaid(standardTotal)]],
    [
      'paid',
      'partly paid, the rest credited for returned goods',
      () => [
        ...invoicedOrder(),
        paymentRecorded('p1', 33_32, { outstanding: 10_00 }),
        goodsReturned('r1', { 2: [2, 10_00] }),
        creditNoteIssued('cn1', 'r1', 10_00),
      ],
    ],
  ])('%s: %s', (status, _, history) => {
    expect(orderStatus(orderAfter(...history()))).toBe(status);
  });
});

describe('deriving the status from lifecycle and progress', () => {
  const progress = (p: Partial<OrderProgress>): OrderProgress => ({
    lifecycle: 'confirmed',
    ordered: 5,
    shipped: 0,
    delivered: 0,
    invoiced: false,
    outstandingMinor: 0,
    ...p,
  });

  it.each(['placed', 'approved', 'rejected', 'cancelled'] as const)('a %s order shows its lifecycle, whatever the progress says', (lifecycle) => {
    expect(deriveOrderStatus(progress({ lifecycle, shipped: 5, delivered: 5, invoiced: true }))).toBe(lifecycle);
  });

  it('billing progress wins over fulfilment progress once invoiced', () => {
    expect(deriveOrderStatus(progress({ shipped: 5, delivered: 5, invoiced: true, outstandingMinor: 1 }))).toBe('invoiced');
    expect(deriveOrderStatus(progress({ shipped: 5, delivered: 5, invoiced: true, outstandingMinor: 0 }))).toBe('paid');
  });

  it('an order credited beyond what was still owed shows as paid', () => {
    expect(deriveOrderStatus(progress({ shipped: 5, delivered: 5, invoiced: true, outstandingMinor: -2_00 }))).toBe('paid');
  });

  it('fulfilment progress: confirmed, partially shipped, shipped, delivered', () => {
    expect(deriveOrderStatus(progress({}))).toBe('confirmed');
    expect(deriveOrderStatus(progress({ shipped: 1 }))).toBe('partially_shipped');
    expect(deriveOrderStatus(progress({ shipped: 5, delivered: 4 }))).toBe('shipped');
    expect(deriveOrderStatus(progress({ shipped: 5, delivered: 5 }))).toBe('delivered');
  });
});

describe('what is outstanding', () => {
  it('is nothing before the order is invoiced', () => {
    expect(outstanding(orderAfter(...deliveredOrder()))).toEqual(eur(0));
  });

  it('is the invoice less credit notes less payments', () => {
    const order = orderAfter(
      ...invoicedOrder(),
      goodsReturned('r1', { 1: [1, 11_11] }),
      creditNoteIssued('cn1', 'r1', 11_11),
      paymentRecorded('p1', 20_00, { outstanding: 12_21 }),
    );
    expect(outstanding(order)).toEqual(eur(standardTotal - 11_11 - 20_00));
  });

  it('goes below zero when goods are returned after the order was paid: the dealer is owed a refund', () => {
    const order = orderAfter(
      ...invoicedOrder(),
      paymentRecorded('p1', standardTotal, { outstanding: 0 }),
      orderPaid(standardTotal),
      goodsReturned('r1', { 2: [2, 10_00] }),
      creditNoteIssued('cn1', 'r1', 10_00),
    );
    expect(outstanding(order)).toEqual(eur(-10_00));
    expect(orderStatus(order)).toBe('paid');
  });
});

describe('progress counts', () => {
  it('adds up units over all lines', () => {
    const order = orderAfter(...confirmedOrder(), shipped('s1', everything, { fullyShipped: true }), delivered('s1', everything, { fullyDelivered: true }));
    expect(orderProgress(order)).toEqual({ lifecycle: 'confirmed', ordered: 5, shipped: 5, delivered: 5, invoiced: false, outstandingMinor: 0 });
  });
});
