import { readFileSync } from 'node:fs';
import type { CommandResult } from '@dms/app';
import { dunningLevelsOf, formatMoney, type Money } from '@dms/domain';
import { newId } from '@dms/eventstore';
import {
  type DmsRuntime,
  getAgreement,
  getCommissionStatement,
  getStatement,
  listAgreements,
  listCommissionStatements,
  listStatements,
  rebateProgressByAgreement,
  reviewQueue,
  reviewSummary,
  runAgreementCalendar,
  splitLedger,
} from '@dms/projections';
import { date, money } from '../format';
import { renderTable } from '../ui/table';
import { printCommissionStatements } from './commission-table';
import { operator } from './keys';

type Out = (line: string) => void;

export interface PartnershipOptions {
  readonly partner?: string | undefined;
  readonly status?: string | undefined;
  readonly expiring?: string | undefined;
  readonly asOf?: string | undefined;
  readonly file?: string | undefined;
  readonly party?: string | undefined;
  readonly by?: string | undefined;
  readonly reason?: string | undefined;
  readonly note?: string | undefined;
  readonly override?: boolean | undefined;
  readonly reference?: string | undefined;
  readonly period?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
  /** The clock, for command timestamps and the default `--as-of`. */
  readonly now: () => Date;
}

/** Returned when the arguments do not name a command: the caller prints the usage. */
export const USAGE = Symbol('usage');
type Result = Promise<number | typeof USAGE>;

const pct = (bps: number) => `${(bps / 100).toFixed(2)} %`;
const signed = (m: Money) => (m.amountMinor > 0 ? `+${formatMoney(m)}` : formatMoney(m));

/** Sends a command as the CLI operator and says what happened, in one line. */
const send = async (runtime: DmsRuntime, command: { type: string; data: unknown }, out: Out, done: string): Promise<number> => {
  const result: CommandResult = await runtime.bus.execute(command, { commandId: `cli-${newId()}`, actor: operator() });
  if (result._tag === 'Left') {
    out(`Refused (${result.left.code}): ${result.left.message}`);
    return 2;
  }
  // Let the read models and the process managers catch up, so the next `dms` command shows the outcome.
  await settle(runtime);
  out(`${done} (${result.right.events.map((e) => e.type).join(', ') || 'nothing to change'}).`);
  return 0;
};

const settle = async (runtime: DmsRuntime) => {
  for (let head = await runtime.store.headPosition(); ; ) {
    await runtime.runner.catchUp();
    const after = await runtime.store.headPosition();
    if (after === head) return;
    head = after;
  }
};

const readJson = (file: string | undefined): Record<string, unknown> | undefined => {
  if (!file) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
};

