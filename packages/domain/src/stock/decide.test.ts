import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { given } from '../testing';
import {
  adjust,
  adjusted,
  at,
  backorderCancelled,
  backordered,
  backorderWithdrawn,
  count,
  eur,
  inTransit,
  receive,
  received,
  release,
  reservationReleased,
  reserve,
  reserved,
  returnStock,
  setPolicy,
  shipStock,
  sku,
  stockInTransit,
  stockReturned,
  stockShipped,
  transferIn,
  transferOut,
  transferredIn,
  transferredOut,
  warehouseId,
  withdraw,
} from './fixtures';
import { backorderQueue, parseStockStream, stockDecider, stockStream } from './index';

const givenStock = given(stockDecider);

describe('receiving stock', () => {
  it('adds the units on hand at their cost, keeping the business date apart from when it was recorded', () => {
    givenStock()
      .when(receive('r1', 10, 12_50, '2025-03-07'))
      .then(received('r1', 10, 12_50, '2025-03-07'));
  });

  it('refuses a receipt recorded twice, one dated in the future, and one in another currency', () => {
    givenStock(received('r1', 10, 12_50))
      .when(receive('r1', 5, 12_50))
      .thenRefuses('DUPLICATE_RECEIPT');
    givenStock()
      .when(receive('r2', 5, 12_50, '2025-03-11'))
      .thenRefuses('BUSINESS_DATE_IN_FUTURE');
    const usd = receive('r3', 1, 100);
    if (usd.type === 'ReceiveStock') usd.data.unitCost = { amountMinor: 100, currency: 'USD' };
    const error = givenStock(received('r1', 10, 12_50))
      .when(usd)
      .thenRefuses('CURRENCY_MISMATCH');
    expect(error.message).toBe('pump-a at north-1 is valued in EUR, not USD.');
  });

  it('fills waiting backorders in the order their orders were placed, the oldest in full first', () => {
    givenStock(backordered(3, 4), backordered(1, 2), backordered(2, 5))
      .when(receive('r1', 4, 10_00))
      .then(received('r1', 4, 10_00), reserved(1, 2, { fromBackorder: true }), reserved(2, 2, { fromBackorder: true }));
  });
});

describe('reserving stock for an order line', () => {
  const tenOnHand = [received('r1', 10, 10_00)];

  it('reserves what is available', () => {
    givenStock(...tenOnHand)
      .when(reserve(1, 4))
      .then(reserved(1, 4));
  });

  it('refuses a reservation beyond what is available when asked to, naming what is there', () => {
    const error = givenStock(...tenOnHand, reserved(1, 8))
      .when(reserve(2, 3, 'refuse'))
      .thenRefuses('INSUFFICIENT_STOCK');
    expect(error.message).toBe('Only 2 of pump-a at north-1 are available; 3 requested.');
    expect(error.details).toMatchObject({ available: 2, requested: 3 });
  });

  it('splits it into reserved and backordered when asked to', () => {
    givenStock(...tenOnHand, reserved(1, 8))
      .when(reserve(2, 3, 'backorder'))
      .then(reserved(2, 2), backordered(2, 1));
    givenStock(...tenOnHand, reserved(1, 10))
      .when(reserve(2, 3, 'backorder'))
      .then(backordered(2, 3));
  });
});

describe('releasing a reservation', () => {
  it('releases what the line holds, reserved and backordered, and gives it to the next backorders in line', () => {
    givenStock(received('r1', 5, 10_00), reserved(1, 5), backordered(1, 2), backordered(2, 4))
      .when(release(1))
      .then(reservationReleased(1, 5), backorderCancelled(1, 2), reserved(2, 4, { fromBackorder: true }));
  });

  it('refuses a line that holds nothing here', () => {
    givenStock().when(release(9)).thenRefuses('RESERVATION_NOT_FOUND');
  });
});

