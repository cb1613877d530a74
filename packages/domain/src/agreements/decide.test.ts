import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { given } from '../testing';
import type { AgreementCommand } from './commands';
import {
  activate,
  activated,
  activeAgreement,
  agreementId,
  amend,
  amended,
  breach,
  draft,
  drafted,
  draftedEvent,
  during,
  effectiveFrom,
  eur,
  expire,
  expiresOn,
  partnerId,
  propose,
  proposed,
  revise,
  sign,
  signed,
  signedAgreement,
  spend,
  terminate,
  terminated,
  terms,
} from './fixtures';
import { agreementDecider } from './index';
import { currentVersion, type ExistingAgreement, inForceAt, versionOn, versionPeriods } from './state';

const givenAgreement = given(agreementDecider);
const fromHistory = (history: ReturnType<typeof activeAgreement>) => fold(agreementDecider, history) as ExistingAgreement;

const everyLaterCommand: AgreementCommand[] = [revise(), propose(), sign('dealer'), activate(), amend('2025-06-01'), terminate(), expire(), breach(), spend()];

describe('drafting', () => {
  it('records the draft with its terms and dates', () => {
    givenAgreement().when(draft()).then(draftedEvent());
    expect(fromHistory([draftedEvent()])).toMatchObject({ status: 'draft', expiresOn, versions: [{ version: 1, effectiveFrom }] });
  });

  it('refuses an agreement id that is taken', () => {
    givenAgreement(draftedEvent()).when(draft()).thenRefuses('AGREEMENT_ALREADY_EXISTS');
  });

  it.each(everyLaterCommand.map((c) => [c.type, c] as const))('refuses %s for an agreement that does not exist', (_, command) => {
    givenAgreement().when(command).thenRefuses('AGREEMENT_NOT_FOUND');
  });

  it('refuses an expiry before the effective date', () => {
    const command = draft();
    if (command.type !== 'DraftAgreement') throw new Error('fixture');
    givenAgreement()
      .when({ ...command, data: { ...command.data, expiresOn: '2024-12-31' } })
      .thenRefuses('EXPIRY_BEFORE_EFFECTIVE_DATE');
  });

  describe('refuses terms that do not add up, naming what is wrong', () => {
    const base = terms();
    const cases: [string, Parameters<typeof terms>[0], string][] = [
      ['split shares not 100 %', { revenueSplit: base.revenueSplit.map((s) => (s.role === 'dealer' ? { ...s, shareBps: 900 } : s)) }, 'SPLIT_SHARES_NOT_100'],
      ['a party twice', { revenueSplit: [...base.revenueSplit.slice(0, 2), { partyId: 'acme', role: 'sub_dealer', shareBps: 500 }] }, 'DUPLICATE_PARTY'],
      [
        'no dealer',
        {
          revenueSplit: [
            { partyId: 'manufacturer', role: 'manufacturer', shareBps: 9_000 },
            { partyId: 'x', role: 'sales_agent', shareBps: 1_000 },
          ],
        },
        'SPLIT_PARTIES_INVALID',
      ],
      ['another dealer', { revenueSplit: base.revenueSplit.map((s) => (s.role === 'dealer' ? { ...s, partyId: 'bolt' } : s)) }, 'SPLIT_PARTIES_INVALID'],
      ['cost shares not 100 %', { jointMarketing: [{ partyId: 'manufacturer', role: 'manufacturer', shareBps: 5_000 }] }, 'COST_SHARES_NOT_100'],
      ['a first band above zero', { rebate: { basis: 'band_total', bands: [{ from: eur(1), rateBps: 100 }] } }, 'REBATE_BANDS_INVALID'],
      [
        'bands out of order',
        {
          rebate: {
            basis: 'band_total',
            bands: [
              { from: eur(0), rateBps: 0 },
              { from: eur(0), rateBps: 100 },
            ],
          },
        },
        'REBATE_BANDS_INVALID',
      ],
      [
        'a falling rate',
        {
          rebate: {
            basis: 'band_marginal',
            bands: [
              { from: eur(0), rateBps: 200 },
              { from: eur(100), rateBps: 100 },
            ],
          },
        },
        'REBATE_BANDS_INVALID',
      ],
      [
        'a penalty in another currency',
        { breachClauses: [{ clauseId: 'B1', title: 'x', text: 'y', penalty: { amountMinor: 1, currency: 'USD' } }] },
        'CURRENCY_MISMATCH',
      ],
      ['a clause id twice', { breachClauses: [{ clauseId: 'R1', title: 'x', text: 'y', penalty: eur(1) }] }, 'DUPLICATE_CLAUSE'],
    ];
    it.each(cases)('%s', (_, changes, code) => {
      givenAgreement()
        .when(draft(terms(changes)))
        .thenRefuses(code);
    });
  });
});

