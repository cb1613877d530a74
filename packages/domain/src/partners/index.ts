import type { Decider } from '../shared/decider';
import type { PartnerCommand } from './commands';
import { decidePartner } from './decide';
import type { PartnerEvent } from './events';
import { evolvePartner, initialPartnerState, type PartnerState } from './state';

export * from './commands';
export { decidePartner } from './decide';
export * from './events';
export * from './state';

export const partnerStream = (partnerId: string): string => `partner-${partnerId}`;

export const partnerDecider: Decider<PartnerCommand, PartnerEvent, PartnerState> = {
  initialState: initialPartnerState,
  decide: decidePartner,
  evolve: evolvePartner,
};
