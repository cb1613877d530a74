import { type Either, right } from 'fp-ts/Either';
import { dateOf } from '../shared/calendar';
import { type DomainError, refuse } from '../shared/errors';
import { allocate, formatMoney } from '../shared/money';
import type { AgreementCommand } from './commands';
import type { AgreementEvent } from './events';
import { type AgreementState, type AgreementStatus, type AgreementVersion, currentVersion, type ExistingAgreement, versionOn } from './state';
import { validateTerms } from './terms';

type Decision = Either<DomainError, readonly AgreementEvent[]>;
type Of<T extends AgreementCommand['type']> = Extract<AgreementCommand, { type: T }>['data'];

const requireStatus = (agreement: ExistingAgreement, allowed: readonly AgreementStatus[], action: string): Either<DomainError, true> =>
  allowed.includes(agreement.status)
    ? right(true)
    : refuse(
        'INVALID_AGREEMENT_TRANSITION',
        `Agreement ${agreement.agreementId} is ${agreement.status}; it can be ${action} only when ${allowed.join(' or ')}.`,
        {
          agreementId: agreement.agreementId,
          status: agreement.status,
          allowed,
        },
      );

const checkTerm = (effectiveFrom: string, expiresOn: string): Either<DomainError, true> =>
  expiresOn < effectiveFrom
    ? refuse('EXPIRY_BEFORE_EFFECTIVE_DATE', `The agreement would expire on ${expiresOn}, before it takes effect on ${effectiveFrom}.`, {
        effectiveFrom,
        expiresOn,
      })
    : right(true);

/**
 * The version in force on a date, for facts that happen under an agreement (breaches, marketing spend): the agreement must
 * have been activated by then and not yet ended.
 */
const inForceOn = (agreement: ExistingAgreement, date: string): Either<DomainError, AgreementVersion> => {
  const version = versionOn(agreement, date);
  const started = agreement.activatedAt !== undefined && dateOf(agreement.activatedAt) <= date;
  const notEnded = agreement.endedAt === undefined || date <= dateOf(agreement.endedAt);
  if (!version || !started || !notEnded) {
    return refuse('AGREEMENT_NOT_IN_FORCE', `Agreement ${agreement.agreementId} was not in force on ${date}.`, {
      agreementId: agreement.agreementId,
      date,
      status: agreement.status,
    });
  }
  return right(version);
};

const draft = (data: Of<'DraftAgreement'>): Decision => {
  const terms = validateTerms(data.terms, data.partnerId);
  if (terms._tag === 'Left') return terms;
  const term = checkTerm(data.effectiveFrom, data.expiresOn);
  if (term._tag === 'Left') return term;
  return right([{ type: 'AgreementDrafted', data }]);
};

const revise = (agreement: ExistingAgreement, data: Of<'ReviseAgreementTerms'>): Decision => {
  const allowed = requireStatus(agreement, ['draft', 'proposed'], 'revised');
  if (allowed._tag === 'Left') return allowed;
  const terms = validateTerms(data.terms, agreement.partnerId);
  if (terms._tag === 'Left') return terms;
  const effectiveFrom = data.effectiveFrom ?? agreement.versions[0]!.effectiveFrom;
  const expiresOn = data.expiresOn ?? agreement.expiresOn;
  const term = checkTerm(effectiveFrom, expiresOn);
  if (term._tag === 'Left') return term;
  const voidedSignatures = (['manufacturer', 'dealer'] as const).filter((p) => agreement.signatures[p]);
  return right([
    {
      type: 'AgreementTermsRevised',
      data: {
        agreementId: agreement.agreementId,
        terms: data.terms,
        effectiveFrom,
        expiresOn,
        ...(data.note ? { note: data.note } : {}),
        voidedSignatures,
        revisedAt: data.revisedAt,
      },
    },
  ]);
};

const sign = (agreement: ExistingAgreement, data: Of<'SignAgreement'>): Decision => {
  const allowed = requireStatus(agreement, ['proposed'], 'signed');
  if (allowed._tag === 'Left') return allowed;
  if (agreement.signatures[data.party]) {
    return refuse('ALREADY_SIGNED', `The ${data.party} has already signed agreement ${agreement.agreementId}.`, {
      party: data.party,
      signedBy: agreement.signatures[data.party]!.signedBy,
    });
  }
  const other = data.party === 'manufacturer' ? 'dealer' : 'manufacturer';
  return right([
    {
      type: 'AgreementSigned',
      data: {
        ...data,
        partnerId: agreement.partnerId,
        fullySigned: agreement.signatures[other] !== undefined,
        effectiveFrom: agreement.versions[0]!.effectiveFrom,
      },
    },
  ]);
};

