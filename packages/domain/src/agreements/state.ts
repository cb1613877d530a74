import { addDays, dateOf } from '../shared/calendar';
import type { SigningParty } from './commands';
import type { AgreementEvent } from './events';
import type { AgreementTerms } from './terms';

/** `draft -> proposed -> signed (by both parties) -> active -> expired | terminated`. */
export type AgreementStatus = 'draft' | 'proposed' | 'signed' | 'active' | 'expired' | 'terminated';

export interface AgreementVersion {
  readonly version: number;
  readonly effectiveFrom: string;
  readonly terms: AgreementTerms;
  readonly recordedAt: string;
  readonly reason?: string;
}

export interface ExistingAgreement {
  readonly exists: true;
  readonly agreementId: string;
  readonly partnerId: string;
  readonly title: string;
  readonly status: AgreementStatus;
  /** Last day in force (inclusive). */
  readonly expiresOn: string;
  /** Every version, oldest first; version n is at index n-1. Earlier versions stay readable. */
  readonly versions: readonly AgreementVersion[];
  readonly signatures: Readonly<Partial<Record<SigningParty, { readonly signedBy: string; readonly signedAt: string }>>>;
  readonly activatedAt?: string;
  /** When it stopped being in force: terminated or expired. */
  readonly endedAt?: string;
  readonly endReason?: string;
  readonly breachIds: ReadonlySet<string>;
  readonly spendIds: ReadonlySet<string>;
}

export type AgreementState = { readonly exists: false } | ExistingAgreement;

export const initialAgreementState: AgreementState = { exists: false };

export const evolveAgreement = (state: AgreementState, event: AgreementEvent): AgreementState => {
  if (event.type === 'AgreementDrafted') {
    const d = event.data;
    return {
      exists: true,
      agreementId: d.agreementId,
      partnerId: d.partnerId,
      title: d.title,
      status: 'draft',
      expiresOn: d.expiresOn,
      versions: [{ version: 1, effectiveFrom: d.effectiveFrom, terms: d.terms, recordedAt: d.draftedAt }],
      signatures: {},
      breachIds: new Set(),
      spendIds: new Set(),
    };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'AgreementTermsRevised':
      return {
        ...state,
        versions: [{ version: 1, effectiveFrom: event.data.effectiveFrom, terms: event.data.terms, recordedAt: event.data.revisedAt }],
        expiresOn: event.data.expiresOn,
        signatures: {},
      };
    case 'AgreementProposed':
      return { ...state, status: 'proposed' };
    case 'AgreementSigned':
      return {
        ...state,
        signatures: { ...state.signatures, [event.data.party]: { signedBy: event.data.signedBy, signedAt: event.data.signedAt } },
        status: event.data.fullySigned ? 'signed' : state.status,
      };
    case 'AgreementActivated':
      return { ...state, status: 'active', activatedAt: event.data.activatedAt };
    case 'AgreementAmended':
      return {
        ...state,
        expiresOn: event.data.expiresOn,
        versions: [
          ...state.versions,
          {
            version: event.data.version,
            effectiveFrom: event.data.effectiveFrom,
            terms: event.data.terms,
            recordedAt: event.data.amendedAt,
            reason: event.data.reason,
          },
        ],
      };
    case 'AgreementTerminated':
      return { ...state, status: 'terminated', endedAt: event.data.terminatedAt, endReason: event.data.reason };
    case 'AgreementExpired':
      return { ...state, status: 'expired', endedAt: event.data.expiredAt, endReason: 'expired' };
    case 'AgreementBreachRecorded':
      return { ...state, breachIds: new Set(state.breachIds).add(event.data.breachId) };
    case 'JointMarketingSpendRecorded':
      return { ...state, spendIds: new Set(state.spendIds).add(event.data.spendId) };
  }
};

export const currentVersion = (agreement: ExistingAgreement): AgreementVersion => agreement.versions.at(-1)!;

/** The version governing a calendar date: the latest whose effective date is on or before it, within the agreement's term. */
export const versionOn = (agreement: ExistingAgreement, date: string): AgreementVersion | undefined => {
  if (date < agreement.versions[0]!.effectiveFrom || date > agreement.expiresOn) return undefined;
  let found: AgreementVersion | undefined;
  for (const v of agreement.versions) if (v.effectiveFrom <= date) found = v;
  return found;
};

/**
 * Whether the agreement was in force at a moment: activated at or before it, not yet terminated or expired, and the
 * moment's date within the agreement's term. This is what governs an order placed at that moment.
 */
export const inForceAt = (agreement: AgreementState, at: string): agreement is ExistingAgreement => {
  if (!agreement.exists || !agreement.activatedAt || agreement.activatedAt > at) return false;
  if (agreement.endedAt !== undefined && agreement.endedAt <= at) return false;
  return versionOn(agreement, dateOf(at)) !== undefined;
};

/** Each version with the inclusive dates it governs: until the day before the next version, the last until expiry. */
export const versionPeriods = (agreement: ExistingAgreement): { version: AgreementVersion; from: string; until: string }[] =>
  agreement.versions.map((version, i) => {
    const next = agreement.versions[i + 1];
    return { version, from: version.effectiveFrom, until: next ? addDays(next.effectiveFrom, -1) : agreement.expiresOn };
  });
