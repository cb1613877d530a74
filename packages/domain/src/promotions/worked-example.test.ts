/**
 * The promotions worked example of docs/pricing.md: this test reads the table between the `promotions-example` markers,
 * places each order with `preparePlaceOrder` under the promotions the page describes, and checks every line, so the page's
 * figures are what DMS computes. Change both together.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docTable, minor } from '../../test/support/doc-tables';
import { priceListDecider } from '../catalogue/price-list';
import type { ProductState } from '../catalogue/product';
import { preparePlaceOrder } from '../orders/pricing';
import { partnerDecider } from '../partners/index';
import { fold } from '../shared/decider';
import { lineNet, money } from '../shared/money';
import { promotionConsumption } from './apply';
import type { CreatePromotion } from './commands';
import { type ExistingPromotion, promotionDecider } from './promotion';

const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const setUp = '2026-02-01T00:00:00Z';
const products = new Map<string, ProductState>([
  ['PUMP-A', { exists: true, sku: 'PUMP-A', name: 'Pump A', category: 'pumps', unit: 'each', listPrice: eur(120_00), discontinued: false }],
  ['VALVE-B', { exists: true, sku: 'VALVE-B', name: 'Valve B', category: 'valves', unit: 'each', listPrice: eur(4_55), discontinued: false }],
]);
const gold = fold(priceListDecider, [{ type: 'TierDiscountSet', data: { tier: 'gold', discountBps: 1_000, setAt: setUp } }]);
const partner = (partnerId: string) =>
  fold(partnerDecider, [
    {
      type: 'PartnerOnboarded',
      data: { partnerId, name: partnerId, region: 'north', tier: 'gold', creditLimit: eur(1_000_000_00), contacts: [], onboardedAt: setUp },
    },
  ]);

const promotion = (data: Omit<CreatePromotion['data'], 'currency' | 'createdAt' | 'name'>): ExistingPromotion =>
  fold(promotionDecider, [{ type: 'PromotionCreated', data: { ...data, name: data.promotionId, currency: 'EUR', createdAt: setUp } }]) as ExistingPromotion;
const march = { validFrom: '2026-03-01T00:00:00Z', validTo: '2026-04-01T00:00:00Z' };
const examplePromotions = [
  promotion({
    promotionId: 'pump-spring',
    ...march,
    target: { tiers: ['gold'], categories: ['pumps'] },
    benefit: { kind: 'percent_off', bps: 500 },
    budget: eur(500_00),
  }),
  promotion({
    promotionId: 'acme-pumps',
    ...march,
    target: { partnerIds: ['acme'], skus: ['PUMP-A'] },
    benefit: { kind: 'amount_off', amountPerUnit: eur(6_00) },
    budget: eur(100_00),
  }),
  promotion({
    promotionId: 'valve-3for2',
    validFrom: '2026-03-01T00:00:00Z',
    validTo: '2026-06-01T00:00:00Z',
    target: { skus: ['VALVE-B'] },
    benefit: { kind: 'buy_n_get_m', buy: 2, free: 1 },
    budget: eur(50_00),
  }),
  promotion({ promotionId: 'big-order', ...march, target: {}, benefit: { kind: 'order_threshold', minimum: eur(1_000_00), bps: 200 }, budget: eur(1_000_00) }),
];

const rows = () =>
  docTable('pricing.md', 'promotions-example').map(
    ([order, placedAt, dealer, sku, quantity, before, linePromotion, lineOff, orderPromotion, orderOff, net]) => ({
      order: order!,
      placedAt: placedAt!,
      dealer: dealer!,
      sku: sku!,
      quantity: Number(quantity),
      before: minor(before!),
      linePromotion: linePromotion || undefined,
      lineOff: minor(lineOff!),
      orderPromotion: orderPromotion || undefined,
      orderOff: minor(orderOff!),
      net: minor(net!),
    }),
  );

const orders = () => {
  const byOrder = new Map<string, ReturnType<typeof rows>>();
  for (const r of rows()) byOrder.set(r.order, [...(byOrder.get(r.order) ?? []), r]);
  return [...byOrder.entries()];
};

describe('the promotions worked example of docs/pricing.md', () => {
  it('has its table', () => {
    expect(orders().length).toBeGreaterThanOrEqual(4);
  });

  it('places its orders one after another, each line as the table says, each budget consumed by the orders before it', () => {
    let promotions = examplePromotions;
    for (const [orderId, lines] of orders()) {
      const first = lines[0]!;
      const placed = preparePlaceOrder(
        { orderId, partnerId: first.dealer, lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), placedAt: first.placedAt },
        { partner: partner(first.dealer), products, priceList: gold, promotions },
      );
      if (placed._tag === 'Left') throw new Error(placed.left.message);
      for (const [i, row] of lines.entries()) {
        const line = placed.right.data.lines[i]!;
        const where = `order ${orderId} line ${i + 1}`;
        expect(lineNet(line.unitPrice, line.quantity, line.discountBps), where).toEqual(eur(row.before));
        const expected = [
          ...(row.linePromotion ? [{ promotionId: row.linePromotion, kind: 'line', discount: eur(row.lineOff) }] : []),
          ...(row.orderPromotion ? [{ promotionId: row.orderPromotion, kind: 'order', discount: eur(row.orderOff) }] : []),
        ];
        expect(line.promotions ?? [], where).toEqual(expected);
        expect(row.before - row.lineOff - row.orderOff, where).toBe(row.net);
      }
      // What the order takes from each budget is exactly the discounts on its lines; the next order sees what is left.
      const consumption = promotionConsumption('EUR', placed.right.data.lines);
      expect(consumption.reduce((a, [, m]) => a + m.amountMinor, 0)).toBe(lines.reduce((a, l) => a + l.lineOff + l.orderOff, 0));
      promotions = promotions.map((p) => {
        const taken = consumption.find(([id]) => id === p.promotionId);
        if (!taken) return p;
        const decided = promotionDecider.decide(
          { type: 'ConsumePromotionBudget', data: { promotionId: p.promotionId, orderId, amount: taken[1], consumedAt: first.placedAt } },
          p,
        );
        if (decided._tag === 'Left') throw new Error(decided.left.message);
        return decided.right.reduce(promotionDecider.evolve, p as never) as ExistingPromotion;
      });
    }
    expect(Object.fromEntries(promotions.map((p) => [p.promotionId, p.consumed.amountMinor]))).toEqual(consumedAfterwards());
  });
});

/** The budgets used after the example's orders, from the page's line "Budgets used afterwards: `id` amount, ...". */
const consumedAfterwards = () => {
  const doc = readFileSync(resolve(__dirname, '../../../../docs/pricing.md'), 'utf8');
  const line = /^Budgets used afterwards: (.*)$/m.exec(doc)?.[1] ?? '';
  return Object.fromEntries([...line.matchAll(/`([a-z0-9-]+)` ([\d,]+\.\d\d)/g)].map((m) => [m[1]!, minor(m[2]!)]));
};
