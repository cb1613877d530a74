import type { CommandBus } from '@dms/eventstore';
import { accessProjection } from './access';
import { catalogueProjection } from './catalogue';
import { ordersProjection } from './orders';
import { partnersProjection } from './partners';
import type { Projection } from './projection';

/** Every projection DMS runs. */
export const allProjections = [partnersProjection, catalogueProjection, ordersProjection, accessProjection] as const;

/**
 * Every process manager DMS runs, as reactors over the command bus (see `policyReactor`). Each capability adds its
 * policies here.
 */
export const allReactors = (_bus: CommandBus): Projection[] => [];
