import { isLeft } from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { given } from '../testing';
import type { OrderCommand } from './commands';
import type { OrderEvent } from './events';
import {
  approve,
  approved,
  at,
  cancel,
  cancelled,
  confirm,
  confirmed,
  confirmedOrder,
  creditNoteIssued,
  deliver,
  delivered,
  deliveredOrder,
  eur,
  everything,
  goodsReturned,
  invoice,
  invoicedOrder,
  orderId,
  orderPaid,
  pay,
  paymentRecorded,
  place,
  placed,
  pricedLine,
  reject,
  rejected,
  returnGoods,
  ship,
  shipped,
  standardTotal,
} from './fixtures';
import { orderDecider } from './index';

const givenOrder = given(orderDecider);

/** The same command with line 1 listed twice, as a caller that skipped the command schema might send it. */
const withLineOneTwice = (command: OrderCommand, quantity: number): OrderCommand =>
  ({
    ...command,
    data: {
      ...command.data,
      lines: [
        { lineNo: 1, quantity },
        { lineNo: 1, quantity },
      ],
    },
  }) as OrderCommand;

/** The events a command records on top of `history`, for checks on a few fields only. */
const eventsOf = (history: OrderEvent[], command: OrderCommand) => {
  const result = orderDecider.decide(command, fold(orderDecider, history));
  if (isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

describe('placing an order', () => {
  it('snapshots every line with its net amount, and the order total', () => {
    givenOrder()
      .when(place())
      .then({
        type: 'OrderPlaced',
        data: {
          orderId,
          partnerId: 'acme',
          region: 'north',
          tier: 'gold',
          currency: 'EUR',
          lines: [
            { lineNo: 1, sku: 'pump-a', quantity: 3, unitPrice: eur(12_34), discountBps: 1_000, netAmount: eur(33_32) },
            { lineNo: 2, sku: 'valve-b', quantity: 2, unitPrice: eur(5_00), discountBps: 0, netAmount: eur(10_00) },
          ],
          total: eur(43_32),
          placedAt: at,
        },
      });
  });

  it('rounds a discounted line once, on the line total, half up', () => {
    // 7 x 0.15 = 1.05; less 50 % = 0.525, which rounds to 0.53. Rounding each unit (0.075 -> 0.08) would give 0.56.
    expect(eventsOf([], place([pricedLine(1, 'washer', 7, 15, 5_000)]))).toMatchObject([{ data: { lines: [{ netAmount: eur(53) }], total: eur(53) } }]);
  });

  it('keeps the requested delivery date and the customer reference', () => {
    const command = place();
    if (command.type !== 'PlaceOrder') throw new Error('fixture');
    const withExtras = { ...command, data: { ...command.data, requestedDeliveryDate: '2025-03-20', customerReference: 'PO-778' } };
    expect(eventsOf([], withExtras)).toMatchObject([{ data: { requestedDeliveryDate: '2025-03-20', customerReference: 'PO-778' } }]);
  });

  it('refuses an order id that is already taken', () => {
    givenOrder(placed()).when(place()).thenRefuses('ORDER_ALREADY_EXISTS');
  });

  it('refuses two lines with the same line number', () => {
    givenOrder()
      .when(place([pricedLine(1, 'pump-a', 1, 10_00), pricedLine(1, 'valve-b', 1, 5_00)]))
      .thenRefuses('DUPLICATE_LINE');
  });

  it('refuses the same SKU on two lines', () => {
    givenOrder()
      .when(place([pricedLine(1, 'pump-a', 1, 10_00), pricedLine(2, 'pump-a', 1, 10_00)]))
      .thenRefuses('DUPLICATE_SKU');
  });

  it('refuses a line priced in another currency than the order', () => {
    const usdLine = { ...pricedLine(2, 'valve-b', 1, 5_00), unitPrice: { amountMinor: 5_00, currency: 'USD' } };
    givenOrder()
      .when(place([pricedLine(1, 'pump-a', 1, 10_00), usdLine]))
      .thenRefuses('CURRENCY_MISMATCH');
  });

  it('refuses a line whose amount cannot be represented exactly', () => {
    givenOrder()
      .when(place([pricedLine(1, 'pump-a', 1_000_000, Number.MAX_SAFE_INTEGER)]))
      .thenRefuses('AMOUNT_TOO_LARGE');
  });

  it('refuses an order whose total cannot be represented exactly', () => {
    const half = Math.ceil(Number.MAX_SAFE_INTEGER / 2);
    givenOrder()
      .when(place([pricedLine(1, 'pump-a', 1, half), pricedLine(2, 'valve-b', 1, half)]))
      .thenRefuses('AMOUNT_TOO_LARGE');
  });
});

describe('every command but PlaceOrder needs an existing order', () => {
  const commands = [
    approve(),
    reject(),
    confirm(),
    cancel(),
    ship('s1', { 1: 1 }),
    deliver('s1'),
    invoice(),
    pay('p1', 1_00),
    returnGoods('r1', 'cn1', { 1: 1 }),
  ];
  it.each(commands.map((c) => [c.type, c] as const))('%s is refused for an unknown order', (_, command) => {
    givenOrder().when(command).thenRefuses('ORDER_NOT_FOUND');
  });
});

describe('review: approving and rejecting', () => {
  it('approves a placed order', () => {
    givenOrder(placed()).when(approve()).then(approved());
  });

  it('rejects a placed order, with the reason', () => {
    givenOrder(placed()).when(reject('partner suspended')).then(rejected('partner suspended'));
  });

  it.each([
    ['approved', [placed(), approved()]],
    ['rejected', [placed(), rejected()]],
    ['confirmed', confirmedOrder()],
    ['cancelled', [placed(), cancelled()]],
  ] as const)('cannot approve or reject an order that is %s', (_, history) => {
    givenOrder(...history)
      .when(approve())
      .thenRefuses('INVALID_ORDER_TRANSITION');
    givenOrder(...history)
      .when(reject())
      .thenRefuses('INVALID_ORDER_TRANSITION');
  });
});

describe('confirming', () => {
  it('confirms an approved order', () => {
    givenOrder(placed(), approved()).when(confirm()).then(confirmed());
  });

  it.each([
    ['placed', [placed()]],
    ['rejected', [placed(), rejected()]],
    ['confirmed', confirmedOrder()],
    ['cancelled', [placed(), approved(), cancelled()]],
  ] as const)('cannot confirm an order that is %s', (lifecycle, history) => {
    const error = givenOrder(...history)
      .when(confirm())
      .thenRefuses('INVALID_ORDER_TRANSITION');
    expect(error.details).toMatchObject({ lifecycle, allowed: ['approved'] });
  });
});

describe('cancelling', () => {
  it.each([
    ['placed', [placed()]],
    ['approved', [placed(), approved()]],
    ['confirmed', confirmedOrder()],
  ] as const)('cancels an order that is %s and has not shipped', (_, history) => {
    givenOrder(...history)
      .when(cancel('duplicate order'))
      .then(cancelled('duplicate order'));
  });

  it('cannot cancel once goods have shipped; they must be returned instead', () => {
    givenOrder(...confirmedOrder(), shipped('s1', { 1: 1 }, { fullyShipped: false }))
      .when(cancel())
      .thenRefuses('ALREADY_SHIPPED');
  });

  it.each([
    ['rejected', [placed(), rejected()]],
    ['cancelled', [placed(), cancelled()]],
  ] as const)('cannot cancel an order that is %s', (_, history) => {
    givenOrder(...history)
      .when(cancel())
      .thenRefuses('INVALID_ORDER_TRANSITION');
  });
});

describe('shipping', () => {
  it('ships part of a confirmed order', () => {
    givenOrder(...confirmedOrder())
      .when(ship('s1', { 1: 2 }))
      .then(shipped('s1', { 1: 2 }, { fullyShipped: false }));
  });

  it('ships everything in one shipment', () => {
    givenOrder(...confirmedOrder())
      .when(ship('s1', everything))
      .then(shipped('s1', everything, { fullyShipped: true }));
  });

  it('marks the shipment that completes the order as the full one', () => {
    givenOrder(...confirmedOrder(), shipped('s1', { 1: 2, 2: 2 }, { fullyShipped: false }))
      .when(ship('s2', { 1: 1 }))
      .then(shipped('s2', { 1: 1 }, { fullyShipped: true }));
  });

  it('keeps the warehouse, carrier and tracking number', () => {
    const command = ship('s1', everything);
    if (command.type !== 'ShipOrder') throw new Error('fixture');
    const withCarrier = { ...command, data: { ...command.data, warehouseId: 'wh-1', carrier: 'DHL', trackingNumber: 'JD0001' } };
    expect(eventsOf(confirmedOrder(), withCarrier)).toMatchObject([{ data: { warehouseId: 'wh-1', carrier: 'DHL', trackingNumber: 'JD0001' } }]);
  });

  it.each([
    ['placed', [placed()]],
    ['approved', [placed(), approved()]],
    ['rejected', [placed(), rejected()]],
    ['cancelled', [placed(), cancelled()]],
  ] as const)('cannot ship an order that is %s', (_, history) => {
    givenOrder(...history)
      .when(ship('s1', { 1: 1 }))
      .thenRefuses('INVALID_ORDER_TRANSITION');
  });

  it('refuses a shipment id that is already used on the order', () => {
    givenOrder(...confirmedOrder(), shipped('s1', { 1: 1 }, { fullyShipped: false }))
      .when(ship('s1', { 1: 1 }))
      .thenRefuses('DUPLICATE_SHIPMENT');
  });

  it('refuses a line that is not on the order', () => {
    givenOrder(...confirmedOrder())
      .when(ship('s1', { 1: 1, 3: 1 }))
      .thenRefuses('UNKNOWN_LINE');
  });

  it('refuses a line listed twice, even when each entry alone would fit', () => {
    givenOrder(...confirmedOrder())
      .when(withLineOneTwice(ship('s1', { 1: 2 }), 2))
      .thenRefuses('DUPLICATE_LINE');
  });

  it('refuses to ship more than was ordered', () => {
    givenOrder(...confirmedOrder())
      .when(ship('s1', { 2: 3 }))
      .thenRefuses('OVER_SHIPMENT');
  });

  it('refuses to ship more than was ordered across shipments', () => {
    const error = givenOrder(...confirmedOrder(), shipped('s1', { 1: 2 }, { fullyShipped: false }))
      .when(ship('s2', { 1: 2 }))
      .thenRefuses('OVER_SHIPMENT');
    expect(error.details).toEqual({ lineNo: 1, ordered: 3, alreadyShipped: 2, requested: 2 });
  });
});

describe('delivering', () => {
  const partlyShipped = () => [...confirmedOrder(), shipped('s1', { 1: 2 }, { fullyShipped: false })];

  it('delivers what the shipment carried', () => {
    givenOrder(...partlyShipped())
      .when(deliver('s1'))
      .then(delivered('s1', { 1: 2 }, { fullyDelivered: false }));
  });

  it('marks the delivery that completes the order as the full one', () => {
    givenOrder(...partlyShipped(), delivered('s1', { 1: 2 }, { fullyDelivered: false }), shipped('s2', { 1: 1, 2: 2 }, { fullyShipped: true }))
      .when(deliver('s2'))
      .then(delivered('s2', { 1: 1, 2: 2 }, { fullyDelivered: true }));
  });

  it('is not complete while an earlier shipment is still on its way', () => {
    givenOrder(...partlyShipped(), shipped('s2', { 1: 1, 2: 2 }, { fullyShipped: true }))
      .when(deliver('s2'))
      .then(delivered('s2', { 1: 1, 2: 2 }, { fullyDelivered: false }));
  });

  it('refuses a shipment that is not on the order', () => {
    givenOrder(...partlyShipped())
      .when(deliver('s9'))
      .thenRefuses('SHIPMENT_NOT_FOUND');
  });

  it('refuses to deliver a shipment twice', () => {
    givenOrder(...partlyShipped(), delivered('s1', { 1: 2 }, { fullyDelivered: false }))
      .when(deliver('s1'))
      .thenRefuses('SHIPMENT_ALREADY_DELIVERED');
  });
});

describe('invoicing', () => {
  it('invoices a fully delivered order for its total', () => {
    givenOrder(...deliveredOrder())
      .when(invoice('inv-1', '2025-03-31'))
      .then({ type: 'OrderInvoiced', data: { orderId, invoiceId: 'inv-1', amount: eur(standardTotal), invoicedAt: at, dueDate: '2025-03-31' } });
  });

  it('accepts payment due on the invoice date', () => {
    givenOrder(...deliveredOrder())
      .when(invoice('inv-1', '2025-03-01'))
      .then({ type: 'OrderInvoiced', data: { orderId, invoiceId: 'inv-1', amount: eur(standardTotal), invoicedAt: at, dueDate: '2025-03-01' } });
  });

  it('refuses to invoice an order twice', () => {
    givenOrder(...invoicedOrder())
      .when(invoice('inv-2'))
      .thenRefuses('ALREADY_INVOICED');
  });

  it('refuses to invoice before every line is delivered', () => {
    const error = givenOrder(
      ...confirmedOrder(),
      shipped('s1', everything, { fullyShipped: true }),
      // shipped in full, but nothing delivered yet
    )
      .when(invoice())
      .thenRefuses('NOT_DELIVERED');
    expect(error.details).toMatchObject({ undeliveredLines: [1, 2] });
  });

  it('refuses to invoice a partly delivered order', () => {
    const error = givenOrder(
      ...confirmedOrder(),
      shipped('s1', { 1: 3 }, { fullyShipped: false }),
      delivered('s1', { 1: 3 }, { fullyDelivered: false }),
      shipped('s2', { 2: 2 }, { fullyShipped: true }),
    )
      .when(invoice())
      .thenRefuses('NOT_DELIVERED');
    expect(error.details).toMatchObject({ undeliveredLines: [2] });
  });

  it.each([
    ['placed', [placed()]],
    ['cancelled', [placed(), cancelled()]],
  ] as const)('refuses to invoice an order that is %s', (_, history) => {
    givenOrder(...history)
      .when(invoice())
      .thenRefuses('NOT_DELIVERED');
  });

  it('refuses a due date before the invoice date', () => {
    givenOrder(...deliveredOrder())
      .when(invoice('inv-1', '2025-02-28'))
      .thenRefuses('DUE_BEFORE_INVOICE');
  });
});

describe('payment', () => {
  it('records a part payment and what is still outstanding', () => {
    givenOrder(...invoicedOrder())
      .when(pay('p1', 20_00))
      .then(paymentRecorded('p1', 20_00, { outstanding: 23_32 }));
  });

  it('marks the order paid with the payment that settles it', () => {
    givenOrder(...invoicedOrder(), paymentRecorded('p1', 20_00, { outstanding: 23_32 }))
      .when(pay('p2', 23_32))
      .then(paymentRecorded('p2', 23_32, { outstanding: 0 }), orderPaid(standardTotal));
  });

  it('settles in one payment', () => {
    givenOrder(...invoicedOrder())
      .when(pay('p1', standardTotal))
      .then(paymentRecorded('p1', standardTotal, { outstanding: 0 }), orderPaid(standardTotal));
  });

  it('owes the invoice less credit notes already issued', () => {
    const returnedOnePump = [goodsReturned('r1', { 1: [1, 11_11] }), creditNoteIssued('cn1', 'r1', 11_11)];
    givenOrder(...invoicedOrder(), ...returnedOnePump)
      .when(pay('p1', 32_21))
      .then(paymentRecorded('p1', 32_21, { outstanding: 0 }), orderPaid(32_21));
  });

  it('refuses a payment before the order is invoiced', () => {
    givenOrder(...deliveredOrder())
      .when(pay('p1', 10_00))
      .thenRefuses('NOT_INVOICED');
  });

  it('refuses to record the same payment twice', () => {
    givenOrder(...invoicedOrder(), paymentRecorded('p1', 20_00, { outstanding: 23_32 }))
      .when(pay('p1', 20_00))
      .thenRefuses('DUPLICATE_PAYMENT');
  });

  it('refuses a payment in another currency', () => {
    givenOrder(...invoicedOrder())
      .when(pay('p1', { amountMinor: 20_00, currency: 'USD' }))
      .thenRefuses('CURRENCY_MISMATCH');
  });

  it('refuses to take more than is outstanding', () => {
    const error = givenOrder(...invoicedOrder(), paymentRecorded('p1', 20_00, { outstanding: 23_32 }))
      .when(pay('p2', 23_33))
      .thenRefuses('OVERPAYMENT');
    expect(error.details).toEqual({ outstandingMinor: 23_32, amountMinor: 23_33 });
    expect(error.message).toContain('Payment of 23.33 EUR exceeds the 23.32 EUR outstanding');
  });

  it('refuses any payment once the order is paid', () => {
    givenOrder(...invoicedOrder(), paymentRecorded('p1', standardTotal, { outstanding: 0 }), orderPaid(standardTotal))
      .when(pay('p2', 1))
      .thenRefuses('OVERPAYMENT');
  });
});

describe('returns', () => {
  it('credits a partial return at its share of the line net amount', () => {
    // Line 1 nets 33.32 for 3 units: one unit is a third, 11.1067, credited as 11.11.
    givenOrder(...deliveredOrder())
      .when(returnGoods('r1', 'cn1', { 1: 1 }))
      .then(goodsReturned('r1', { 1: [1, 11_11] }), creditNoteIssued('cn1', 'r1', 11_11));
  });

  it('records whether returned goods go back into stock: yes unless the return says they cannot be sold again', () => {
    const damaged = returnGoods('r1', 'cn1', { 1: 1 });
    if (damaged.type === 'ReturnGoods') damaged.data.restock = false;
    const notResaleable = goodsReturned('r1', { 1: [1, 11_11] });
    if (notResaleable.type === 'GoodsReturned') notResaleable.data.restock = false;
    givenOrder(...deliveredOrder())
      .when(damaged)
      .then(notResaleable, creditNoteIssued('cn1', 'r1', 11_11));
  });

  it('credits successive returns so that together they give back exactly the line net amount', () => {
    givenOrder(...deliveredOrder(), goodsReturned('r1', { 1: [1, 11_11] }), creditNoteIssued('cn1', 'r1', 11_11))
      .when(returnGoods('r2', 'cn2', { 1: 1 }))
      .then(goodsReturned('r2', { 1: [1, 11_10] }), creditNoteIssued('cn2', 'r2', 11_10));
    givenOrder(
      ...deliveredOrder(),
      goodsReturned('r1', { 1: [1, 11_11] }),
      creditNoteIssued('cn1', 'r1', 11_11),
      goodsReturned('r2', { 1: [1, 11_10] }),
      creditNoteIssued('cn2', 'r2', 11_10),
    )
      .when(returnGoods('r3', 'cn3', { 1: 1 }))
      .then(goodsReturned('r3', { 1: [1, 11_11] }), creditNoteIssued('cn3', 'r3', 11_11));
  });

  it('credits several lines on one credit note', () => {
    givenOrder(...deliveredOrder())
      .when(returnGoods('r1', 'cn1', { 1: 3, 2: 1 }))
      .then(goodsReturned('r1', { 1: [3, 33_32], 2: [1, 5_00] }), creditNoteIssued('cn1', 'r1', 38_32));
  });

  it('accepts a return of goods delivered from a partial shipment', () => {
    givenOrder(...confirmedOrder(), shipped('s1', { 2: 1 }, { fullyShipped: false }), delivered('s1', { 2: 1 }, { fullyDelivered: false }))
      .when(returnGoods('r1', 'cn1', { 2: 1 }))
      .then(goodsReturned('r1', { 2: [1, 5_00] }), creditNoteIssued('cn1', 'r1', 5_00));
  });

  it('accepts a return after the order is paid', () => {
    givenOrder(...invoicedOrder(), paymentRecorded('p1', standardTotal, { outstanding: 0 }), orderPaid(standardTotal))
      .when(returnGoods('r1', 'cn1', { 2: 2 }))
      .then(goodsReturned('r1', { 2: [2, 10_00] }), creditNoteIssued('cn1', 'r1', 10_00));
  });

  it('refuses a return id that is already used', () => {
    givenOrder(...deliveredOrder(), goodsReturned('r1', { 1: [1, 11_11] }), creditNoteIssued('cn1', 'r1', 11_11))
      .when(returnGoods('r1', 'cn2', { 1: 1 }))
      .thenRefuses('DUPLICATE_RETURN');
  });

  it('refuses a credit note id that is already used', () => {
    givenOrder(...deliveredOrder(), goodsReturned('r1', { 1: [1, 11_11] }), creditNoteIssued('cn1', 'r1', 11_11))
      .when(returnGoods('r2', 'cn1', { 1: 1 }))
      .thenRefuses('DUPLICATE_CREDIT_NOTE');
  });

  it('refuses a line that is not on the order', () => {
    givenOrder(...deliveredOrder())
      .when(returnGoods('r1', 'cn1', { 7: 1 }))
      .thenRefuses('UNKNOWN_LINE');
  });

  it('refuses a line listed twice, which would credit it twice', () => {
    givenOrder(...invoicedOrder())
      .when(withLineOneTwice(returnGoods('r1', 'cn1', { 1: 3 }), 3))
      .thenRefuses('DUPLICATE_LINE');
  });

  it('refuses to return goods that were shipped but not delivered', () => {
    givenOrder(...confirmedOrder(), shipped('s1', everything, { fullyShipped: true }))
      .when(returnGoods('r1', 'cn1', { 1: 1 }))
      .thenRefuses('OVER_RETURN');
  });

  it('refuses to return more than was delivered and not yet returned', () => {
    const error = givenOrder(...deliveredOrder(), goodsReturned('r1', { 1: [2, 22_21] }), creditNoteIssued('cn1', 'r1', 22_21))
      .when(returnGoods('r2', 'cn2', { 1: 2 }))
      .thenRefuses('OVER_RETURN');
    expect(error.details).toEqual({ lineNo: 1, delivered: 3, alreadyReturned: 2, requested: 2 });
  });
});
