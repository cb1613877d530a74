import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../orders/events';
import type { PolicyEvent } from '../shared/policy';
import { given } from '../testing';
import { backorderIndexDecider, backorderIndexStream } from './backorder-index';
import { planBackorderMoves, type WaitingBackorder } from './plan';
import { backorderSourcingPolicy, fulfilmentPolicy, reservationSyncPolicy } from './policies';
import { returnSources } from './returns';

const at = '2025-03-10T09:00:00Z';
const placed = (day: number) => `2025-03-${String(day).padStart(2, '0')}T08:00:00Z`;
const recorded = <E extends { type: string; data: unknown }>(e: E): PolicyEvent<E> => ({ ...e, streamId: 's', streamVersion: 0, eventId: 'e' });

describe('planning which backorders other warehouses fill', () => {
  const waiting = (orderId: string, day: number, quantity: number, sourcing = ['north', 'hub', 'south'], warehouseId = 'north'): WaitingBackorder => ({
    warehouseId,
    orderId,
    lineNo: 1,
    placedAt: placed(day),
    quantity,
    sourcing,
  });

  it('fills the oldest order first, in full, from the warehouses of its sourcing order in turn', () => {
    const stock: Record<string, number> = { hub: 3, south: 2, north: 9 };
    expect(planBackorderMoves([waiting('o2', 2, 4), waiting('o1', 1, 2), waiting('o3', 3, 5)], (w) => stock[w] ?? 0)).toEqual([
      { orderId: 'o1', lineNo: 1, fromWarehouseId: 'north', toWarehouseId: 'hub', quantity: 2 },
      { orderId: 'o2', lineNo: 1, fromWarehouseId: 'north', toWarehouseId: 'hub', quantity: 1 },
      { orderId: 'o2', lineNo: 1, fromWarehouseId: 'north', toWarehouseId: 'south', quantity: 2 },
    ]);
  });

  it('takes only from warehouses the order’s region is served from', () => {
    expect(planBackorderMoves([waiting('o1', 1, 2, ['north'])], () => 10)).toEqual([]);
    expect(planBackorderMoves([waiting('o1', 1, 2, ['east', 'hub'], 'east'), waiting('o0', 0, 5, ['north'])], (w) => (w === 'hub' ? 1 : 0))).toEqual([
      { orderId: 'o1', lineNo: 1, fromWarehouseId: 'east', toWarehouseId: 'hub', quantity: 1 },
    ]);
  });

  it('never takes more than a warehouse has or a line waits for, and no younger order takes stock an older one could use', () => {
    const warehouses = ['w1', 'w2', 'w3', 'w4'];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            day: fc.integer({ min: 1, max: 28 }),
            quantity: fc.integer({ min: 1, max: 9 }),
            at: fc.constantFrom(...warehouses),
            sourcing: fc.uniqueArray(fc.constantFrom(...warehouses), { minLength: 1, maxLength: 4 }),
          }),
          { maxLength: 12 },
        ),
        fc.dictionary(fc.constantFrom(...warehouses), fc.nat(12)),
        (lines, stock) => {
          const queue = lines.map((l, i) => waiting(`o${String(i).padStart(2, '0')}`, l.day, l.quantity, l.sourcing, l.at));
          const moves = planBackorderMoves(queue, (w) => stock[w] ?? 0);
          for (const w of warehouses) expect(moves.filter((m) => m.toWarehouseId === w).reduce((a, m) => a + m.quantity, 0)).toBeLessThanOrEqual(stock[w] ?? 0);
          for (const b of queue) {
            const mine = moves.filter((m) => m.orderId === b.orderId);
            expect(mine.reduce((a, m) => a + m.quantity, 0)).toBeLessThanOrEqual(b.quantity);
            for (const m of mine) expect(m.toWarehouseId !== b.warehouseId && b.sourcing.includes(m.toWarehouseId) && m.quantity > 0).toBe(true);
          }
          // Oldest first: a warehouse gives to a younger order only once every older order that may use it is served in full.
          for (const m of moves) {
            const younger = queue.find((b) => b.orderId === m.orderId)!;
            for (const older of queue) {
              const isOlder = older.placedAt < younger.placedAt || (older.placedAt === younger.placedAt && older.orderId < younger.orderId);
              if (!isOlder || older.warehouseId === m.toWarehouseId || !older.sourcing.includes(m.toWarehouseId)) continue;
              expect(moves.filter((x) => x.orderId === older.orderId).reduce((a, x) => a + x.quantity, 0)).toBe(older.quantity);
            }
          }
        },
      ),
    );
  });
});

describe('the backorder index of a SKU', () => {
  it('notes each warehouse a backorder waited in once', () => {
    const note = { type: 'NoteBackorderWarehouse' as const, data: { sku: 'pump-a', warehouseId: 'north', notedAt: at } };
    const noted = { type: 'BackorderWarehouseNoted' as const, data: note.data };
    given(backorderIndexDecider)().when(note).then(noted);
    given(backorderIndexDecider)(noted).when(note).then();
    expect(backorderIndexStream('pump-a')).toBe('backorderindex-pump-a');
  });
});

