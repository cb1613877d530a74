import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PartyShare } from '../agreements/terms';
import type { OrderEvent } from '../orders/events';
import { confirmedOrder, delivered, orderId, pricedLine, shipped, standardTotal } from '../orders/fixtures';
import { orderDecider } from '../orders/index';
import { fold } from '../shared/decider';
import { allocate, money, sum } from '../shared/money';
import { given } from '../testing';
import type { RecordRevenueSplit, RevenueSource } from './commands';
import { billingThrough, recognizedRevenue } from './recognition';
import { type RevenueSplitState, revenueSplitDecider } from './split';

const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const shares: PartyShare[] = [
  { partyId: 'manufacturer', role: 'manufacturer', shareBps: 8_500 },
  { partyId: 'acme', role: 'dealer', shareBps: 1_000 },
  { partyId: 'agent-li', role: 'sales_agent', shareBps: 500 },
];
const at = '2025-03-10T09:00:00Z';
const split = (source: RevenueSource, recognizedMinor: number, s: PartyShare[] = shares, version = 1): RecordRevenueSplit => ({
  type: 'RecordRevenueSplit',
  data: {
    orderId,
    partnerId: 'acme',
    agreementId: 'agr-1',
    agreementVersion: version,
    settlementBasis: 'on_invoice',
    settlementPeriod: 'month',
    shares: s,
    source: { ...source, at },
    recognized: eur(recognizedMinor),
  },
});
const givenSplit = given(revenueSplitDecider);

describe('splitting an order’s revenue', () => {
  it('splits an invoice by the shares, exactly: 43.32 as 36.82 / 4.33 / 2.17', () => {
    // 85 % of 43.32 = 36.822, 10 % = 4.332, 5 % = 2.166: floors 36.82 + 4.33 + 2.16 = 43.31; the cent goes to the largest remainder (2.166).
    givenSplit()
      .when(split({ kind: 'invoice', id: 'inv-1' }, standardTotal))
      .then({
        type: 'RevenueSplitRecorded',
        data: {
          orderId,
          partnerId: 'acme',
          agreementId: 'agr-1',
          agreementVersion: 1,
          settlementBasis: 'on_invoice',
          settlementPeriod: 'month',
          source: { kind: 'invoice', id: 'inv-1', at },
          amount: eur(43_32),
          recognized: eur(43_32),
          lines: [
            { partyId: 'manufacturer', role: 'manufacturer', shareBps: 8_500, amount: eur(36_82) },
            { partyId: 'acme', role: 'dealer', shareBps: 1_000, amount: eur(4_33) },
            { partyId: 'agent-li', role: 'sales_agent', shareBps: 500, amount: eur(2_17) },
          ],
        },
      });
  });

  it('splits a credit note as negative lines against the same parties', () => {
    const first = revenueSplitDecider.decide(split({ kind: 'invoice', id: 'inv-1' }, 43_32), revenueSplitDecider.initialState);
    if (first._tag === 'Left') throw new Error(first.left.message);
    const result = revenueSplitDecider.decide(split({ kind: 'credit_note', id: 'cn-1' }, 33_32), fold(revenueSplitDecider, first.right));
    expect(result).toMatchObject({
      right: [
        {
          data: {
            amount: eur(-10_00),
            lines: [
              { partyId: 'manufacturer', amount: eur(-8_50) },
              { partyId: 'acme', amount: eur(-1_00) },
              { partyId: 'agent-li', amount: eur(-50) },
            ],
          },
        },
      ],
    });
  });

  it('records nothing when what the order has earned did not change (an invoice settled on payment)', () => {
    givenSplit()
      .when(split({ kind: 'invoice', id: 'inv-1' }, 0))
      .then();
  });

  it('refuses to split one source twice, or under another agreement version', () => {
    const first = revenueSplitDecider.decide(split({ kind: 'invoice', id: 'inv-1' }, 43_32), revenueSplitDecider.initialState);
    if (first._tag === 'Left') throw new Error(first.left.message);
    givenSplit(...first.right)
      .when(split({ kind: 'invoice', id: 'inv-1' }, 50_00))
      .thenRefuses('SPLIT_ALREADY_RECORDED');
    givenSplit(...first.right)
      .when(split({ kind: 'payment', id: 'p-1' }, 43_32, shares, 2))
      .thenRefuses('SPLIT_RULE_CHANGED');
  });
});

