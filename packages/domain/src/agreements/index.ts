import type { Decider } from '../shared/decider';
import type { AgreementCommand } from './commands';
import { decideAgreement } from './decide';
import type { AgreementEvent } from './events';
import { type AgreementState, evolveAgreement, initialAgreementState } from './state';

export * from './commands';
export * from './coverage';
export { decideAgreement } from './decide';
export * from './events';
export * from './policy';
export * from './rebates';
export * from './scope-registry';
export * from './state';
export * from './terms';
export * from './territory-registry';

export const agreementStream = (agreementId: string): string => `agreement-${agreementId}`;

export const agreementDecider: Decider<AgreementCommand, AgreementEvent, AgreementState> = {
  initialState: initialAgreementState,
  decide: decideAgreement,
  evolve: evolveAgreement,
};
