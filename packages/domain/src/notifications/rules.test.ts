import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DunningTerms, dunningLevelsOf } from '../receivables/dunning';
import { isTargeted } from '../resources/targeting';
import { given } from '../testing';
import { type NotificationEvent, notificationDecider, notificationReaches, RaiseNotification } from './notification';
import {
  agreementExpiringNotification,
  dunningNotificationId,
  financeContact,
  notificationsFor,
  overdueActionNotification,
  overdueInvoiceNotifications,
} from './rules';

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

  it("reminds a dealer's finance contact of an overdue invoice at its level, and the region's sales team from level 2", () => {
    const invoice = {
      invoiceId: 'INV-7',
      orderId: 'SO-7',
      partnerId: 'acme',
      region: 'north',
      dueOn: '2026-10-01',
      owed: { amountMinor: 1_234_50, currency: 'EUR' },
      contacts: [
        { name: 'Pia Purchasing', email: 'p@x.example', role: 'purchasing' },
        { name: 'Fei Finance', email: 'f@x.example', role: 'finance' },
      ],
    };
    expect(overdueInvoiceNotifications(invoice, '2026-10-01', at)).toEqual([]);
    const [first, ...none] = overdueInvoiceNotifications(invoice, '2026-10-04', at);
    expect(none).toEqual([]);
    expect(first).toEqual({
      notificationId: 'dn1-INV-7',
      topic: 'invoice_overdue',
      audience: { kind: 'dealer', partnerId: 'acme', label: 'Fei Finance' },
      title: {
        'zh-CN': '付款提醒(第 1 级):发票 INV-7 尚欠 1,234.50 EUR,已于 2026-10-01 到期,逾期 3 天',
        en: 'Level 1 reminder: invoice INV-7 has 1,234.50 EUR outstanding, due on 2026-10-01, 3 days past due',
      },
      subject: { streamId: 'order-SO-7', link: '/portal/orders/SO-7' },
      raisedAt: at,
    });
    const [dealer, sales] = overdueInvoiceNotifications(invoice, '2026-10-21', at);
    expect(dealer).toMatchObject({ notificationId: 'dn2-INV-7', audience: { kind: 'dealer', partnerId: 'acme' } });
    expect(dealer?.title.en).toContain('Level 2 second reminder');
    expect(sales).toMatchObject({
      notificationId: 'dn2s-INV-7',
      audience: { kind: 'role', role: 'sales', region: 'north' },
      subject: { streamId: 'order-SO-7', link: '/console/orders/SO-7' },
    });
    expect(sales?.title.en).toBe('Level 2 second reminder to acme: invoice INV-7 has 1,234.50 EUR outstanding, 20 days past due (due 2026-10-01)');
    expect(overdueInvoiceNotifications(invoice, '2026-11-30', at).map((n) => n.notificationId)).toEqual(['dn3-INV-7', 'dn3s-INV-7']);
    // Paid (nothing owed): no reminder, whatever the days.
    expect(overdueInvoiceNotifications({ ...invoice, owed: { amountMinor: 0, currency: 'EUR' } }, '2026-11-30', at)).toEqual([]);
    // Without contacts: to the dealer, no person named.
    expect(overdueInvoiceNotifications({ ...invoice, contacts: undefined }, '2026-10-04', at)[0]?.audience).toEqual({ kind: 'dealer', partnerId: 'acme' });
    for (const n of overdueInvoiceNotifications(invoice, '2026-11-30', at))
      expect(RaiseNotification.safeParse({ type: 'RaiseNotification', data: n }).success).toBe(true);
  });

  it("reminds by the agreement's own levels when it sets them: each level to whom it tells", () => {
    const levels = dunningLevelsOf(
      DunningTerms.parse({
        levels: [
          { fromDaysPastDue: 5, tell: ['dealer'] },
          { fromDaysPastDue: 10, tell: ['sales'], name: { 'zh-CN': '销售跟进', en: 'sales follow-up' } },
          { fromDaysPastDue: 60, tell: ['dealer', 'sales'] },
        ],
      }),
    );
    const invoice = {
      invoiceId: 'INV-8',
      orderId: 'SO-8',
      partnerId: 'acme',
      region: 'north',
      dueOn: '2026-10-01',
      owed: { amountMinor: 500_00, currency: 'EUR' },
      levels,
    };
    // 3 days past due: the default levels would remind; these start at 5.
    expect(overdueInvoiceNotifications(invoice, '2026-10-04', at)).toEqual([]);
    expect(overdueInvoiceNotifications(invoice, '2026-10-06', at).map((n) => [n.notificationId, n.audience.kind, n.title.en])).toEqual([
      ['dn1-INV-8', 'dealer', 'Level 1 reminder: invoice INV-8 has 500.00 EUR outstanding, due on 2026-10-01, 5 days past due'],
    ]);
    // Level 2 tells only the sales team; level 3, past 60 days, is the final notice to both.
    expect(overdueInvoiceNotifications(invoice, '2026-10-20', at).map((n) => [n.notificationId, n.audience, n.title.en])).toEqual([
      [
        'dn2s-INV-8',
        { kind: 'role', role: 'sales', region: 'north' },
        'Level 2 sales follow-up to acme: invoice INV-8 has 500.00 EUR outstanding, 19 days past due (due 2026-10-01)',
      ],
    ]);
    expect(overdueInvoiceNotifications(invoice, '2026-11-30', at).map((n) => [n.notificationId, n.title.en.split(':')[0]])).toEqual([
      ['dn3-INV-8', 'Level 3 final notice'],
      ['dn3s-INV-8', 'Level 3 final notice to acme'],
    ]);
  });

  it('gives every invoice, level and audience its own valid id, however long the invoice id', () => {
    const long = `inv-${'x'.repeat(60)}`;
    const ids = [long, `${long.slice(0, 63)}y`, 'INV-7'].flatMap((i) =>
      [1, 2, 3].flatMap((l) => [dunningNotificationId(i, l, 'dealer'), dunningNotificationId(i, l, 'sales')]),
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);
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
    fc.assert(
      fc.property(
        fc.stringMatching(/^dlr-[a-z0-9]{1,20}$/),
        fc.stringMatching(/^dlr-[a-z0-9]{1,20}$/),
        fc.integer({ min: 1, max: 400 }),
        (owner, other, days) => {
          const dueOn = '2026-01-01';
          const asOf = new Date(Date.UTC(2026, 0, 1 + days)).toISOString().slice(0, 10);
          const invoice = { invoiceId: 'INV-1', orderId: 'SO-1', partnerId: owner, region: 'north', dueOn, owed: { amountMinor: 100, currency: 'EUR' } };
          const [dealer] = overdueInvoiceNotifications(invoice, asOf, at);
          expect(notificationReaches(dealer!.audience, { role: 'dealer', partnerId: other })).toBe(owner === other);
          if (!owner.includes(other)) expect(JSON.stringify(dealer)).not.toContain(other);
        },
      ),
    );
  });

  it('tells the dealers a published resource targets, and again when a version supersedes it while published; a draft tells nobody', () => {
    const resource = { title: '2027 price policy', targeting: { tiers: ['gold'], regions: [], partnerIds: [] }, status: 'published' as const };
    const [n] = notificationsFor(event('ResourcePublished', { resourceId: 'pp', version: 1 }, 'resource-pp'), { resource }, at);
    expect(n).toMatchObject({
      notificationId: `rp-${eventId}`,
      topic: 'resource_published',
      audience: { kind: 'dealers', targeting: resource.targeting },
      subject: { streamId: 'resource-pp', link: '/portal/library' },
    });
    expect(RaiseNotification.safeParse({ type: 'RaiseNotification', data: n }).success).toBe(true);
    expect(notificationsFor(event('ResourceVersionAdded', { resourceId: 'pp', version: 2 }), { resource }, at)[0]?.title.en).toBe(
      'New version of 2027 price policy (version 2)',
    );
    expect(notificationsFor(event('ResourceVersionAdded', { resourceId: 'pp', version: 2 }), { resource: { ...resource, status: 'draft' } }, at)).toEqual([]);
    expect(notificationsFor(event('ResourcePublished', { resourceId: 'pp', version: 1 }), {}, at)).toEqual([]);
  });

  it("reaches exactly the dealers the resource's targeting includes (isTargeted), and no manufacturer role", () => {
    const ids = fc.constantFrom('acme', 'bolt', 'cora');
    const tiers = fc.constantFrom('gold', 'silver');
    const regions = fc.constantFrom('north', 'south');
    fc.assert(
      fc.property(
        fc.record({ tiers: fc.uniqueArray(tiers), regions: fc.uniqueArray(regions), partnerIds: fc.uniqueArray(ids) }),
        fc.record({ partnerId: ids, tier: tiers, region: regions }),
        fc.constantFrom('admin', 'sales', 'finance', 'auditor'),
        (targeting, dealer, role) => {
          const resource = { title: 'Kit', targeting, status: 'published' as const };
          const [n] = notificationsFor(event('ResourcePublished', { resourceId: 'kit', version: 1 }), { resource }, at);
          const who = { role: 'dealer', partnerId: dealer.partnerId, dealer: { tier: dealer.tier, region: dealer.region } };
          expect(notificationReaches(n!.audience, who)).toBe(isTargeted(targeting, dealer));
          expect(notificationReaches(n!.audience, { role })).toBe(false);
        },
      ),
    );
  });
});