describe('revenue recognition', () => {
  const billing = { invoiced: eur(100_00), credited: eur(30_00), paid: eur(50_00), at };
  it('on_invoice: invoiced less credited', () => {
    expect(recognizedRevenue('on_invoice', billing)).toEqual(eur(70_00));
  });
  it('on_payment: what was paid, never more than invoiced less credited', () => {
    expect(recognizedRevenue('on_payment', billing)).toEqual(eur(50_00));
    expect(recognizedRevenue('on_payment', { ...billing, paid: eur(100_00) })).toEqual(eur(70_00));
  });
  it('counts each shipment’s invoice of an order invoiced per shipment, net of tax, up to the one split', () => {
    const shipmentInvoice = (n: number, net: number, tax: number): OrderEvent => ({
      type: 'ShipmentInvoiced',
      data: {
        orderId,
        shipmentId: `s-${n}`,
        invoiceId: `inv-${n}`,
        basis: 'perShipment',
        lines: [{ lineNo: 1, quantity: 1, net: eur(net), tax: eur(tax) }],
        amount: eur(net + tax),
        net: eur(net),
        tax: eur(tax),
        invoicedAt: `2025-03-0${n}T09:00:00Z`,
        dueDate: `2025-04-0${n}`,
      },
    });
    const events = [shipmentInvoice(1, 100_00, 19_00), shipmentInvoice(2, 50_00, 9_50)];
    expect(billingThrough(events, 'EUR', { kind: 'invoice', id: 'inv-1' })).toEqual({
      invoiced: eur(119_00),
      credited: eur(0),
      paid: eur(0),
      invoicedNet: eur(100_00),
      creditedNet: eur(0),
      at: '2025-03-01T09:00:00Z',
    });
    const both = billingThrough(events, 'EUR', { kind: 'invoice', id: 'inv-2' })!;
    expect(recognizedRevenue('on_invoice', both)).toEqual(eur(150_00));
  });

  // An invoice of 100.00 net + 19.00 tax, settled by 116.62 in cash and a 2 % early-payment discount of 2.38.
  const invoicedOnce: OrderEvent = {
    type: 'OrderInvoiced',
    data: { orderId, invoiceId: 'inv-1', amount: eur(119_00), net: eur(100_00), tax: eur(19_00), invoicedAt: at, dueDate: '2025-04-09' },
  };
  const settledWithDiscount = (discountTax?: { net: number; tax: number }): OrderEvent => ({
    type: 'PaymentRecorded',
    data: {
      orderId,
      paymentId: 'p-1',
      amount: eur(116_62),
      paidAt: '2025-03-15T09:00:00Z',
      method: 'bank_transfer',
      outstanding: eur(0),
      allocations: [
        {
          invoiceId: 'inv-1',
          amount: eur(116_62),
          discount: eur(2_38),
          ...(discountTax ? { discountTax: [{ lineNo: 1, net: eur(discountTax.net), tax: eur(discountTax.tax) }] } : {}),
        },
      ],
    },
  });
  it('where a discount reduces the taxable amount, its net part is revenue given up, on invoice and on payment alike', () => {
    const billing = billingThrough([invoicedOnce, settledWithDiscount({ net: 2_00, tax: 38 })], 'EUR', { kind: 'payment', id: 'p-1' })!;
    expect(billing).toMatchObject({ paid: eur(116_62), discounted: eur(2_38), discountedNet: eur(2_00) });
    expect(recognizedRevenue('on_invoice', billing)).toEqual(eur(98_00));
    expect(recognizedRevenue('on_payment', billing)).toEqual(eur(98_00));
  });
  it('where a discount is a finance cost, the settled invoice earns all its revenue on payment too', () => {
    const billing = billingThrough([invoicedOnce, settledWithDiscount()], 'EUR', { kind: 'payment', id: 'p-1' })!;
    expect(billing.discountedNet).toBeUndefined();
    expect(recognizedRevenue('on_invoice', billing)).toEqual(eur(100_00));
    // Cash alone (116.62 of 119.00) would have earned 98.00: the discount settles the rest of the invoice.
    expect(recognizedRevenue('on_payment', billing)).toEqual(eur(100_00));
  });
  it('a settled invoice earns the same on payment as on invoice, whatever its discount and however it is taxed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 2_500 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.boolean(),
        (netMinor, taxBps, discountBps, reduces) => {
          const taxMinor = Math.round((netMinor * taxBps) / 10_000);
          const gross = netMinor + taxMinor;
          const discount = Math.floor((gross * discountBps) / 10_000);
          const discountTax = Math.round((discount * taxMinor) / gross);
          const events: OrderEvent[] = [
            { ...invoicedOnce, data: { ...invoicedOnce.data, amount: eur(gross), net: eur(netMinor), tax: eur(taxMinor) } } as OrderEvent,
            {
              type: 'PaymentRecorded',
              data: {
                orderId,
                paymentId: 'p-1',
                amount: eur(gross - discount),
                paidAt: at,
                method: 'cash',
                outstanding: eur(0),
                allocations: [
                  {
                    invoiceId: 'inv-1',
                    amount: eur(gross - discount),
                    ...(discount > 0 ? { discount: eur(discount) } : {}),
                    ...(discount > 0 && reduces ? { discountTax: [{ lineNo: 1, net: eur(discount - discountTax), tax: eur(discountTax) }] } : {}),
                  },
                ],
              },
            },
          ];
          const billing = billingThrough(events, 'EUR', { kind: 'payment', id: 'p-1' })!;
          const expected = reduces && discount > 0 ? netMinor - (discount - discountTax) : netMinor;
          expect(recognizedRevenue('on_invoice', billing)).toEqual(eur(expected));
          expect(recognizedRevenue('on_payment', billing)).toEqual(eur(expected));
        },
      ),
    );
  });
});

