import { catalogueProjection } from './catalogue';
import { ordersProjection } from './orders';
import { partnersProjection } from './partners';

/** Every projection DMS runs. */
export const allProjections = [partnersProjection, catalogueProjection, ordersProjection] as const;