describe('revising terms before both parties sign', () => {
  it('replaces version 1 of a draft', () => {
    const better = terms({ paymentTerms: { netDays: 45 } });
    givenAgreement(draftedEvent())
      .when(revise(better, { expiresOn: '2026-06-30' }))
      .then({
        type: 'AgreementTermsRevised',
        data: { agreementId, terms: better, effectiveFrom, expiresOn: '2026-06-30', voidedSignatures: [], revisedAt: during('2024-12-05') },
      });
  });

  it('voids a signature already given: both parties must sign the revised terms', () => {
    givenAgreement(draftedEvent(), proposed(), signed('dealer', false))
      .when(revise())
      .then({
        type: 'AgreementTermsRevised',
        data: { agreementId, terms: terms(), effectiveFrom, expiresOn, voidedSignatures: ['dealer'], revisedAt: during('2024-12-05') },
      });
    const after = fromHistory([
      draftedEvent(),
      proposed(),
      signed('dealer', false),
      { type: 'AgreementTermsRevised', data: { agreementId, terms: terms(), effectiveFrom, expiresOn, voidedSignatures: ['dealer'], revisedAt: drafted } },
    ]);
    expect(after.signatures).toEqual({});
    givenAgreement(
      draftedEvent(),
      proposed(),
      signed('dealer', false),
      { type: 'AgreementTermsRevised', data: { agreementId, terms: terms(), effectiveFrom, expiresOn, voidedSignatures: ['dealer'], revisedAt: drafted } },
      signed('manufacturer', false),
    )
      .when(sign('dealer'))
      .then(signed('dealer', true));
  });

  it('is refused once both parties have signed: change a signed agreement by amendment', () => {
    givenAgreement(...signedAgreement())
      .when(revise())
      .thenRefuses('INVALID_AGREEMENT_TRANSITION');
    givenAgreement(...activeAgreement())
      .when(revise())
      .thenRefuses('INVALID_AGREEMENT_TRANSITION');
  });
});

describe('proposing and signing', () => {
  it('proposes a draft', () => {
    givenAgreement(draftedEvent()).when(propose()).then(proposed());
  });

  it('refuses to propose twice, or to sign a draft', () => {
    givenAgreement(draftedEvent(), proposed()).when(propose()).thenRefuses('INVALID_AGREEMENT_TRANSITION');
    givenAgreement(draftedEvent()).when(sign('dealer')).thenRefuses('INVALID_AGREEMENT_TRANSITION');
  });

  it('is signed once both parties have signed, in either order', () => {
    givenAgreement(draftedEvent(), proposed()).when(sign('manufacturer')).then(signed('manufacturer', false));
    givenAgreement(draftedEvent(), proposed(), signed('manufacturer', false)).when(sign('dealer')).then(signed('dealer', true));
    givenAgreement(draftedEvent(), proposed(), signed('dealer', false)).when(sign('manufacturer')).then(signed('manufacturer', true));
    expect(fromHistory(signedAgreement()).status).toBe('signed');
  });

  it('refuses a second signature by the same party', () => {
    givenAgreement(draftedEvent(), proposed(), signed('dealer', false)).when(sign('dealer')).thenRefuses('ALREADY_SIGNED');
  });
});

