import { type Either, right } from 'fp-ts/Either';
import { type DomainError, refuse } from '../shared/errors';
import type { PartnerCommand } from './commands';
import type { PartnerEvent } from './events';
import type { PartnerState } from './state';

type Decision = Either<DomainError, readonly PartnerEvent[]>;

export const decidePartner = (command: PartnerCommand, state: PartnerState): Decision => {
  if (command.type === 'OnboardPartner') {
    if (state.exists) return refuse('PARTNER_ALREADY_EXISTS', `Partner ${command.data.partnerId} is already onboarded.`, { partnerId: command.data.partnerId });
    return right([{ type: 'PartnerOnboarded', data: command.data }]);
  }
  const { partnerId } = command.data;
  if (!state.exists) return refuse('PARTNER_NOT_FOUND', `Partner ${partnerId} has not been onboarded.`, { partnerId });
  if (state.status === 'terminated') {
    return refuse('PARTNER_TERMINATED', `Partner ${partnerId} is terminated; its record can no longer change.`, { partnerId });
  }
  switch (command.type) {
    case 'SuspendPartner':
      if (state.status === 'suspended') return refuse('PARTNER_ALREADY_SUSPENDED', `Partner ${partnerId} is already suspended.`, { partnerId });
      return right([{ type: 'PartnerSuspended', data: command.data }]);
    case 'ReactivatePartner':
      if (state.status === 'active')
        return refuse('PARTNER_NOT_SUSPENDED', `Partner ${partnerId} is active; only a suspended partner can be reactivated.`, { partnerId });
      return right([{ type: 'PartnerReactivated', data: command.data }]);
    case 'TerminatePartner':
      return right([{ type: 'PartnerTerminated', data: command.data }]);
    case 'ChangePartnerTier':
      if (state.tier === command.data.tier)
        return refuse('TIER_UNCHANGED', `Partner ${partnerId} is already in tier ${state.tier}.`, { partnerId, tier: state.tier });
      return right([
        {
          type: 'PartnerTierChanged',
          data: {
            partnerId,
            from: state.tier,
            to: command.data.tier,
            changedAt: command.data.changedAt,
            ...(command.data.reason ? { reason: command.data.reason } : {}),
          },
        },
      ]);
    case 'ChangeCreditLimit':
      if (command.data.creditLimit.currency !== state.creditLimit.currency) {
        return refuse(
          'CURRENCY_MISMATCH',
          `Partner ${partnerId} has its credit limit in ${state.creditLimit.currency}, not ${command.data.creditLimit.currency}.`,
          {
            partnerId,
            expected: state.creditLimit.currency,
          },
        );
      }
      return right([
        { type: 'PartnerCreditLimitChanged', data: { partnerId, from: state.creditLimit, to: command.data.creditLimit, changedAt: command.data.changedAt } },
      ]);
  }
};
