import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allProjections } from '../all';
import { webhookOutbox } from '../webhooks';
import { QUERY_READ_MODELS, type QueryModule, readModelsOf } from './read-models';

const projections = [...allProjections, webhookOutbox];
const owner = new Map(projections.flatMap((p) => p.tables.map((t) => [t, p.name] as const)));

/** The source files whose queries each module stands for (a module's helpers in other files included). */
const sources = (module: QueryModule): string[] => {
  const here = import.meta.dirname;
  if (module === 'kpis')
    return [
      ...readdirSync(join(here, 'kpis'))
        .filter((f) => !f.endsWith('.test.ts'))
        .map((f) => join(here, 'kpis', f)),
      join(here, 'sales-source.ts'),
    ];
  if (module === 'sales-report') return [join(here, 'sales-report.ts'), join(here, 'sales-source.ts')];
  if (module === 'webhooks') return [join(here, '..', 'webhooks.ts')];
  return [join(here, `${module}.ts`)];
};

/** The projections owning each table a source names: in kysely calls ('orders as o') or in SQL text (from/join orders). */
const readModelsNamedIn = (source: string): Set<string> => {
  const found = new Set<string>();
  for (const [table, projection] of owner) {
    if (new RegExp(`['"]${table}(?: as \\w+)?['"]|\\b(?:from|join)\\s+${table}\\b`).test(source)) found.add(projection);
  }
  return found;
};

describe('the read models each query module waits for', () => {
  it('name projections that exist, and never a process manager', () => {
    const names = new Set(projections.map((p) => p.name));
    for (const [module, readModels] of Object.entries(QUERY_READ_MODELS)) {
      for (const name of readModels) expect(names.has(name), `${module}: ${name}`).toBe(true);
    }
  });

  it('include every read model whose tables the module reads', () => {
    for (const module of Object.keys(QUERY_READ_MODELS) as QueryModule[]) {
      const named = new Set<string>();
      for (const file of sources(module)) for (const p of readModelsNamedIn(readFileSync(file, 'utf8'))) named.add(p);
      expect(
        [...named].filter((p) => !(QUERY_READ_MODELS[module] as readonly string[]).includes(p)),
        module,
      ).toEqual([]);
    }
  });

  it('are combined without repeats', () => {
    expect(readModelsOf('orders', 'partners')).toEqual(['orders', 'order_reviews', 'partners']);
  });
});
