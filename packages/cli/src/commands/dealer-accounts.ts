import { IsoDate, type Money } from '@dms/domain';
import { newId } from '@dms/eventstore';
import { type DmsRuntime, dealerAccount, getPartner } from '@dms/projections';
import { dateTime, money } from '../format';
import { renderTable } from '../ui/table';
import { operator } from './keys';
import { ReceivablesUsageError } from './receivables';

type Out = (line: string) => void;

export interface DealerPaymentOptions {
  readonly amount?: string | undefined;
  readonly currency?: string | undefined;
  /** Comma-separated invoice ids, each optionally with `:AMOUNT` (`inv-1,inv-2:100.00`). */
  readonly invoices?: string | undefined;
  readonly on?: string | undefined;
  readonly reference?: string | undefined;
  readonly id?: string | undefined;
  readonly now: () => Date;
}

/** `500`, `500.5` or `500.50` in `currency`, into minor units without floating point. */
const amountOf = (flag: string, value: string, currency: string): Money => {
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) throw new ReceivablesUsageError(`--${flag} must be an amount such as 1250.00, not "${value}".`);
  const amountMinor = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (amountMinor <= 0) throw new ReceivablesUsageError(`--${flag} must be more than zero.`);
  return { amountMinor, currency };
};

/** The dealer's currency: `--currency`, else its credit limit's. */
const currencyOf = async (runtime: DmsRuntime, partnerId: string, given: string | undefined): Promise<string> => {
  if (given !== undefined) {
    if (!/^[A-Z]{3}$/.test(given)) throw new ReceivablesUsageError(`--currency must be an ISO-4217 code such as EUR, not "${given}".`);
    return given;
  }
  const partner = await getPartner(runtime.runner.db, partnerId);
  if (!partner) throw new ReceivablesUsageError(`Dealer ${partnerId} does not exist.`);
  return partner.creditLimit.currency;
};

const namedOf = (value: string | undefined, currency: string) =>
  value?.split(',').map((part) => {
    const [invoiceId, amount] = part.trim().split(':') as [string, string | undefined];
    if (!invoiceId) throw new ReceivablesUsageError(`--invoices must list invoice ids (inv-1,inv-2:100.00), not "${value}".`);
    return amount === undefined ? { invoiceId } : { invoiceId, amount: amountOf('invoices', amount, currency) };
  });

const settle = async (runtime: DmsRuntime) => {
  for (let head = await runtime.store.headPosition(); ; ) {
    await runtime.runner.catchUp();
    const after = await runtime.store.headPosition();
    if (after === head) return;
    head = after;
  }
};

const execute = async (runtime: DmsRuntime, command: { type: string; data: unknown }, out: Out): Promise<number | undefined> => {
  const result = await runtime.bus.execute(command, { commandId: `cli-${newId()}`, actor: operator() });
  if (result._tag === 'Left') {
    out(`Refused (${result.left.code}): ${result.left.message}`);
    return 2;
  }
  await settle(runtime);
  return undefined;
};

/** `dms receivables pay <partnerId> --amount A`: money received from a dealer, paying its open invoices; the rest kept as credit. */
export const receivablesPay = async (runtime: DmsRuntime, partnerId: string, o: DealerPaymentOptions, out: Out): Promise<number> => {
  if (o.amount === undefined) throw new ReceivablesUsageError('dms receivables pay needs --amount.');
  const today = o.now().toISOString();
  if (o.on !== undefined && (!IsoDate.safeParse(o.on).success || o.on > today.slice(0, 10)))
    throw new ReceivablesUsageError(`--on must be a date (YYYY-MM-DD) not in the future, not "${o.on}".`);
  const currency = await currencyOf(runtime, partnerId, o.currency);
  const amount = amountOf('amount', o.amount, currency);
  const invoices = namedOf(o.invoices, currency);
  const paymentId = o.id ?? `pay-${newId()}`;
  const receivedAt = o.on === undefined || o.on === today.slice(0, 10) ? today : `${o.on}T00:00:00.000Z`;
  const refused = await execute(
    runtime,
    {
      type: 'ReceiveDealerPayment',
      data: { partnerId, paymentId, amount, receivedAt, ...(o.reference ? { reference: o.reference } : {}), ...(invoices ? { invoices } : {}) },
    },
    out,
  );
  if (refused !== undefined) return refused;
  return printEntry(runtime, partnerId, paymentId, out);
};

