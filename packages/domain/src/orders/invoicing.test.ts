import fc from 'fast-check';
import { isLeft } from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import type { PaymentTerms } from '../receivables/payment-terms';
import { fold } from '../shared/decider';
import type { OrderCommand } from './commands';
import type { OrderEvent } from './events';
import { at, confirmedOrder, deliver, deliveredOrder, eur, invoice, orderId, place, pricedLine, returnGoods, ship } from './fixtures';
import { orderDecider } from './index';
import type { ExistingOrder } from './state';
import { invoiceOpen, orderStatus, outstanding, payableInvoices } from './status';

const twoTen: PaymentTerms = { netDays: 30, earlyPayment: { days: 10, discountBps: 200 } };
const invoiceShipment = (shipmentId: string, invoiceId: string, basis: 'perShipment' | 'perDelivery' = 'perShipment', paymentTerms = twoTen): OrderCommand => ({
  type: 'InvoiceShipment',
  data: { orderId, shipmentId, invoiceId, basis, invoicedAt: at, paymentTerms },
});
const payOn = (paymentId: string, amountMinor: number, paidAt: string, invoiceId?: string): OrderCommand => ({
  type: 'RecordPayment',
  data: { orderId, paymentId, amount: eur(amountMinor), paidAt, method: 'bank_transfer', ...(invoiceId ? { invoiceId } : {}) },
});

/** Decides each command in turn on the history, failing on a refusal; returns the history and the last events. */
const run = (history: OrderEvent[], ...commands: OrderCommand[]) => {
  const events = [...history];
  let last: readonly OrderEvent[] = [];
  for (const command of commands) {
    const result = orderDecider.decide(command, fold(orderDecider, events));
    if (isLeft(result)) throw new Error(`${command.type}: ${result.left.code} ${result.left.message}`);
    last = result.right;
    events.push(...result.right);
  }
  return { events, last, state: fold(orderDecider, events) as ExistingOrder };
};
const refusal = (history: OrderEvent[], command: OrderCommand) => {
  const result = orderDecider.decide(command, fold(orderDecider, history));
  return isLeft(result) ? result.left.code : 'accepted';
};

// The standard order: line 1, 3 × 12.34 less 10 % = 33.32; line 2, 2 × 5.00 = 10.00; 43.32 in all, untaxed.
const twoShipmentsInvoiced = () =>
  run(confirmedOrder(), ship('s-1', { 1: 1, 2: 2 }), invoiceShipment('s-1', 'inv-s1'), ship('s-2', { 1: 2 }), invoiceShipment('s-2', 'inv-s2'));

describe('invoicing per shipment', () => {
  it('given a shipment of part of an order, invoices its share of each line with due dates from the terms', () => {
    const { last } = run(confirmedOrder(), ship('s-1', { 1: 1, 2: 2 }), invoiceShipment('s-1', 'inv-s1'));
    expect(last).toEqual([
      {
        type: 'ShipmentInvoiced',
        data: {
          orderId,
          shipmentId: 's-1',
          invoiceId: 'inv-s1',
          basis: 'perShipment',
          lines: [
            { lineNo: 1, quantity: 1, net: eur(11_11) },
            { lineNo: 2, quantity: 2, net: eur(10_00) },
          ],
          amount: eur(21_11),
          invoicedAt: at,
          dueDate: '2025-03-31',
          earlyPayment: { until: '2025-03-11', discount: eur(42) },
        },
      },
    ]);
  });

  it('the invoices of every shipment add up to the order to the cent, and the order is then invoiced', () => {
    const { events, state } = twoShipmentsInvoiced();
    expect(events.flatMap((e) => (e.type === 'ShipmentInvoiced' ? [e.data.amount.amountMinor] : []))).toEqual([21_11, 22_21]);
    expect(outstanding(state)).toEqual(eur(43_32));
    expect(orderStatus(state)).toBe('invoiced');
  });

  it('refuses a shipment invoiced twice, an undelivered shipment invoiced per delivery, and mixing per-order and per-shipment invoices', () => {
    const shipped = run(confirmedOrder(), ship('s-1', { 1: 1 })).events;
    expect(refusal(shipped, invoiceShipment('s-1', 'inv-a', 'perDelivery'))).toBe('NOT_DELIVERED');
    expect(refusal(shipped, invoiceShipment('s-9', 'inv-a'))).toBe('SHIPMENT_NOT_FOUND');
    const invoiced = run(shipped, invoiceShipment('s-1', 'inv-a')).events;
    expect(refusal(invoiced, invoiceShipment('s-1', 'inv-b'))).toBe('SHIPMENT_ALREADY_INVOICED');
    expect(refusal(run(invoiced, ship('s-2', { 1: 2 })).events, invoiceShipment('s-2', 'inv-a'))).toBe('DUPLICATE_INVOICE');
    expect(refusal(deliveredOrder(), invoice()) === 'accepted').toBe(true);
    expect(refusal(run(deliveredOrder(), invoice()).events, invoiceShipment('s-1', 'inv-x'))).toBe('ALREADY_INVOICED');
    const perShipmentDelivered = run(confirmedOrder(), ship('s-1', { 1: 3, 2: 2 }), deliver('s-1'), invoiceShipment('s-1', 'inv-a', 'perDelivery')).events;
    expect(refusal(perShipmentDelivered, invoice('inv-whole'))).toBe('INVOICED_PER_SHIPMENT');
  });

  it('a per-order invoice may take its due dates from the terms', () => {
    const { last } = run(deliveredOrder(), { type: 'InvoiceOrder', data: { orderId, invoiceId: 'inv-1', invoicedAt: at, paymentTerms: twoTen } });
    expect(last[0]).toMatchObject({
      type: 'OrderInvoiced',
      data: { amount: eur(43_32), dueDate: '2025-03-31', earlyPayment: { until: '2025-03-11', discount: eur(87) } },
    });
  });
});

