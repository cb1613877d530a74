import type { Decider } from '../shared/decider';
import type { ThreadCommand } from './commands';
import { decideThread } from './decide';
import type { ThreadEvent } from './events';
import { evolveThread, initialThreadState, type ThreadState } from './state';

export * from './commands';
export { decideThread } from './decide';
export * from './events';
export * from './state';

export const threadStream = (threadId: string): string => `thread-${threadId}`;

export const threadDecider: Decider<ThreadCommand, ThreadEvent, ThreadState> = {
  initialState: initialThreadState,
  decide: decideThread,
  evolve: evolveThread,
};