// Properties over real order histories: invoices, payments and returns in any order the order aggregate accepts.

const shareSets = fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 5 }).map((ws) => {
  const parts = allocate(eur(10_000), ws).map((m) => m.amountMinor);
  return parts.map((shareBps, i): PartyShare => ({ partyId: `p${i}`, role: i === 0 ? 'manufacturer' : i === 1 ? 'dealer' : 'sales_agent', shareBps }));
});

const orderLines = fc
  .array(
    fc.record({ quantity: fc.integer({ min: 1, max: 7 }), price: fc.integer({ min: 1, max: 1_000_000 }), discount: fc.integer({ min: 0, max: 10_000 }) }),
    {
      minLength: 1,
      maxLength: 4,
    },
  )
  .map((ls) => ls.map((l, i) => pricedLine(i + 1, `sku-${i + 1}`, l.quantity, l.price, l.discount)));

type After = { kind: 'return'; line: number; quantity: number } | { kind: 'pay'; fraction: number };
const afterInvoice = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('return' as const), line: fc.integer({ min: 1, max: 4 }), quantity: fc.integer({ min: 1, max: 7 }) }),
    fc.record({ kind: fc.constant('pay' as const), fraction: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
  ),
  { maxLength: 12 },
);

/** Runs an order to invoice, then the steps; returns its events. */
const history = (lines: ReturnType<typeof pricedLine>[], steps: After[], returnEverything: boolean): OrderEvent[] => {
  const events: OrderEvent[] = [];
  const run = (command: Parameters<typeof orderDecider.decide>[0]) => {
    const result = orderDecider.decide(command, fold(orderDecider, events));
    if (result._tag === 'Right') events.push(...result.right);
  };
  run({ type: 'PlaceOrder', data: { orderId, partnerId: 'acme', region: 'north', tier: 'gold', currency: 'EUR', lines, placedAt: at } });
  events.push(...confirmedOrder().slice(1));
  const all = Object.fromEntries(lines.map((l) => [l.lineNo, l.quantity]));
  events.push(shipped('s1', all, { fullyShipped: true }), delivered('s1', all, { fullyDelivered: true }));
  run({ type: 'InvoiceOrder', data: { orderId, invoiceId: 'inv-1', invoicedAt: at, dueDate: '2025-04-30' } });
  let n = 0;
  for (const step of steps) {
    n++;
    const state = fold(orderDecider, events);
    if (!state.exists) break;
    if (step.kind === 'pay') {
      const due = state.invoice!.amount.amountMinor - state.credited.amountMinor - state.paid.amountMinor;
      if (due > 0)
        run({
          type: 'RecordPayment',
          data: { orderId, paymentId: `p${n}`, amount: eur(Math.max(1, Math.floor(due * step.fraction))), paidAt: at, method: 'bank_transfer' },
        });
    } else {
      run({
        type: 'ReturnGoods',
        data: {
          orderId,
          returnId: `r${n}`,
          creditNoteId: `cn${n}`,
          lines: [{ lineNo: step.line, quantity: step.quantity }],
          reason: 'damaged',
          returnedAt: at,
        },
      });
    }
  }
  if (returnEverything) {
    const state = fold(orderDecider, events);
    if (state.exists) {
      const rest = state.lines.filter((l) => l.returned < l.delivered).map((l) => ({ lineNo: l.lineNo, quantity: l.delivered - l.returned }));
      if (rest.length > 0)
        run({ type: 'ReturnGoods', data: { orderId, returnId: 'r-all', creditNoteId: 'cn-all', lines: rest, reason: 'project cancelled', returnedAt: at } });
    }
  }
  return events;
};