/** `dms agreements ...`: the registry, one agreement, its lifecycle, the calendar, and the review queue. */
export const agreementsCommand = async (runtime: DmsRuntime, sub: string | undefined, args: readonly string[], o: PartnershipOptions, out: Out): Result => {
  const db = runtime.runner.db;
  const now = o.now().toISOString();
  const today = o.asOf ?? now.slice(0, 10);
  const [id] = args;
  switch (sub) {
    case 'list': {
      const expiring = o.expiring === undefined ? undefined : Number(o.expiring);
      if (expiring !== undefined && ![30, 60, 90].includes(expiring)) {
        out('--expiring must be 30, 60 or 90 (days).');
        return 64;
      }
      const page = await listAgreements(db, {
        partnerId: o.partner,
        status: o.status,
        expiringWithinDays: expiring,
        asOf: today,
        limit: o.limit,
        cursor: o.cursor,
      });
      if (page.items.length === 0) {
        out(expiring ? `No agreement in force expires within ${expiring} days of ${today}.` : 'No agreements match.');
        return 0;
      }
      if (expiring) out(`Agreements in force expiring within ${expiring} days of ${today}:`);
      out(
        renderTable(page.items, [
          { header: 'agreement', value: (a) => a.agreementId },
          { header: 'dealer', value: (a) => a.partnerName ?? a.partnerId },
          { header: 'status', value: (a) => a.status },
          { header: 'v', value: (a) => a.currentVersion, align: 'right' },
          { header: 'in force from', value: (a) => a.effectiveFrom },
          { header: 'expires', value: (a) => a.expiresOn },
          { header: 'days left', value: (a) => (a.status === 'active' || a.status === 'signed' ? a.daysToExpiry : ''), align: 'right' },
          {
            header: 'scope',
            value: (a) => `${a.categories.length === 6 ? 'all categories' : a.categories.join('+')} / ${a.regions.join('+')}${a.exclusive ? ' (excl.)' : ''}`,
          },
          { header: 'settles', value: (a) => `${a.settlementBasis.replace('on_', '')}, ${a.settlementPeriod}ly` },
          { header: 'breaches', value: (a) => a.breaches || '', align: 'right' },
        ]),
      );
      if (page.nextCursor) out(`… more: --cursor ${page.nextCursor}`);
      return 0;
    }
    case 'show': {
      if (!id) return USAGE;
      const a = await getAgreement(db, id, { asOf: today });
      if (!a) {
        out(`Agreement ${id} does not exist.`);
        return 1;
      }
      out(`${a.agreementId}  ${a.title}`);
      out(
        `Dealer ${a.partnerName ?? a.partnerId} (${a.partnerId}); ${a.status}${a.endReason ? ` (${a.endReason})` : ''}; in force ${a.effectiveFrom} to ${a.expiresOn}${a.status === 'active' ? `, ${a.daysToExpiry} days left` : ''}`,
      );
      out(
        `Signed by ${a.signedBy.manufacturer ?? '—'} (manufacturer) and ${a.signedBy.dealer ?? '—'} (dealer); activated ${a.activatedAt ? date(a.activatedAt) : '—'}`,
      );
      for (const v of a.versions) {
        const t = v.terms;
        out('');
        out(`Version ${v.version}: ${v.effectiveFrom} to ${v.effectiveUntil}${v.reason ? ` — ${v.reason}` : ''}`);
        out(
          `  scope      ${t.scope.productCategories.join(', ')} in ${t.scope.regions.join(', ')}${t.scope.exclusive ? ', exclusive' : ''}; tier ${t.pricingTier}`,
        );
        out(`  split      ${t.revenueSplit.map((s) => `${s.partyId} (${s.role}) ${pct(s.shareBps)}`).join(', ')}`);
        out(`  marketing  ${t.jointMarketing.map((s) => `${s.partyId} ${pct(s.shareBps)}`).join(', ')}`);
        out(
          `  rebate     ${t.rebate.basis}: ${t.rebate.bands.map((b) => `${pct(b.rateBps)} from ${formatMoney(b.from)}`).join('; ')} per ${t.settlement.period}`,
        );
        const pay = t.paymentTerms;
        const due = pay.instalments
          ? `instalments ${pay.instalments.map((i) => `${pct(i.shareBps)} at ${i.offsetDays} days`).join(', ')}`
          : `${pay.earlyPayment ? `${pct(pay.earlyPayment.discountBps)} off within ${pay.earlyPayment.days} days, ` : ''}${pay.netDays} days net`;
        const invoicing = { perOrder: 'each order', perShipment: 'each shipment', perDelivery: 'each delivery' }[pay.invoicing ?? 'perOrder'];
        out(`  settles    ${t.settlement.basis}, ${t.settlement.period}ly; payment ${due}; invoices ${invoicing}`);
        const dunning = dunningLevelsOf(t.dunning)
          .map((l) => `${l.level} ${l.name.en} from ${l.fromDaysPastDue} ${l.fromDaysPastDue === 1 ? 'day' : 'days'} (${l.tell.join(' and ')})`)
          .join('; ');
        out(`  dunning    ${dunning}${t.dunning ? '' : ' (the defaults)'}`);
        out(`  breaches   ${t.breachClauses.map((c) => `${c.clauseId} ${c.title} (${formatMoney(c.penalty)})`).join('; ') || 'none'}`);
      }
      if (a.breachList.length > 0) {
        out('');
        out(
          renderTable(a.breachList, [
            { header: 'breach', value: (b) => b.breachId },
            { header: 'clause', value: (b) => `${b.clauseId} (v${b.version})` },
            { header: 'on', value: (b) => b.occurredOn },
            { header: 'by', value: (b) => b.breachingParty },
            { header: 'penalty', value: (b) => money(b.penalty), align: 'right' },
            { header: 'what happened', value: (b) => b.description },
          ]),
        );
      }
      return 0;
    }
    case 'draft': {
      const body = readJson(o.file);
      if (!body) {
        out('Use: dms agreements draft --file agreement.json  (agreementId, partnerId, title, terms, effectiveFrom, expiresOn; see docs/agreements.md)');
        return 64;
      }
      return send(runtime, { type: 'DraftAgreement', data: { ...body, draftedAt: now } }, out, `Agreement ${String(body.agreementId)} drafted`);
    }
    case 'amend': {
      const body = readJson(o.file);
      if (!id || !body) {
        out('Use: dms agreements amend <agreementId> --file amendment.json  (terms, effectiveFrom, reason, signedBy {manufacturer, dealer})');
        return 64;
      }
      return send(runtime, { type: 'AmendAgreement', data: { ...body, agreementId: id, amendedAt: now } }, out, `Agreement ${id} amended`);
    }
    case 'propose':
      if (!id) return USAGE;
      return send(runtime, { type: 'ProposeAgreement', data: { agreementId: id, proposedAt: now } }, out, `Agreement ${id} proposed`);
    case 'sign':
      if (!id || (o.party !== 'manufacturer' && o.party !== 'dealer') || !o.by) {
        out('Use: dms agreements sign <agreementId> --party manufacturer|dealer --by "Name of the signatory"');
        return 64;
      }
      return send(
        runtime,
        { type: 'SignAgreement', data: { agreementId: id, party: o.party, signedBy: o.by, signedAt: now } },
        out,
        `Signed by the ${o.party}`,
      );
    case 'activate':
      if (!id) return USAGE;
      return send(runtime, { type: 'ActivateAgreement', data: { agreementId: id, activatedAt: now } }, out, `Agreement ${id} activated`);
    case 'terminate':
      if (!id || !o.reason) {
        out('Use: dms agreements terminate <agreementId> --reason "why"');
        return 64;
      }
      return send(runtime, { type: 'TerminateAgreement', data: { agreementId: id, reason: o.reason, terminatedAt: now } }, out, `Agreement ${id} terminated`);
    case 'calendar': {
      const run = await runAgreementCalendar(db, runtime.bus, today, operator());
      await settle(runtime);
      out(`Agreement calendar for ${today}: activated ${run.activated.join(', ') || 'none'}; expired ${run.expired.join(', ') || 'none'}.`);
      for (const r of run.refused) out(`  ${r.action} ${r.agreementId} refused (${r.error.code}): ${r.error.message}`);
      return run.refused.length > 0 ? 2 : 0;
    }
    case 'queue': {
      const page = await reviewQueue(db, { partnerId: o.partner, status: (o.status as 'queued' | undefined) ?? 'queued', limit: o.limit, cursor: o.cursor });
      if (page.items.length === 0) {
        out(`No orders ${o.status ?? 'waiting for review'}.`);
        return 0;
      }
      out(
        renderTable(page.items, [
          { header: 'order', value: (r) => r.orderId },
          { header: 'placed', value: (r) => date(r.placedAt) },
          { header: 'dealer', value: (r) => r.partnerName ?? r.partnerId },
          { header: 'total', value: (r) => money(r.total), align: 'right' },
          { header: 'credit used / limit', value: (r) => `${money(r.credit.exposure)} / ${money(r.credit.limit)}`, align: 'right' },
          {
            header: 'why it waits / decision',
            value: (r) => (r.status === 'queued' ? r.reasons.map((x) => x.code).join(', ') : `${r.decidedBy ?? ''} ${r.note ?? ''}`),
          },
        ]),
      );
      if (page.items[0]?.status === 'queued')
        out('Decide with: dms agreements approve-order <orderId> [--override] [--note N] | dms agreements reject-order <orderId> --reason R');
      if (page.nextCursor) out(`… more: --cursor ${page.nextCursor}`);
      return 0;
    }
    case 'approve-order':
      if (!id) return USAGE;
      return send(
        runtime,
        { type: 'ApproveQueuedOrder', data: { orderId: id, approvedAt: now, overrideCreditLimit: o.override ?? false, ...(o.note ? { note: o.note } : {}) } },
        out,
        `Order ${id} approved`,
      );
    case 'reject-order':
      if (!id || !o.reason) {
        out('Use: dms agreements reject-order <orderId> --reason "why"');
        return 64;
      }
      return send(runtime, { type: 'RejectOrder', data: { orderId: id, reason: o.reason, rejectedAt: now } }, out, `Order ${id} rejected`);
    default:
      return USAGE;
  }
};

