import { z } from 'zod';
import { TierId } from '../partners/commands';
import { Id, IsoDateTime, Sku } from '../shared/ids';
import { BasisPoints, Money } from '../shared/money';
import { Unit } from './commands';

export const ProductRegistered = z.object({
  type: z.literal('ProductRegistered'),
  data: z.object({ sku: Sku, name: z.string(), category: Id, unit: Unit, listPrice: Money, registeredAt: IsoDateTime }),
});
export const ListPriceChanged = z.object({
  type: z.literal('ListPriceChanged'),
  data: z.object({ sku: Sku, from: Money, to: Money, changedAt: IsoDateTime }),
});
export const ProductDiscontinued = z.object({
  type: z.literal('ProductDiscontinued'),
  data: z.object({ sku: Sku, reason: z.string().optional(), discontinuedAt: IsoDateTime }),
});
export const ProductEvent = z.discriminatedUnion('type', [ProductRegistered, ListPriceChanged, ProductDiscontinued]);
export type ProductEvent = z.infer<typeof ProductEvent>;

export const TierPriceSet = z.object({
  type: z.literal('TierPriceSet'),
  data: z.object({ tier: TierId, sku: Sku, unitPrice: Money, setAt: IsoDateTime }),
});
export const TierPriceRemoved = z.object({
  type: z.literal('TierPriceRemoved'),
  data: z.object({ tier: TierId, sku: Sku, removedAt: IsoDateTime }),
});
export const TierDiscountSet = z.object({
  type: z.literal('TierDiscountSet'),
  data: z.object({ tier: TierId, discountBps: BasisPoints, setAt: IsoDateTime }),
});
export const PriceListEvent = z.discriminatedUnion('type', [TierPriceSet, TierPriceRemoved, TierDiscountSet]);
export type PriceListEvent = z.infer<typeof PriceListEvent>;