/** Feeds every billing event of an order to the split, as the revenue_split policy does; returns the split's state and events. */
const splitAll = (events: OrderEvent[], s: PartyShare[], basis: 'on_invoice' | 'on_payment') => {
  let state: RevenueSplitState = revenueSplitDecider.initialState;
  const recorded = [];
  for (const e of events) {
    const source: RevenueSource | undefined =
      e.type === 'OrderInvoiced'
        ? { kind: 'invoice', id: e.data.invoiceId }
        : e.type === 'PaymentRecorded'
          ? { kind: 'payment', id: e.data.paymentId }
          : e.type === 'CreditNoteIssued'
            ? { kind: 'credit_note', id: e.data.creditNoteId }
            : undefined;
    if (!source) continue;
    const billing = billingThrough(events, 'EUR', source)!;
    const command = split(source, recognizedRevenue(basis, billing).amountMinor, s);
    const result = revenueSplitDecider.decide({ ...command, data: { ...command.data, settlementBasis: basis } }, state);
    if (result._tag === 'Left') throw new Error(result.left.message);
    recorded.push(...result.right);
    state = result.right.reduce(revenueSplitDecider.evolve, state);
  }
  return { state, recorded };
};

describe('revenue split properties', () => {
  it('every split sums exactly to its amount, and each party always holds exactly its share of what the order earned', () => {
    fc.assert(
      fc.property(orderLines, afterInvoice, shareSets, fc.constantFrom('on_invoice' as const, 'on_payment' as const), (lines, steps, s, basis) => {
        const { state, recorded } = splitAll(history(lines, steps, false), s, basis);
        for (const e of recorded)
          expect(
            sum(
              'EUR',
              e.data.lines.map((l) => l.amount),
            ),
          ).toEqual(e.data.amount);
        if (!state.exists) return;
        const expected = allocate(
          state.recognized,
          s.map((x) => x.shareBps),
        );
        for (const [i, party] of s.entries()) expect(state.perParty.get(party.partyId) ?? eur(0)).toEqual(expected[i]);
      }),
    );
  });

  it('a return followed by its credit note nets the original split to exactly zero for every party', () => {
    fc.assert(
      fc.property(orderLines, afterInvoice, shareSets, (lines, steps, s) => {
        const { state, recorded } = splitAll(
          history(
            lines,
            steps.filter((x) => x.kind === 'return'),
            true,
          ),
          s,
          'on_invoice',
        );
        if (!state.exists) return;
        expect(state.recognized).toEqual(eur(0));
        for (const party of s) {
          const net = sum(
            'EUR',
            recorded.flatMap((e) => e.data.lines.filter((l) => l.partyId === party.partyId).map((l) => l.amount)),
          );
          expect(net).toEqual(eur(0));
        }
      }),
    );
  });
});
