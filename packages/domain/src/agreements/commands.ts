import { z } from 'zod';
import { Id, IsoDate, IsoDateTime } from '../shared/ids';
import { NonNegativeMoney, PositiveMoney } from '../shared/money';
import { NonEmptyText, Text } from '../shared/text';
import { AgreementTerms } from './terms';

export const SigningParty = z.enum(['manufacturer', 'dealer']);
export type SigningParty = z.infer<typeof SigningParty>;

/** A first version of the terms, not yet binding. `effectiveFrom` and `expiresOn` are inclusive calendar dates. */
export const DraftAgreement = z.strictObject({
  type: z.literal('DraftAgreement'),
  data: z.strictObject({
    agreementId: Id,
    partnerId: Id,
    title: NonEmptyText(200),
    terms: AgreementTerms,
    effectiveFrom: IsoDate,
    expiresOn: IsoDate,
    draftedAt: IsoDateTime,
  }),
});

/** Changes the terms (and dates) of an agreement that is not yet signed by both parties; any signature given is voided. */
export const ReviseAgreementTerms = z.strictObject({
  type: z.literal('ReviseAgreementTerms'),
  data: z.strictObject({
    agreementId: Id,
    terms: AgreementTerms,
    effectiveFrom: IsoDate.optional(),
    expiresOn: IsoDate.optional(),
    note: Text(500).optional(),
    revisedAt: IsoDateTime,
  }),
});

export const ProposeAgreement = z.strictObject({
  type: z.literal('ProposeAgreement'),
  data: z.strictObject({ agreementId: Id, proposedAt: IsoDateTime }),
});

export const SignAgreement = z.strictObject({
  type: z.literal('SignAgreement'),
  data: z.strictObject({ agreementId: Id, party: SigningParty, signedBy: NonEmptyText(120), signedAt: IsoDateTime }),
});

/** Puts a signed agreement in force, on or after its effective date. The command bus checks the dealer's other agreements first. */
export const ActivateAgreement = z.strictObject({
  type: z.literal('ActivateAgreement'),
  data: z.strictObject({ agreementId: Id, activatedAt: IsoDateTime }),
});

/**
 * Version n+1 of the terms, agreed and signed by both parties, in force from its own effective date (never back-dated);
 * the earlier versions keep governing their own periods.
 */
export const AmendAgreement = z.strictObject({
  type: z.literal('AmendAgreement'),
  data: z.strictObject({
    agreementId: Id,
    terms: AgreementTerms,
    effectiveFrom: IsoDate,
    expiresOn: IsoDate.optional(),
    reason: NonEmptyText(500),
    signedBy: z.strictObject({ manufacturer: NonEmptyText(120), dealer: NonEmptyText(120) }),
    amendedAt: IsoDateTime,
  }),
});

export const TerminateAgreement = z.strictObject({
  type: z.literal('TerminateAgreement'),
  data: z.strictObject({ agreementId: Id, reason: NonEmptyText(500), terminatedAt: IsoDateTime }),
});

/** Ends an agreement whose last day has passed. */
export const ExpireAgreement = z.strictObject({
  type: z.literal('ExpireAgreement'),
  data: z.strictObject({ agreementId: Id, expiredAt: IsoDateTime }),
});

/** A breach of a breach clause by one party; the penalty defaults to the clause's and may be reduced, never raised. */
export const RecordAgreementBreach = z.strictObject({
  type: z.literal('RecordAgreementBreach'),
  data: z.strictObject({
    agreementId: Id,
    breachId: Id,
    clauseId: Id,
    breachingParty: SigningParty,
    description: NonEmptyText(2000),
    occurredOn: IsoDate,
    penalty: NonNegativeMoney.optional(),
    recordedAt: IsoDateTime,
  }),
});

/** Marketing paid by one party and shared by the agreement's cost-sharing ratio. */
export const RecordJointMarketingSpend = z.strictObject({
  type: z.literal('RecordJointMarketingSpend'),
  data: z.strictObject({
    agreementId: Id,
    spendId: Id,
    description: NonEmptyText(500),
    amount: PositiveMoney,
    paidBy: SigningParty,
    spentOn: IsoDate,
    recordedAt: IsoDateTime,
  }),
});

export const AgreementCommand = z.discriminatedUnion('type', [
  DraftAgreement,
  ReviseAgreementTerms,
  ProposeAgreement,
  SignAgreement,
  ActivateAgreement,
  AmendAgreement,
  TerminateAgreement,
  ExpireAgreement,
  RecordAgreementBreach,
  RecordJointMarketingSpend,
]);
export type AgreementCommand = z.infer<typeof AgreementCommand>;
