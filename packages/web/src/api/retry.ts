import { ApiProblem } from './client';

/**
 * How often a read is asked again when the API answers `READ_MODEL_BEHIND`: the write was accepted and the read models are
 * still applying it (the API waits up to 5 s before it says so, with `Retry-After`). A person who has just saved something
 * waits for it to show, rather than being shown an error about a write that succeeded; about 40 s in all on a loaded server.
 */
export const READ_MODEL_BEHIND_RETRIES = 6;

/**
 * Whether TanStack Query asks again after a failed read: a refusal (4xx) will not change by asking again; a dropped
 * connection or another 5xx may, twice; read models that are behind, up to READ_MODEL_BEHIND_RETRIES times.
 */
export const shouldRetry = (failures: number, error: unknown): boolean => {
  if (error instanceof ApiProblem) {
    if (error.code === 'READ_MODEL_BEHIND') return failures < READ_MODEL_BEHIND_RETRIES;
    if (error.status < 500) return false;
  }
  return failures < 2;
};

/** How long before asking again: what the API's `Retry-After` says, else doubling from 1 s to at most 30 s. */
export const retryDelay = (failures: number, error: unknown): number =>
  error instanceof ApiProblem && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : Math.min(1000 * 2 ** failures, 30_000);
