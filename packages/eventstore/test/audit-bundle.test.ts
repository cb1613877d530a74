import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { type Actor, fold, type OrderEvent, orderDecider } from '@dms/domain';
import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../src/adapters/memory';
import { BUNDLE_FORMAT, type BundleHeader, type BundleKeys, verifyBundle } from '../src/audit-bundle';
import { eventCsvRow, OrderLinesCsv } from '../src/audit-csv';
import { exportBundle } from '../src/audit-export';
import type { RecordedEvent } from '../src/port';
import { orderLife } from './support/orders';

/**
 * An audit bundle verifies with nothing but itself and the installation's public key; any change to it is found and named:
 * which line, which stream, which version, which event.
 */
const sales: Actor = { id: 'sales-1', role: 'sales' };
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const at = '2026-06-01T09:00:00Z';
const life = (orderId: string, partnerId: string) =>
  orderLife(orderId, {
    at,
    partnerId,
    dueDate: '2026-07-01',
    invoiceId: `inv-${orderId}`,
    payments: [{ paymentId: `p-${orderId}`, amountMinor: 20_00 }],
    shipments: 'together',
  });

const append = (store: MemoryEventStore, streamId: string, events: readonly { type: string; data: unknown }[]) =>
  store.appendToStream(
    streamId,
    events.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data, metadata: { correlationId: randomUUID(), actor: sales, schemaVersion: 1 } })),
  );

const seed = async () => {
  const store = new MemoryEventStore(() => new Date('2026-06-02T10:00:00.000Z'));
  for (const [orderId, partnerId] of [
    ['SO-1', 'acme'],
    ['SO-2', 'bolt'],
  ] as const) {
    const events: OrderEvent[] = [];
    for (const command of life(orderId, partnerId)) {
      const decided = orderDecider.decide(command, fold(orderDecider, events));
      if (decided._tag === 'Left') throw new Error(decided.left.message);
      await append(store, `order-${orderId}`, decided.right);
      events.push(...decided.right);
    }
  }
  await append(store, 'partner-acme', [
    {
      type: 'PartnerOnboarded',
      data: { partnerId: 'acme', name: 'Acme', region: 'north', tier: 'gold', creditLimit: eur(1_000_00), contacts: [], onboardedAt: at },
    },
  ]);
  return store;
};

const keys = (): BundleKeys => generateKeyPairSync('ed25519');

const bundleOf = async (store: MemoryEventStore, selection: Parameters<typeof exportBundle>[1], k: BundleKeys, onEvent?: (e: RecordedEvent) => void) => {
  let text = '';
  const manifest = await exportBundle(store, selection, {
    keys: k,
    dmsVersion: '0.1.0',
    now: new Date('2026-07-01T00:00:00Z'),
    write: (chunk) => {
      text += chunk;
    },
    ...(onEvent ? { onEvent } : {}),
  });
  return { manifest, text };
};
const linesOf = (text: string) => text.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');

