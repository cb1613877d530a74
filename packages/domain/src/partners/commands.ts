import { z } from 'zod';
import { Id, IsoDateTime } from '../shared/ids';
import { NonNegativeMoney } from '../shared/money';
import { NonEmptyText, Text } from '../shared/text';

export const Contact = z.strictObject({
  name: NonEmptyText(120),
  email: z.email().max(254),
  phone: Text(40).optional(),
  role: Text(60).optional(),
});
export type Contact = z.infer<typeof Contact>;

/** Region and tier ids are configuration keys such as `north` or `gold`. */
export const RegionId = Id.describe('region id, e.g. north');
export const TierId = Id.describe('tier id, e.g. gold');

export const OnboardPartner = z.strictObject({
  type: z.literal('OnboardPartner'),
  data: z.strictObject({
    partnerId: Id,
    name: NonEmptyText(200),
    region: RegionId,
    tier: TierId,
    creditLimit: NonNegativeMoney,
    contacts: z.array(Contact).max(20).default([]),
    onboardedAt: IsoDateTime,
  }),
});

export const SuspendPartner = z.strictObject({
  type: z.literal('SuspendPartner'),
  data: z.strictObject({ partnerId: Id, reason: NonEmptyText(500), suspendedAt: IsoDateTime }),
});

export const ReactivatePartner = z.strictObject({
  type: z.literal('ReactivatePartner'),
  data: z.strictObject({ partnerId: Id, reactivatedAt: IsoDateTime }),
});

export const TerminatePartner = z.strictObject({
  type: z.literal('TerminatePartner'),
  data: z.strictObject({ partnerId: Id, reason: NonEmptyText(500), terminatedAt: IsoDateTime }),
});

export const ChangePartnerTier = z.strictObject({
  type: z.literal('ChangePartnerTier'),
  data: z.strictObject({ partnerId: Id, tier: TierId, reason: Text(500).optional(), changedAt: IsoDateTime }),
});

export const ChangeCreditLimit = z.strictObject({
  type: z.literal('ChangeCreditLimit'),
  data: z.strictObject({ partnerId: Id, creditLimit: NonNegativeMoney, changedAt: IsoDateTime }),
});

export const PartnerCommand = z.discriminatedUnion('type', [
  OnboardPartner,
  SuspendPartner,
  ReactivatePartner,
  TerminatePartner,
  ChangePartnerTier,
  ChangeCreditLimit,
]);
export type PartnerCommand = z.infer<typeof PartnerCommand>;
