import { RegionId } from '@dms/domain';
import { getPartner, listSourcing, listStockLevels, listWarehouses, readModelsOf, type StockLevel } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, awaitPosition, partnerScope } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { ReadConsistency } from '../schemas';

const Availability = z
  .object({
    region: z.string(),
    items: z.array(
      z.object({
        sku: z.string(),
        status: z.enum(['in_stock', 'ships_later']).describe('in_stock: some is available to reserve now; ships_later: it is reordered'),
        shipsInDays: z
          .number()
          .int()
          .nullable()
          .describe('For ships_later: the shortest replenishment lead time of the warehouses the region orders from; null when none is set'),
      }),
    ),
  })
  .meta({ id: 'CatalogueAvailability' });

/** Every stock level of the given warehouses (a few hundred rows: SKUs x warehouses). */
const levelsOf = async (options: ApiOptions, warehouseIds: readonly string[]): Promise<StockLevel[]> => {
  const levels: StockLevel[] = [];
  for (const warehouseId of warehouseIds) {
    let cursor: string | undefined;
    do {
      const page = await listStockLevels(options.runtime.reads.db, { warehouseId, limit: 500, cursor });
      levels.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return levels;
};

/**
 * What a dealer may know about stock: per SKU, whether it can be reserved now or when it ships, for the dealer's own region
 * and never a quantity (quantities reflect other dealers' orders). Staff name the region.
 */
export const availabilityRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { reads: queries } = options.runtime;
    app.get(
      '/catalogue/availability',
      {
        config: { permission: 'catalogue:read' },
        schema: {
          tags: ['catalogue'],
          summary: 'Availability per SKU for a region (a dealer: its own): in stock, or ships in N days; never quantities',
          querystring: ReadConsistency.extend({ region: RegionId.optional().describe('Staff only; a dealer always gets its own region') }),
          response: { 200: Availability, 400: Problem, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('stock', 'partners'));
        const scope = partnerScope(request);
        let region = request.query.region;
        if (scope !== undefined) {
          const partner = await getPartner(queries.db, scope);
          if (!partner) throw new HttpProblem(problem(404, 'PARTNER_NOT_FOUND', `Partner ${scope} does not exist.`));
          region = partner.region;
        }
        if (!region) throw new HttpProblem(problem(400, 'REGION_REQUIRED', 'Name the region to check availability for: ?region=north.'));
        // A region reserves in its own warehouses first and falls back to every other one, so stock anywhere counts as in stock.
        const [warehouses, sourcing] = await Promise.all([listWarehouses(queries.db), listSourcing(queries.db)]);
        const own = new Set(sourcing.find((s) => s.region === region)?.warehouseIds ?? warehouses.filter((w) => w.region === region).map((w) => w.warehouseId));
        const bySku = new Map<string, { available: number; leadTime: number | null }>();
        for (const level of await levelsOf(
          options,
          warehouses.map((w) => w.warehouseId),
        )) {
          const entry = bySku.get(level.sku) ?? { available: 0, leadTime: null };
          entry.available += Math.max(0, level.available);
          const lead = own.has(level.warehouseId) ? level.reorderPolicy?.leadTimeDays : undefined;
          if (lead !== undefined) entry.leadTime = entry.leadTime === null ? lead : Math.min(entry.leadTime, lead);
          bySku.set(level.sku, entry);
        }
        return {
          region,
          items: [...bySku]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([sku, e]) =>
              e.available > 0 ? { sku, status: 'in_stock' as const, shipsInDays: null } : { sku, status: 'ships_later' as const, shipsInDays: e.leadTime },
            ),
        };
      },
    );
  };
