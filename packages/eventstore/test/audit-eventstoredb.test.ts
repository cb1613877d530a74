/**
 * The auditor's tools on EventStoreDB: time travel, the whole-store verification, a signed export that verifies alone and
 * names a changed byte, and a sample, through the official client against the in-process wire server (and a real server
 * when EVENTSTORE_CONNECTION_STRING is set), exactly as on PostgreSQL and in memory. EventStoreDB stamps the recording
 * time after the client has linked the event, so its events carry link version 1: the time is not chained there.
 */
import { generateKeyPairSync } from 'node:crypto';
import { type Actor, fold, orderDecider, orderStatus } from '@dms/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStoreDbEventStore } from '../src/adapters/eventstoredb';
import { verifyStore } from '../src/audit';
import { verifyBundle } from '../src/audit-bundle';
import { exportBundle } from '../src/audit-export';
import { drawSample } from '../src/audit-sample';
import { stateAsJson, stateAsOf, stateSteps } from '../src/audit-state';
import { collect } from './conformance';
import { type EsdbTestServer, startEsdbTestServer } from './esdb-server';
import { orderLife, recordOrder } from './support/orders';

const REAL_SERVER = process.env['EVENTSTORE_CONNECTION_STRING'];
const sales: Actor = { id: 'sales-1', role: 'sales' };
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const at = '2026-07-01T09:00:00Z';
/** Order ids of their own: a real server keeps what earlier runs wrote. */
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const orderId = `SO-ESDB-${run}`;
const streamId = `order-${orderId}`;
const commands = orderLife(orderId, { at, dueDate: '2026-08-01', invoiceId: `inv-${run}`, payments: [{ paymentId: `p1-${run}`, amountMinor: 20_00 }] });

let server: EsdbTestServer | undefined;
let store: EventStoreDbEventStore;
let events: Awaited<ReturnType<typeof recordOrder>>;

beforeAll(async () => {
  if (!REAL_SERVER) server = await startEsdbTestServer();
  store = await EventStoreDbEventStore.connect(REAL_SERVER ?? server!.connectionString);
  events = await recordOrder(store, orderId, commands, sales);
}, 60_000);
afterAll(async () => {
  await store?.close();
  await server?.stop();
});

const keys = () => generateKeyPairSync('ed25519');
const bundleOf = async (k: ReturnType<typeof keys>) => {
  let text = '';
  const manifest = await exportBundle(
    store,
    { streamId },
    {
      keys: k,
      dmsVersion: '0.1.0',
      now: new Date('2026-07-02T00:00:00Z'),
      write: (chunk) => {
        text += chunk;
      },
    },
  );
  return { manifest, lines: text.split('\n').filter((l) => l !== '') };
};

describe(`the auditor's tools on EventStoreDB (${REAL_SERVER ? 'a real server' : 'the in-process wire server'})`, () => {
  it("gives an order's state at each step of its history, by position and by recording time, as the domain folds it", async () => {
    const recorded = await collect(store.readStream(streamId));
    expect(recorded.every((e) => e.metadata.hashVersion === undefined)).toBe(true);
    const steps = await stateSteps(store, streamId);
    expect(steps.map((s) => s.entry.type)).toEqual(events.map((e) => e.type));
    for (const [i, step] of steps.entries()) {
      const expected = fold(orderDecider, events.slice(0, i + 1));
      expect(step.state).toEqual(stateAsJson(expected));
      const byPosition = await stateAsOf(store, streamId, { position: BigInt(step.entry.globalPosition) });
      expect(byPosition).toMatchObject({ version: i, state: step.state, verification: { ok: true } });
      if (expected.exists) expect(byPosition.status).toBe(orderStatus(expected));
    }
    const byTime = await stateAsOf(store, streamId, { at: recorded.at(-1)!.recordedAt });
    expect(byTime).toMatchObject({ version: events.length - 1, status: 'invoiced', eventsInStream: events.length });
    expect(await stateAsOf(store, streamId, { at: new Date(recorded[0]!.recordedAt.getTime() - 1) })).toMatchObject({ version: -1, entries: [] });
  });

  it('verifies the hash chains of the store, and an export of the order with nothing but the public key; a changed byte is named', async () => {
    const verified = await verifyStore(store, { streamPrefix: streamId });
    expect(verified).toMatchObject({ ok: true, streams: 1, events: events.length });

    const k = keys();
    const { manifest, lines } = await bundleOf(k);
    expect(manifest.counts).toMatchObject({ events: events.length, streams: 1 });
    expect(manifest.totals.orders.byCurrency.EUR).toMatchObject({ placed: '4332', invoiced: '4332', paid: '2000', outstanding: '2332' });
    const clean = await verifyBundle(lines, { publicKey: k.publicKey });
    expect(clean.problems).toEqual([]);
    expect(clean).toMatchObject({ ok: true, keyTrusted: true, events: events.length, streams: 1 });

    const target = lines.findIndex((l) => l.includes('"type":"OrderInvoiced"'));
    const event = JSON.parse(lines[target]!);
    const flipped = lines.map((l, i) => (i === target ? l.replace('"amountMinor":4332', '"amountMinor":5332') : l));
    expect(flipped[target]).not.toBe(lines[target]);
    const caught = await verifyBundle(flipped, { publicKey: k.publicKey });
    expect(caught.ok).toBe(false);
    expect(caught.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: target + 1, streamId, streamVersion: event.streamVersion, eventId: event.eventId, kind: 'altered' }),
      ]),
    );
  });

  it('draws the order into a sample of its month, with its steps and money trail', async () => {
    const sample = await drawSample(store, { period: '2026-07', orders: 1000, seed: run });
    const order = sample.orders.find((o) => o.orderId === orderId);
    expect(order).toMatchObject({ verified: true });
    expect(order!.steps.map((s) => s.status).at(-1)).toBe('invoiced');
    expect(order!.trail.map((t) => [t.type, t.amount])).toEqual([
      ['OrderInvoiced', eur(43_32)],
      ['PaymentRecorded', eur(20_00)],
    ]);
  });
});