const activate = (agreement: ExistingAgreement, data: Of<'ActivateAgreement'>): Decision => {
  const allowed = requireStatus(agreement, ['signed'], 'activated');
  if (allowed._tag === 'Left') return allowed;
  const today = dateOf(data.activatedAt);
  const effectiveFrom = agreement.versions[0]!.effectiveFrom;
  if (today < effectiveFrom) {
    return refuse('AGREEMENT_NOT_YET_EFFECTIVE', `Agreement ${agreement.agreementId} takes effect on ${effectiveFrom}; it cannot be activated on ${today}.`, {
      effectiveFrom,
      date: today,
    });
  }
  if (today > agreement.expiresOn) {
    return refuse('AGREEMENT_PAST_EXPIRY', `Agreement ${agreement.agreementId} expired on ${agreement.expiresOn}; it can no longer be activated.`, {
      expiresOn: agreement.expiresOn,
      date: today,
    });
  }
  return right([{ type: 'AgreementActivated', data: { ...data, partnerId: agreement.partnerId } }]);
};

const amend = (agreement: ExistingAgreement, data: Of<'AmendAgreement'>): Decision => {
  const allowed = requireStatus(agreement, ['signed', 'active'], 'amended');
  if (allowed._tag === 'Left') return allowed;
  const terms = validateTerms(data.terms, agreement.partnerId);
  if (terms._tag === 'Left') return terms;
  const current = currentVersion(agreement);
  if (data.terms.currency !== current.terms.currency) {
    return refuse('CURRENCY_MISMATCH', `Agreement ${agreement.agreementId} settles in ${current.terms.currency}; an amendment cannot change the currency.`, {
      expected: current.terms.currency,
      found: data.terms.currency,
    });
  }
  if (data.effectiveFrom <= current.effectiveFrom) {
    return refuse(
      'AMENDMENT_NOT_AFTER_CURRENT_VERSION',
      `Version ${current.version} is in force from ${current.effectiveFrom}; an amendment must take effect after that date.`,
      { currentVersion: current.version, currentEffectiveFrom: current.effectiveFrom, effectiveFrom: data.effectiveFrom },
    );
  }
  const today = dateOf(data.amendedAt);
  if (data.effectiveFrom < today) {
    return refuse(
      'AMENDMENT_BACKDATED',
      `An amendment recorded on ${today} cannot take effect earlier (${data.effectiveFrom}): what happened under the earlier version stays as it was.`,
      { effectiveFrom: data.effectiveFrom, recordedOn: today },
    );
  }
  const expiresOn = data.expiresOn ?? agreement.expiresOn;
  if (expiresOn < data.effectiveFrom) {
    return refuse('AMENDMENT_AFTER_EXPIRY', `The agreement expires on ${expiresOn}, before the amendment would take effect on ${data.effectiveFrom}.`, {
      expiresOn,
      effectiveFrom: data.effectiveFrom,
    });
  }
  return right([
    {
      type: 'AgreementAmended',
      data: {
        agreementId: agreement.agreementId,
        partnerId: agreement.partnerId,
        version: current.version + 1,
        terms: data.terms,
        effectiveFrom: data.effectiveFrom,
        expiresOn,
        reason: data.reason,
        signedBy: data.signedBy,
        amendedAt: data.amendedAt,
      },
    },
  ]);
};

const expire = (agreement: ExistingAgreement, data: Of<'ExpireAgreement'>): Decision => {
  const allowed = requireStatus(agreement, ['signed', 'active'], 'expired');
  if (allowed._tag === 'Left') return allowed;
  if (dateOf(data.expiredAt) <= agreement.expiresOn) {
    return refuse('AGREEMENT_NOT_YET_EXPIRED', `Agreement ${agreement.agreementId} runs until ${agreement.expiresOn} inclusive.`, {
      expiresOn: agreement.expiresOn,
    });
  }
  return right([{ type: 'AgreementExpired', data: { ...data, partnerId: agreement.partnerId, expiresOn: agreement.expiresOn } }]);
};

