import { readFileSync } from 'node:fs';
import { newId } from '@dms/eventstore';
import { type DmsRuntime, listPriceListVersions } from '@dms/projections';
import { dateTime, money } from '../format';
import { renderTable } from '../ui/table';
import { operator } from './keys';

type Out = (line: string) => void;

export interface PricingOptions {
  /** A dealer's own price list instead of the tier's. */
  readonly dealer?: string | undefined;
  readonly at?: string | undefined;
  readonly file?: string | undefined;
  readonly validTo?: string | undefined;
  readonly now: () => Date;
}

export const PRICING_USAGE =
  'Use: dms pricing versions <tier> [--at T] | versions --dealer P [--at T] | publish <tier>|--dealer P --file version.json | end <tier>|--dealer P <versionId> --valid-to T';

const settle = async (runtime: DmsRuntime) => {
  for (let head = await runtime.store.headPosition(); ; ) {
    await runtime.runner.catchUp();
    const after = await runtime.store.headPosition();
    if (after === head) return;
    head = after;
  }
};

/** `dms pricing ...`: the dated versions of a tier's or a dealer's price list (docs/pricing.md); publish and end them. */
export const pricingCommand = async (runtime: DmsRuntime, sub: string | undefined, args: readonly string[], o: PricingOptions, out: Out): Promise<number> => {
  const list = o.dealer ? { listKind: 'dealer' as const, listId: o.dealer } : args[0] ? { listKind: 'tier' as const, listId: args[0] } : undefined;
  const rest = o.dealer ? args : args.slice(1);
  if (!list) {
    out(PRICING_USAGE);
    return 64;
  }
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
  const owner = list.listKind === 'tier' ? { tier: list.listId } : { partnerId: list.listId };
  const now = o.now().toISOString();
  switch (sub) {
    case 'versions': {
      await runtime.runner.catchUp();
      const versions = await listPriceListVersions(runtime.runner.db, { ...list, at: o.at });
      if (versions.length === 0) {
        out(`No versions of ${list.listKind} price list ${list.listId}${o.at ? ` in force at ${o.at}` : ''}.`);
        return 0;
      }
      const rows = versions.flatMap((v) =>
        v.prices.map((p) => ({
          version: v.versionId,
          from: dateTime(v.validFrom),
          to: v.validTo ? dateTime(v.validTo) : 'open',
          sku: p.sku,
          price: money(p.unitPrice),
          breaks: p.breaks.map((b) => `${b.minQuantity}+: ${money(b.unitPrice)}`).join('; '),
        })),
      );
      out(
        renderTable(rows, [
          { header: 'version', value: (r) => r.version },
          { header: 'valid from', value: (r) => r.from },
          { header: 'valid to', value: (r) => r.to },
          { header: 'sku', value: (r) => r.sku },
          { header: 'unit price', value: (r) => r.price, align: 'right' },
          { header: 'quantity breaks', value: (r) => r.breaks },
        ]),
      );
      return 0;
    }
    case 'publish': {
      if (!o.file) {
        out(PRICING_USAGE);
        return 64;
      }
      const body = JSON.parse(readFileSync(o.file, 'utf8')) as Record<string, unknown>;
      const type = list.listKind === 'tier' ? 'PublishPriceListVersion' : 'PublishDealerPriceListVersion';
      return send(
        { type, data: { ...body, ...owner, publishedAt: now } },
        `Version ${String(body.versionId)} of ${list.listKind} price list ${list.listId} published`,
      );
    }
    case 'end': {
      const [versionId] = rest;
      if (!versionId || !o.validTo) {
        out(PRICING_USAGE);
        return 64;
      }
      const type = list.listKind === 'tier' ? 'EndPriceListVersion' : 'EndDealerPriceListVersion';
      return send({ type, data: { ...owner, versionId, validTo: o.validTo, endedAt: now } }, `Version ${versionId} ends at ${o.validTo}`);
    }
    default:
      out(PRICING_USAGE);
      return 64;
  }
};
