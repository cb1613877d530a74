import type { CommandBus, DmsCommand } from '@dms/app';
import { type Actor, aggregates, settlementStream, type ThreadCommand, type ThreadLink } from '@dms/domain';
import { type CommandContext, loadAggregate } from '@dms/eventstore';
import type { DemoTask } from './agreements';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();
const at = (date: string, hour = 9) => Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);

const anna: Actor = { id: 'anna.sales', role: 'sales' };
const felix: Actor = { id: 'felix.finance', role: 'finance' };
const dealer = (partnerId: string): Actor => ({ id: `${partnerId}.buyer`, role: 'dealer', partnerId });

type Step = { kind: 'command'; command: DmsCommand } | DemoTask;
type Add = (at: number, actor: Actor, step: Step, orderId?: string) => void;
/** What the demo plan holds when threads are planned: the ship commands tell which orders went out, and when. */
interface PlannedAction {
  readonly at: number;
  readonly actor: Actor;
  readonly step: Step | { kind: string };
  readonly orderId?: string;
}

const send = (command: ThreadCommand): Step => ({ kind: 'command', command });

/**
 * A handful of conversations between the manufacturer and its dealers: a dealer asking when an order ships (answered
 * and closed), a rebate question on a quarterly settlement statement (with an edited figure), and an agreement renewal
 * (with a retracted message), with replies from both sides; the renewal is still waiting for the dealer to read it.
 */
