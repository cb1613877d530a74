import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { given } from '../testing';
import type { OrderCommand } from './commands';
import type { OrderEvent } from './events';
import { approve, approved, at, orderId, placed, reject, rejected } from './fixtures';
import { orderDecider } from './index';

const reasons = [{ code: 'NO_AGREEMENT_IN_FORCE', message: 'Dealer acme has no agreement in force on 2025-03-01.' }];
const queue = (): OrderCommand => ({ type: 'QueueOrderForReview', data: { orderId, reasons, queuedAt: at } });
const queued = (): OrderEvent => ({ type: 'OrderQueuedForReview', data: { orderId, reasons, queuedAt: at } });
const givenOrder = given(orderDecider);

describe('queueing an order for review', () => {
  it('records every reason automated review could not approve it; the order stays placed', () => {
    givenOrder(placed()).when(queue()).then(queued());
    expect(fold(orderDecider, [placed(), queued()])).toMatchObject({ lifecycle: 'placed', review: { queuedAt: at, reasons } });
  });

  it('leaves the decision to a person: a queued order can be approved or rejected', () => {
    givenOrder(placed(), queued()).when(approve()).then(approved());
    givenOrder(placed(), queued()).when(reject()).then(rejected());
  });

  it('refuses to queue twice, or an order already decided', () => {
    givenOrder(placed(), queued()).when(queue()).thenRefuses('ALREADY_QUEUED_FOR_REVIEW');
    givenOrder(placed(), approved()).when(queue()).thenRefuses('INVALID_ORDER_TRANSITION');
    givenOrder().when(queue()).thenRefuses('ORDER_NOT_FOUND');
  });
});
