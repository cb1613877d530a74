import { dateOf } from '../shared/calendar';
import { type AgreementState, type AgreementVersion, type ExistingAgreement, inForceAt, versionOn } from './state';

/** What an order asks of an agreement: the moment it was placed, the dealer's region and the categories of its products. */
export interface CoverageRequest {
  readonly partnerId: string;
  readonly at: string;
  readonly region: string;
  readonly categories: readonly string[];
}

export type Coverage =
  | { readonly covered: true; readonly agreement: ExistingAgreement; readonly version: AgreementVersion }
  | {
      readonly covered: false;
      readonly code: 'NO_AGREEMENT_IN_FORCE' | 'AGREEMENT_SCOPE_NOT_COVERED';
      readonly message: string;
      readonly details: Record<string, unknown>;
    };

/**
 * The agreement governing an order: the dealer's agreement in force when the order was placed whose version for that day
 * covers the dealer's region and every product category on the order. A dealer has at most one agreement in force per
 * scope, so at most one agreement can cover a given category and region on a given day.
 */
export const governingAgreement = (agreements: readonly AgreementState[], request: CoverageRequest): Coverage => {
  const date = dateOf(request.at);
  const inForce = agreements.filter((a): a is ExistingAgreement => inForceAt(a, request.at) && a.partnerId === request.partnerId);
  if (inForce.length === 0) {
    return {
      covered: false,
      code: 'NO_AGREEMENT_IN_FORCE',
      message: `Dealer ${request.partnerId} has no agreement in force on ${date}.`,
      details: { partnerId: request.partnerId, date },
    };
  }
  const gaps: Record<string, unknown>[] = [];
  for (const agreement of inForce) {
    const version = versionOn(agreement, date)!;
    const { scope } = version.terms;
    const regionCovered = scope.regions.includes(request.region);
    const uncovered = [...new Set(request.categories)].filter((c) => !scope.productCategories.includes(c));
    if (regionCovered && uncovered.length === 0) return { covered: true, agreement, version };
    gaps.push({
      agreementId: agreement.agreementId,
      version: version.version,
      ...(regionCovered ? {} : { region: request.region }),
      uncoveredCategories: uncovered,
    });
  }
  const describe = (g: Record<string, unknown>) =>
    `agreement ${g.agreementId} (v${g.version}) does not cover ${[
      ...(g.region ? [`region ${g.region}`] : []),
      ...((g.uncoveredCategories as string[]).length > 0 ? [`categories ${(g.uncoveredCategories as string[]).join(', ')}`] : []),
    ].join(' or ')}`;
  return {
    covered: false,
    code: 'AGREEMENT_SCOPE_NOT_COVERED',
    message: `No agreement of dealer ${request.partnerId} covers the whole order: ${gaps.map(describe).join('; ')}.`,
    details: { partnerId: request.partnerId, date, region: request.region, agreements: gaps },
  };
};
