import { z } from 'zod';
import { TierId } from '../partners/commands';
import { Id, IsoDateTime, Sku } from '../shared/ids';
import { BasisPoints, NonNegativeMoney } from '../shared/money';
import { NonEmptyText, Text } from '../shared/text';
import { TaxCategory } from '../tax/tax';
import { PriceVersionContent } from './price-versions';

export const Unit = z.enum(['each', 'box', 'case', 'pallet', 'kg', 'litre', 'metre']);
export type Unit = z.infer<typeof Unit>;

export const RegisterProduct = z.strictObject({
  type: z.literal('RegisterProduct'),
  data: z.strictObject({
    sku: Sku,
    name: NonEmptyText(200),
    category: Id.describe('product category id, e.g. pumps'),
    unit: Unit,
    listPrice: NonNegativeMoney,
    /** How the product is taxed (`standard` when left out). */
    taxCategory: TaxCategory.optional(),
    registeredAt: IsoDateTime,
  }),
});

export const ChangeListPrice = z.strictObject({
  type: z.literal('ChangeListPrice'),
  data: z.strictObject({ sku: Sku, listPrice: NonNegativeMoney, changedAt: IsoDateTime }),
});

export const DiscontinueProduct = z.strictObject({
  type: z.literal('DiscontinueProduct'),
  data: z.strictObject({ sku: Sku, reason: Text(500).optional(), discontinuedAt: IsoDateTime }),
});

/** Moves a product to another tax category; orders placed from then on are taxed by it (orders already placed keep theirs). */
export const SetProductTaxCategory = z.strictObject({
  type: z.literal('SetProductTaxCategory'),
  data: z.strictObject({ sku: Sku, taxCategory: TaxCategory, changedAt: IsoDateTime }),
});

export const ProductCommand = z.discriminatedUnion('type', [RegisterProduct, ChangeListPrice, DiscontinueProduct, SetProductTaxCategory]);
export type ProductCommand = z.infer<typeof ProductCommand>;

/** A tier's own price for a SKU; it replaces the list price and the tier discount for that SKU. */
export const SetTierPrice = z.strictObject({
  type: z.literal('SetTierPrice'),
  data: z.strictObject({ tier: TierId, sku: Sku, unitPrice: NonNegativeMoney, setAt: IsoDateTime }),
});

export const RemoveTierPrice = z.strictObject({
  type: z.literal('RemoveTierPrice'),
  data: z.strictObject({ tier: TierId, sku: Sku, removedAt: IsoDateTime }),
});

/** The discount a tier gets off the list price of every SKU without a tier price. */
export const SetTierDiscount = z.strictObject({
  type: z.literal('SetTierDiscount'),
  data: z.strictObject({ tier: TierId, discountBps: BasisPoints, setAt: IsoDateTime }),
});

/**
 * A dated version of the tier's price list, with quantity breaks (see `price-versions.ts`). While a version is in force, the
 * SKUs it lists are priced by it; other SKUs keep the tier price or the tier discount.
 */
export const PublishPriceListVersion = z.strictObject({
  type: z.literal('PublishPriceListVersion'),
  data: PriceVersionContent.extend({ tier: TierId, publishedAt: IsoDateTime }),
});

/** Brings a version's end forward (to now at the earliest). */
export const EndPriceListVersion = z.strictObject({
  type: z.literal('EndPriceListVersion'),
  data: z.strictObject({ tier: TierId, versionId: Id, validTo: IsoDateTime, endedAt: IsoDateTime }),
});

export const PriceListCommand = z.discriminatedUnion('type', [SetTierPrice, RemoveTierPrice, SetTierDiscount, PublishPriceListVersion, EndPriceListVersion]);
export type PriceListCommand = z.infer<typeof PriceListCommand>;

/**
 * A dated version of one dealer's own prices. They override the tier's prices for the SKUs they list, but only while an
 * agreement in force for the order says so (`dealerPrices` in its terms).
 */
export const PublishDealerPriceListVersion = z.strictObject({
  type: z.literal('PublishDealerPriceListVersion'),
  data: PriceVersionContent.extend({ partnerId: Id, publishedAt: IsoDateTime }),
});

export const EndDealerPriceListVersion = z.strictObject({
  type: z.literal('EndDealerPriceListVersion'),
  data: z.strictObject({ partnerId: Id, versionId: Id, validTo: IsoDateTime, endedAt: IsoDateTime }),
});

export const DealerPriceListCommand = z.discriminatedUnion('type', [PublishDealerPriceListVersion, EndDealerPriceListVersion]);
export type DealerPriceListCommand = z.infer<typeof DealerPriceListCommand>;