export const planThreads = (add: Add, planned: readonly PlannedAction[]): void => {
  // 1. Delivery question on one of Atlantic Fluid's autumn orders that shipped.
  const shipment = planned.find(
    (a) =>
      a.step.kind === 'command' &&
      (a.step as { command: DmsCommand }).command.type === 'ShipOrder' &&
      a.orderId !== undefined &&
      a.at >= at('2026-09-01') &&
      planned.some((p) => p.orderId === a.orderId && p.actor.partnerId === 'atlantic-fluid'),
  );
  if (shipment?.orderId) {
    const orderId = shipment.orderId;
    const threadId = `TH-delivery-${orderId}`;
    const buyer = dealer('atlantic-fluid');
    const placed = planned.find((p) => p.orderId === orderId && p.step.kind === 'order')?.at ?? shipment.at;
    // The question comes once the order exists: two days before it ships, or an hour after it was placed.
    const asked = Math.max(placed + HOUR, shipment.at - 2 * DAY);
    const link: ThreadLink = { kind: 'order', id: orderId };
    const post = (t: number, by: Actor, n: number, body: string) =>
      add(t, by, send({ type: 'PostMessage', data: { threadId, messageId: `${threadId}-${n}`, by, body, attachments: [], postedAt: iso(t) } }), orderId);
    add(
      asked,
      buyer,
      send({
        type: 'OpenThread',
        data: {
          threadId,
          partnerId: 'atlantic-fluid',
          subject: `Delivery date for ${orderId}`,
          link,
          by: buyer,
          openedAt: iso(asked),
          message: {
            messageId: `${threadId}-1`,
            body: `Our installer is booked for next week. Can you confirm when ${orderId} leaves the warehouse, and by which carrier?`,
            attachments: [],
          },
        },
      }),
      orderId,
    );
    post(asked + 3 * HOUR, anna, 2, 'It is picked and goes out within two days; you will get the tracking number with the shipment notice.');
    post(shipment.at + 2 * HOUR, anna, 3, 'Shipped this morning. The carrier will call the site contact before delivery.');
    post(shipment.at + 26 * HOUR, buyer, 4, 'Received the notice, thank you. That works for the installer.');
    add(
      shipment.at + 27 * HOUR,
      anna,
      send({ type: 'CloseThread', data: { threadId, by: anna, reason: 'Answered: shipped on time', closedAt: iso(shipment.at + 27 * HOUR) } }),
      orderId,
    );
  }

  // 2. Rebate question on Iberia Agua's second-quarter statement (linked once the statement exists).
  const rebate = 'TH-rebate-iberia-agua-2026-Q2';
  const iberia = dealer('iberia-agua');
  const asked = at('2026-07-08', 10);
  add(asked, iberia, {
    kind: 'task',
    run: async (bus: CommandBus, context: CommandContext) => {
      const statement = (await loadAggregate(bus.store, aggregates.settlements, settlementStream('iberia-agua', '2026-Q2'))).state;
      const link: ThreadLink | undefined = statement.exists ? { kind: 'settlement', id: 'iberia-agua.2026-Q2' } : undefined;
      const result = await bus.execute(
        {
          type: 'OpenThread',
          data: {
            threadId: rebate,
            partnerId: 'iberia-agua',
            subject: 'Q2 rebate band',
            ...(link ? { link } : {}),
            by: iberia,
            openedAt: iso(asked),
            message: {
              messageId: `${rebate}-1`,
              body: 'Our Q2 volume passed the second band in June. Is the 2% rate applied to the whole quarter or only to the part above the band?',
              attachments: [{ name: 'Q2 purchase summary.xlsx', url: 'https://files.iberia-agua.example/reports/2026-q2-purchases.xlsx' }],
            },
          },
        },
        context,
      );
      return { result };
    },
  });
  const rebatePost = (t: number, by: Actor, n: number, body: string) =>
    add(t, by, send({ type: 'PostMessage', data: { threadId: rebate, messageId: `${rebate}-${n}`, by, body, attachments: [], postedAt: iso(t) } }));
  rebatePost(
    asked + 5 * HOUR,
    felix,
    2,
    'Your agreement settles rebates by band total: once a band is reached, its rate applies to the whole quarter, so 1% on all of Q2.',
  );
  add(
    asked + 6 * HOUR,
    felix,
    send({
      type: 'EditMessage',
      data: {
        threadId: rebate,
        messageId: `${rebate}-2`,
        by: felix,
        body: 'Your agreement settles rebates by band total: once a band is reached, its rate applies to the whole quarter, so 2% on all of Q2. It is on the statement.',
        editedAt: iso(asked + 6 * HOUR),
      },
    }),
  );
  rebatePost(asked + DAY, iberia, 3, 'Clear, thank you. We will plan Q3 orders with the third band in mind.');
  add(
    asked + DAY + HOUR,
    felix,
    send({ type: 'MarkThreadRead', data: { threadId: rebate, by: felix, upToMessageId: `${rebate}-3`, readAt: iso(asked + DAY + HOUR) } }),
  );

  // 3. Renewal of Nordic Flow's agreement, which expires in December: still open, the dealer's latest reply unread by sales.
  const renewal = 'TH-renewal-AGR-nordic-flow-2026';
  const nordic = dealer('nordic-flow');
  const opened = at('2026-10-19', 8);
  add(
    opened,
    anna,
    send({
      type: 'OpenThread',
      data: {
        threadId: renewal,
        partnerId: 'nordic-flow',
        subject: 'Renewing the 2026 distribution agreement',
        link: { kind: 'agreement', id: 'AGR-nordic-flow-2026' },
        by: anna,
        openedAt: iso(opened),
        message: {
          messageId: `${renewal}-1`,
          body: 'Your agreement ends on 15 December. We propose to renew on the same terms, with the agent share reviewed. Can we meet in early November?',
          attachments: [],
        },
      },
    }),
  );
  const renewalPost = (t: number, by: Actor, n: number, body: string) =>
    add(t, by, send({ type: 'PostMessage', data: { threadId: renewal, messageId: `${renewal}-${n}`, by, body, attachments: [], postedAt: iso(t) } }));
  renewalPost(opened + DAY, nordic, 2, 'Attached our draft for 2027 by mistake, please ignore.');
  add(
    opened + DAY + HOUR,
    nordic,
    send({
      type: 'RetractMessage',
      data: { threadId: renewal, messageId: `${renewal}-2`, by: nordic, reason: 'Posted too early', retractedAt: iso(opened + DAY + HOUR) },
    }),
  );
  renewalPost(opened + 2 * DAY, nordic, 3, 'Yes, 4 November in Stockholm works. We would like to discuss exclusivity in the north from February.');
  renewalPost(
    opened + 2 * DAY + 4 * HOUR,
    anna,
    4,
    '4 November is booked. Exclusivity in the north is possible once the current shared arrangement ends; we will bring a proposal.',
  );
  add(
    opened + 3 * DAY,
    nordic,
    send({ type: 'MarkThreadRead', data: { threadId: renewal, by: nordic, upToMessageId: `${renewal}-4`, readAt: iso(opened + 3 * DAY) } }),
  );
  renewalPost(opened + 16 * DAY, nordic, 5, 'Thanks for the meeting. Our board approved the renewal; please send the amended agreement for signature.');
};
