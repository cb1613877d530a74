/**
 * The worked example of docs/tax.md: this test reads the table between the `tax-example` markers, publishes the rates through
 * the tax decider, prices and places each order with `preparePlaceOrder` and `decideOrder`, and checks every line and total
 * (and the credit note of the example's return). Change both together.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docTable, minor } from '../../test/support/doc-tables';
import type { PriceListEvent } from '../catalogue/events';
import { priceListDecider } from '../catalogue/price-list';
import type { ProductState } from '../catalogue/product';
import { decideOrder } from '../orders/decide';
import type { OrderPlaced } from '../orders/events';
import { preparePlaceOrder } from '../orders/pricing';
import { evolveOrder, initialOrderState } from '../orders/state';
import { partnerDecider } from '../partners/index';
import { fold } from '../shared/decider';
import { money } from '../shared/money';
import { type TaxRateCommand, type TaxRateEvent, taxRateDecider } from './tax';

const published = '2025-12-01T00:00:00Z';

/** Runs the commands through the decider one after another, as the command bus would. */
const table = (commands: TaxRateCommand[]) => {
  let state = taxRateDecider.initialState;
  const events: TaxRateEvent[] = [];
  for (const command of commands) {
    const decided = taxRateDecider.decide(command, state);
    if (decided._tag === 'Left') throw new Error(decided.left.message);
    for (const e of decided.right) state = taxRateDecider.evolve(state, e);
    events.push(...decided.right);
  }
  return { state, events };
};
const rate = (
  region: string,
  rateId: string,
  category: 'standard' | 'reduced',
  rateBps: number,
  validFrom: string,
  publishedAt = published,
): TaxRateCommand => ({
  type: 'PublishTaxRate',
  data: { region, rateId, category, rateBps, validFrom, publishedAt },
});
const de = table([
  rate('de', 'de-std-19', 'standard', 1_900, '2026-01-01T00:00:00Z'),
  rate('de', 'de-red-7', 'reduced', 700, '2026-01-01T00:00:00Z'),
  rate('de', 'de-std-16', 'standard', 1_600, '2026-07-01T00:00:00Z', '2026-06-01T00:00:00Z'),
]);
const cn = table([
  rate('cn-east', 'cn-std-13', 'standard', 1_300, '2026-01-01T00:00:00Z'),
  rate('cn-east', 'cn-red-9', 'reduced', 900, '2026-01-01T00:00:00Z'),
]);

const product = (sku: string, listPrice: number, taxCategory: 'standard' | 'reduced' | 'zero', currency: string): ProductState => ({
  exists: true,
  sku,
  name: sku,
  category: 'parts',
  unit: 'each',
  listPrice: money(listPrice, currency),
  taxCategory,
  discontinued: false,
});
const catalogue = (currency: string, prices: [number, number, number]) =>
  new Map<string, ProductState>([
    ['PUMP-A', product('PUMP-A', prices[0], 'standard', currency)],
    ['MANUAL-M', product('MANUAL-M', prices[1], 'reduced', currency)],
    ['CERT-Z', product('CERT-Z', prices[2], 'zero', currency)],
  ]);

const gold = fold(priceListDecider, [{ type: 'TierDiscountSet', data: { tier: 'gold', discountBps: 1_000, setAt: published } }] satisfies PriceListEvent[]);
const retailCn = fold(priceListDecider, [
  {
    type: 'PriceListVersionPublished',
    data: {
      tier: 'retail-cn',
      versionId: 'cn-2026',
      validFrom: '2026-01-01T00:00:00Z',
      currency: 'CNY',
      pricesInclude: 'gross',
      prices: [
        { sku: 'PUMP-A', unitPrice: money(899_00, 'CNY') },
        { sku: 'MANUAL-M', unitPrice: money(99_90, 'CNY') },
      ],
      publishedAt: published,
    },
  },
] satisfies PriceListEvent[]);

const partner = (partnerId: string, region: string, tier: string, currency: string) =>
  fold(partnerDecider, [
    {
      type: 'PartnerOnboarded',
      data: { partnerId, name: partnerId, region, tier, creditLimit: money(10_000_000_00, currency), contacts: [], onboardedAt: published },
    },
  ]);
const dealers = {
  acme: { partner: partner('acme', 'de', 'gold', 'EUR'), priceList: gold, products: catalogue('EUR', [120_00, 25_00, 25_00]), taxRates: de.state },
  huaxin: {
    partner: partner('huaxin', 'cn-east', 'retail-cn', 'CNY'),
    priceList: retailCn,
    products: catalogue('CNY', [900_00, 99_00, 10_00]),
    taxRates: cn.state,
  },
};