describe('activating', () => {
  it('puts a signed agreement in force on its effective date', () => {
    givenAgreement(...signedAgreement())
      .when(activate())
      .then(activated());
  });

  it('refuses before the effective date, after expiry, and unless signed by both', () => {
    givenAgreement(...signedAgreement())
      .when(activate(during('2024-12-31', '23:59:59')))
      .thenRefuses('AGREEMENT_NOT_YET_EFFECTIVE');
    givenAgreement(...signedAgreement())
      .when(activate(during('2026-01-01')))
      .thenRefuses('AGREEMENT_PAST_EXPIRY');
    givenAgreement(draftedEvent(), proposed(), signed('dealer', false)).when(activate()).thenRefuses('INVALID_AGREEMENT_TRANSITION');
    givenAgreement(...activeAgreement())
      .when(activate())
      .thenRefuses('INVALID_AGREEMENT_TRANSITION');
  });

  it('is in force from the moment of activation until it ends', () => {
    const agreement = fromHistory(activeAgreement());
    expect(inForceAt(agreement, during('2024-12-31'))).toBe(false);
    expect(inForceAt(agreement, during('2025-01-01', '00:00:00'))).toBe(true);
    expect(inForceAt(agreement, during('2025-12-31', '23:59:59'))).toBe(true);
    expect(inForceAt(agreement, during('2026-01-01', '00:00:00'))).toBe(false);
    expect(inForceAt(fromHistory(signedAgreement()), during('2025-03-01'))).toBe(false);
    const ended = fromHistory([...activeAgreement(), terminated()]);
    expect(inForceAt(ended, during('2025-08-15', '09:59:59'))).toBe(true);
    expect(inForceAt(ended, during('2025-08-15', '10:00:00'))).toBe(false);
  });
});

describe('amending', () => {
  const richer = terms({
    rebate: {
      basis: 'band_marginal',
      bands: [
        { from: eur(0), rateBps: 100 },
        { from: eur(10_000_00), rateBps: 300 },
      ],
    },
  });

  it('records version n+1 with its own effective date; earlier versions stay readable and govern their period', () => {
    givenAgreement(...activeAgreement())
      .when(amend('2025-06-01', richer))
      .then(amended(2, '2025-06-01', richer));
    const agreement = fromHistory([...activeAgreement(), amended(2, '2025-06-01', richer), amended(3, '2025-09-01', terms(), during('2025-08-01'))]);
    expect(currentVersion(agreement).version).toBe(3);
    expect(versionOn(agreement, '2025-05-31')?.version).toBe(1);
    expect(versionOn(agreement, '2025-06-01')?.version).toBe(2);
    expect(versionOn(agreement, '2025-08-31')?.terms.rebate.basis).toBe('band_marginal');
    expect(versionOn(agreement, '2025-09-01')?.version).toBe(3);
    expect(versionOn(agreement, '2026-01-01')).toBeUndefined();
    expect(versionPeriods(agreement).map((p) => [p.version.version, p.from, p.until])).toEqual([
      [1, '2025-01-01', '2025-05-31'],
      [2, '2025-06-01', '2025-08-31'],
      [3, '2025-09-01', '2025-12-31'],
    ]);
  });

  it('may extend the term', () => {
    givenAgreement(...activeAgreement())
      .when(amend('2025-06-01', terms(), during('2025-05-20'), '2026-12-31'))
      .then(amended(2, '2025-06-01', terms(), during('2025-05-20'), '2026-12-31'));
  });

  it('amends a signed agreement before it is active', () => {
    givenAgreement(...signedAgreement())
      .when(amend('2025-03-01', terms(), during('2024-12-20')))
      .then(amended(2, '2025-03-01', terms(), during('2024-12-20')));
  });

  it('refuses a back-dated amendment: what happened under an earlier version stays as it was', () => {
    givenAgreement(...activeAgreement())
      .when(amend('2025-05-01', terms(), during('2025-05-20')))
      .thenRefuses('AMENDMENT_BACKDATED');
  });

  it('refuses an amendment that does not take effect after the current version', () => {
    givenAgreement(...activeAgreement(), amended(2, '2025-06-01'))
      .when(amend('2025-06-01', terms(), during('2025-05-25')))
      .thenRefuses('AMENDMENT_NOT_AFTER_CURRENT_VERSION');
  });

  it('refuses an amendment after expiry, in another currency, or with invalid terms', () => {
    givenAgreement(...activeAgreement())
      .when(amend('2026-02-01', terms(), during('2025-05-20')))
      .thenRefuses('AMENDMENT_AFTER_EXPIRY');
    givenAgreement(...activeAgreement())
      .when(
        amend(
          '2025-06-01',
          terms({ currency: 'USD', rebate: { basis: 'band_total', bands: [{ from: { amountMinor: 0, currency: 'USD' }, rateBps: 0 }] }, breachClauses: [] }),
        ),
      )
      .thenRefuses('CURRENCY_MISMATCH');
    givenAgreement(...activeAgreement())
      .when(amend('2025-06-01', terms({ jointMarketing: [] as never })))
      .thenRefuses('COST_SHARES_NOT_100');
  });

  it('refuses to amend a draft or an ended agreement', () => {
    givenAgreement(draftedEvent()).when(amend('2025-06-01')).thenRefuses('INVALID_AGREEMENT_TRANSITION');
    givenAgreement(...activeAgreement(), terminated())
      .when(amend('2025-09-01', terms(), during('2025-08-20')))
      .thenRefuses('INVALID_AGREEMENT_TRANSITION');
  });
});