describe('paying an order invoiced per shipment', () => {
  it('pays an invoice with instalments by its oldest instalment still owed: before a later-due invoice, then after it', () => {
    // inv-s1 (21.11): 10.56 due on 31 March, 10.55 on 30 May; inv-s2 (22.21) due on 30 April.
    const halves: PaymentTerms = {
      netDays: 90,
      instalments: [
        { shareBps: 5_000, offsetDays: 30 },
        { shareBps: 5_000, offsetDays: 90 },
      ],
    };
    const { events, state } = run(
      confirmedOrder(),
      ship('s-1', { 1: 1, 2: 2 }),
      invoiceShipment('s-1', 'inv-s1', 'perShipment', halves),
      ship('s-2', { 1: 2 }),
      invoiceShipment('s-2', 'inv-s2', 'perShipment', { netDays: 60 }),
    );
    expect(payableInvoices(state).map((i) => [i.invoiceId, i.dueOn])).toEqual([
      ['inv-s1', '2025-03-31'],
      ['inv-s2', '2025-04-30'],
    ]);
    const first = run(events, payOn('p-1', 10_56, '2025-03-20T10:00:00Z'));
    expect(first.last[0]).toMatchObject({ data: { allocations: [{ invoiceId: 'inv-s1', amount: eur(10_56) }] } });
    expect(payableInvoices(first.state).map((i) => [i.invoiceId, i.dueOn])).toEqual([
      ['inv-s1', '2025-05-30'],
      ['inv-s2', '2025-04-30'],
    ]);
    expect(run(first.events, payOn('p-2', 5_00, '2025-04-20T10:00:00Z')).last[0]).toMatchObject({
      data: { allocations: [{ invoiceId: 'inv-s2', amount: eur(5_00) }] },
    });
  });

  it('given 2/10 net 30, the discounted amount within ten days settles the oldest invoice with the discount allowed', () => {
    const { last, state } = run(twoShipmentsInvoiced().events, payOn('p-1', 20_69, '2025-03-11T10:00:00Z'));
    expect(last).toEqual([
      {
        type: 'PaymentRecorded',
        data: {
          orderId,
          paymentId: 'p-1',
          amount: eur(20_69),
          paidAt: '2025-03-11T10:00:00Z',
          method: 'bank_transfer',
          outstanding: eur(22_21),
          allocations: [{ invoiceId: 'inv-s1', amount: eur(20_69), discount: eur(42) }],
        },
      },
    ]);
    expect(invoiceOpen(state, state.invoices.get('inv-s1')!)).toEqual(eur(0));
  });

  it('the invoice the payer names is paid; paying it in full within the period forgoes the discount; the last payment marks the order paid', () => {
    const { events, last } = run(twoShipmentsInvoiced().events, payOn('p-1', 22_21, '2025-03-05T10:00:00Z', 'inv-s2'));
    expect(last).toEqual([
      expect.objectContaining({ type: 'PaymentRecorded', data: expect.objectContaining({ allocations: [{ invoiceId: 'inv-s2', amount: eur(22_21) }] }) }),
    ]);
    const after = run(events, payOn('p-2', 21_11, '2025-04-20T10:00:00Z'));
    expect(after.last.map((e) => e.type)).toEqual(['PaymentRecorded', 'OrderPaid']);
    expect(orderStatus(after.state)).toBe('paid');
    expect(refusal(after.events, payOn('p-3', 1, '2025-04-21T10:00:00Z'))).toBe('OVERPAYMENT');
  });

  it('refuses a payment naming an invoice the order does not have, or more than the named invoice has open', () => {
    const { events } = twoShipmentsInvoiced();
    expect(refusal(events, payOn('p-1', 1_00, '2025-04-20T10:00:00Z', 'inv-zz'))).toBe('INVOICE_NOT_OPEN');
    expect(refusal(events, payOn('p-1', 22_22, '2025-04-20T10:00:00Z', 'inv-s2'))).toBe('OVERPAYMENT');
  });

  it('a credit note from a return is against the invoice of the shipment that carried the goods, or the one named', () => {
    const { events } = run(twoShipmentsInvoiced().events, deliver('s-1'), deliver('s-2'));
    const credited = run(events, returnGoods('r-1', 'cn-1', { 2: 1 }));
    expect(credited.last[1]).toMatchObject({ type: 'CreditNoteIssued', data: { invoiceId: 'inv-s1', amount: eur(5_00) } });
    expect(invoiceOpen(credited.state, credited.state.invoices.get('inv-s1')!)).toEqual(eur(16_11));
    const named = run(events, {
      ...returnGoods('r-1', 'cn-1', { 1: 1 }),
      data: { ...returnGoods('r-1', 'cn-1', { 1: 1 }).data, invoiceId: 'inv-s2' },
    } as OrderCommand);
    expect(named.last[1]).toMatchObject({ type: 'CreditNoteIssued', data: { invoiceId: 'inv-s2' } });
    expect(
      refusal(events, { ...returnGoods('r-1', 'cn-1', { 1: 1 }), data: { ...returnGoods('r-1', 'cn-1', { 1: 1 }).data, invoiceId: 'inv-no' } } as OrderCommand),
    ).toBe('UNKNOWN_INVOICE');
  });
});