const doc = readFileSync(resolve(__dirname, '../../../../docs/tax.md'), 'utf8');
const rows = () =>
  docTable('tax.md', 'tax-example').map(([order, placedAt, dealer, sku, quantity, amount, prices, category, rateText, net, tax, gross]) => ({
    order: order!,
    placedAt: placedAt!,
    dealer: dealer as keyof typeof dealers,
    sku: sku!,
    quantity: Number(quantity),
    amount: minor(amount!),
    prices: prices!,
    category: category!,
    rateBps: Number(rateText!.replace(' %', '')) * 100,
    net: minor(net!),
    tax: minor(tax!),
    gross: minor(gross!),
  }));

/** Places each order of the table (its rows in table order) and returns the `OrderPlaced` events by order id. */
const place = (): Map<string, OrderPlaced['data']> => {
  const byOrder = new Map<string, ReturnType<typeof rows>>();
  for (const row of rows()) byOrder.set(row.order, [...(byOrder.get(row.order) ?? []), row]);
  const placed = new Map<string, OrderPlaced['data']>();
  for (const [orderId, lines] of byOrder) {
    const first = lines[0]!;
    const dealer = dealers[first.dealer];
    const command = preparePlaceOrder(
      { orderId, partnerId: first.dealer, lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), placedAt: first.placedAt },
      { partner: dealer.partner, products: dealer.products, priceList: dealer.priceList, taxRates: dealer.taxRates },
    );
    if (command._tag === 'Left') throw new Error(command.left.message);
    const decided = decideOrder(command.right, initialOrderState);
    if (decided._tag === 'Left') throw new Error(decided.left.message);
    const event = decided.right[0]!;
    if (event.type !== 'OrderPlaced') throw new Error('expected OrderPlaced');
    placed.set(orderId, event.data);
  }
  return placed;
};

const totals = (): Map<string, { net: number; tax: number; gross: number }> => {
  const text = doc.split('Order totals (net / tax / gross):')[1]?.split('\n\n')[0] ?? '';
  return new Map(
    [...text.matchAll(/`([\w-]+)`\s+([\d,.]+) \/ ([\d,.]+) \/ ([\d,.]+)/g)].map((m) => [m[1]!, { net: minor(m[2]!), tax: minor(m[3]!), gross: minor(m[4]!) }]),
  );
};

describe('the worked example of docs/tax.md', () => {
  const placed = place();

  it('has its table and totals', () => {
    expect(rows().length).toBeGreaterThanOrEqual(6);
    expect(totals().size).toBe(placed.size);
  });

  it('superseded the 19 % rate where the 16 % one starts', () => {
    expect(de.events.map((e) => e.type)).toEqual(['TaxRatePublished', 'TaxRatePublished', 'TaxRateEnded', 'TaxRatePublished']);
  });

  it.each(rows().map((r) => [`${r.order} ${r.quantity} x ${r.sku}`, r] as const))('%s', (_, row) => {
    const line = placed.get(row.order)!.lines.find((l) => l.sku === row.sku)!;
    const currency = placed.get(row.order)!.currency;
    const beforeTax = row.prices === 'gross' ? line.tax!.gross : line.netAmount;
    expect(beforeTax).toEqual(money(row.amount, currency));
    expect(line.netAmount).toEqual(money(row.net, currency));
    expect(line.tax).toMatchObject({
      category: row.category,
      rateBps: row.rateBps,
      pricesInclude: row.prices,
      amount: money(row.tax, currency),
      gross: money(row.gross, currency),
    });
  });

  it.each([...totals()])('%s totals', (orderId, expected) => {
    const order = placed.get(orderId)!;
    expect(order.total.amountMinor).toBe(expected.net);
    expect(order.tax?.amountMinor).toBe(expected.tax);
    expect(order.gross?.amountMinor).toBe(expected.gross);
  });

  it('returning 2 of the 7 pumps of o-de-1 credits 216.00 net and 41.04 tax', () => {
    const event = { type: 'OrderPlaced' as const, data: placed.get('o-de-1')! };
    let state = evolveOrder(initialOrderState, event);
    const at = '2026-03-20T09:00:00Z';
    for (const type of ['ApproveOrder', 'ConfirmOrder'] as const) {
      const d = decideOrder({ type, data: { orderId: 'o-de-1', approvedAt: at, confirmedAt: at } } as never, state);
      if (d._tag === 'Left') throw new Error(d.left.message);
      state = d.right.reduce(evolveOrder, state);
    }
    for (const command of [
      {
        type: 'ShipOrder',
        data: { orderId: 'o-de-1', shipmentId: 's-1', lines: [1, 2, 3].map((lineNo) => ({ lineNo, quantity: lineNo === 3 ? 1 : 7 })), shippedAt: at },
      },
      { type: 'DeliverShipment', data: { orderId: 'o-de-1', shipmentId: 's-1', deliveredAt: at } },
      {
        type: 'ReturnGoods',
        data: { orderId: 'o-de-1', returnId: 'r-1', creditNoteId: 'cn-1', lines: [{ lineNo: 1, quantity: 2 }], reason: 'damaged', returnedAt: at },
      },
    ] as const) {
      const d = decideOrder(command as never, state);
      if (d._tag === 'Left') throw new Error(d.left.message);
      state = d.right.reduce(evolveOrder, state);
      if (command.type === 'ReturnGoods') {
        expect(d.right[1]).toMatchObject({
          type: 'CreditNoteIssued',
          data: { amount: money(257_04, 'EUR'), net: money(216_00, 'EUR'), tax: money(41_04, 'EUR') },
        });
      }
    }
  });
});

