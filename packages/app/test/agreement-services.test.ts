import { type Actor, aggregates, creditStream, orderStream, revenueSplitStream, scopeRegistryStream, settlementStream } from '@dms/domain';
import { type Database, type EventStore, loadAggregate, openDatabase, PostgresEventStore } from '@dms/eventstore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandBus, type CommandResult } from '../src/command-bus';
import { placeAndReview, setUpDealer, standardTerms } from './support/agreements';

/**
 * The agreement, review, split and settlement services end to end on embedded PostgreSQL. Intents a policy would send
 * (ReviewOrder, RecordOrderRevenue, PostSettlementLine) are sent here by hand, with the command ids the policy would use.
 */
const admin: Actor = { id: 'anna', role: 'admin' };
const system: Actor = { id: 'policy:test', role: 'system' };
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
let seq = 0;
const ctx = (actor: Actor = admin) => ({ commandId: `c-${++seq}`, actor });

const ok = (r: CommandResult) => {
  if (r._tag === 'Left') throw new Error(`${r.left.code}: ${r.left.message}`);
  return r.right;
};

describe('agreements, automated review, splits and settlements (embedded PostgreSQL)', () => {
  let database: Database;
  let store: EventStore;
  let bus: CommandBus;
  const order = async (orderId: string) => (await loadAggregate(store, aggregates.orders, orderStream(orderId))).state;

  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
    bus = new CommandBus(store);
    await setUpDealer(bus, 'acme', 1_000_00);
  });
  afterAll(async () => database?.close());

  it('refuses a second agreement of the dealer for an overlapping scope, naming the one in force, and writes nothing', async () => {
    ok(
      await bus.execute(
        {
          type: 'DraftAgreement',
          data: {
            agreementId: 'agr-2',
            partnerId: 'acme',
            title: 'Pumps and pipes',
            terms: standardTerms('acme', { scope: { productCategories: ['pipes', 'pumps'], regions: ['north'], exclusive: false } }),
            effectiveFrom: '2025-06-01',
            expiresOn: '2026-05-31',
            draftedAt: '2025-05-01T00:00:00Z',
          },
        },
        ctx(),
      ),
    );
    ok(await bus.execute({ type: 'ProposeAgreement', data: { agreementId: 'agr-2', proposedAt: '2025-05-02T00:00:00Z' } }, ctx()));
    ok(
      await bus.execute(
        { type: 'SignAgreement', data: { agreementId: 'agr-2', party: 'manufacturer', signedBy: 'M', signedAt: '2025-05-03T00:00:00Z' } },
        ctx(),
      ),
    );
    ok(await bus.execute({ type: 'SignAgreement', data: { agreementId: 'agr-2', party: 'dealer', signedBy: 'D', signedAt: '2025-05-03T00:00:00Z' } }, ctx()));
    const head = await store.headPosition();
    const refused = await bus.execute({ type: 'ActivateAgreement', data: { agreementId: 'agr-2', activatedAt: '2025-06-01T08:00:00Z' } }, ctx());
    expect(refused).toMatchObject({
      _tag: 'Left',
      left: { code: 'AGREEMENT_SCOPE_OVERLAP', details: { conflictingAgreementId: 'agr-acme', categories: ['pumps'] } },
    });
    expect(await store.headPosition()).toBe(head);
    const agreement = (await loadAggregate(store, aggregates.agreements, 'agreement-agr-2')).state;
    expect(agreement).toMatchObject({ status: 'signed' });
  });

  it('approves an order automatically when dealer, agreement and credit allow, as system, with a note', async () => {
    const reviewed = ok(await placeAndReview(bus, 'acme', 'o-1', [{ sku: 'PUMP', quantity: 3 }]));
    expect(reviewed.events.map((e) => e.type)).toEqual(['CreditReserved', 'OrderApproved']);
    expect(await order('o-1')).toMatchObject({ lifecycle: 'approved' });
    const approved = reviewed.events[1]!;
    expect(approved.metadata.actor).toEqual(system);
    expect(approved.data).toMatchObject({
      note: expect.stringContaining('agreement agr-acme v1 covers the order; credit exposure 300.00 EUR of 1,000.00 EUR'),
    });
  });

  it('reviews an order once, however often the event is delivered', async () => {
    const placed = (await loadAggregate(store, aggregates.orders, orderStream('o-1'))).events[0]!;
    const again = ok(
      await bus.execute(
        { type: 'ReviewOrder', data: { orderId: 'o-1', reviewedAt: '2025-03-01T09:00:00Z' } },
        { commandId: `order_review:${placed.eventId}:0`, actor: system },
      ),
    );
    expect(again.events).toEqual([]);
  });

  it('queues an order with every failed reason, and lets a person decide', async () => {
    const reviewed = ok(
      await placeAndReview(bus, 'acme', 'o-2', [
        { sku: 'PUMP', quantity: 8 },
        { sku: 'PIPE', quantity: 1 },
      ]),
    );
    expect(reviewed.events.map((e) => e.type)).toEqual(['OrderQueuedForReview']);
    const queued = await order('o-2');
    expect(queued.exists && queued.review?.reasons.map((r) => r.code)).toEqual(['AGREEMENT_SCOPE_NOT_COVERED', 'CREDIT_LIMIT_EXCEEDED']);

    const without = await bus.execute({ type: 'ApproveQueuedOrder', data: { orderId: 'o-2', approvedAt: '2025-03-02T09:00:00Z' } }, ctx());
    expect(without).toMatchObject({ _tag: 'Left', left: { code: 'CREDIT_LIMIT_EXCEEDED', message: expect.stringContaining('overrideCreditLimit') } });
    const approved = ok(
      await bus.execute(
        { type: 'ApproveQueuedOrder', data: { orderId: 'o-2', approvedAt: '2025-03-02T09:00:00Z', overrideCreditLimit: true, note: 'Known customer' } },
        ctx(),
      ),
    );
    expect(approved.events.map((e) => e.type)).toEqual(['CreditReserved', 'OrderApproved']);
    expect(approved.events[0]!.data).toMatchObject({ overLimit: true, exposure: eur(300_00 + 810_00) });
  });

  it('releases credit as orders are rejected, cancelled, credited and paid', async () => {
    ok(await bus.execute({ type: 'CancelOrder', data: { orderId: 'o-2', reason: 'project postponed', cancelledAt: '2025-03-03T09:00:00Z' } }, ctx()));
    const synced = ok(
      await bus.execute({ type: 'SyncOrderCredit', data: { orderId: 'o-2', reason: 'order cancelled', at: '2025-03-03T09:00:00Z' } }, ctx(system)),
    );
    expect(synced.events[0]).toMatchObject({ type: 'CreditReleased', data: { amount: eur(810_00), exposure: eur(300_00) } });
    const credit = (await loadAggregate(store, aggregates.credit, creditStream('acme'))).state;
    expect(credit.exposure).toEqual(eur(300_00));
  });

  it('splits an invoice by the version in force on the order date and posts the dealer’s share to its statement', async () => {
    for (const command of [
      { type: 'ConfirmOrder', data: { orderId: 'o-1', confirmedAt: '2025-03-01T10:00:00Z' } },
      { type: 'ShipOrder', data: { orderId: 'o-1', shipmentId: 's1', lines: [{ lineNo: 1, quantity: 3 }], shippedAt: '2025-03-02T10:00:00Z' } },
      { type: 'DeliverShipment', data: { orderId: 'o-1', shipmentId: 's1', deliveredAt: '2025-03-03T10:00:00Z' } },
      { type: 'InvoiceOrder', data: { orderId: 'o-1', invoiceId: 'inv-1', invoicedAt: '2025-03-31T10:00:00Z', dueDate: '2025-04-30' } },
    ])
      ok(await bus.execute(command, ctx()));
    const split = ok(await bus.execute({ type: 'RecordOrderRevenue', data: { orderId: 'o-1', source: { kind: 'invoice', id: 'inv-1' } } }, ctx(system)));
    expect(split.events[0]).toMatchObject({
      type: 'RevenueSplitRecorded',
      data: {
        amount: eur(300_00),
        lines: [
          { partyId: 'manufacturer', amount: eur(270_00) },
          { partyId: 'acme', amount: eur(30_00) },
        ],
      },
    });
    const line = {
      lineId: 'rev:o-1:invoice:inv-1',
      kind: 'revenue_share' as const,
      agreementId: 'agr-acme',
      agreementVersion: 1,
      orderId: 'o-1',
      reference: 'inv-1',
      date: '2025-03-31',
      description: 'Invoice inv-1 of order o-1',
      base: eur(300_00),
      amount: eur(30_00),
      volume: eur(300_00),
    };
    const posted = ok(
      await bus.execute({ type: 'PostSettlementLine', data: { partnerId: 'acme', cadence: 'month', line, at: '2025-03-31T10:00:00Z' } }, ctx(system)),
    );
    expect(posted.streamId).toBe(settlementStream('acme', '2025-03'));
    expect((await loadAggregate(store, aggregates.revenueSplits, revenueSplitStream('o-1'))).state).toMatchObject({ recognized: eur(300_00) });
  });

  it('closes a statement with its rebate; a later line lands in the next period', async () => {
    const closed = ok(
      await bus.execute({ type: 'CloseSettlementPeriod', data: { partnerId: 'acme', period: '2025-03', by: admin, closedAt: '2025-04-02T09:00:00Z' } }, ctx()),
    );
    expect(closed.events[0]).toMatchObject({
      type: 'SettlementStatementClosed',
      data: { rebates: [{ agreementId: 'agr-acme', volume: eur(300_00), amount: eur(0) }], totals: { total: eur(30_00) } },
    });
    const late = {
      lineId: 'rev:o-1:credit_note:cn-9',
      kind: 'revenue_share' as const,
      agreementId: 'agr-acme',
      agreementVersion: 1,
      orderId: 'o-1',
      reference: 'cn-9',
      date: '2025-03-31',
      description: 'Credit note cn-9 of order o-1',
      base: eur(-100_00),
      amount: eur(-10_00),
      volume: eur(-100_00),
    };
    const command = { type: 'PostSettlementLine', data: { partnerId: 'acme', cadence: 'month', line: late, at: '2025-03-31T12:00:00Z' } };
    const posted = ok(await bus.execute(command, { commandId: 'late-line', actor: system }));
    expect(posted.streamId).toBe(settlementStream('acme', '2025-04'));
    expect(posted.events.at(-1)).toMatchObject({ type: 'SettlementLineAdded', data: { correction: true } });
    // Delivered again: found in the period it went to, not posted twice.
    expect(ok(await bus.execute(command, { commandId: 'late-line', actor: system })).replayed).toBe(true);
  });

  it('terminates an agreement and frees its scope from the next day on', async () => {
    ok(
      await bus.execute(
        { type: 'TerminateAgreement', data: { agreementId: 'agr-acme', reason: 'Restructuring', terminatedAt: '2025-06-10T12:00:00Z' } },
        ctx(),
      ),
    );
    const registry = (await loadAggregate(store, aggregates.agreementRegistry, scopeRegistryStream('acme'))).state;
    expect(registry.claims.get('agr-acme')?.at(-1)?.until).toBe('2025-06-10');
    const activated = await bus.execute({ type: 'ActivateAgreement', data: { agreementId: 'agr-2', activatedAt: '2025-06-11T08:00:00Z' } }, ctx());
    expect(activated).toMatchObject({ _tag: 'Left', left: { code: 'AGREEMENT_SCOPE_OVERLAP', details: { from: '2025-06-01', until: '2025-06-10' } } });
  });
});
