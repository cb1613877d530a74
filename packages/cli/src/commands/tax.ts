import { readFileSync } from 'node:fs';
import { newId } from '@dms/eventstore';
import { type DmsRuntime, listDiscountTreatments, listTaxRates, taxReport } from '@dms/projections';
import { dateTime, money } from '../format';
import { renderTable } from '../ui/table';
import { operator } from './keys';

type Out = (line: string) => void;

export interface TaxOptions {
  readonly region?: string | undefined;
  readonly at?: string | undefined;
  readonly file?: string | undefined;
  readonly validTo?: string | undefined;
  readonly validFrom?: string | undefined;
  readonly period?: string | undefined;
  readonly now: () => Date;
}

export const TAX_USAGE =
  'Use: dms tax rates [--region R] [--at T] | publish <region> --file rate.json | end <region> <rateId> --valid-to T | category <sku> <standard|reduced|zero|exempt> | treatments [--region R] | treatment <region> <financeCost|reducesTaxableAmount> [--valid-from T]';
export const TAX_REPORT_USAGE = 'Use: dms reports tax --period YYYY-MM|YYYY-Qn [--region R]';

const settle = async (runtime: DmsRuntime) => {
  for (let head = await runtime.store.headPosition(); ; ) {
    await runtime.runner.catchUp();
    const after = await runtime.store.headPosition();
    if (after === head) return;
    head = after;
  }
};

const percent = (bps: number) => `${(bps / 100).toFixed(2)} %`;

/** `dms tax ...`: tax rates per region (docs/tax.md); publish and end them; set a product's tax category. */
export const taxCommand = async (runtime: DmsRuntime, sub: string | undefined, args: readonly string[], o: TaxOptions, out: Out): Promise<number> => {
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
    case 'rates': {
      await runtime.runner.catchUp();
      const rates = await listTaxRates(runtime.runner.db, { region: o.region, at: o.at });
      if (rates.length === 0) {
        out(o.at ? `No tax rate in force at ${o.at}.` : 'No tax rates yet: every region is untaxed.');
        return 0;
      }
      out(
        renderTable(rates, [
          { header: 'region', value: (r) => r.region },
          { header: 'rate', value: (r) => r.rateId },
          { header: 'category', value: (r) => r.category },
          { header: 'rate %', value: (r) => percent(r.rateBps), align: 'right' },
          { header: 'from', value: (r) => dateTime(r.validFrom) },
          { header: 'to', value: (r) => (r.validTo ? dateTime(r.validTo) : 'open') },
          { header: 'name', value: (r) => r.name ?? '' },
          { header: 'superseded by', value: (r) => r.supersededBy ?? '' },
        ]),
      );
      return 0;
    }
    case 'publish': {
      const [region] = args;
      if (!region || !o.file) {
        out(TAX_USAGE);
        return 64;
      }
      const body = JSON.parse(readFileSync(o.file, 'utf8')) as Record<string, unknown>;
      return send({ type: 'PublishTaxRate', data: { ...body, region, publishedAt: now } }, `Tax rate ${String(body.rateId)} published in ${region}`);
    }
    case 'end': {
      const [region, rateId] = args;
      if (!region || !rateId || !o.validTo) {
        out(TAX_USAGE);
        return 64;
      }
      return send({ type: 'EndTaxRate', data: { region, rateId, validTo: o.validTo, endedAt: now } }, `Tax rate ${rateId} of ${region} ends ${o.validTo}`);
    }
    case 'category': {
      const [sku, taxCategory] = args;
      if (!sku || !taxCategory) {
        out(TAX_USAGE);
        return 64;
      }
      return send({ type: 'SetProductTaxCategory', data: { sku, taxCategory, changedAt: now } }, `${sku} is now taxed as ${taxCategory}`);
    }
    case 'treatments': {
      await runtime.runner.catchUp();
      const treatments = await listDiscountTreatments(runtime.runner.db, { region: o.region });
      if (treatments.length === 0) {
        out('No region has a treatment of early-payment discounts set: in every region they are a finance cost (the tax stays as invoiced).');
        return 0;
      }
      out(
        renderTable(treatments, [
          { header: 'region', value: (t) => t.region },
          { header: 'early-payment discounts', value: (t) => t.treatment },
          { header: 'from', value: (t) => dateTime(t.validFrom) },
          { header: 'set', value: (t) => dateTime(t.setAt) },
        ]),
      );
      return 0;
    }
    case 'treatment': {
      const [region, treatment] = args;
      if (!region || (treatment !== 'financeCost' && treatment !== 'reducesTaxableAmount')) {
        out(TAX_USAGE);
        return 64;
      }
      const validFrom = o.validFrom ?? now;
      return send(
        { type: 'SetEarlyPaymentDiscountTreatment', data: { region, treatment, validFrom, setAt: now } },
        `Early-payment discounts in ${region} are treated as ${treatment} from ${validFrom}`,
      );
    }
    default:
      out(TAX_USAGE);
      return 64;
  }
};

/** `dms reports tax --period P`: invoices less credit notes and tax-reducing discounts of the period by region and rate. */
export const reportsTax = async (runtime: DmsRuntime, o: TaxOptions, out: Out): Promise<number> => {
  if (!o.period || !/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/.test(o.period)) {
    out(TAX_REPORT_USAGE);
    return 64;
  }
  await runtime.runner.catchUp();
  const report = await taxReport(runtime.runner.db, { period: o.period, region: o.region });
  out(`Tax ${report.period} (${report.from} to ${report.to}): invoices less credit notes and tax-reducing early-payment discounts dated in the period.`);
  if (report.rows.length === 0) {
    out('No taxed invoice or credit note in the period.');
    return 0;
  }
  out(
    renderTable(report.rows, [
      { header: 'region', value: (r) => r.region },
      { header: 'category', value: (r) => r.category },
      { header: 'rate %', value: (r) => percent(r.rateBps), align: 'right' },
      { header: 'invoiced net', value: (r) => money(r.invoiced.net), align: 'right' },
      { header: 'invoiced tax', value: (r) => money(r.invoiced.tax), align: 'right' },
      { header: 'credited net', value: (r) => money(r.credited.net), align: 'right' },
      { header: 'credited tax', value: (r) => money(r.credited.tax), align: 'right' },
      { header: 'discounted net', value: (r) => money(r.discounted.net), align: 'right' },
      { header: 'discounted tax', value: (r) => money(r.discounted.tax), align: 'right' },
      { header: 'net', value: (r) => money(r.net), align: 'right' },
      { header: 'tax', value: (r) => money(r.tax), align: 'right' },
      { header: 'gross', value: (r) => money(r.gross), align: 'right' },
      { header: 'docs', value: (r) => r.documents, align: 'right' },
    ]),
  );
  for (const t of report.totals) out(`Total ${t.currency}: net ${money(t.net)}, tax ${money(t.tax)}, gross ${money(t.gross)}`);
  return 0;
};
