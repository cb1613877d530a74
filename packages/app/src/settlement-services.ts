import {
  aggregates,
  agreementsWithVolume,
  billingThrough,
  CloseSettlementPeriod,
  governingAgreement,
  nextPeriod,
  type OrderEvent,
  orderStream,
  PostSettlementLine,
  periodEnd,
  periodOf,
  RecordOrderRevenue,
  recognizedRevenue,
  settlementStream,
} from '@dms/domain';
import { handleCommand, invalidCommand, loadAggregate } from '@dms/eventstore';
import { left } from 'fp-ts/Either';
import { dealerAgreements, loadAgreement, productCategories, subContext, unchanged } from './agreement-services';
import type { ApplicationService, CommandResult } from './service';
import { handleContended } from './stock-services';

/**
 * Revenue splits and settlement statements. `RecordOrderRevenue` (sent for every invoice, payment and credit note) splits
 * what the order earned by the agreement version in force on the order date; `PostSettlementLine` puts a dealer's share
 * on its statement, moving on to the next period when that statement is already closed; `CloseSettlementPeriod` closes a
 * statement with the rebate terms of each agreement's version in force on the period's last day.
 */

const recordOrderRevenue: ApplicationService = async (command, context, bus) => {
  const parsed = RecordOrderRevenue.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { orderId, source } = parsed.data.data;
  const loaded = await loadAggregate(bus.store, aggregates.orders, orderStream(orderId));
  const order = loaded.state;
  if (!order.exists) return left({ code: 'ORDER_NOT_FOUND', message: `Order ${orderId} does not exist.`, details: { orderId } });
  const agreements = await dealerAgreements(bus.store, order.partnerId);
  const categories = await productCategories(
    bus.store,
    order.lines.map((l) => l.sku),
  );
  const coverage = governingAgreement(agreements, {
    partnerId: order.partnerId,
    at: order.placedAt,
    region: order.region,
    categories: order.lines.map((l) => categories.get(l.sku) ?? `unknown:${l.sku}`),
  });
  // An order no agreement governed (approved by a person without one) earns no split: there are no parties to split with.
  if (!coverage.covered) return unchanged(orderStream(orderId), loaded);
  const events = loaded.events.map((e) => ({ type: e.type, data: e.data }) as OrderEvent);
  const billing = billingThrough(events, order.currency, source);
  if (!billing) {
    return left({
      code: 'BILLING_EVENT_NOT_FOUND',
      message: `Order ${orderId} has no ${source.kind.replace('_', ' ')} ${source.id}.`,
      details: { orderId, source },
    });
  }
  const { agreement, version } = coverage;
  return handleCommand(
    bus.store,
    aggregates.revenueSplits,
    {
      type: 'RecordRevenueSplit' as const,
      data: {
        orderId,
        partnerId: order.partnerId,
        agreementId: agreement.agreementId,
        agreementVersion: version.version,
        settlementBasis: version.terms.settlement.basis,
        settlementPeriod: version.terms.settlement.period,
        shares: version.terms.revenueSplit,
        source: { ...source, at: billing.at },
        recognized: recognizedRevenue(version.terms.settlement.basis, billing),
      },
    },
    subContext(context, 'split'),
  );
};

/** Statements a line may look ahead through before giving up: ten years of months. */
const MAX_PERIODS_AHEAD = 120;

const postSettlementLine: ApplicationService = async (command, context, bus) => {
  const parsed = PostSettlementLine.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { partnerId, cadence, line, at } = parsed.data.data;
  let period = periodOf(line.date, cadence);
  for (let i = 0; i < MAX_PERIODS_AHEAD; i++) {
    // The same command id in every period tried: a line already posted is found (and not posted again) wherever it went.
    const result = await handleContended(
      bus.store,
      aggregates.settlements,
      { type: 'AddSettlementLine', data: { partnerId, period, line, addedAt: at } },
      context,
    );
    if (result._tag === 'Right' || result.left.code !== 'STATEMENT_CLOSED') return result;
    period = nextPeriod(period);
  }
  return left({
    code: 'NO_OPEN_STATEMENT',
    message: `Dealer ${partnerId} has no open statement within ${MAX_PERIODS_AHEAD} periods of ${line.date}.`,
    details: { partnerId },
  });
};

const closeSettlementPeriod: ApplicationService = async (command, context, bus): Promise<CommandResult> => {
  const parsed = CloseSettlementPeriod.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { partnerId, period, by, closedAt } = parsed.data.data;
  const statement = await loadAggregate(bus.store, aggregates.settlements, settlementStream(partnerId, period));
  const rebates = [];
  let currency: string | undefined;
  if (!statement.state.exists) {
    // A dealer with agreements but nothing in the period gets a nil statement, in the currency it settles in.
    const agreement = (await dealerAgreements(bus.store, partnerId)).find((a) => a.exists);
    currency = agreement?.exists ? agreement.versions.at(-1)!.terms.currency : undefined;
  } else {
    const lastDay = periodEnd(period);
    for (const agreementId of agreementsWithVolume(statement.state.lines.values())) {
      const agreement = (await loadAgreement(bus.store, agreementId)).state;
      if (!agreement.exists) continue;
      // The version in force on the period's last day, or the last one before it when the agreement ended earlier.
      const version = [...agreement.versions].reverse().find((v) => v.effectiveFrom <= lastDay) ?? agreement.versions[0]!;
      rebates.push({ agreementId, agreementVersion: version.version, terms: version.terms.rebate });
    }
  }
  return handleCommand(
    bus.store,
    aggregates.settlements,
    { type: 'CloseSettlementStatement', data: { partnerId, period, rebates, ...(currency ? { currency } : {}), by, closedAt } },
    context,
  );
};

/** Statement commands people send; the others (adding a line, closing with rebate terms) only run through the services above. */
const statementCommand: ApplicationService = async (command, context, bus) => {
  const parsed = aggregates.settlements.commandSchema.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  return handleCommand(bus.store, aggregates.settlements, parsed.data, context);
};

export const settlementServices: ReadonlyMap<string, ApplicationService> = new Map<string, ApplicationService>([
  ['RecordOrderRevenue', recordOrderRevenue],
  ['PostSettlementLine', postSettlementLine],
  ['CloseSettlementPeriod', closeSettlementPeriod],
  ['ApproveSettlementStatement', statementCommand],
  ['RecordSettlementPayment', statementCommand],
]);
