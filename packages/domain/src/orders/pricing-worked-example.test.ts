/**
 * The worked example of docs/pricing.md: this test reads the table between the `worked-example` markers and prices every row
 * with `preparePlaceOrder`, so the document's figures are what DMS computes. Change both together.
 */
import { describe, expect, it } from 'vitest';
import { docTable, minor } from '../../test/support/doc-tables';
import type { AgreementEvent } from '../agreements/events';
import { terms } from '../agreements/fixtures';
import { agreementDecider } from '../agreements/index';
import { dealerPriceListDecider } from '../catalogue/dealer-price-list';
import type { DealerPriceListEvent, PriceListEvent } from '../catalogue/events';
import { priceListDecider } from '../catalogue/price-list';
import type { VersionPrice } from '../catalogue/price-versions';
import type { ProductState } from '../catalogue/product';
import { partnerDecider } from '../partners/index';
import { fold } from '../shared/decider';
import { lineNet, money } from '../shared/money';
import { preparePlaceOrder } from './pricing';

const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const published = '2025-12-01T00:00:00Z';

const products = new Map<string, ProductState>([
  ['PUMP-A', { exists: true, sku: 'PUMP-A', name: 'Pump A', category: 'pumps', unit: 'each', listPrice: eur(120_00), discontinued: false }],
  ['VALVE-B', { exists: true, sku: 'VALVE-B', name: 'Valve B', category: 'valves', unit: 'each', listPrice: eur(4_55), discontinued: false }],
]);
const version = (versionId: string, validFrom: string, prices: VersionPrice[], validTo?: string) => ({
  versionId,
  validFrom,
  ...(validTo ? { validTo } : {}),
  currency: 'EUR',
  prices,
  publishedAt: published,
});
const gold = fold(priceListDecider, [
  { type: 'TierDiscountSet', data: { tier: 'gold', discountBps: 1_000, setAt: published } },
  {
    type: 'PriceListVersionPublished',
    data: {
      tier: 'gold',
      ...version(
        'gold-2026-h1',
        '2026-01-01T00:00:00Z',
        [
          {
            sku: 'PUMP-A',
            unitPrice: eur(110_00),
            breaks: [
              { minQuantity: 10, unitPrice: eur(104_50) },
              { minQuantity: 50, unitPrice: eur(99_00) },
            ],
          },
        ],
        '2026-07-01T00:00:00Z',
      ),
    },
  },
  {
    type: 'PriceListVersionPublished',
    data: { tier: 'gold', ...version('gold-2026-h2', '2026-07-01T00:00:00Z', [{ sku: 'PUMP-A', unitPrice: eur(112_00) }]) },
  },
] satisfies PriceListEvent[]);

const dealerList = (partnerId: string, versionId: string, validFrom: string, prices: VersionPrice[]) =>
  fold(dealerPriceListDecider, [
    { type: 'DealerPriceListVersionPublished', data: { partnerId, ...version(versionId, validFrom, prices) } },
  ] satisfies DealerPriceListEvent[]);

const agreement = (partnerId: string, dealerPrices: boolean) => {
  const agreementId = `agr-${partnerId}`;
  const effectiveFrom = '2026-01-01';
  const t = terms({
    dealerPrices,
    revenueSplit: [
      { partyId: 'manufacturer', role: 'manufacturer', shareBps: 9_000 },
      { partyId: partnerId, role: 'dealer', shareBps: 1_000 },
    ],
  });
  const signed = (party: 'manufacturer' | 'dealer', fullySigned: boolean): AgreementEvent => ({
    type: 'AgreementSigned',
    data: { agreementId, partnerId, party, signedBy: party, signedAt: '2025-12-10T00:00:00Z', fullySigned, effectiveFrom },
  });
  return fold(agreementDecider, [
    {
      type: 'AgreementDrafted',
      data: { agreementId, partnerId, title: partnerId, terms: t, effectiveFrom, expiresOn: '2026-12-31', draftedAt: '2025-12-01T00:00:00Z' },
    },
    { type: 'AgreementProposed', data: { agreementId, proposedAt: '2025-12-02T00:00:00Z' } },
    signed('manufacturer', false),
    signed('dealer', true),
    { type: 'AgreementActivated', data: { agreementId, partnerId, activatedAt: '2026-01-01T00:00:00Z' } },
  ]);
};

const dealers = {
  acme: {
    priceList: dealerList('acme', 'acme-2026', '2026-03-01T00:00:00Z', [
      { sku: 'PUMP-A', unitPrice: eur(101_00), breaks: [{ minQuantity: 50, unitPrice: eur(97_00) }] },
    ]),
    agreement: agreement('acme', true),
  },
  bolt: { priceList: dealerList('bolt', 'bolt-2026', '2026-01-01T00:00:00Z', [{ sku: 'PUMP-A', unitPrice: eur(95_00) }]), agreement: agreement('bolt', false) },
};
const partner = (partnerId: string) =>
  fold(partnerDecider, [
    {
      type: 'PartnerOnboarded',
      data: { partnerId, name: partnerId, region: 'north', tier: 'gold', creditLimit: eur(1_000_000_00), contacts: [], onboardedAt: published },
    },
  ]);

const rows = () =>
  docTable('pricing.md', 'worked-example').map(([placedAt, dealer, sku, quantity, unitPrice, discount, net, kind, versionId, from]) => ({
    placedAt: placedAt!,
    dealer: dealer as keyof typeof dealers,
    sku: sku!,
    quantity: Number(quantity),
    unitPriceMinor: minor(unitPrice!),
    discountBps: Number(discount!.replace(' %', '')) * 100,
    netMinor: minor(net!),
    kind: kind!,
    versionId: versionId || undefined,
    minQuantity: from ? Number(from) : undefined,
  }));

describe('the worked example of docs/pricing.md', () => {
  it('has its table', () => {
    expect(rows().length).toBeGreaterThanOrEqual(10);
  });

  it.each(rows().map((r) => [`${r.placedAt} ${r.dealer} ${r.quantity} x ${r.sku}`, r] as const))('%s', (_, row) => {
    const { priceList, agreement: dealerAgreement } = dealers[row.dealer];
    const placed = preparePlaceOrder(
      { orderId: 'o-1', partnerId: row.dealer, lines: [{ sku: row.sku, quantity: row.quantity }], placedAt: row.placedAt },
      { partner: partner(row.dealer), products, priceList: gold, dealerPriceList: priceList, agreements: [dealerAgreement] },
    );
    if (placed._tag === 'Left') throw new Error(placed.left.message);
    const [line] = placed.right.data.lines;
    expect(line).toMatchObject({ unitPrice: eur(row.unitPriceMinor), discountBps: row.discountBps });
    expect(lineNet(line!.unitPrice, line!.quantity, line!.discountBps)).toEqual(eur(row.netMinor));
    expect(line!.priceSource).toMatchObject({
      kind: row.kind,
      ...(row.versionId ? { versionId: row.versionId, minQuantity: row.minQuantity } : {}),
      ...(row.kind === 'dealer_price_list' ? { agreementId: `agr-${row.dealer}` } : {}),
    });
  });
});
