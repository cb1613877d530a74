/**
 * The read models (projections, by name) that each family of queries reads: what a read with `?minPosition=` waits for,
 * so that reading one's own order never waits on a process manager or an unrelated projection. Keyed by the query
 * module; a route that calls queries of several modules waits for the union. `read-models.test.ts` checks every table a
 * module names against this list, so a query that starts reading another read model cannot be forgotten here.
 */
export const QUERY_READ_MODELS = {
  access: ['access'],
  actors: ['users', 'access'],
  agreements: ['agreements', 'partners'],
  catalogue: ['catalogue'],
  commissions: ['commissions', 'revenue_splits'],
  forecast: ['orders', 'stock_levels'],
  kpis: ['kpi_orders', 'orders', 'catalogue', 'partners', 'stock_daily', 'stock_levels', 'stock_reservations'],
  'order-reviews': ['order_reviews', 'orders', 'partners'],
  orders: ['orders', 'order_reviews', 'partners'],
  partners: ['partners'],
  'price-lists': ['price_lists'],
  promotions: ['promotions'],
  tax: ['tax'],
  performance: ['performance', 'partners'],
  'sales-report': ['orders', 'catalogue', 'partners'],
  settlements: ['settlements', 'revenue_splits', 'agreements', 'orders', 'partners'],
  stock: ['stock_levels', 'catalogue'],
  'stock-ledger': ['stock_ledger'],
  'stock-reservations': ['stock_reservations', 'stock_levels', 'orders'],
  threads: ['threads', 'partners'],
  users: ['users'],
  webhooks: ['webhook_outbox'],
  notifications: ['notifications', 'users', 'partners'],
  /** With `kpis` (the open invoices it reads through). */
  dunning: ['notifications', 'orders', 'catalogue', 'agreements'],
  resources: ['resources', 'partners'],
} as const satisfies Record<string, readonly string[]>;

export type QueryModule = keyof typeof QUERY_READ_MODELS;

/** The read models behind queries of these modules, each once. */
export const readModelsOf = (...modules: readonly QueryModule[]): readonly string[] => [...new Set(modules.flatMap((m) => QUERY_READ_MODELS[m]))];
