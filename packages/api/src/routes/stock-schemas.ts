import { z } from 'zod';
import { Money } from '../schemas';

/** Response schemas of the stock routes. Money fields are null for dealers: cost and value are the manufacturer's. */

const NullableMoney = Money.nullable();

export const StockLevelView = z
  .object({
    warehouseId: z.string(),
    warehouseName: z.string().nullable(),
    region: z.string().nullable(),
    sku: z.string(),
    productName: z.string().nullable(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int().describe('onHand - reserved; never negative'),
    backordered: z.number().int(),
    incoming: z.number().int().describe('In transit to this warehouse'),
    projected: z.number().int().describe('onHand + incoming - reserved - backordered'),
    unitCost: NullableMoney.describe('Moving-average unit cost'),
    value: NullableMoney,
    incomingValue: NullableMoney,
    reorderPolicy: z.object({ min: z.number().int(), max: z.number().int(), packMultiple: z.number().int(), leadTimeDays: z.number().int() }).nullable(),
    low: z.boolean().describe('Projected stock is at or below the reorder point'),
    suggestedOrderQty: z.number().int().describe('Whole packs that bring projected stock up to max (0 when not low)'),
    lowSince: z.string().nullable(),
    lastMovementOn: z.string().nullable(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'StockLevel' });

export const StockRollupView = z
  .object({
    region: z.string().nullable().describe('Null on the roll-up over every warehouse'),
    sku: z.string(),
    warehouses: z.number().int(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
    backordered: z.number().int(),
    incoming: z.number().int(),
    projected: z.number().int(),
    unitCost: NullableMoney,
    value: NullableMoney,
    lowIn: z.number().int().describe('Warehouses at or below their reorder point for this SKU'),
  })
  .meta({ id: 'StockRollup' });

export const StockValuationView = z
  .object({
    region: z.string().nullable().describe('Null for the total over every region'),
    warehouses: z.number().int(),
    skus: z.number().int(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    backordered: z.number().int(),
    incoming: z.number().int(),
    value: z.array(Money).describe('Value on hand, per currency'),
    inTransitValue: z.array(Money),
    lowStock: z.number().int(),
  })
  .meta({ id: 'StockValuation' });

export const StockMovementView = z
  .object({
    warehouseId: z.string(),
    sku: z.string(),
    streamVersion: z.number().int(),
    position: z.string().describe('Global position: the order in which movements were recorded'),
    kind: z.string(),
    businessDate: z.string().describe('When the goods moved'),
    recordedAt: z.string().describe('When the movement was entered'),
    change: z.object({ onHand: z.number().int(), reserved: z.number().int(), backordered: z.number().int(), incoming: z.number().int(), value: NullableMoney }),
    balance: z.object({
      onHand: z.number().int(),
      reserved: z.number().int(),
      available: z.number().int(),
      backordered: z.number().int(),
      incoming: z.number().int(),
      value: NullableMoney,
    }),
    unitCost: NullableMoney,
    orderId: z.string().nullable(),
    lineNo: z.number().int().nullable(),
    partnerId: z.string().nullable(),
    documentId: z.string().nullable(),
    counterpartWarehouseId: z.string().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'StockMovement' });

export const StockReservationView = z
  .object({
    warehouseId: z.string(),
    sku: z.string(),
    orderId: z.string(),
    lineNo: z.number().int(),
    partnerId: z.string(),
    placedAt: z.string(),
    reserved: z.number().int(),
    backordered: z.number().int(),
    shipped: z.number().int(),
    released: z.number().int(),
    backorderCancelled: z.number().int(),
    backorderedSince: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'StockReservation' });

export const BackorderView = StockReservationView.extend({
  queuePosition: z.number().int().describe('1 is filled first by the next receipt in this warehouse'),
  aheadInQueue: z.number().int().describe('Backordered units of earlier orders'),
  fillableFrom: z
    .array(z.string())
    .describe("The warehouses that can fill it: its order's region's sourcing order, first choice first; any of them with stock fills it"),
}).meta({ id: 'Backorder' });

export const WarehouseView = z
  .object({ warehouseId: z.string(), name: z.string(), region: z.string(), address: z.string().nullable(), registeredAt: z.string() })
  .meta({ id: 'Warehouse' });

export const RegionSourcingView = z.object({ region: z.string(), warehouseIds: z.array(z.string()) }).meta({ id: 'RegionSourcing' });

export const DemandForecastView = z
  .object({
    sku: z.string(),
    region: z.string(),
    history: z.array(z.object({ month: z.string(), quantity: z.number().int() })).describe('Units ordered per month, oldest first'),
    forecast: z.array(z.object({ month: z.string(), quantity: z.number() })).describe('Expected units per month, to one decimal'),
    method: z.enum(['naive', 'moving_average_3', 'exponential_smoothing', 'damped_trend', 'intermittent', 'seasonal_naive']),
    meanAbsoluteError: z.number().nullable().describe('Typical miss of a one-month forecast in the backtest; null with under 4 months of history'),
    stock: z
      .object({
        projected: z.number().int(),
        available: z.number().int(),
        leadTimeDays: z.number().int().nullable(),
        packMultiple: z.number().int().nullable(),
        daysOfCover: z.number().int().nullable(),
        advice: z.object({ leadTimeDemand: z.number(), safetyStock: z.number(), atRisk: z.boolean(), suggestedQuantity: z.number().int() }).nullable(),
      })
      .nullable()
      .describe("The region's stock and what to order; null for a dealer or where the region keeps none"),
  })
  .meta({ id: 'DemandForecast' });
