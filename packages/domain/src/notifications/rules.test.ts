import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { given } from '../testing';
import { type NotificationEvent, notificationDecider, notificationReaches, RaiseNotification } from './notification';
import { agreementExpiringNotification, financeContact, notificationsFor, overdueActionNotification } from './rules';

const at = '2026-11-01T10:00:00.000Z';
const eventId = '6f1c2b9a-0000-4000-8000-000000000001';
const event = (type: string, data: object, streamId = 'x-1') => ({ type, data, streamId, streamVersion: 0, eventId });

describe('notification rules', () => {
  it("tells the region's sales team that an order waits for review, with a link to it", () => {
    const [n] = notificationsFor(
      event('OrderQueuedForReview', { orderId: 'SO-1', reasons: [] }, 'order-SO-1'),
      { order: { partnerId: 'acme', region: 'north' } },
      at,
    );
    expect(n).toMatchObject({
      notificationId: `rv-${eventId}`,
      topic: 'order_waiting_for_review',
      audience: { kind: 'role', role: 'sales', region: 'north' },
      subject: { streamId: 'order-SO-1', link: '/console/orders/SO-1' },
      causedBy: eventId,
    });
    expect(RaiseNotification.safeParse({ type: 'RaiseNotification', data: n }).success).toBe(true);
    // Without the order (it could not be read), nothing rather than a notification to nobody.
    expect(notificationsFor(event('OrderQueuedForReview', { orderId: 'SO-1' }), {}, at)).toEqual([]);
  });

  it('tells the dealer, and only that dealer, that its backorder was filled; a plain reservation tells nobody', () => {
    const data = { orderId: 'SO-2', partnerId: 'bolt', sku: 'P1', quantity: 3, warehouseId: 'N1', fromBackorder: true };
    const [n] = notificationsFor(event('StockReserved', data), {}, at);
    expect(n).toMatchObject({ topic: 'backorder_filled', audience: { kind: 'dealer', partnerId: 'bolt' }, subject: { link: '/portal/orders/SO-2' } });
    expect(notificationReaches(n!.audience, { role: 'dealer', partnerId: 'bolt' })).toBe(true);
    expect(notificationReaches(n!.audience, { role: 'dealer', partnerId: 'acme' })).toBe(false);
    expect(notificationReaches(n!.audience, { role: 'admin' })).toBe(false);
    expect(notificationsFor(event('StockReserved', { ...data, fromBackorder: false }), {}, at)).toEqual([]);
  });

  it("addresses a ready statement to the dealer's finance contact", () => {
    const contacts = [
      { name: 'Pia Purchasing', email: 'p@x.example', role: 'purchasing' },
      { name: 'Fei Finance', email: 'f@x.example', role: '财务' },
    ];
    expect(financeContact(contacts)?.name).toBe('Fei Finance');
    expect(financeContact([contacts[0]!])?.name).toBe('Pia Purchasing');
    const [n] = notificationsFor(event('SettlementStatementApproved', { partnerId: 'acme', period: '2026-10' }), { partner: { name: 'ACME', contacts } }, at);
    expect(n).toMatchObject({
      topic: 'statement_ready',
      audience: { kind: 'dealer', partnerId: 'acme', label: 'Fei Finance' },
      subject: { link: '/portal/statements/2026-10' },
    });
  });

  it('tells the channel managers of an agreement expiring within 30 days, and an overdue action its owner, each once', () => {
    const agreement = { agreementId: 'AGR-1', partnerId: 'acme', expiresOn: '2026-12-15', region: 'north' };
    expect(agreementExpiringNotification(agreement, '2026-11-14', at)).toBeUndefined();
    const a = agreementExpiringNotification(agreement, '2026-11-15', at);
    expect(a).toMatchObject({ notificationId: 'ae-AGR-1-2026-12-15', audience: { kind: 'role', role: 'sales', region: 'north' } });
    expect(agreementExpiringNotification(agreement, '2026-12-01', at)?.notificationId).toBe(a!.notificationId);
    expect(agreementExpiringNotification(agreement, '2026-12-16', at)).toBeUndefined();

    const action = { partnerId: 'acme', period: '2026-Q3', actionId: 'A1', title: 'Train staff', owner: { name: 'Ola', party: 'dealer' }, dueOn: '2026-11-01' };
    expect(overdueActionNotification(action, '2026-11-01', at)).toBeUndefined();
    expect(overdueActionNotification(action, '2026-11-02', at)).toMatchObject({ audience: { kind: 'dealer', partnerId: 'acme', label: 'Ola' } });
    expect(overdueActionNotification({ ...action, owner: { name: 'Sam', party: 'manufacturer' } }, '2026-11-02', at)?.audience).toEqual({
      kind: 'role',
      role: 'sales',
      label: 'Sam',
    });
  });

  it('raises a notification once; each reader reads it for themselves, once', () => {
    const raised: NotificationEvent = {
      type: 'NotificationRaised',
      data: {
        notificationId: 'n1',
        topic: 'backorder_filled',
        audience: { kind: 'dealer', partnerId: 'bolt' },
        title: { 'zh-CN': '已补货', en: 'Filled' },
        subject: { streamId: 'order-SO-2', link: '/portal/orders/SO-2' },
        raisedAt: at,
      },
    };
    given(notificationDecider)(raised)
      .when({ type: 'RaiseNotification', data: raised.data as never })
      .thenRefuses('NOTIFICATION_ALREADY_RAISED');
    const read: NotificationEvent = { type: 'NotificationRead', data: { notificationId: 'n1', readerId: 'u1', readAt: at } };
    given(notificationDecider)(raised).when({ type: 'MarkNotificationRead', data: read.data }).then(read);
    given(notificationDecider)(raised, read).when({ type: 'MarkNotificationRead', data: read.data }).then();
    given(notificationDecider)().when({ type: 'MarkNotificationRead', data: read.data }).thenRefuses('NOTIFICATION_NOT_FOUND');
  });

  it("never lets a dealer's notification reach another dealer, whatever the ids", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), (owner, other) => {
        const [n] = notificationsFor(event('StockReserved', { orderId: 'SO-9', partnerId: owner, sku: 'P', quantity: 1, fromBackorder: true }), {}, at);
        expect(notificationReaches(n!.audience, { role: 'dealer', partnerId: other })).toBe(owner === other);
      }),
    );
  });
});