describe('terminating and expiring', () => {
  it('terminates an active agreement with a reason', () => {
    givenAgreement(...activeAgreement())
      .when(terminate())
      .then(terminated());
    expect(fromHistory([...activeAgreement(), terminated()])).toMatchObject({ status: 'terminated', endReason: 'Repeated late payment' });
  });

  it('terminates an agreement that never went into force', () => {
    givenAgreement(draftedEvent()).when(terminate()).then(terminated());
    givenAgreement(...signedAgreement())
      .when(terminate())
      .then(terminated());
  });

  it('refuses to terminate twice', () => {
    givenAgreement(...activeAgreement(), terminated())
      .when(terminate())
      .thenRefuses('INVALID_AGREEMENT_TRANSITION');
  });

  it('expires the day after its last day, not before', () => {
    givenAgreement(...activeAgreement())
      .when(expire(during('2026-01-01')))
      .then({ type: 'AgreementExpired', data: { agreementId, partnerId, expiresOn, expiredAt: during('2026-01-01') } });
    givenAgreement(...activeAgreement())
      .when(expire(during('2025-12-31')))
      .thenRefuses('AGREEMENT_NOT_YET_EXPIRED');
    givenAgreement(...activeAgreement(), terminated())
      .when(expire())
      .thenRefuses('INVALID_AGREEMENT_TRANSITION');
  });

  it.each(
    ['ProposeAgreement', 'SignAgreement', 'ActivateAgreement', 'ReviseAgreementTerms'].map(
      (type) => [type, everyLaterCommand.find((c) => c.type === type)!] as const,
    ),
  )('freezes a terminated agreement: %s is refused', (_, command) => {
    givenAgreement(...activeAgreement(), terminated())
      .when(command)
      .thenRefuses('INVALID_AGREEMENT_TRANSITION');
  });
});

