import type { z } from 'zod';
import { dateOf } from '../shared/calendar';
import type { Policy } from '../shared/policy';
import type { ActivateAgreement } from './commands';
import type { AgreementEvent } from './events';

/**
 * An agreement signed by its last party on or after its effective date goes into force at once; one that takes effect
 * later is activated on its effective date by the agreement calendar (`dms agreements calendar`).
 */
export const agreementActivationPolicy: Policy<AgreementEvent, z.infer<typeof ActivateAgreement>> = {
  name: 'agreement_activation',
  eventTypes: ['AgreementSigned'],
  react: (event) =>
    event.type === 'AgreementSigned' && event.data.fullySigned && dateOf(event.data.signedAt) >= event.data.effectiveFrom
      ? [{ type: 'ActivateAgreement', data: { agreementId: event.data.agreementId, activatedAt: event.data.signedAt } }]
      : [],
};
