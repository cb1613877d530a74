import type { RecordedEvent } from '@dms/eventstore';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { ReadModels } from './schema';
import { SubjectMemory } from './webhook-subjects';

let position = 0n;
const event = (streamId: string, streamVersion: number, type: string, data: object): RecordedEvent => ({
  streamId,
  streamVersion,
  globalPosition: ++position,
  eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
  type,
  data,
  metadata: {} as RecordedEvent['metadata'],
  recordedAt: new Date(0),
});
// Nothing to look up: every fact these events need is in the batch itself.
const noDatabase = {} as Kysely<ReadModels>;

describe('whom the outbox takes an event to be about', () => {
  it("completes an order's later events with its dealer, and the dealer's region", async () => {
    const events = [
      event('partner-acme', 0, 'PartnerOnboarded', { partnerId: 'acme', region: 'north' }),
      event('order-SO-1', 0, 'OrderPlaced', { orderId: 'SO-1', partnerId: 'acme', region: 'north' }),
      event('order-SO-1', 1, 'OrderShipped', { orderId: 'SO-1' }),
      event('notification-bf-1', 0, 'NotificationRaised', { audience: { kind: 'dealer', partnerId: 'acme' } }),
    ];
    const memory = await SubjectMemory.load(noDatabase, events, false);
    expect(events.map((e) => memory.learn(e)())).toEqual([
      { partnerId: 'acme', region: 'north' },
      { partnerId: 'acme', region: 'north' },
      { partnerId: 'acme', region: 'north' },
      { partnerId: 'acme', region: 'north' },
    ]);
  });

  it("never takes a stream shared by dealers to be one dealer's, even when its first event names one", async () => {
    const events = [
      event('stock-N1.PUMP', 0, 'StockBackordered', { warehouseId: 'N1', sku: 'PUMP', orderId: 'SO-1', partnerId: 'acme', quantity: 2 }),
      event('stock-N1.PUMP', 1, 'StockReceived', { warehouseId: 'N1', sku: 'PUMP', quantity: 10 }),
      event('stock-N1.PUMP', 2, 'StockReserved', { warehouseId: 'N1', sku: 'PUMP', orderId: 'SO-2', partnerId: 'boreal', quantity: 2 }),
      // A stream whose first event names no dealer stays about no dealer.
      event('order-SO-3', 1, 'OrderApproved', { orderId: 'SO-3' }),
    ];
    const memory = await SubjectMemory.load(noDatabase, events, false);
    expect(events.map((e) => memory.learn(e)().partnerId)).toEqual(['acme', undefined, 'boreal', undefined]);
  });
});