describe('shipping against a reservation', () => {
  it('consumes the reservation and the units on hand at the moving-average cost', () => {
    // 10 at 10.00 and 5 at 13.00: 165.00 for 15 units; 4 units take 44.00.
    givenStock(received('r1', 10, 10_00), received('r2', 5, 13_00), reserved(1, 6))
      .when(shipStock(1, 's1', 4))
      .then(stockShipped(1, 's1', 4, 44_00));
  });

  it('refuses more than is reserved for the line, a repeated shipment, or a line with no reservation', () => {
    const history = [received('r1', 10, 10_00), reserved(1, 3), backordered(1, 2)];
    const error = givenStock(...history)
      .when(shipStock(1, 's1', 4))
      .thenRefuses('NOT_ENOUGH_RESERVED');
    expect(error.message).toContain('has 3 of pump-a at north-1 reserved; 4 cannot ship (2 backordered)');
    givenStock(...history, stockShipped(1, 's1', 1, 10_00))
      .when(shipStock(1, 's1', 1))
      .thenRefuses('DUPLICATE_SHIPMENT');
    givenStock(...history)
      .when(shipStock(2, 's1', 1))
      .thenRefuses('RESERVATION_NOT_FOUND');
  });
});

describe('transfers between warehouses', () => {
  it('takes only available units out, at the moving-average cost', () => {
    givenStock(received('r1', 3, 10_00), received('r2', 3, 11_00), reserved(1, 2))
      .when(transferOut('t1', 4))
      .then(transferredOut('t1', 4, 42_00));
    givenStock(received('r1', 3, 10_00), reserved(1, 2))
      .when(transferOut('t1', 2))
      .thenRefuses('INSUFFICIENT_STOCK');
    givenStock(received('r1', 3, 10_00))
      .when(transferOut('t1', 1, warehouseId))
      .thenRefuses('SAME_WAREHOUSE');
  });

  it('counts goods in transit as incoming at the destination, once, until they arrive', () => {
    givenStock()
      .when(inTransit('t1', 6, 63_00))
      .then(stockInTransit('t1', 6, 63_00));
    givenStock(stockInTransit('t1', 6, 63_00))
      .when(inTransit('t1', 6, 63_00))
      .then();
    const state = fold(stockDecider, [stockInTransit('t1', 6, 63_00)]);
    expect(state).toMatchObject({ incoming: 6, incomingValue: 63_00, onHand: 0 });
  });

  it('receives a transfer in parts whose values add up to exactly its value', () => {
    givenStock(stockInTransit('t1', 3, 10_00))
      .when(transferIn('t1', 1))
      .then(transferredIn('t1', 1, 3_33));
    givenStock(stockInTransit('t1', 3, 10_00), transferredIn('t1', 1, 3_33))
      .when(transferIn('t1'))
      .then(transferredIn('t1', 2, 6_67));
    const state = fold(stockDecider, [stockInTransit('t1', 3, 10_00), transferredIn('t1', 1, 3_33), transferredIn('t1', 2, 6_67)]);
    expect(state).toMatchObject({ onHand: 3, value: 10_00, incoming: 0, incomingValue: 0 });
  });

  it('refuses a transfer that is not on its way, has arrived, or more than is in transit', () => {
    givenStock().when(transferIn('t9')).thenRefuses('TRANSFER_NOT_FOUND');
    givenStock(stockInTransit('t1', 3, 10_00), transferredIn('t1', 3, 10_00))
      .when(transferIn('t1'))
      .thenRefuses('TRANSFER_ALREADY_RECEIVED');
    givenStock(stockInTransit('t1', 3, 10_00))
      .when(transferIn('t1', 4))
      .thenRefuses('OVER_RECEIPT');
  });

  it('fills backorders with a transfer that arrives', () => {
    givenStock(backordered(1, 2), stockInTransit('t1', 5, 50_00))
      .when(transferIn('t1'))
      .then(transferredIn('t1', 5, 50_00), reserved(1, 2, { fromBackorder: true }));
  });
});