/** `dms settlements ...`: statements, one statement with its lines, the split ledger, rebate progress, and the statement steps. */
export const settlementsCommand = async (runtime: DmsRuntime, sub: string | undefined, args: readonly string[], o: PartnershipOptions, out: Out): Result => {
  const db = runtime.runner.db;
  const now = o.now().toISOString();
  const [partnerId, period] = args;
  switch (sub) {
    case 'list': {
      const page = await listStatements(db, {
        partnerId: o.partner,
        status: o.status as 'open' | undefined,
        period: o.period,
        limit: o.limit,
        cursor: o.cursor,
      });
      if (page.items.length === 0) {
        out('No statements match.');
        return 0;
      }
      out(
        renderTable(page.items, [
          { header: 'period', value: (s) => s.period },
          { header: 'dealer', value: (s) => s.partnerName ?? s.partnerId },
          { header: 'status', value: (s) => s.status },
          { header: 'lines', value: (s) => s.lineCount, align: 'right' },
          { header: 'volume', value: (s) => money(s.volume), align: 'right' },
          { header: 'revenue share', value: (s) => money(s.revenueShare), align: 'right' },
          { header: 'rebates', value: (s) => money(s.rebates), align: 'right' },
          { header: 'marketing', value: (s) => money(s.jointMarketing), align: 'right' },
          { header: 'penalties', value: (s) => money(s.penalties), align: 'right' },
          { header: 'total', value: (s) => money(s.total), align: 'right' },
        ]),
      );
      out('total > 0: the manufacturer pays the dealer; < 0: the dealer pays the manufacturer.');
      if (page.nextCursor) out(`… more: --cursor ${page.nextCursor}`);
      return 0;
    }
    case 'show': {
      if (!partnerId || !period) return USAGE;
      const s = await getStatement(db, partnerId, period);
      if (!s) {
        out(`Dealer ${partnerId} has no statement for ${period}.`);
        return 1;
      }
      const history = [
        s.closedAt ? `closed ${date(s.closedAt)}${s.closedBy ? ` by ${s.closedBy}` : ''}` : undefined,
        s.approvedAt ? `approved ${date(s.approvedAt)}${s.approvedBy ? ` by ${s.approvedBy}` : ''}` : undefined,
        s.paidAt ? `paid ${date(s.paidAt)} (${s.paymentReference}, by the ${s.payer})` : undefined,
      ].filter((step) => step !== undefined);
      out(`Statement ${s.period} of ${s.partnerName ?? s.partnerId}: ${s.status}${history.length > 0 ? `; ${history.join(', ')}` : ''}`);
      out('');
      out(
        renderTable(s.lines, [
          { header: '#', value: (l) => l.seq, align: 'right' },
          { header: 'date', value: (l) => l.date },
          { header: 'kind', value: (l) => `${l.kind.replace('_', ' ')}${l.correction ? ' (correction)' : ''}` },
          { header: 'reference', value: (l) => l.reference },
          { header: 'base', value: (l) => money(l.base), align: 'right' },
          { header: 'amount', value: (l) => signed(l.amount), align: 'right' },
          { header: 'description', value: (l) => l.description },
        ]),
      );
      out('');
      out(
        renderTable(
          [
            ['revenue share', s.revenueShare],
            ['joint marketing', s.jointMarketing],
            ['penalties', s.penalties],
            ['rebates', s.rebates],
            ['total', s.total],
          ] as const,
          [
            { header: '', value: (r) => r[0] },
            { header: 'amount', value: (r) => signed(r[1]), align: 'right' },
          ],
        ),
      );
      const r = s.reconciliation;
      out('');
      out(
        `Reconciliation: ${r.invoices.count} invoice(s) ${money(r.invoices.onStatement)} on the statement, ${money(r.invoices.perOrders)} per the orders; ` +
          `${r.creditNotes.count} credit note(s) ${money(r.creditNotes.amount)}; ${r.payments.count} payment(s) ${money(r.payments.amount)}; lines ${money(r.linesTotal)}. ${
            r.reconciled ? 'Reconciled.' : 'NOT RECONCILED.'
          }`,
      );
      return r.reconciled ? 0 : 2;
    }
    case 'splits': {
      const ledger = await splitLedger(db, { partyId: o.party, partnerId: o.partner, from: o.from, to: o.to, limit: o.limit, cursor: o.cursor });
      if (ledger.items.length === 0) {
        out('No split lines match.');
        return 0;
      }
      out(
        renderTable(ledger.items, [
          { header: 'date', value: (l) => l.date },
          { header: 'party', value: (l) => `${l.partyId} (${l.role})` },
          { header: 'source', value: (l) => `${l.source.kind.replace('_', ' ')} ${l.source.id}` },
          { header: 'order', value: (l) => l.orderId ?? '' },
          { header: 'agreement', value: (l) => `${l.agreementId} v${l.agreementVersion}` },
          { header: 'base', value: (l) => money(l.base), align: 'right' },
          { header: 'share', value: (l) => pct(l.shareBps), align: 'right' },
          { header: 'amount', value: (l) => signed(l.amount), align: 'right' },
        ]),
      );
      if (ledger.nextCursor) out(`… more: --cursor ${ledger.nextCursor}`);
      out('');
      out('Totals over the whole selection');
      out(
        renderTable(ledger.totals, [
          { header: 'party', value: (t) => `${t.partyId} (${t.role})` },
          { header: 'revenue', value: (t) => money(t.revenue), align: 'right' },
          { header: 'marketing cost', value: (t) => money(t.jointMarketing), align: 'right' },
          { header: 'net', value: (t) => money(t.net), align: 'right' },
          { header: 'lines', value: (t) => t.lines, align: 'right' },
        ]),
      );
      return 0;
    }
    case 'rebates': {
      const progress = await rebateProgressByAgreement(db, { partnerId: o.partner, asOf: o.asOf ?? now.slice(0, 10) });
      if (progress.length === 0) {
        out('No agreement is in force.');
        return 0;
      }
      out(
        renderTable(progress, [
          { header: 'dealer', value: (p) => p.partnerName ?? p.partnerId },
          { header: 'agreement', value: (p) => `${p.agreementId} v${p.agreementVersion}` },
          { header: 'period', value: (p) => `${p.period} (${p.statementStatus ?? 'no lines yet'})` },
          { header: 'basis', value: (p) => p.basis },
          { header: 'volume', value: (p) => money(p.volume), align: 'right' },
          { header: 'band', value: (p) => `${p.band + 1} (${pct(p.rateBps)})` },
          { header: 'rebate so far', value: (p) => money(p.amount), align: 'right' },
          { header: 'next band', value: (p) => (p.next ? `${pct(p.next.rateBps)} from ${money(p.next.from)}` : 'top band') },
          { header: 'to go', value: (p) => (p.next ? money(p.next.remaining) : ''), align: 'right' },
        ]),
      );
      return 0;
    }
    case 'close':
    case 'approve':
    case 'pay': {
      if (!partnerId || !period) return USAGE;
      if (sub === 'close')
        return send(
          runtime,
          { type: 'CloseSettlementPeriod', data: { partnerId, period, by: operator(), closedAt: now } },
          out,
          `Statement ${period} of ${partnerId} closed`,
        );
      if (sub === 'approve')
        return send(
          runtime,
          { type: 'ApproveSettlementStatement', data: { partnerId, period, by: operator(), approvedAt: now } },
          out,
          `Statement ${period} of ${partnerId} approved`,
        );
      const s = await getStatement(db, partnerId, period);
      if (!s || !o.reference) {
        out(s ? 'Use: dms settlements pay <partnerId> <period> --reference "bank reference"' : `Dealer ${partnerId} has no statement for ${period}.`);
        return s ? 64 : 1;
      }
      const amount = { amountMinor: Math.abs(s.total.amountMinor), currency: s.total.currency };
      return send(
        runtime,
        { type: 'RecordSettlementPayment', data: { partnerId, period, paymentReference: o.reference, amount, paidAt: now } },
        out,
        `Statement ${period} of ${partnerId} paid: ${formatMoney(amount)} by the ${s.total.amountMinor >= 0 ? 'manufacturer' : 'dealer'}`,
      );
    }
    default:
      return USAGE;
  }
};

