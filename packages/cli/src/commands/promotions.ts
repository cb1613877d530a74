import { readFileSync } from 'node:fs';
import type { PromotionBenefit, PromotionTarget } from '@dms/domain';
import { newId } from '@dms/eventstore';
import { type DmsRuntime, getPromotion, listPromotions } from '@dms/projections';
import { dateTime, money } from '../format';
import { renderTable } from '../ui/table';
import { operator } from './keys';

type Out = (line: string) => void;

export interface PromotionsOptions {
  readonly active?: string | undefined;
  readonly file?: string | undefined;
  readonly reason?: string | undefined;
  readonly now: () => Date;
}

export const PROMOTIONS_USAGE = 'Use: dms promotions list [--active T] | show <id> | create --file promotion.json | end <id> --reason R';

const settle = async (runtime: DmsRuntime) => {
  for (let head = await runtime.store.headPosition(); ; ) {
    await runtime.runner.catchUp();
    const after = await runtime.store.headPosition();
    if (after === head) return;
    head = after;
  }
};

/** A benefit in a few words: "5.00 % off", "6.00 EUR off each", "buy 2 get 1", "from 1,000.00 EUR: 2.00 % off". */
export const describeBenefit = (b: PromotionBenefit): string => {
  switch (b.kind) {
    case 'percent_off':
      return `${(b.bps / 100).toFixed(2)} % off`;
    case 'amount_off':
      return `${money(b.amountPerUnit)} off each`;
    case 'buy_n_get_m':
      return `buy ${b.buy} get ${b.free}`;
    case 'order_threshold':
      return `from ${money(b.minimum)}: ${b.bps !== undefined ? `${(b.bps / 100).toFixed(2)} %` : money(b.amount!)} off the order`;
  }
};

/** A target in a few words: "tiers gold; categories pumps", or "everyone". */
export const describeTarget = (t: PromotionTarget): string =>
  (
    [
      ['tiers', t.tiers],
      ['regions', t.regions],
      ['dealers', t.partnerIds],
      ['categories', t.categories],
      ['skus', t.skus],
    ] as const
  )
    .filter(([, list]) => list !== undefined)
    .map(([name, list]) => `${name} ${list!.join(', ')}`)
    .join('; ') || 'everyone';

/** `dms promotions ...`: promotions with their budgets (docs/pricing.md); create and end them. */
export const promotionsCommand = async (
  runtime: DmsRuntime,
  sub: string | undefined,
  args: readonly string[],
  o: PromotionsOptions,
  out: Out,
): Promise<number> => {
  const send = async (command: { type: string; data: unknown }, done: string) => {
    const result = await runtime.bus.execute(command, { commandId: `cli-${newId()}`, actor: operator() });
    if (result._tag === 'Left') {
      out(`Refused (${result.left.code}): ${result.left.message}`);
      return 2;
    }
    await settle(runtime);
    out(`${done} (${result.right.events.map((e) => e.type).join(', ')}).`);
    return 0;
  };
  const now = o.now().toISOString();
  switch (sub) {
    case 'list': {
      await runtime.runner.catchUp();
      const promotions = await listPromotions(runtime.runner.db, { active: o.active });
      if (promotions.length === 0) {
        out(o.active ? `No promotion in force at ${o.active}.` : 'No promotions yet.');
        return 0;
      }
      out(
        renderTable(promotions, [
          { header: 'promotion', value: (p) => p.promotionId },
          { header: 'name', value: (p) => p.name },
          { header: 'from', value: (p) => dateTime(p.validFrom) },
          { header: 'to', value: (p) => dateTime(p.endedAt !== null && p.endedAt < p.validTo ? p.endedAt : p.validTo) },
          { header: 'benefit', value: (p) => describeBenefit(p.benefit) },
          { header: 'for', value: (p) => describeTarget(p.target) },
          { header: 'budget', value: (p) => money(p.budget), align: 'right' },
          { header: 'used', value: (p) => money(p.consumed), align: 'right' },
          { header: 'left', value: (p) => money(p.remaining), align: 'right' },
        ]),
      );
      return 0;
    }
    case 'show': {
      const [promotionId] = args;
      if (!promotionId) {
        out(PROMOTIONS_USAGE);
        return 64;
      }
      await runtime.runner.catchUp();
      const p = await getPromotion(runtime.runner.db, promotionId);
      if (!p) {
        out(`There is no promotion ${promotionId}.`);
        return 1;
      }
      out(`${p.promotionId}: ${p.name}`);
      out(`  valid ${dateTime(p.validFrom)} to ${dateTime(p.validTo)}${p.endedAt ? `, ended ${dateTime(p.endedAt)} (${p.endReason})` : ''}`);
      out(`  ${describeBenefit(p.benefit)}, for ${describeTarget(p.target)}`);
      out(`  budget ${money(p.budget)}: used ${money(p.consumed)}, left ${money(p.remaining)}`);
      if (p.orders.length === 0) out('  No order holds any of its budget.');
      else
        out(
          renderTable(p.orders, [
            { header: 'order', value: (r) => r.orderId },
            { header: 'discount', value: (r) => money(r.amount), align: 'right' },
            { header: 'placed', value: (r) => dateTime(r.consumedAt) },
          ]),
        );
      return 0;
    }
    case 'create': {
      if (!o.file) {
        out(PROMOTIONS_USAGE);
        return 64;
      }
      const body = JSON.parse(readFileSync(o.file, 'utf8')) as Record<string, unknown>;
      return send({ type: 'CreatePromotion', data: { ...body, createdAt: now } }, `Promotion ${String(body.promotionId)} created`);
    }
    case 'end': {
      const [promotionId] = args;
      if (!promotionId || !o.reason) {
        out(PROMOTIONS_USAGE);
        return 64;
      }
      return send({ type: 'EndPromotion', data: { promotionId, reason: o.reason, endedAt: now } }, `Promotion ${promotionId} ended`);
    }
    default:
      out(PROMOTIONS_USAGE);
      return 64;
  }
};
