export { catalogueProjection } from './catalogue';
export { migrateReadModels } from './migrations';
export { ordersProjection } from './orders';
export { partnersProjection } from './partners';
export { type Projection, upsertRows } from './projection';
export * from './queries/catalogue';
export { InvalidCursor } from './queries/cursor';
export * from './queries/orders';
export * from './queries/partners';
export { type Logger, ProjectionRunner, type ProjectionStatus, type RebuildProgress, type RunnerOptions } from './runner';
export * from './schema';

import { catalogueProjection } from './catalogue';
import { ordersProjection } from './orders';
import { partnersProjection } from './partners';

/** Every projection DMS runs. */
export const allProjections = [partnersProjection, catalogueProjection, ordersProjection] as const;
