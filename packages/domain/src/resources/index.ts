import type { Decider } from '../shared/decider';
import type { ResourceCommand } from './commands';
import { decideResource } from './decide';
import type { ResourceEvent } from './events';
import { evolveResource, initialResourceState, type ResourceState } from './state';

export * from './commands';
export * from './content';
export { decideResource } from './decide';
export * from './events';
export * from './state';
export * from './targeting';

export const resourceStream = (resourceId: string): string => `resource-${resourceId}`;

export const resourceDecider: Decider<ResourceCommand, ResourceEvent, ResourceState> = {
  initialState: initialResourceState,
  decide: decideResource,
  evolve: evolveResource,
};