describe('adjustments', () => {
  it('writes damaged units off at the moving-average cost, with the reason', () => {
    givenStock(received('r1', 3, 10_00))
      .when(adjust('a1', -1))
      .then(adjusted('a1', -1, -10_00));
  });

  it('sets what a count found, as the difference from the quantity on hand', () => {
    givenStock(received('r1', 10, 10_00))
      .when(count('c1', 7))
      .then(adjusted('c1', -3, -30_00, 'count', 7));
    givenStock(received('r1', 10, 10_00))
      .when(count('c1', 10))
      .then(adjusted('c1', 0, 0, 'count', 10));
  });

  it('values units found at the moving average, or at a given cost when nothing is on hand', () => {
    givenStock(received('r1', 4, 10_00))
      .when(adjust('a1', 2, 'found'))
      .then(adjusted('a1', 2, 20_00, 'found'));
    givenStock()
      .when(adjust('a1', 2, 'found'))
      .thenRefuses('UNIT_COST_REQUIRED');
    const found = adjust('a1', 2, 'found');
    if (found.type === 'AdjustStock') found.data.unitCost = eur(7_00);
    givenStock()
      .when(found)
      .then(adjusted('a1', 2, 14_00, 'found'));
  });

  it('never leaves less on hand than is reserved', () => {
    const error = givenStock(received('r1', 10, 10_00), reserved(1, 8))
      .when(count('c1', 7))
      .thenRefuses('ADJUSTMENT_BELOW_RESERVED');
    expect(error.message).toBe('pump-a at north-1: 7 would be left on hand but 8 are reserved for orders; ship or release reservations first.');
    givenStock(received('r1', 10, 10_00), reserved(1, 8))
      .when(adjust('a1', -2))
      .then(adjusted('a1', -2, -20_00));
  });

  it('refuses an adjustment recorded twice', () => {
    givenStock(received('r1', 10, 10_00), adjusted('a1', -1, -10_00))
      .when(adjust('a1', -1))
      .thenRefuses('DUPLICATE_ADJUSTMENT');
  });
});

describe('the reorder policy', () => {
  it('is recorded when the maximum is at least the reorder point', () => {
    givenStock()
      .when(setPolicy(5, 20, 6, 10))
      .then({ type: 'ReorderPolicySet', data: { warehouseId, sku, min: 5, max: 20, packMultiple: 6, leadTimeDays: 10, setAt: at } });
    givenStock().when(setPolicy(20, 5)).thenRefuses('INVALID_REORDER_POLICY');
  });
});

describe('back-dated movements', () => {
  it('are costed when they are recorded and never reprice goods that moved before', () => {
    // A shipment is costed at 10.00; then a receipt dated before it is entered at 16.00. The shipment keeps its cost,
    // and the value left is exactly receipts less issues.
    const history = [received('r1', 10, 10_00), reserved(1, 5), stockShipped(1, 's1', 5, 50_00)];
    givenStock(...history)
      .when(receive('r0', 5, 16_00, '2025-03-01'))
      .then(received('r0', 5, 16_00, '2025-03-01'));
    const state = fold(stockDecider, [...history, received('r0', 5, 16_00, '2025-03-01')]);
    expect(state).toMatchObject({ onHand: 10, value: 130_00 });
  });
});

describe('streams', () => {
  it('are one per warehouse and SKU', () => {
    expect(stockStream('north-1', 'pump-a')).toBe('stock-north-1.pump-a');
    expect(parseStockStream('stock-north-1.pump-a')).toEqual({ warehouseId: 'north-1', sku: 'pump-a' });
    expect(parseStockStream('order-1')).toBeUndefined();
  });

  it('keep the backorder queue in placement order', () => {
    const state = fold(stockDecider, [backordered(5, 1), backordered(2, 1), backordered(2, 3, 2)]);
    expect(backorderQueue(state).map((l) => `${l.orderId}#${l.lineNo}`)).toEqual(['o2#1', 'o2#2', 'o5#1']);
  });
});

