import { parseArgs } from 'node:util';
import { listPartners, loadConfig, openDms } from '@dms/projections';
import { agreementsCommand, settlementsCommand, USAGE } from './commands/agreements';
import { auditHistory, auditVerify } from './commands/audit';
import { runDemo, wipeEmbeddedData } from './commands/demo';
import { stockForecast } from './commands/forecast';
import { keysCreate, keysList, keysRevoke } from './commands/keys';
import { ordersHistory, ordersList, ordersShow } from './commands/orders';
import { projectionsRebuild, projectionsStatus, projectionsVerify } from './commands/projections';
import { ReportUsageError, reportsSales } from './commands/reports';
import { serve } from './commands/serve';
import { stockCommand } from './commands/stock';
import { THREADS_USAGE, threadsList, threadsPost, threadsShow } from './commands/threads';
import { USERS_USAGE, usersInvite, usersLink, usersList, usersSetStatus } from './commands/users';
import { webhooksCommand } from './commands/webhooks';
import { money } from './format';
import { renderTable } from './ui/table';

const HELP = `dms — dealer/distributor management

Usage: dms <command> [options]

  demo [--orders 1000] [--seed 7] [--fresh]   seed a year of channel activity, project it, print a summary
  serve [--port 3000] [--host 127.0.0.1] [--cors-origin https://…]   run the HTTP API (docs at /docs) and the projections live
  orders list [--status S] [--partner P] [--region R] [--from DATE] [--to DATE] [--limit N] [--cursor C]
  orders show <orderId>                        one order: lines, shipments, money, dates
  orders history <orderId>                     every event with who and when; verifies the hash chain
  partners list [--region R] [--status S]
  threads list [--partner P] [--status open|closed] | show <threadId> | post <threadId> --body TEXT   dealer conversations
  reports sales --by D[,D] [--from DATE] [--to DATE] [--region R] [--partner P] [--sku S] [--category C] [--measure M] [--chart]
                                               sales by region|partner|product|category|month|quarter|year, totals, growth
  keys create --role R [--partner P] [--name N]   an API key (shown once); keys list; keys revoke <keyId> [--reason R]
  users invite --email E --role R [--partner P] [--name N]   invite a person: prints the one-time link to set a password
  users list [--status S] | link <userId> | suspend <userId> --reason R | reactivate <userId>   people who sign in
  stock levels [--warehouse W] [--sku S] [--region R] [--low] [--by region|total]   on hand, reserved, available, cost, value
  stock ledger [--warehouse W] [--sku S] [--order O] [--kind K] [--from DATE] [--to DATE]   every movement, running balance
  stock alerts | stock backorders | stock valuation   low stock with reorder suggestions; the backorder queue; value by region
  stock forecast [--sku S] [--region R] [--as-of YYYY-MM] [--history 12] [--horizon 3]   demand forecast, days of cover, what to order
  agreements list [--partner P] [--status S] [--expiring 30|60|90] [--as-of DATE] | show <id> | queue | calendar   registry, review queue
  agreements draft|amend --file F | propose|activate <id> | sign <id> --party P --by NAME | terminate <id> --reason R | approve-order|reject-order <orderId>
  settlements list [--partner P] [--status S] | show <partner> <period> | splits [--party X] | rebates | close|approve|pay <partner> <period>
  audit verify [--prefix P] [--anchor F] [--save-anchor F] [--limit N]   every hash chain and schema; against an anchor
  audit history <streamId>                     any stream's events with who and when; verifies its hash chain
  webhooks list | create --url U --events T1,T2|* [--name ID] | deliveries <id> | pause|resume|remove <id> | send
  projections status                           checkpoints and lag
  projections rebuild [name...]                rebuild from position 0 into fresh tables, then swap
  projections verify [name...]                 replay beside the live read models and compare every row

Data: DATABASE_URL=postgres://... for a PostgreSQL server; otherwise embedded PGlite in DMS_DATA_DIR (default .dms-data).`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

const positiveInt = (value: string | undefined, name: string, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, not "${value}".`);
  return n;
};

class UsageError extends Error {}

const jsonLine =
  (level: string) =>
  (msg: string, data: Record<string, unknown> = {}) =>
    process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg, ...data })}\n`);
const jsonLogger = { info: jsonLine('info'), warn: jsonLine('warn'), error: jsonLine('error') };

