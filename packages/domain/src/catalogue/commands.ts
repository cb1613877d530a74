import { z } from 'zod';
import { TierId } from '../partners/commands';
import { Id, IsoDateTime, Sku } from '../shared/ids';
import { BasisPoints, NonNegativeMoney } from '../shared/money';
import { NonEmptyText, Text } from '../shared/text';

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

export const ProductCommand = z.discriminatedUnion('type', [RegisterProduct, ChangeListPrice, DiscontinueProduct]);
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

export const PriceListCommand = z.discriminatedUnion('type', [SetTierPrice, RemoveTierPrice, SetTierDiscount]);
export type PriceListCommand = z.infer<typeof PriceListCommand>;