describe('withdrawing a backorder to fill it elsewhere', () => {
  it('takes what still waits off the queue, at most what is asked, for the warehouse that has the stock', () => {
    givenStock(backordered(1, 3), backordered(2, 2)).when(withdraw(1, 2)).then(backorderWithdrawn(1, 2));
    givenStock(backordered(1, 3)).when(withdraw(1, 5)).then(backorderWithdrawn(1, 3));
    const state = fold(stockDecider, [backordered(1, 3), backordered(2, 2), backorderWithdrawn(1, 3)]);
    expect(state).toMatchObject({ backordered: 2 });
    expect(backorderQueue(state).map((l) => l.orderId)).toEqual(['o2']);
  });

  it('withdraws nothing that is no longer waiting: filled here, or taken by another warehouse first', () => {
    givenStock(backordered(1, 2), received('r1', 2, 10_00), reserved(1, 2, { fromBackorder: true }))
      .when(withdraw(1, 2))
      .then();
    givenStock(backordered(1, 2), backorderWithdrawn(1, 2, 'south-1'))
      .when(withdraw(1, 2))
      .then();
    givenStock().when(withdraw(1, 2)).then();
  });

  it('refuses to move a backorder to the warehouse where it waits', () => {
    givenStock(backordered(1, 2))
      .when(withdraw(1, 2, warehouseId))
      .thenRefuses('SAME_WAREHOUSE');
  });
});

describe('returned goods', () => {
  // 4 in at 10.00 and 2 at 11.00 (average 10.33...), then 3 shipped at 31.00 of value.
  const shippedThree = [received('r1', 4, 10_00), received('r2', 2, 11_00), reserved(1, 3), stockShipped(1, 's1', 3, 31_00)];

  it('come back on hand at the cost their shipment left with, in exact cumulative shares', () => {
    givenStock(...shippedThree)
      .when(returnStock(1, 's1', 'ret1', 1))
      .then(stockReturned(1, 's1', 'ret1', 1, 10_33));
    givenStock(...shippedThree, stockReturned(1, 's1', 'ret1', 1, 10_33))
      .when(returnStock(1, 's1', 'ret2', 2))
      .then(stockReturned(1, 's1', 'ret2', 2, 20_67));
    const state = fold(stockDecider, [...shippedThree, stockReturned(1, 's1', 'ret1', 1, 10_33), stockReturned(1, 's1', 'ret2', 2, 20_67)]);
    expect(state).toMatchObject({ onHand: 6, value: 62_00 });
  });

  it('fill waiting backorders, the oldest order first', () => {
    givenStock(...shippedThree, reserved(2, 3), backordered(3, 1))
      .when(returnStock(1, 's1', 'ret1', 1))
      .then(stockReturned(1, 's1', 'ret1', 1, 10_33), reserved(3, 1, { fromBackorder: true }));
  });

  it('refuse a return recorded twice, more than the shipment took, a shipment that did not leave from here, and a future date', () => {
    givenStock(...shippedThree, stockReturned(1, 's1', 'ret1', 1, 10_33))
      .when(returnStock(1, 's1', 'ret1', 1))
      .thenRefuses('DUPLICATE_RETURN');
    const error = givenStock(...shippedThree, stockReturned(1, 's1', 'ret1', 1, 10_33))
      .when(returnStock(1, 's1', 'ret2', 3))
      .thenRefuses('OVER_RETURN');
    expect(error.details).toEqual({ shipped: 3, alreadyReturned: 1, requested: 3 });
    givenStock(...shippedThree)
      .when(returnStock(1, 's9', 'ret1', 1))
      .thenRefuses('SHIPMENT_NOT_FOUND');
    const future = returnStock(1, 's1', 'ret1', 1);
    if (future.type === 'ReturnStock') future.data.businessDate = '2025-03-11';
    givenStock(...shippedThree)
      .when(future)
      .thenRefuses('BUSINESS_DATE_IN_FUTURE');
  });
});