describe('properties of invoicing per shipment', () => {
  const lines = fc
    .array(
      fc.record({
        quantity: fc.integer({ min: 1, max: 7 }),
        unitPriceMinor: fc.integer({ min: 0, max: 10_000_000 }),
        discountBps: fc.integer({ min: 0, max: 10_000 }),
      }),
      { minLength: 1, maxLength: 4 },
    )
    .map((ls) => ls.map((l, i) => pricedLine(i + 1, `sku-${i + 1}`, l.quantity, l.unitPriceMinor, l.discountBps)));
  const terms = fc.constantFrom<PaymentTerms>({ netDays: 30 }, twoTen, {
    netDays: 60,
    instalments: [
      { shareBps: 5_000, offsetDays: 30 },
      { shareBps: 5_000, offsetDays: 60 },
    ],
  });

  it('whatever the shipments and payments: invoices add up to the order, no invoice is settled beyond its amount, nothing owed goes negative', () => {
    fc.assert(
      fc.property(
        lines,
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
        terms,
        fc.array(
          fc.record({
            amountMinor: fc.integer({ min: 1, max: 20_000_000 }),
            day: fc.integer({ min: 0, max: 40 }),
            named: fc.option(fc.integer({ min: 1, max: 8 })),
          }),
          {
            maxLength: 8,
          },
        ),
        (priced, chunks, paymentTerms, payments) => {
          let history = run(
            [],
            place(priced),
            { type: 'ApproveOrder', data: { orderId, approvedAt: at } },
            { type: 'ConfirmOrder', data: { orderId, confirmedAt: at } },
          ).events;
          // Ship each line in chunks, one shipment per step, each invoiced on its own.
          let n = 0;
          for (const chunk of chunks) {
            const state = fold(orderDecider, history) as ExistingOrder;
            const ship1 = state.lines
              .filter((l) => l.shipped < l.quantity)
              .map((l) => ({ lineNo: l.lineNo, quantity: Math.min(chunk, l.quantity - l.shipped) }));
            if (ship1.length === 0) break;
            n += 1;
            history = run(
              history,
              ship(`s-${n}`, Object.fromEntries(ship1.map((l) => [l.lineNo, l.quantity]))),
              invoiceShipment(`s-${n}`, `inv-${n}`, 'perShipment', paymentTerms),
            ).events;
          }
          let state = fold(orderDecider, history) as ExistingOrder;
          const invoicedMinor = [...state.invoices.values()].reduce((a, i) => a + i.amount.amountMinor, 0);
          if (state.lines.every((l) => l.shipped === l.quantity)) {
            expect(invoicedMinor).toBe(state.gross.amountMinor);
            for (const l of state.lines) expect(l.invoicedNet).toEqual(l.netAmount);
          }
          for (const [i, p] of payments.entries()) {
            const paidAt = `2025-03-${String(1 + (p.day % 28)).padStart(2, '0')}T12:00:00Z`;
            const result = orderDecider.decide(payOn(`p-${i}`, p.amountMinor, paidAt, p.named ? `inv-${p.named}` : undefined), state);
            if (isLeft(result)) {
              expect(['OVERPAYMENT', 'INVOICE_NOT_OPEN']).toContain(result.left.code);
              continue;
            }
            history = [...history, ...result.right];
            state = fold(orderDecider, history) as ExistingOrder;
            expect(outstanding(state).amountMinor).toBeGreaterThanOrEqual(0);
            for (const inv of state.invoices.values()) {
              expect(inv.paid.amountMinor + inv.discounted.amountMinor).toBeLessThanOrEqual(inv.amount.amountMinor);
              expect(invoiceOpen(state, inv).amountMinor).toBeGreaterThanOrEqual(0);
            }
            const recorded = result.right[0]!;
            if (recorded.type === 'PaymentRecorded')
              expect(recorded.data.allocations!.reduce((a, x) => a + x.amount.amountMinor, 0)).toBe(recorded.data.amount.amountMinor);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