export interface MainOptions {
  /** The clock commands are stamped with and "today" is taken from; tests inject a fixed one. */
  readonly now?: () => Date;
}

export const main = async (argv: readonly string[], options: MainOptions = {}): Promise<number> => {
  const now = options.now ?? (() => new Date());
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    err(`${(error as Error).message}\n\n${HELP}`);
    return 64;
  }
  const { values, positionals } = parsed;
  const [command, sub, ...rest] = positionals;
  if (!command || command === 'help' || values.help) {
    out(HELP);
    return 0;
  }
  const known = [
    'demo',
    'serve',
    'orders',
    'partners',
    'projections',
    'keys',
    'users',
    'stock',
    'agreements',
    'settlements',
    'audit',
    'webhooks',
    'reports',
    'threads',
  ];
  if (!known.includes(command)) {
    err(`Unknown command "${command}".\n\n${HELP}`);
    return 64;
  }

  const config = loadConfig();
  try {
    if (command === 'demo' && values.fresh) wipeEmbeddedData(config);
    // Serving runs the process managers live: their warnings (a refused policy command) go to stderr as JSON lines.
    const runtime = await openDms(config, command === 'serve' ? { logger: jsonLogger } : {});
    err(`[dms] data: ${runtime.description}`);
    try {
      switch (command) {
        case 'demo':
          await runDemo(
            runtime,
            { orders: positiveInt(values.orders, 'orders', 1000), seed: positiveInt(values.seed, 'seed', 7), fresh: values.fresh ?? false },
            out,
          );
          return 0;
        case 'serve':
          return await serve(
            runtime,
            { port: positiveInt(values.port, 'port', 3000), host: values.host ?? '127.0.0.1', corsOrigins: values['cors-origin'] },
            out,
          );
        case 'orders':
          if (sub === 'list')
            return await ordersList(
              runtime,
              {
                status: values.status,
                partnerId: values.partner,
                region: values.region,
                placedFrom: values.from,
                placedTo: values.to,
                limit: positiveInt(values.limit, 'limit', 20),
                cursor: values.cursor,
              },
              out,
            );
          if ((sub === 'show' || sub === 'history') && rest[0])
            return sub === 'show' ? await ordersShow(runtime, rest[0], out) : await ordersHistory(runtime, rest[0], out);
          throw new UsageError('Use: dms orders list | dms orders show <orderId> | dms orders history <orderId>');
        case 'partners': {
          if (sub !== 'list') throw new UsageError('Use: dms partners list');
          const page = await listPartners(runtime.runner.db, { region: values.region, status: values.status, limit: 500 });
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
        }
        case 'keys':
          if (sub === 'create') return await keysCreate(runtime, { role: values.role, partner: values.partner, name: values.name }, out);
          if (sub === 'list') return await keysList(runtime, out);
          if (sub === 'revoke' && rest[0]) return await keysRevoke(runtime, rest[0], values.reason, out);
          throw new UsageError('Use: dms keys create --role R [--partner P] | dms keys list | dms keys revoke <keyId>');
        case 'users':
          if (sub === 'invite') return await usersInvite(runtime, { email: values.email, role: values.role, partner: values.partner, name: values.name }, out);
          if (sub === 'list') return await usersList(runtime, values.status, out);
          if (sub === 'link' && rest[0]) return await usersLink(runtime, rest[0], out);
          if ((sub === 'suspend' || sub === 'reactivate') && rest[0]) return await usersSetStatus(runtime, sub, rest[0], values.reason, out);
          throw new UsageError(USERS_USAGE);
        case 'stock': {
          if (sub === 'forecast')
            return await stockForecast(
              runtime,
              {
                sku: values.sku,
                region: values.region,
                asOf: values['as-of'],
                history: values.history === undefined ? undefined : positiveInt(values.history, 'history', 12),
                horizon: values.horizon === undefined ? undefined : positiveInt(values.horizon, 'horizon', 3),
                limit: positiveInt(values.limit, 'limit', 50),
                cursor: values.cursor,
                now,
              },
              out,
            );
          const filters = { warehouseId: values.warehouse, sku: values.sku, region: values.region, partnerId: values.partner, orderId: values.order };
          const options = { ...filters, kind: values.kind, from: values.from, to: values.to, lowOnly: values.low, by: values.by, cursor: values.cursor };
          const done = await stockCommand(runtime, sub, { ...options, limit: positiveInt(values.limit, 'limit', 50) }, out);
          if (done === undefined)
            throw new UsageError('Use: dms stock levels | ledger | alerts | backorders | valuation | forecast [--warehouse W] [--sku S] ...');
          return done;
        }
        case 'agreements':
        case 'settlements': {
          const partnership = {
            partner: values.partner,
            status: values.status,
            expiring: values.expiring,
            asOf: values['as-of'],
            file: values.file,
            party: values.party,
            by: values.by,
            reason: values.reason,
            note: values.note,
            override: values.override,
            reference: values.reference,
            period: values.period,
            from: values.from,
            to: values.to,
            limit: positiveInt(values.limit, 'limit', 50),
            cursor: values.cursor,
            now,
          };
          const done = await (command === 'agreements' ? agreementsCommand : settlementsCommand)(runtime, sub, rest, partnership, out);
          if (done === USAGE) throw new UsageError(`Use: dms ${command} ... (see dms help)`);
          return done;
        }
        case 'reports': {
          if (sub !== 'sales') throw new UsageError('Use: dms reports sales --by region[,month] [--from DATE] [--to DATE] ... (see dms help)');
          const { by, from, to, region, partner, sku, category, measure, chart } = values;
          return await reportsSales(runtime, { by, from, to, region, partner, sku, category, measure, chart }, out).catch((e: unknown) => {
            throw e instanceof ReportUsageError ? new UsageError(e.message) : e;
          });
        }
        case 'webhooks':
          return await webhooksCommand(
            runtime,
            sub,
            rest,
            {
              url: values.url,
              events: values.events,
              name: values.name,
              reason: values.reason,
              status: values.status,
              limit: positiveInt(values.limit, 'limit', 50),
              cursor: values.cursor,
            },
            out,
          );
        case 'threads':
          if (sub === 'list')
            return await threadsList(
              runtime,
              { partnerId: values.partner, status: values.status, limit: positiveInt(values.limit, 'limit', 50), cursor: values.cursor },
              out,
            );
          if (sub === 'show' && rest[0]) return await threadsShow(runtime, rest[0], out);
          if (sub === 'post' && rest[0]) return await threadsPost(runtime, rest[0], values.body, out);
          throw new UsageError(THREADS_USAGE);
        case 'audit':
          if (sub === 'verify')
            return await auditVerify(
              runtime,
              { prefix: values.prefix, anchor: values.anchor, saveAnchor: values['save-anchor'], limit: positiveInt(values.limit, 'limit', 50) },
              out,
            );
          if (sub === 'history' && rest[0]) return await auditHistory(runtime, rest[0], out);
          throw new UsageError('Use: dms audit verify [--prefix P] [--anchor F] [--save-anchor F] | dms audit history <streamId>');
        case 'projections':
          if (sub === 'status') return await projectionsStatus(runtime, out);
          if (sub === 'rebuild') return await projectionsRebuild(runtime, rest, out);
          if (sub === 'verify') return await projectionsVerify(runtime, rest, out);
          throw new UsageError('Use: dms projections status | dms projections rebuild [name...] | dms projections verify [name...]');
      }
      return 0;
    } finally {
      await runtime.close();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(error.message);
      return 64;
    }
    err(`dms: ${(error as Error).message}`);
    return 1;
  }
};

const parse = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      prefix: { type: 'string' },
      url: { type: 'string' },
      events: { type: 'string' },
      history: { type: 'string' },
      horizon: { type: 'string' },
      anchor: { type: 'string' },
      'save-anchor': { type: 'string' },
      orders: { type: 'string' },
      seed: { type: 'string' },
      fresh: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      status: { type: 'string' },
      partner: { type: 'string' },
      region: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
      role: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      reason: { type: 'string' },
      warehouse: { type: 'string' },
      sku: { type: 'string' },
      order: { type: 'string' },
      kind: { type: 'string' },
      by: { type: 'string' },
      low: { type: 'boolean' },
      expiring: { type: 'string' },
      'as-of': { type: 'string' },
      file: { type: 'string' },
      party: { type: 'string' },
      note: { type: 'string' },
      override: { type: 'boolean' },
      reference: { type: 'string' },
      body: { type: 'string' },
      period: { type: 'string' },
      category: { type: 'string' },
      measure: { type: 'string' },
      chart: { type: 'boolean' },
    },
  });