export interface CommissionOptions {
  readonly agent?: string | undefined;
  readonly status?: string | undefined;
  readonly period?: string | undefined;
  readonly reference?: string | undefined;
  readonly now: () => Date;
}

/**
 * `dms commissions list|close|approve|pay`: a sales agent's commission statements, and the steps each goes through after
 * its period, as `dms settlements` does for dealers' statements (the API's POST /commissions/{agentId}/{period}/...).
 * Approving is for someone other than whoever closed the statement: the domain refuses it otherwise.
 */
export const commissionsCommand = async (runtime: DmsRuntime, sub: string | undefined, args: readonly string[], o: CommissionOptions, out: Out): Result => {
  const now = o.now().toISOString();
  const [agentId, period] = args;
  switch (sub) {
    case 'list': {
      await runtime.runner.catchUp();
      const statements = await listCommissionStatements(runtime.runner.db, {
        agentId: o.agent,
        status: o.status as 'open' | undefined,
        period: o.period,
      });
      printCommissionStatements(statements, out);
      return 0;
    }
    case 'close':
      if (!agentId || !period) return USAGE;
      return send(
        runtime,
        { type: 'CloseCommissionStatement', data: { agentId, period, by: operator(), closedAt: now } },
        out,
        `Commission statement ${period} of ${agentId} closed`,
      );
    case 'approve':
      if (!agentId || !period) return USAGE;
      return send(
        runtime,
        { type: 'ApproveCommissionStatement', data: { agentId, period, by: operator(), approvedAt: now } },
        out,
        `Commission statement ${period} of ${agentId} approved`,
      );
    case 'pay': {
      if (!agentId || !period) return USAGE;
      await runtime.runner.catchUp();
      const s = await getCommissionStatement(runtime.runner.db, agentId, period);
      if (!s) {
        out(`Sales agent ${agentId} has no commission statement for ${period}.`);
        return 1;
      }
      if (!o.reference) return USAGE;
      const total = s.totals.total;
      const amount = { amountMinor: Math.abs(total.amountMinor), currency: total.currency };
      return send(
        runtime,
        { type: 'RecordCommissionPayment', data: { agentId, period, paymentReference: o.reference, amount, paidAt: now } },
        out,
        `Commission statement ${period} of ${agentId} paid: ${formatMoney(amount)} ${total.amountMinor >= 0 ? 'to the agent' : 'by the agent'}`,
      );
    }
    default:
      return USAGE;
  }
};