describe('where returned goods came from', () => {
  const shippedFrom = (shipmentId: string, warehouseId: string | undefined, quantity: number): OrderEvent => ({
    type: 'OrderShipped',
    data: { orderId: 'o1', shipmentId, lines: [{ lineNo: 1, quantity }], shippedAt: at, ...(warehouseId ? { warehouseId } : {}), fullyShipped: false },
  });
  const delivered = (shipmentId: string, quantity: number): OrderEvent => ({
    type: 'ShipmentDelivered',
    data: { orderId: 'o1', shipmentId, lines: [{ lineNo: 1, quantity }], deliveredAt: at, fullyDelivered: false },
  });
  const returned = (returnId: string, quantity: number): OrderEvent => ({
    type: 'GoodsReturned',
    data: {
      orderId: 'o1',
      returnId,
      lines: [{ lineNo: 1, sku: 'pump-a', quantity, creditAmount: { amountMinor: 0, currency: 'EUR' } }],
      reason: 'r',
      restock: true,
      returnedAt: at,
    },
  });

  it('takes each line’s delivered units in delivery order, after those of earlier returns', () => {
    // s2 (hub) is delivered before s1 (north).
    const history = [shippedFrom('s1', 'north', 3), shippedFrom('s2', 'hub', 2), delivered('s2', 2), delivered('s1', 3), returned('r1', 1), returned('r2', 3)];
    expect(returnSources(history, 'r1')).toEqual([{ lineNo: 1, sku: 'pump-a', shipmentId: 's2', warehouseId: 'hub', quantity: 1 }]);
    expect(returnSources(history, 'r2')).toEqual([
      { lineNo: 1, sku: 'pump-a', shipmentId: 's2', warehouseId: 'hub', quantity: 1 },
      { lineNo: 1, sku: 'pump-a', shipmentId: 's1', warehouseId: 'north', quantity: 2 },
    ]);
    expect(returnSources(history, 'r9')).toBeUndefined();
  });

  it('names no warehouse for a shipment outside stock tracking, and the answer for a return never changes later', () => {
    const before = [shippedFrom('s1', undefined, 2), delivered('s1', 2), returned('r1', 1)];
    expect(returnSources(before, 'r1')).toEqual([{ lineNo: 1, sku: 'pump-a', shipmentId: 's1', warehouseId: undefined, quantity: 1 }]);
    expect(returnSources([...before, shippedFrom('s2', 'hub', 1), delivered('s2', 1), returned('r2', 2)], 'r1')).toEqual(returnSources(before, 'r1'));
  });
});

describe('the backorder and returns policies', () => {
  it('offer stock to backorders elsewhere whenever it becomes available there, or a backorder is recorded', () => {
    const where = { warehouseId: 'hub', sku: 'pump-a' };
    const source = [{ type: 'SourceBackorders', data: { ...where, requestedAt: at } }];
    expect(
      backorderSourcingPolicy.react(
        recorded({
          type: 'StockReceived',
          data: {
            ...where,
            receiptId: 'r1',
            quantity: 1,
            unitCost: { amountMinor: 1, currency: 'EUR' },
            value: { amountMinor: 1, currency: 'EUR' },
            businessDate: '2025-03-10',
            recordedAt: at,
          },
        }),
      ),
    ).toEqual(source);
    expect(
      backorderSourcingPolicy.react(
        recorded({ type: 'StockBackordered', data: { ...where, orderId: 'o1', lineNo: 1, partnerId: 'acme', placedAt: at, quantity: 2, backorderedAt: at } }),
      ),
    ).toEqual(source);
    const adjusted = (quantityChange: number) =>
      recorded({
        type: 'StockAdjusted' as const,
        data: {
          ...where,
          adjustmentId: 'a1',
          reason: 'found' as const,
          quantityChange,
          value: { amountMinor: 0, currency: 'EUR' },
          businessDate: '2025-03-10',
          recordedAt: at,
        },
      });
    expect(backorderSourcingPolicy.react(adjusted(2))).toEqual(source);
    expect(backorderSourcingPolicy.react(adjusted(-2))).toEqual([]);
  });

  it('move the order’s allocation when a backorder is withdrawn, then reserve it where the stock is', () => {
    expect(
      reservationSyncPolicy.react(
        recorded({
          type: 'StockBackorderWithdrawn',
          data: { warehouseId: 'north', sku: 'pump-a', orderId: 'o1', lineNo: 2, quantity: 3, toWarehouseId: 'hub', withdrawnAt: at },
        }),
      ),
    ).toEqual([
      { type: 'ReallocateStock', data: { orderId: 'o1', lineNo: 2, fromWarehouseId: 'north', toWarehouseId: 'hub', quantity: 3, reallocatedAt: at } },
    ]);
    expect(
      fulfilmentPolicy.react(
        recorded({
          type: 'OrderStockReallocated',
          data: {
            orderId: 'o1',
            partnerId: 'acme',
            placedAt: at,
            region: 'north',
            lineNo: 2,
            sku: 'pump-a',
            fromWarehouseId: 'north',
            toWarehouseId: 'hub',
            quantity: 3,
            reallocatedAt: at,
          },
        }),
      ),
    ).toEqual([
      {
        type: 'ReserveStock',
        data: {
          warehouseId: 'hub',
          sku: 'pump-a',
          orderId: 'o1',
          lineNo: 2,
          partnerId: 'acme',
          placedAt: at,
          region: 'north',
          quantity: 3,
          onShortage: 'backorder',
          reservedAt: at,
        },
      },
    ]);
  });

  it('restock a resaleable return, and neither a damaged one nor one recorded before returns were restocked', () => {
    const goodsReturned = (restock?: boolean) =>
      recorded({
        type: 'GoodsReturned' as const,
        data: { orderId: 'o1', returnId: 'r1', lines: [], reason: 'r', ...(restock === undefined ? {} : { restock }), returnedAt: at },
      });
    expect(fulfilmentPolicy.react(goodsReturned(true))).toEqual([{ type: 'RestockReturn', data: { orderId: 'o1', returnId: 'r1', restockedAt: at } }]);
    expect(fulfilmentPolicy.react(goodsReturned(false))).toEqual([]);
    expect(fulfilmentPolicy.react(goodsReturned())).toEqual([]);
  });
});