/** `dms receivables apply <partnerId> [--amount A] [--invoices ...]`: the dealer's credit applied to its open invoices. */
export const receivablesApply = async (runtime: DmsRuntime, partnerId: string, o: DealerPaymentOptions, out: Out): Promise<number> => {
  const currency = await currencyOf(runtime, partnerId, o.currency);
  const applicationId = o.id ?? `ca-${newId()}`;
  const amount = o.amount === undefined ? undefined : amountOf('amount', o.amount, currency);
  const invoices = namedOf(o.invoices, currency);
  const refused = await execute(
    runtime,
    {
      type: 'ApplyDealerCredit',
      data: {
        partnerId,
        applicationId,
        appliedAt: o.now().toISOString(),
        reason: 'applied by hand',
        ...(amount ? { amount } : {}),
        ...(invoices ? { invoices } : {}),
      },
    },
    out,
  );
  if (refused !== undefined) return refused;
  return printEntry(runtime, partnerId, applicationId, out);
};

/** `dms receivables refund <partnerId> --amount A`: part of the dealer's credit paid back. */
export const receivablesRefund = async (runtime: DmsRuntime, partnerId: string, o: DealerPaymentOptions, out: Out): Promise<number> => {
  if (o.amount === undefined) throw new ReceivablesUsageError('dms receivables refund needs --amount.');
  const currency = await currencyOf(runtime, partnerId, o.currency);
  const refundId = o.id ?? `ref-${newId()}`;
  const refused = await execute(
    runtime,
    {
      type: 'RefundDealerCredit',
      data: {
        partnerId,
        refundId,
        amount: amountOf('amount', o.amount, currency),
        refundedAt: o.now().toISOString(),
        ...(o.reference ? { reference: o.reference } : {}),
      },
    },
    out,
  );
  if (refused !== undefined) return refused;
  return printEntry(runtime, partnerId, refundId, out);
};

const printEntry = async (runtime: DmsRuntime, partnerId: string, id: string, out: Out): Promise<number> => {
  const account = await dealerAccount(runtime.store, partnerId);
  const entry = account.entries.find((e) => e.id === id);
  if (!entry) return 0;
  const what = { payment: 'Payment', application: 'Credit applied', refund: 'Refund', return: 'Returned to credit' }[entry.kind];
  out(`${what} ${entry.id} of dealer ${partnerId}: ${money(entry.amount)}${entry.kind === 'payment' ? `, ${money(entry.unapplied)} kept as credit` : ''}.`);
  if (entry.allocations.length > 0)
    out(
      renderTable(entry.allocations, [
        { header: 'invoice', value: (a) => a.invoiceId },
        { header: 'order', value: (a) => a.orderId },
        { header: 'paid', value: (a) => money(a.amount), align: 'right' },
        { header: 'discount', value: (a) => money(a.discount), align: 'right' },
      ]),
    );
  out(`Credit now: ${money(entry.creditAfter)}.`);
  return 0;
};

/** `dms receivables credit <partnerId>`: the dealer's account: payments, credit applications and refunds, and its credit. */
export const receivablesCredit = async (runtime: DmsRuntime, partnerId: string, out: Out): Promise<number> => {
  const account = await dealerAccount(runtime.store, partnerId);
  if (account.entries.length === 0) {
    out(`Nothing received from dealer ${partnerId} through its account; no credit.`);
    return 0;
  }
  out(`Account of dealer ${partnerId}: payments received across its orders, credit applied and refunded (oldest first)`);
  out(
    renderTable(account.entries, [
      { header: 'when', value: (e) => dateTime(e.at) },
      { header: 'what', value: (e) => e.kind },
      { header: 'id', value: (e) => e.id },
      { header: 'reference', value: (e) => e.reference ?? e.reason ?? '' },
      { header: 'amount', value: (e) => money(e.amount), align: 'right' },
      {
        header: 'invoices paid',
        value: (e) => e.allocations.map((a) => `${a.invoiceId} ${money(a.amount)}${a.discount ? ` (+${money(a.discount)} discount)` : ''}`).join('; '),
      },
      { header: 'unapplied', value: (e) => (e.kind === 'payment' ? money(e.unapplied) : ''), align: 'right' },
      { header: 'credit after', value: (e) => money(e.creditAfter), align: 'right' },
    ]),
  );
  out(`Credit now: ${money(account.credit)}.`);
  return 0;
};
