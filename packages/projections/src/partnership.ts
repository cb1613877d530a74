import type { CommandBus } from '@dms/app';
import {
  agreementActivationPolicy,
  dealerAllocationPolicy,
  dealerCreditPolicy,
  orderCreditPolicy,
  orderReviewPolicy,
  revenueSplitPolicy,
  settlementLinesPolicy,
  shipmentInvoicingPolicy,
} from '@dms/domain';
import { agreementsProjection } from './agreements';
import { orderReviewsProjection } from './order-reviews';
import { policyReactor } from './policy-reactor';
import type { Projection } from './projection';
import { revenueSplitsProjection } from './revenue-splits';
import type { Logger } from './runner';
import { settlementsProjection } from './settlements';

/** Read models of agreements, automated order review and credit, the split ledger and settlement statements. */
export const partnershipProjections = [agreementsProjection, orderReviewsProjection, revenueSplitsProjection, settlementsProjection] as const;

/**
 * The process managers of partnership agreements: review every placed order; keep each dealer's credit exposure in step
 * with its orders; invoice each shipment as it leaves or is delivered when the agreement invoices so; complete every dealer payment's unit (EventStoreDB) and apply a dealer's credit to each new invoice; split every invoice, payment and credit note; post the dealer's shares, marketing balances and penalties
 * to its settlement statement; and activate an agreement signed on or after its effective date.
 */
// In this order on a catch-up: agreements activated and credit released before orders are reviewed against them.
export const partnershipPolicies = [
  agreementActivationPolicy,
  orderCreditPolicy,
  orderReviewPolicy,
  shipmentInvoicingPolicy,
  dealerAllocationPolicy,
  dealerCreditPolicy,
  revenueSplitPolicy,
  settlementLinesPolicy,
] as const;

export const partnershipReactors = (bus: CommandBus, logger?: Logger): Projection[] =>
  partnershipPolicies.map((policy) => policyReactor(policy as Parameters<typeof policyReactor>[0], bus, logger));
