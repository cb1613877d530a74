import { z } from 'zod';
import { Id, IsoDateTime } from '../shared/ids';
import { Money } from '../shared/money';
import { Contact, RegionId, TierId } from './commands';

export const PartnerOnboarded = z.object({
  type: z.literal('PartnerOnboarded'),
  data: z.object({
    partnerId: Id,
    name: z.string(),
    region: RegionId,
    tier: TierId,
    creditLimit: Money,
    contacts: z.array(Contact),
    onboardedAt: IsoDateTime,
  }),
});
export const PartnerSuspended = z.object({
  type: z.literal('PartnerSuspended'),
  data: z.object({ partnerId: Id, reason: z.string(), suspendedAt: IsoDateTime }),
});
export const PartnerReactivated = z.object({
  type: z.literal('PartnerReactivated'),
  data: z.object({ partnerId: Id, reactivatedAt: IsoDateTime }),
});
export const PartnerTerminated = z.object({
  type: z.literal('PartnerTerminated'),
  data: z.object({ partnerId: Id, reason: z.string(), terminatedAt: IsoDateTime }),
});
export const PartnerTierChanged = z.object({
  type: z.literal('PartnerTierChanged'),
  data: z.object({ partnerId: Id, from: TierId, to: TierId, reason: z.string().optional(), changedAt: IsoDateTime }),
});
export const PartnerCreditLimitChanged = z.object({
  type: z.literal('PartnerCreditLimitChanged'),
  data: z.object({ partnerId: Id, from: Money, to: Money, changedAt: IsoDateTime }),
});

export const PartnerEvent = z.discriminatedUnion('type', [
  PartnerOnboarded,
  PartnerSuspended,
  PartnerReactivated,
  PartnerTerminated,
  PartnerTierChanged,
  PartnerCreditLimitChanged,
]);
export type PartnerEvent = z.infer<typeof PartnerEvent>;