const recordBreach = (agreement: ExistingAgreement, data: Of<'RecordAgreementBreach'>): Decision => {
  if (agreement.breachIds.has(data.breachId)) {
    return refuse('DUPLICATE_BREACH', `Breach ${data.breachId} is already recorded on agreement ${agreement.agreementId}.`, { breachId: data.breachId });
  }
  if (data.occurredOn > dateOf(data.recordedAt)) {
    return refuse('BREACH_IN_THE_FUTURE', `A breach cannot be recorded before it happens (${data.occurredOn}).`, { occurredOn: data.occurredOn });
  }
  const version = inForceOn(agreement, data.occurredOn);
  if (version._tag === 'Left') return version;
  const clause = version.right.terms.breachClauses.find((c) => c.clauseId === data.clauseId);
  if (!clause) {
    return refuse('UNKNOWN_CLAUSE', `Version ${version.right.version} of agreement ${agreement.agreementId} has no breach clause ${data.clauseId}.`, {
      clauseId: data.clauseId,
      clauses: version.right.terms.breachClauses.map((c) => c.clauseId),
    });
  }
  const penalty = data.penalty ?? clause.penalty;
  if (penalty.currency !== clause.penalty.currency) {
    return refuse('CURRENCY_MISMATCH', `The penalty must be in ${clause.penalty.currency}.`, { expected: clause.penalty.currency, found: penalty.currency });
  }
  if (penalty.amountMinor > clause.penalty.amountMinor) {
    return refuse(
      'PENALTY_ABOVE_CLAUSE',
      `Clause ${clause.clauseId} sets a penalty of ${formatMoney(clause.penalty)}; a breach may reduce it, never raise it.`,
      {
        clausePenaltyMinor: clause.penalty.amountMinor,
        penaltyMinor: penalty.amountMinor,
      },
    );
  }
  return right([
    {
      type: 'AgreementBreachRecorded',
      data: {
        agreementId: agreement.agreementId,
        partnerId: agreement.partnerId,
        breachId: data.breachId,
        clauseId: data.clauseId,
        version: version.right.version,
        breachingParty: data.breachingParty,
        description: data.description,
        occurredOn: data.occurredOn,
        penalty,
        settlementPeriod: version.right.terms.settlement.period,
        recordedAt: data.recordedAt,
      },
    },
  ]);
};

const recordSpend = (agreement: ExistingAgreement, data: Of<'RecordJointMarketingSpend'>): Decision => {
  if (agreement.spendIds.has(data.spendId)) {
    return refuse('DUPLICATE_SPEND', `Marketing spend ${data.spendId} is already recorded on agreement ${agreement.agreementId}.`, { spendId: data.spendId });
  }
  const version = inForceOn(agreement, data.spentOn);
  if (version._tag === 'Left') return version;
  const { terms } = version.right;
  if (data.amount.currency !== terms.currency) {
    return refuse('CURRENCY_MISMATCH', `Agreement ${agreement.agreementId} settles in ${terms.currency}, not ${data.amount.currency}.`, {
      expected: terms.currency,
      found: data.amount.currency,
    });
  }
  const amounts = allocate(
    data.amount,
    terms.jointMarketing.map((s) => s.shareBps),
  );
  return right([
    {
      type: 'JointMarketingSpendRecorded',
      data: {
        ...data,
        partnerId: agreement.partnerId,
        version: version.right.version,
        shares: terms.jointMarketing.map((s, i) => ({ ...s, amount: amounts[i]! })),
        settlementPeriod: terms.settlement.period,
      },
    },
  ]);
};

const onlyIf = (check: Either<DomainError, true>, event: AgreementEvent): Decision => (check._tag === 'Left' ? check : right([event]));

export const decideAgreement = (command: AgreementCommand, state: AgreementState): Decision => {
  if (command.type === 'DraftAgreement') {
    if (state.exists)
      return refuse('AGREEMENT_ALREADY_EXISTS', `Agreement ${command.data.agreementId} already exists.`, { agreementId: command.data.agreementId });
    return draft(command.data);
  }
  const { agreementId } = command.data;
  if (!state.exists) return refuse('AGREEMENT_NOT_FOUND', `Agreement ${agreementId} does not exist.`, { agreementId });
  switch (command.type) {
    case 'ReviseAgreementTerms':
      return revise(state, command.data);
    case 'ProposeAgreement':
      return onlyIf(requireStatus(state, ['draft'], 'proposed'), { type: 'AgreementProposed', data: command.data });
    case 'SignAgreement':
      return sign(state, command.data);
    case 'ActivateAgreement':
      return activate(state, command.data);
    case 'AmendAgreement':
      return amend(state, command.data);
    case 'TerminateAgreement':
      return onlyIf(requireStatus(state, ['draft', 'proposed', 'signed', 'active'], 'terminated'), {
        type: 'AgreementTerminated',
        data: { ...command.data, partnerId: state.partnerId },
      });
    case 'ExpireAgreement':
      return expire(state, command.data);
    case 'RecordAgreementBreach':
      return recordBreach(state, command.data);
    case 'RecordJointMarketingSpend':
      return recordSpend(state, command.data);
  }
};
