import { CommandBus } from '@dms/app';
import type { Actor, AgreementTerms, Message } from '@dms/domain';
import { type Database, type EventStore, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProjections, allReactors, getOrder, listPriceListVersions, ProjectionRunner } from '../src';
import { contexts, ok } from './support/commands';

/**
 * Dated price lists through the whole stack: versions published on the bus, orders placed while they are in force (one
 * dealer with its own prices allowed by its agreement), and what the read models then show.
 */
const admin: Actor = { id: 'anna', role: 'admin' };
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const ctx = contexts('pl', admin);

const terms = (partnerId: string, dealerPrices: boolean): AgreementTerms => ({
  currency: 'EUR',
  scope: { productCategories: ['pumps'], regions: ['north'], exclusive: false },
  responsibilities: [],
  pricingTier: 'gold',
  dealerPrices,
  revenueSplit: [
    { partyId: 'manufacturer', role: 'manufacturer', shareBps: 9_000 },
    { partyId: partnerId, role: 'dealer', shareBps: 1_000 },
  ],
  rebate: { basis: 'band_total', bands: [{ from: eur(0), rateBps: 0 }] },
  jointMarketing: [{ partyId: 'manufacturer', role: 'manufacturer', shareBps: 10_000 }],
  settlement: { basis: 'on_invoice', period: 'month' },
  paymentTerms: { netDays: 30 },
  ipClause: 'Trademarks stay with the manufacturer.',
  breachClauses: [],
});

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`price lists on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let store: EventStore;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    const run = async (command: Message) => ok(await bus.execute(command, ctx()));
    const settle = async () => {
      for (let head = await store.headPosition(); ; ) {
        await runner.catchUp();
        const after = await store.headPosition();
        if (after === head) return;
        head = after;
      }
    };

    beforeAll(async () => {
      ({ database, teardown } = await open());
      store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, [...allProjections, ...allReactors(bus)]);
      await run({
        type: 'RegisterProduct',
        data: { sku: 'PUMP', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(120_00), registeredAt: '2025-01-01T00:00:00Z' },
      });
      await run({ type: 'SetTierDiscount', data: { tier: 'gold', discountBps: 1_000, setAt: '2025-01-01T00:00:00Z' } });
      for (const partnerId of ['acme', 'bolt']) {
        await run({
          type: 'OnboardPartner',
          data: { partnerId, name: partnerId, region: 'north', tier: 'gold', creditLimit: eur(100_000_00), contacts: [], onboardedAt: '2025-01-01T00:00:00Z' },
        });
        const agreementId = `agr-${partnerId}`;
        await run({
          type: 'DraftAgreement',
          data: {
            agreementId,
            partnerId,
            title: `${partnerId} pumps`,
            terms: terms(partnerId, partnerId === 'acme'),
            effectiveFrom: '2025-01-01',
            expiresOn: '2025-12-31',
            draftedAt: '2024-12-01T00:00:00Z',
          },
        });
        await run({ type: 'ProposeAgreement', data: { agreementId, proposedAt: '2024-12-02T00:00:00Z' } });
        await run({ type: 'SignAgreement', data: { agreementId, party: 'manufacturer', signedBy: 'J', signedAt: '2024-12-20T00:00:00Z' } });
        await run({ type: 'SignAgreement', data: { agreementId, party: 'dealer', signedBy: 'D', signedAt: '2025-01-02T09:00:00Z' } });
        await run({
          type: 'PublishDealerPriceListVersion',
          data: {
            partnerId,
            versionId: `${partnerId}-2025`,
            validFrom: '2025-01-03T00:00:00Z',
            currency: 'EUR',
            prices: [{ sku: 'PUMP', unitPrice: eur(100_00) }],
            publishedAt: '2025-01-02T10:00:00Z',
          },
        });
      }
      await run({
        type: 'PublishPriceListVersion',
        data: {
          tier: 'gold',
          versionId: 'gold-2025',
          validFrom: '2025-02-01T00:00:00Z',
          currency: 'EUR',
          prices: [{ sku: 'PUMP', unitPrice: eur(110_00), breaks: [{ minQuantity: 10, unitPrice: eur(105_00) }] }],
          publishedAt: '2025-01-15T00:00:00Z',
        },
      });
      await run({
        type: 'PublishPriceListVersion',
        data: {
          tier: 'gold',
          versionId: 'gold-h2',
          validFrom: '2025-07-01T00:00:00Z',
          currency: 'EUR',
          prices: [{ sku: 'PUMP', unitPrice: eur(112_00) }],
          publishedAt: '2025-06-01T00:00:00Z',
        },
      });
      await settle();
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    it('lists the versions of a price list with their prices and breaks, the superseded one ended where the next starts', async () => {
      expect(await listPriceListVersions(runner.db, { listKind: 'tier', listId: 'gold' })).toEqual([
        {
          listKind: 'tier',
          listId: 'gold',
          versionId: 'gold-2025',
          validFrom: '2025-02-01T00:00:00Z',
          validTo: '2025-07-01T00:00:00Z',
          currency: 'EUR',
          publishedAt: '2025-01-15T00:00:00Z',
          endedAt: '2025-06-01T00:00:00Z',
          supersededBy: 'gold-h2',
          prices: [{ sku: 'PUMP', unitPrice: eur(110_00), breaks: [{ minQuantity: 10, unitPrice: eur(105_00) }] }],
        },
        {
          listKind: 'tier',
          listId: 'gold',
          versionId: 'gold-h2',
          validFrom: '2025-07-01T00:00:00Z',
          validTo: null,
          currency: 'EUR',
          publishedAt: '2025-06-01T00:00:00Z',
          endedAt: null,
          supersededBy: null,
          prices: [{ sku: 'PUMP', unitPrice: eur(112_00), breaks: [] }],
        },
      ]);
      expect((await listPriceListVersions(runner.db, { listKind: 'tier', listId: 'gold', at: '2025-07-01T00:00:00Z' })).map((v) => v.versionId)).toEqual([
        'gold-h2',
      ]);
      expect(await listPriceListVersions(runner.db, { listKind: 'tier', listId: 'gold', at: '2025-01-31T23:59:59Z' })).toEqual([]);
      expect((await listPriceListVersions(runner.db, { listKind: 'dealer', listId: 'acme' }))[0]).toMatchObject({
        versionId: 'acme-2025',
        prices: [{ unitPrice: eur(100_00) }],
      });
    });

    it("prices each order line by what was in force when it was placed, and shows the line's price source", async () => {
      const place = (orderId: string, partnerId: string, quantity: number, placedAt: string) =>
        bus.placeOrder({ orderId, partnerId, lines: [{ sku: 'PUMP', quantity }], placedAt }, ctx());
      ok(await place('before', 'bolt', 1, '2025-01-20T09:00:00Z'));
      ok(await place('break', 'bolt', 12, '2025-03-01T09:00:00Z'));
      ok(await place('h2', 'bolt', 12, '2025-07-01T09:00:00Z'));
      ok(await place('dealer', 'acme', 12, '2025-03-01T09:00:00Z'));
      await settle();
      const line = async (orderId: string) => (await getOrder(runner.db, orderId))?.lines[0];
      expect(await line('before')).toMatchObject({
        unitPrice: eur(120_00),
        discountBps: 1_000,
        netAmount: eur(108_00),
        priceSource: { kind: 'list_price', tier: 'gold' },
      });
      expect(await line('break')).toMatchObject({
        unitPrice: eur(105_00),
        discountBps: 0,
        netAmount: eur(1_260_00),
        priceSource: { kind: 'tier_price_list', tier: 'gold', versionId: 'gold-2025', minQuantity: 10 },
      });
      expect(await line('h2')).toMatchObject({ unitPrice: eur(112_00), priceSource: { kind: 'tier_price_list', versionId: 'gold-h2', minQuantity: 1 } });
      expect(await line('dealer')).toMatchObject({
        unitPrice: eur(100_00),
        priceSource: { kind: 'dealer_price_list', partnerId: 'acme', agreementId: 'agr-acme', versionId: 'acme-2025', minQuantity: 1 },
      });
    });
  });

await onEveryDatabase('price_lists', suite);
