import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../src/api/client';
import { READ_MODEL_BEHIND_RETRIES, retryDelay, shouldRetry } from '../src/api/retry';

const behind = new ApiProblem(503, 'READ_MODEL_BEHIND', 'The read models have not yet reached position 42; retry shortly.', [], 1);
const retriesOf = (error: unknown) => {
  let failures = 0;
  while (shouldRetry(failures, error)) failures++;
  return failures;
};

describe('asking again after a failed read', () => {
  it('waits for read models that are still applying a write, as long as the server says, longer than for other failures', () => {
    expect(retriesOf(behind)).toBe(READ_MODEL_BEHIND_RETRIES);
    expect(retryDelay(3, behind)).toBe(1000);
    expect(retriesOf(new ApiProblem(503, 'UNAVAILABLE', 'The database did not answer.'))).toBe(2);
    expect(retriesOf(new TypeError('Failed to fetch'))).toBe(2);
    expect(READ_MODEL_BEHIND_RETRIES).toBeGreaterThan(2);
  });

  it('never asks again after a refusal', () => {
    for (const status of [400, 401, 403, 404, 409, 422, 429]) expect(retriesOf(new ApiProblem(status, `HTTP_${status}`, 'refused', [], 5))).toBe(0);
  });

  it('backs off from 1 s, doubling, to at most 30 s when the server names no wait', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => retryDelay(n, new TypeError('Failed to fetch')))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });
});
