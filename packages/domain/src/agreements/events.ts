import { z } from 'zod';
import { SettlementCadence } from '../settlements/periods';
import { Id, IsoDate, IsoDateTime } from '../shared/ids';
import { Money } from '../shared/money';
import { SigningParty } from './commands';
import { AgreementTerms, PartyRole } from './terms';

export const AgreementDrafted = z.object({
  type: z.literal('AgreementDrafted'),
  data: z.object({
    agreementId: Id,
    partnerId: Id,
    title: z.string(),
    terms: AgreementTerms,
    effectiveFrom: IsoDate,
    expiresOn: IsoDate,
    draftedAt: IsoDateTime,
  }),
});

export const AgreementTermsRevised = z.object({
  type: z.literal('AgreementTermsRevised'),
  data: z.object({
    agreementId: Id,
    terms: AgreementTerms,
    effectiveFrom: IsoDate,
    expiresOn: IsoDate,
    note: z.string().optional(),
    /** Signatures given to the earlier terms, now void: the parties must sign the revised terms. */
    voidedSignatures: z.array(SigningParty),
    revisedAt: IsoDateTime,
  }),
});

export const AgreementProposed = z.object({
  type: z.literal('AgreementProposed'),
  data: z.object({ agreementId: Id, proposedAt: IsoDateTime }),
});

export const AgreementSigned = z.object({
  type: z.literal('AgreementSigned'),
  data: z.object({
    agreementId: Id,
    partnerId: Id,
    party: SigningParty,
    signedBy: z.string(),
    signedAt: IsoDateTime,
    /** True when, with this signature, both parties have signed. */
    fullySigned: z.boolean(),
    effectiveFrom: IsoDate,
  }),
});

export const AgreementActivated = z.object({
  type: z.literal('AgreementActivated'),
  data: z.object({ agreementId: Id, partnerId: Id, activatedAt: IsoDateTime }),
});

export const AgreementAmended = z.object({
  type: z.literal('AgreementAmended'),
  data: z.object({
    agreementId: Id,
    partnerId: Id,
    version: z.number().int().min(2),
    terms: AgreementTerms,
    effectiveFrom: IsoDate,
    expiresOn: IsoDate,
    reason: z.string(),
    signedBy: z.object({ manufacturer: z.string(), dealer: z.string() }),
    amendedAt: IsoDateTime,
  }),
});

export const AgreementTerminated = z.object({
  type: z.literal('AgreementTerminated'),
  data: z.object({ agreementId: Id, partnerId: Id, reason: z.string(), terminatedAt: IsoDateTime }),
});

export const AgreementExpired = z.object({
  type: z.literal('AgreementExpired'),
  data: z.object({ agreementId: Id, partnerId: Id, expiresOn: IsoDate, expiredAt: IsoDateTime }),
});

export const AgreementBreachRecorded = z.object({
  type: z.literal('AgreementBreachRecorded'),
  data: z.object({
    agreementId: Id,
    partnerId: Id,
    breachId: Id,
    clauseId: Id,
    /** The version whose clause was breached: the one in force on `occurredOn`. */
    version: z.number().int().min(1),
    breachingParty: SigningParty,
    description: z.string(),
    occurredOn: IsoDate,
    penalty: Money,
    settlementPeriod: SettlementCadence,
    recordedAt: IsoDateTime,
  }),
});

export const CostShare = z.object({ partyId: Id, role: PartyRole, shareBps: z.number().int(), amount: Money });
export type CostShare = z.infer<typeof CostShare>;

export const JointMarketingSpendRecorded = z.object({
  type: z.literal('JointMarketingSpendRecorded'),
  data: z.object({
    agreementId: Id,
    partnerId: Id,
    spendId: Id,
    version: z.number().int().min(1),
    description: z.string(),
    amount: Money,
    paidBy: SigningParty,
    spentOn: IsoDate,
    /** Each party's share of the cost, by the cost-sharing ratio of the version in force on `spentOn`; sums to `amount`. */
    shares: z.array(CostShare),
    settlementPeriod: SettlementCadence,
    recordedAt: IsoDateTime,
  }),
});

export const AgreementEvent = z.discriminatedUnion('type', [
  AgreementDrafted,
  AgreementTermsRevised,
  AgreementProposed,
  AgreementSigned,
  AgreementActivated,
  AgreementAmended,
  AgreementTerminated,
  AgreementExpired,
  AgreementBreachRecorded,
  JointMarketingSpendRecorded,
]);
export type AgreementEvent = z.infer<typeof AgreementEvent>;