describe('an early-payment discount in a region where it reduces the taxable amount (docs/tax.md, "Early-payment discounts")', () => {
  const setAt = '2026-02-01T00:00:00Z';
  const skonto = (treatment: 'reducesTaxableAmount' | 'financeCost') =>
    table([
      rate('de', 'de-std-19', 'standard', 1_900, '2026-01-01T00:00:00Z'),
      rate('de', 'de-red-7', 'reduced', 700, '2026-01-01T00:00:00Z'),
      ...(treatment === 'reducesTaxableAmount'
        ? [{ type: 'SetEarlyPaymentDiscountTreatment', data: { region: 'de', treatment, validFrom: setAt, setAt } } satisfies TaxRateCommand]
        : []),
    ]).state;
  const at = '2026-03-10T09:00:00Z';
  /** o-de-1 of the table, placed under `taxRates`, delivered, invoiced on 2/10 net 30 and paid in full less the discount on day 5. */
  const paidEarly = (taxRates: ReturnType<typeof skonto>) => {
    const command = preparePlaceOrder(
      {
        orderId: 'o-de-1',
        partnerId: 'acme',
        lines: [
          { sku: 'PUMP-A', quantity: 7 },
          { sku: 'MANUAL-M', quantity: 7 },
          { sku: 'CERT-Z', quantity: 1 },
        ],
        placedAt: at,
      },
      { ...dealers.acme, taxRates },
    );
    if (command._tag === 'Left') throw new Error(command.left.message);
    let state = initialOrderState;
    const decided: { type: string; data: unknown }[] = [];
    for (const c of [
      command.right,
      { type: 'ApproveOrder', data: { orderId: 'o-de-1', approvedAt: at } },
      { type: 'ConfirmOrder', data: { orderId: 'o-de-1', confirmedAt: at } },
      {
        type: 'ShipOrder',
        data: { orderId: 'o-de-1', shipmentId: 's-1', lines: [1, 2, 3].map((lineNo) => ({ lineNo, quantity: lineNo === 3 ? 1 : 7 })), shippedAt: at },
      },
      { type: 'DeliverShipment', data: { orderId: 'o-de-1', shipmentId: 's-1', deliveredAt: at } },
      {
        type: 'InvoiceOrder',
        data: { orderId: 'o-de-1', invoiceId: 'inv-1', invoicedAt: at, paymentTerms: { netDays: 30, earlyPayment: { days: 10, discountBps: 200 } } },
      },
      {
        type: 'RecordPayment',
        data: { orderId: 'o-de-1', paymentId: 'pay-1', amount: money(1_068_86, 'EUR'), paidAt: '2026-03-15T10:00:00Z', method: 'bank_transfer' },
      },
    ]) {
      const d = decideOrder(c as never, state);
      if (d._tag === 'Left') throw new Error(`${c.type}: ${d.left.message}`);
      state = d.right.reduce(evolveOrder, state);
      decided.push(...d.right);
    }
    return decided;
  };

  it('o-de-1 (1,090.67 gross) paid within ten days: the 21.81 discount gives back 2.87 tax at 19 % and 0.22 at 7 %', () => {
    const events = paidEarly(skonto('reducesTaxableAmount'));
    expect(events[0]).toMatchObject({ type: 'OrderPlaced', data: { earlyPaymentDiscount: 'reducesTaxableAmount' } });
    const payment = events.find((e) => e.type === 'PaymentRecorded')!;
    expect(payment.data).toMatchObject({
      outstanding: money(0, 'EUR'),
      allocations: [
        {
          invoiceId: 'inv-1',
          amount: money(1_068_86, 'EUR'),
          discount: money(21_81, 'EUR'),
          discountTax: [
            { lineNo: 1, net: money(15_12, 'EUR'), tax: money(2_87, 'EUR') },
            { lineNo: 2, net: money(3_15, 'EUR'), tax: money(22, 'EUR') },
            { lineNo: 3, net: money(45, 'EUR'), tax: money(0, 'EUR') },
          ],
        },
      ],
    });
  });

  it('where the discount is a finance cost (no treatment set, as in China), the payment records no tax given back', () => {
    const events = paidEarly(skonto('financeCost'));
    expect(events[0]!.data).not.toHaveProperty('earlyPaymentDiscount');
    const payment = events.find((e) => e.type === 'PaymentRecorded')!;
    expect(payment.data).toMatchObject({ allocations: [{ invoiceId: 'inv-1', discount: money(21_81, 'EUR') }] });
    expect((payment.data as { allocations: object[] }).allocations[0]).not.toHaveProperty('discountTax');
  });
});
