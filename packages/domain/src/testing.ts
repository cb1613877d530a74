/**
 * Behaviour tests for deciders, Emmett style: given the events so far, when a command arrives, then these events (or this refusal).
 * Test support only; deliberately not exported from `index.ts`.
 *
 * @example
 *   given(orderDecider)(placed()).when(approve()).then(approved());
 *   given(orderDecider)().when(approve()).thenRefuses('ORDER_NOT_FOUND');
 */
import { expect } from 'vitest';
import { type Decider, fold, type Message } from './shared/decider';
import type { DomainError } from './shared/errors';

export const given =
  <C extends Message, E extends Message, S>(decider: Decider<C, E, S>) =>
  (...history: E[]) => ({
    when: (command: C) => {
      const result = decider.decide(command, fold(decider, history));
      return {
        /** Asserts the command is accepted and records exactly `expected`, in order. */
        // biome-ignore lint/suspicious/noThenProperty: given/when/then is the point; this object is never awaited.
        then: (...expected: E[]): void => {
          expect(result).toEqual({ _tag: 'Right', right: expected });
        },
        /** Asserts the command is refused with `code`; returns the error for closer checks of its message or details. */
        thenRefuses: (code: string): DomainError => {
          expect(result).toMatchObject({ _tag: 'Left', left: { code } });
          return (result as { left: DomainError }).left;
        },
      };
    },
  });
