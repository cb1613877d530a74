import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { money } from '../shared/money';
import { given } from '../testing';
import type { PartnerCommand } from './commands';
import type { PartnerEvent } from './events';
import { partnerDecider } from './index';

const partnerId = 'acme';
const at = '2025-03-01T09:00:00Z';
const eur = (amountMinor: number) => money(amountMinor, 'EUR');

const acme = {
  partnerId,
  name: 'Acme Distribution',
  region: 'north',
  tier: 'silver',
  creditLimit: eur(5_000_00),
  contacts: [{ name: 'Mei Lin', email: 'mei@acme.example' }],
  onboardedAt: at,
};

const onboard = (): PartnerCommand => ({ type: 'OnboardPartner', data: acme });
const suspend = (reason = 'overdue invoices'): PartnerCommand => ({ type: 'SuspendPartner', data: { partnerId, reason, suspendedAt: at } });
const reactivate = (): PartnerCommand => ({ type: 'ReactivatePartner', data: { partnerId, reactivatedAt: at } });
const terminate = (reason = 'breach of exclusivity'): PartnerCommand => ({ type: 'TerminatePartner', data: { partnerId, reason, terminatedAt: at } });
const changeTier = (tier: string, reason?: string): PartnerCommand => ({
  type: 'ChangePartnerTier',
  data: { partnerId, tier, changedAt: at, ...(reason ? { reason } : {}) },
});
const changeCreditLimit = (creditLimit = eur(8_000_00)): PartnerCommand => ({ type: 'ChangeCreditLimit', data: { partnerId, creditLimit, changedAt: at } });

const onboarded = (): PartnerEvent => ({ type: 'PartnerOnboarded', data: acme });
const suspended = (reason = 'overdue invoices'): PartnerEvent => ({ type: 'PartnerSuspended', data: { partnerId, reason, suspendedAt: at } });
const reactivated = (): PartnerEvent => ({ type: 'PartnerReactivated', data: { partnerId, reactivatedAt: at } });
const terminated = (reason = 'breach of exclusivity'): PartnerEvent => ({ type: 'PartnerTerminated', data: { partnerId, reason, terminatedAt: at } });
const tierChanged = (from: string, to: string): PartnerEvent => ({ type: 'PartnerTierChanged', data: { partnerId, from, to, changedAt: at } });

const givenPartner = given(partnerDecider);
const everyChange = [suspend(), reactivate(), terminate(), changeTier('gold'), changeCreditLimit()];

describe('onboarding a partner', () => {
  it('records the partner as onboarded, active', () => {
    givenPartner().when(onboard()).then(onboarded());
    expect(fold(partnerDecider, [onboarded()])).toMatchObject({ exists: true, status: 'active', tier: 'silver' });
  });

  it('refuses to onboard the same partner twice', () => {
    givenPartner(onboarded()).when(onboard()).thenRefuses('PARTNER_ALREADY_EXISTS');
  });

  it.each(everyChange.map((c) => [c.type, c] as const))('refuses %s for a partner that was never onboarded', (_, command) => {
    givenPartner().when(command).thenRefuses('PARTNER_NOT_FOUND');
  });
});

describe('suspending and reactivating', () => {
  it('suspends an active partner, with the reason', () => {
    givenPartner(onboarded()).when(suspend('credit review')).then(suspended('credit review'));
  });

  it('refuses to suspend a partner that is already suspended', () => {
    givenPartner(onboarded(), suspended()).when(suspend()).thenRefuses('PARTNER_ALREADY_SUSPENDED');
  });

  it('reactivates a suspended partner', () => {
    givenPartner(onboarded(), suspended()).when(reactivate()).then(reactivated());
  });

  it('refuses to reactivate a partner that is active', () => {
    givenPartner(onboarded()).when(reactivate()).thenRefuses('PARTNER_NOT_SUSPENDED');
    givenPartner(onboarded(), suspended(), reactivated()).when(reactivate()).thenRefuses('PARTNER_NOT_SUSPENDED');
  });

  it('can suspend a reactivated partner again', () => {
    givenPartner(onboarded(), suspended(), reactivated()).when(suspend()).then(suspended());
  });
});

describe('terminating', () => {
  it('terminates an active partner', () => {
    givenPartner(onboarded()).when(terminate()).then(terminated());
  });

  it('terminates a suspended partner', () => {
    givenPartner(onboarded(), suspended()).when(terminate()).then(terminated());
  });

  it.each(everyChange.map((c) => [c.type, c] as const))('freezes the record of a terminated partner: %s is refused', (_, command) => {
    givenPartner(onboarded(), terminated()).when(command).thenRefuses('PARTNER_TERMINATED');
  });
});

describe('changing the tier', () => {
  it('records the old and the new tier', () => {
    givenPartner(onboarded()).when(changeTier('gold')).then(tierChanged('silver', 'gold'));
  });

  it('keeps the reason when one is given', () => {
    givenPartner(onboarded())
      .when(changeTier('gold', 'exceeded 2024 volume target'))
      .then({ type: 'PartnerTierChanged', data: { partnerId, from: 'silver', to: 'gold', reason: 'exceeded 2024 volume target', changedAt: at } });
  });

  it('changes from the current tier, not the onboarding tier', () => {
    givenPartner(onboarded(), tierChanged('silver', 'gold')).when(changeTier('platinum')).then(tierChanged('gold', 'platinum'));
  });

  it('refuses a change to the tier the partner already has', () => {
    givenPartner(onboarded()).when(changeTier('silver')).thenRefuses('TIER_UNCHANGED');
    givenPartner(onboarded(), tierChanged('silver', 'gold')).when(changeTier('gold')).thenRefuses('TIER_UNCHANGED');
  });

  it('is allowed while suspended', () => {
    givenPartner(onboarded(), suspended()).when(changeTier('bronze')).then(tierChanged('silver', 'bronze'));
  });
});

describe('changing the credit limit', () => {
  it('records the old and the new limit', () => {
    givenPartner(onboarded())
      .when(changeCreditLimit(eur(8_000_00)))
      .then({ type: 'PartnerCreditLimitChanged', data: { partnerId, from: eur(5_000_00), to: eur(8_000_00), changedAt: at } });
  });

  it('accepts a limit of zero', () => {
    givenPartner(onboarded())
      .when(changeCreditLimit(eur(0)))
      .then({ type: 'PartnerCreditLimitChanged', data: { partnerId, from: eur(5_000_00), to: eur(0), changedAt: at } });
  });

  it('refuses a limit in another currency than the partner trades in', () => {
    const error = givenPartner(onboarded())
      .when(changeCreditLimit(money(8_000_00, 'USD')))
      .thenRefuses('CURRENCY_MISMATCH');
    expect(error.details).toMatchObject({ expected: 'EUR' });
  });
});

describe('partner state', () => {
  it('follows tier, credit limit and status changes', () => {
    const state = fold(partnerDecider, [
      onboarded(),
      tierChanged('silver', 'gold'),
      { type: 'PartnerCreditLimitChanged', data: { partnerId, from: eur(5_000_00), to: eur(9_000_00), changedAt: at } },
      suspended(),
    ]);
    expect(state).toMatchObject({ tier: 'gold', creditLimit: eur(9_000_00), status: 'suspended' });
  });

  it('ignores events for a partner that does not exist', () => {
    expect(fold(partnerDecider, [suspended()])).toEqual({ exists: false });
  });
});
