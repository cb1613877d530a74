import { type Either, left } from 'fp-ts/Either';

/**
 * A refused command or invalid input, as a value. `code` is stable (clients branch on it); `message` is a sentence a person
 * can act on; `details` names the offending values.
 */
export interface DomainError {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export const domainError = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  details === undefined ? { code, message } : { code, message, details };

export const refuse = <A = never>(code: string, message: string, details?: Record<string, unknown>): Either<DomainError, A> =>
  left(domainError(code, message, details));
