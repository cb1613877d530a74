import type { CommandBus } from '@dms/app';
import { STOCK_POLICIES } from '@dms/domain';
import { policyReactor } from './policy-reactor';
import type { Projection } from './projection';
import type { Logger } from './runner';
import { stockLedgerProjection } from './stock-ledger';
import { stockLevelsProjection } from './stock-levels';
import { stockReservationsProjection } from './stock-reservations';

/** The stock read models: levels (with alerts and roll-ups), the movement ledger, and reservations with backorders. */
export const stockProjections: readonly Projection[] = [stockLevelsProjection, stockLedgerProjection, stockReservationsProjection];

/** The fulfilment and stock processes, as reactors: each policy's commands go through the bus with deterministic ids. */
export const stockReactors = (bus: CommandBus, logger?: Logger): Projection[] => STOCK_POLICIES.map((policy) => policyReactor(policy, bus, logger));
