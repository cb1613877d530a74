import { z } from 'zod';
import { TierId } from '../partners/commands';
import { Id, IsoDateTime, Sku } from '../shared/ids';
import { BasisPoints, Money } from '../shared/money';
import { TaxCategory } from '../tax/tax';
import { Unit } from './commands';
import { PriceVersionContent } from './price-versions';

/** A published version, as recorded. */
const PublishedVersion = z.object({ ...PriceVersionContent.shape, publishedAt: IsoDateTime });

export const ProductRegistered = z.object({
  type: z.literal('ProductRegistered'),
  data: z.object({
    sku: Sku,
    name: z.string(),
    category: Id,
    unit: Unit,
    listPrice: Money,
    /** Absent on products registered before tax existed, and when left out: `standard`. */
    taxCategory: TaxCategory.optional(),
    registeredAt: IsoDateTime,
  }),
});
export const ListPriceChanged = z.object({
  type: z.literal('ListPriceChanged'),
  data: z.object({ sku: Sku, from: Money, to: Money, changedAt: IsoDateTime }),
});
export const ProductDiscontinued = z.object({
  type: z.literal('ProductDiscontinued'),
  data: z.object({ sku: Sku, reason: z.string().optional(), discontinuedAt: IsoDateTime }),
});
export const ProductTaxCategoryChanged = z.object({
  type: z.literal('ProductTaxCategoryChanged'),
  data: z.object({ sku: Sku, from: TaxCategory, to: TaxCategory, changedAt: IsoDateTime }),
});
export const ProductEvent = z.discriminatedUnion('type', [ProductRegistered, ListPriceChanged, ProductDiscontinued, ProductTaxCategoryChanged]);
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
export const PriceListVersionPublished = z.object({
  type: z.literal('PriceListVersionPublished'),
  data: PublishedVersion.extend({ tier: TierId }),
});
/** A version's end brought forward: by a person, or because a newer open-ended version (`supersededBy`) starts then. */
export const PriceListVersionEnded = z.object({
  type: z.literal('PriceListVersionEnded'),
  data: z.object({ tier: TierId, versionId: Id, validTo: IsoDateTime, endedAt: IsoDateTime, supersededBy: Id.optional() }),
});
export const PriceListEvent = z.discriminatedUnion('type', [TierPriceSet, TierPriceRemoved, TierDiscountSet, PriceListVersionPublished, PriceListVersionEnded]);
export type PriceListEvent = z.infer<typeof PriceListEvent>;

export const DealerPriceListVersionPublished = z.object({
  type: z.literal('DealerPriceListVersionPublished'),
  data: PublishedVersion.extend({ partnerId: Id }),
});
export const DealerPriceListVersionEnded = z.object({
  type: z.literal('DealerPriceListVersionEnded'),
  data: z.object({ partnerId: Id, versionId: Id, validTo: IsoDateTime, endedAt: IsoDateTime, supersededBy: Id.optional() }),
});
export const DealerPriceListEvent = z.discriminatedUnion('type', [DealerPriceListVersionPublished, DealerPriceListVersionEnded]);
export type DealerPriceListEvent = z.infer<typeof DealerPriceListEvent>;