/** What the demo prints about partnerships: agreements by status and expiry, how orders were reviewed, and settlements. */
export const printPartnershipSummary = async (runtime: DmsRuntime, asOf: string, out: Out): Promise<void> => {
  const db = runtime.runner.db;
  const [all, expiring, summary, statements] = await Promise.all([
    listAgreements(db, { limit: 500 }),
    listAgreements(db, { expiringWithinDays: 90, asOf, limit: 500 }),
    reviewSummary(db),
    listStatements(db, { limit: 500 }),
  ]);
  if (all.items.length === 0) return;
  const byStatus = new Map<string, number>();
  for (const a of all.items) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
  out('');
  out(`Agreements: ${[...byStatus].map(([s, n]) => `${n} ${s}`).join(', ')}; amended: ${all.items.filter((a) => a.currentVersion > 1).length}`);
  if (expiring.items.length > 0) {
    out(
      `In force and expiring within 90 days of ${asOf}: ${expiring.items.map((a) => `${a.agreementId} (${a.expiresOn}, ${a.daysToExpiry} days)`).join(', ')}`,
    );
  }
  const reviewed = summary.reduce((n, s) => n + s.orders, 0);
  const automatic = summary.filter((s) => s.automatic).reduce((n, s) => n + s.orders, 0);
  const waiting = summary.filter((s) => s.status === 'queued').reduce((n, s) => n + s.orders, 0);
  out(
    `Automated review: ${automatic} of ${reviewed} orders approved automatically (${reviewed ? Math.round((automatic * 100) / reviewed) : 0} %); ${waiting} waiting for a person.`,
  );
  const byStatement = new Map<string, number>();
  for (const s of statements.items) byStatement.set(s.status, (byStatement.get(s.status) ?? 0) + 1);
  out(`Settlement statements: ${[...byStatement].map(([s, n]) => `${n} ${s}`).join(', ')}`);
  out(
    'See `dms agreements list --expiring 90`, `dms agreements queue`, `dms settlements list`, `dms settlements rebates`, `dms settlements splits --party agent-sven`.',
  );
};
