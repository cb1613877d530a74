import type { Decider } from '../shared/decider';
import type { EvaluationCommand } from './commands';
import { decideEvaluation } from './decide';
import type { EvaluationEvent } from './events';
import { type EvaluationState, evolveEvaluation, initialEvaluationState } from './state';

export * from './commands';
export { decideEvaluation } from './decide';
export * from './events';
export * from './policy';
export * from './state';

export const evaluationDecider: Decider<EvaluationCommand, EvaluationEvent, EvaluationState> = {
  initialState: initialEvaluationState,
  decide: decideEvaluation,
  evolve: evolveEvaluation,
};
