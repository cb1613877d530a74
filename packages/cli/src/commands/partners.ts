import { type DmsRuntime, listPartners } from '@dms/projections';
import { money } from '../format';
import { renderTable } from '../ui/table';

type Out = (line: string) => void;

/** `dms partners list`: the dealers, with region, tier, status and credit limit. */
export const partnersList = async (runtime: DmsRuntime, filter: { region?: string | undefined; status?: string | undefined }, out: Out): Promise<number> => {
  const page = await listPartners(runtime.runner.db, { region: filter.region, status: filter.status, limit: 500 });
  out(
    renderTable(page.items, [
      { header: 'partner', value: (p) => p.partnerId },
      { header: 'name', value: (p) => p.name },
      { header: 'region', value: (p) => p.region },
      { header: 'tier', value: (p) => p.tier },
      { header: 'status', value: (p) => p.status },
      { header: 'credit limit', value: (p) => money(p.creditLimit), align: 'right' },
    ]),
  );
  return 0;
};