describe('an audit bundle', () => {
  it('holds the selection with a signed manifest, and verifies with the installation key and nothing else', async () => {
    const store = await seed();
    const k = keys();
    const { manifest, text } = await bundleOf(store, { prefix: 'order-' }, k);
    const [header, ...events] = linesOf(text);
    expect(JSON.parse(header!)).toMatchObject({ format: BUNDLE_FORMAT, signature: { algorithm: 'Ed25519' } });
    expect(events).toHaveLength(2 * 7);
    expect(manifest).toMatchObject({
      counts: { events: 14, streams: 2, byType: { OrderPlaced: 2, PaymentRecorded: 2 } },
      positions: { first: '1', last: '14' },
      streams: { 'order-SO-1': { fromVersion: 0, toVersion: 6, firstPrevHash: null } },
      totals: { orders: { streams: 2, byCurrency: { EUR: { placed: '8664', invoiced: '8664', paid: '4000', credited: '0', outstanding: '4664' } } } },
    });
    expect(manifest.schemas.OrderPlaced).toMatchObject({ type: 'object', properties: { type: { const: 'OrderPlaced' } } });
    const result = await verifyBundle(linesOf(text), { publicKey: k.publicKey });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, keyTrusted: true, events: 14, streams: 2 });
    expect(result.totals).toEqual(manifest.totals);
  });

  it('selects a stream, a dealer’s streams, or a period of recording', async () => {
    const store = await seed();
    const k = keys();
    expect((await bundleOf(store, { streamId: 'order-SO-2' }, k)).manifest.counts).toMatchObject({ events: 7, streams: 1 });
    const acme = (await bundleOf(store, { partnerId: 'acme' }, k)).manifest;
    expect(Object.keys(acme.streams)).toEqual(['order-SO-1', 'partner-acme']);
    expect((await bundleOf(store, { to: '2026-06-01T00:00:00.000Z' }, k)).manifest.counts.events).toBe(0);
    expect((await bundleOf(store, { from: '2026-06-02T00:00:00.000Z', prefix: 'partner-' }, k)).manifest.counts.events).toBe(1);
    await expect(bundleOf(store, { from: '2026-07-01T00:00:00Z', to: '2026-06-01T00:00:00Z' }, k)).rejects.toThrow(/ends before it starts/);
  });

  it('names the event when one byte of it changes, and the manifest when it does', async () => {
    const store = await seed();
    const k = keys();
    const { text } = await bundleOf(store, { prefix: 'order-' }, k);
    const lines = linesOf(text);
    const target = lines.findIndex((l) => l.includes('"type":"OrderInvoiced"'));
    const event = JSON.parse(lines[target]!);
    // 43.32 -> 53.32: the invoice amount, one digit.
    const flipped = lines.map((l, i) => (i === target ? l.replace('"amountMinor":4332', '"amountMinor":5332') : l));
    expect(flipped[target]).not.toBe(lines[target]);
    const result = await verifyBundle(flipped, { publicKey: k.publicKey });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: target + 1, streamId: event.streamId, streamVersion: event.streamVersion, eventId: event.eventId, kind: 'altered' }),
        expect.objectContaining({ kind: 'events_hash' }),
        expect.objectContaining({ kind: 'totals' }),
      ]),
    );
    // Not JSON any more: still named, by its text.
    const broken = lines.map((l, i) => (i === target ? l.replace('{"amountMinor"', '{"amountMinor"}') : l));
    expect((await verifyBundle(broken)).problems[0]).toMatchObject({ line: target + 1, kind: 'unparsable', eventId: event.eventId });
    // A global position is not chained: the manifest lists them.
    const moved = lines.map((l, i) => (i === target ? l.replace(`"globalPosition":"${event.globalPosition}"`, '"globalPosition":"999"') : l));
    expect((await verifyBundle(moved)).problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'position', eventId: event.eventId })]));
    // The last event of a stream dropped: its head is missing.
    const cut = lines.filter((_, i) => i !== lines.length - 1);
    expect((await verifyBundle(cut)).problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'missing', streamId: 'order-SO-2' })]));
    // The manifest changed: the signature fails.
    const header = JSON.parse(lines[0]!) as BundleHeader;
    const forged = [JSON.stringify({ ...header, manifest: { ...header.manifest, dmsVersion: '9.9.9' } }), ...lines.slice(1)];
    expect((await verifyBundle(forged)).problems).toEqual([expect.objectContaining({ line: 1, kind: 'signature' })]);
    // Signed by another installation.
    expect((await verifyBundle(lines, { publicKey: keys().publicKey })).problems).toEqual([expect.objectContaining({ kind: 'untrusted_key' })]);
  });

  it('recomputes what each event states with the domain, naming the event that states it wrong', async () => {
    const store = await seed();
    // Written past the decider, with a sound chain: a line whose net amount is not its quantity times its price.
    await append(store, 'order-SO-9', [
      {
        type: 'OrderPlaced',
        data: {
          orderId: 'SO-9',
          partnerId: 'acme',
          region: 'north',
          tier: 'gold',
          currency: 'EUR',
          lines: [{ lineNo: 1, sku: 'pump-a', quantity: 2, unitPrice: eur(10_00), discountBps: 0, netAmount: eur(25_00) }],
          total: eur(25_00),
          placedAt: at,
        },
      },
    ]);
    const k = keys();
    const { text } = await bundleOf(store, { streamId: 'order-SO-9' }, k);
    const result = await verifyBundle(linesOf(text), { publicKey: k.publicKey });
    expect(result.problems).toEqual([
      expect.objectContaining({ streamId: 'order-SO-9', streamVersion: 0, kind: 'totals', detail: expect.stringContaining('line 1 states net 2500 EUR') }),
    ]);
  });

  it('checks that a revenue split adds up and carries the revenue recognised before it forward', async () => {
    const store = new MemoryEventStore(() => new Date('2026-06-02T10:00:00.000Z'));
    const split = (amount: number, recognized: number, lines: number[]) => ({
      type: 'RevenueSplitRecorded',
      data: {
        orderId: 'SO-1',
        partnerId: 'acme',
        agreementId: 'agr-1',
        agreementVersion: 1,
        settlementBasis: 'on_invoice',
        settlementPeriod: 'month',
        source: { kind: amount < 0 ? 'credit_note' : 'invoice', id: `doc-${amount}`, at },
        amount: eur(amount),
        recognized: eur(recognized),
        lines: lines.map((l, i) => ({ partyId: i ? 'acme' : 'maker', role: i ? 'dealer' : 'manufacturer', shareBps: 5000, amount: eur(l) })),
      },
    });
    await append(store, 'revenuesplit-SO-1', [split(100_00, 100_00, [60_00, 40_00]), split(-10_00, 95_00, [-6_00, -4_00]), split(5_00, 100_00, [3_00, 1_00])]);
    const k = keys();
    const { text } = await bundleOf(store, { prefix: 'revenuesplit-' }, k);
    const result = await verifyBundle(linesOf(text), { publicKey: k.publicKey });
    // Each split is checked against the one before it as stated: v2 carries v1's 95.00 forward correctly.
    expect(result.problems).toEqual([
      expect.objectContaining({
        streamVersion: 1,
        kind: 'totals',
        detail: expect.stringContaining('states 9500 EUR recognised after it; 10000 before plus -1000 is 9000'),
      }),
      expect.objectContaining({ streamVersion: 2, kind: 'totals', detail: expect.stringContaining('splits 500 EUR; its lines add up to 400 EUR') }),
    ]);
  });

  it('gives CSV views: a row per event, and a row per order line with its history', async () => {
    const store = await seed();
    const rows: string[] = [];
    const orderLines = new OrderLinesCsv();
    await bundleOf(store, { prefix: 'order-SO-1' }, keys(), (e) => {
      rows.push(eventCsvRow(e));
      orderLines.push(e);
    });
    expect(rows).toHaveLength(7);
    expect(rows[0]).toMatch(/^1,order-SO-1,0,2026-06-02T10:00:00.000Z,OrderPlaced,sales-1,sales,,/);
    const lines = [...orderLines.rows()];
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^SO-1,acme,north,2026-06-01T09:00:00Z,invoiced,1,pump-a,3,12.34,1000,33.32,EUR,3,3,0,0.00,/);
    expect(lines[0]).toContain('placed 3 at 33.32 EUR; 2026-06-02T10:00:00Z sales-1: approved');
    expect(lines[0]).toContain('shipped 3 (s1)');
    expect(lines[0]).toContain('payment 20.00 EUR');
  });
});
