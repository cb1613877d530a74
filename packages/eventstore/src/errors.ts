import type { ExpectedVersion } from './port';

/** The stream was not at the version the caller expected. `actual` is -1 when the stream does not exist. */
export class WrongExpectedVersion extends Error {
  override readonly name = 'WrongExpectedVersion';
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Stream ${streamId} is at version ${actual === -1 ? 'no_stream' : actual}, but ${String(expected)} was expected.`);
  }
}

/** An append named event ids of which some are already stored elsewhere or at other positions. */
export class IdempotencyConflict extends Error {
  override readonly name = 'IdempotencyConflict';
  readonly code = 'IDEMPOTENCY_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly eventIds: readonly string[],
  ) {
    super(`Events ${eventIds.join(', ')} were already appended, but not as this exact append to ${streamId}.`);
  }
}

/** An event read back from the store that does not match DMS's schema for its type. */
export class MalformedEvent extends Error {
  override readonly name = 'MalformedEvent';
  readonly code = 'MALFORMED_EVENT';
  constructor(
    readonly streamId: string,
    readonly streamVersion: number,
    readonly eventType: string,
    readonly problem: string,
  ) {
    super(`Event ${streamId}@${streamVersion} (${eventType}) does not match its schema: ${problem}`);
  }
}

/** Bad arguments to a store call (empty stream id, negative version, oversized batch...). */
export class InvalidArgument extends Error {
  override readonly name = 'InvalidArgument';
  readonly code = 'INVALID_ARGUMENT';
}
