import type { CommandBus } from '@dms/app';
import { accessProjection } from './access';
import { catalogueProjection } from './catalogue';
import { commissionsProjection } from './commissions';
import { kpiOrdersProjection } from './kpi-orders';
import { notificationsProjection, notificationsReactor } from './notifications';
import { ordersProjection } from './orders';
import { partnersProjection } from './partners';
import { partnershipProjections, partnershipReactors } from './partnership';
import { performanceProjection, performanceReactors } from './performance';
import { priceListsProjection } from './price-lists';
import type { Projection } from './projection';
import { promotionReactors, promotionsProjection } from './promotions';
import { resourcesProjection } from './resources';
import type { Logger } from './runner';
import { stockProjections, stockReactors } from './stock';
import { stockDailyProjection } from './stock-daily';
import { taxProjection } from './tax';
import { threadsProjection } from './threads';
import { usersProjection } from './users';

/** Every projection DMS runs. */
export const allProjections = [
  partnersProjection,
  catalogueProjection,
  priceListsProjection,
  promotionsProjection,
  taxProjection,
  ordersProjection,
  accessProjection,
  usersProjection,
  ...stockProjections,
  ...partnershipProjections,
  threadsProjection,
  kpiOrdersProjection,
  stockDailyProjection,
  performanceProjection,
  commissionsProjection,
  notificationsProjection,
  resourcesProjection,
] as const;

/**
 * Every process manager DMS runs, as reactors over the command bus (see `policyReactor`). Each capability adds its
 * policies here. Refused policy commands are logged, with the code and the reason, to `logger`.
 */
export const allReactors = (bus: CommandBus, logger?: Logger): Projection[] => [
  ...stockReactors(bus, logger),
  ...partnershipReactors(bus, logger),
  ...performanceReactors(bus, logger),
  ...promotionReactors(bus, logger),
  notificationsReactor(bus, logger),
];