describe('breaches', () => {
  it('records a breach against a clause of the version in force, with the clause penalty', () => {
    givenAgreement(...activeAgreement())
      .when(breach())
      .then({
        type: 'AgreementBreachRecorded',
        data: {
          agreementId,
          partnerId,
          breachId: 'br-1',
          clauseId: 'B1',
          version: 1,
          breachingParty: 'dealer',
          description: 'Invoice INV-7 paid 45 days late',
          occurredOn: '2025-04-10',
          penalty: eur(500_00),
          settlementPeriod: 'month',
          recordedAt: during('2025-04-12'),
        },
      });
  });

  it('may reduce the penalty, never raise it', () => {
    givenAgreement(...activeAgreement())
      .when(breach('2025-04-10', { penalty: eur(200_00) }))
      .then({
        type: 'AgreementBreachRecorded',
        data: {
          agreementId,
          partnerId,
          breachId: 'br-1',
          clauseId: 'B1',
          version: 1,
          breachingParty: 'dealer',
          description: 'Invoice INV-7 paid 45 days late',
          occurredOn: '2025-04-10',
          penalty: eur(200_00),
          settlementPeriod: 'month',
          recordedAt: during('2025-04-12'),
        },
      });
    givenAgreement(...activeAgreement())
      .when(breach('2025-04-10', { penalty: eur(500_01) }))
      .thenRefuses('PENALTY_ABOVE_CLAUSE');
  });

  it('refuses an unknown clause, a duplicate, a breach in the future or outside the agreement', () => {
    const error = givenAgreement(...activeAgreement())
      .when(breach('2025-04-10', { clauseId: 'B9' }))
      .thenRefuses('UNKNOWN_CLAUSE');
    expect(error.details).toMatchObject({ clauses: ['B1'] });
    const recorded = fold(agreementDecider, activeAgreement());
    const again = agreementDecider.decide(breach(), recorded);
    if (again._tag === 'Left') throw new Error(again.left.message);
    givenAgreement(...activeAgreement(), ...again.right)
      .when(breach())
      .thenRefuses('DUPLICATE_BREACH');
    givenAgreement(...activeAgreement())
      .when(breach('2025-04-13'))
      .thenRefuses('BREACH_IN_THE_FUTURE');
    givenAgreement(...signedAgreement())
      .when(breach())
      .thenRefuses('AGREEMENT_NOT_IN_FORCE');
  });
});

describe('joint marketing', () => {
  it('shares the spend by the cost-sharing ratio, exactly, to the cent', () => {
    givenAgreement(...activeAgreement())
      .when(spend(1_000_01))
      .then({
        type: 'JointMarketingSpendRecorded',
        data: {
          agreementId,
          partnerId,
          spendId: 'jm-1',
          version: 1,
          description: 'Trade fair booth',
          amount: eur(1_000_01),
          paidBy: 'manufacturer',
          spentOn: '2025-03-15',
          // 60 % of 1,000.01 = 600.006 and 40 % = 400.004: the leftover cent goes to the larger remainder.
          shares: [
            { partyId: 'manufacturer', role: 'manufacturer', shareBps: 6_000, amount: eur(600_01) },
            { partyId: 'acme', role: 'dealer', shareBps: 4_000, amount: eur(400_00) },
          ],
          settlementPeriod: 'month',
          recordedAt: during('2025-03-15'),
        },
      });
  });

  it('refuses spend outside the agreement, in another currency, or recorded twice', () => {
    givenAgreement(...activeAgreement())
      .when(spend(100, 'dealer', '2026-02-01'))
      .thenRefuses('AGREEMENT_NOT_IN_FORCE');
    const usd = spend();
    if (usd.type !== 'RecordJointMarketingSpend') throw new Error('fixture');
    givenAgreement(...activeAgreement())
      .when({ ...usd, data: { ...usd.data, amount: { amountMinor: 100, currency: 'USD' } } })
      .thenRefuses('CURRENCY_MISMATCH');
    const first = agreementDecider.decide(spend(), fold(agreementDecider, activeAgreement()));
    if (first._tag === 'Left') throw new Error(first.left.message);
    givenAgreement(...activeAgreement(), ...first.right)
      .when(spend())
      .thenRefuses('DUPLICATE_SPEND');
  });
});
