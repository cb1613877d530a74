import type { CommandBus } from '@dms/app';
import { promotionBudgetPolicy } from '@dms/domain';
import { policyReactor } from './policy-reactor';
import type { Projection } from './projection';
import type { Logger } from './runner';

/** The promotion process: a rejected or cancelled order gives its discounts back to the promotions' budgets. */
export const promotionReactors = (bus: CommandBus, logger?: Logger): Projection[] => [policyReactor(promotionBudgetPolicy, bus, logger)];
