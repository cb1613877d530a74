import type { Money } from '../shared/money';
import type { Contact } from './commands';
import type { PartnerEvent } from './events';

export type PartnerStatus = 'active' | 'suspended' | 'terminated';

export type PartnerState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly partnerId: string;
      readonly name: string;
      readonly region: string;
      readonly tier: string;
      readonly creditLimit: Money;
      readonly contacts: readonly Contact[];
      readonly status: PartnerStatus;
    };

export const initialPartnerState: PartnerState = { exists: false };

export const evolvePartner = (state: PartnerState, event: PartnerEvent): PartnerState => {
  if (event.type === 'PartnerOnboarded') {
    const { partnerId, name, region, tier, creditLimit, contacts } = event.data;
    return { exists: true, partnerId, name, region, tier, creditLimit, contacts, status: 'active' };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'PartnerSuspended':
      return { ...state, status: 'suspended' };
    case 'PartnerReactivated':
      return { ...state, status: 'active' };
    case 'PartnerTerminated':
      return { ...state, status: 'terminated' };
    case 'PartnerTierChanged':
      return { ...state, tier: event.data.to };
    case 'PartnerCreditLimitChanged':
      return { ...state, creditLimit: event.data.to };
  }
};
