/**
 * Every `dms` command, one entry each. To add a command:
 *
 *   1. put its logic in `commands/<name>.ts` (functions taking the runtime, options and `out`);
 *   2. add an entry below with `command({ ... })`: its name, a one-line summary, the subcommands it accepts, usage
 *      lines, its flags (the only ones it accepts: an unknown flag is refused with exit 64), at least one example,
 *      `load: () => import('./commands/<name>')`, and `run`, which maps the parsed flags onto the module's functions.
 *
 * `dms help` lists the summaries in this order; `dms <name> --help` prints the entry's usage, flags and examples.
 * Only `run` may open the database (`await context.open()`), after it has checked its arguments; throw UsageError for
 * bad ones. Keep imports here type-only or tiny: this file loads on every `dms` start, the command modules only when
 * they run.
 */
import { boolean, type Command, command, integer, text, UsageError } from './command';

const limit = (fallback: number) => integer('N', 'rows per page', fallback);
const cursor = text('C', 'the page after this cursor (printed under a full page)');
const partner = text('P', 'one dealer (partner id)');
const region = text('R', 'one region');
const from = text('DATE', 'from this date (YYYY-MM-DD), inclusive');
const to = text('DATE', 'up to this date (YYYY-MM-DD), inclusive');

const jsonLine =
  (level: string) =>
  (msg: string, data: object = {}) =>
    process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg, ...data })}\n`);

export const COMMANDS: readonly Command[] = [
  command({
    name: 'demo',
    long: true,
    summary: 'seed a year of channel activity, project it, print a summary, API keys and sign-in details of the demo users',
    exclusive: true,
    usage: ['demo [--orders 1000] [--seed 7] [--fresh]'],
    flags: {
      orders: integer('N', 'dealer orders to place', 1000),
      seed: integer('N', 'random seed: the same seed gives the same year', 7),
      fresh: boolean('wipe the embedded data folder first'),
    },
    examples: ['demo', 'demo --orders 200 --seed 3 --fresh'],
    load: () => import('./commands/demo'),
    run: async ({ runDemo, wipeEmbeddedData }, { flags, open, out }) => {
      if (flags.fresh) {
        const { loadConfig } = await import('@dms/projections/config');
        wipeEmbeddedData(loadConfig());
      }
      await runDemo(await open({ exclusive: true }), { orders: flags.orders, seed: flags.seed, fresh: flags.fresh ?? false }, out);
      return 0;
    },
  }),
  command({
    name: 'serve',
    long: true,
    summary: 'run the HTTP API (OpenAPI docs at /docs), every projection live and the webhook dispatcher',
    exclusive: true,
    usage: ['serve [--port 3000] [--host 127.0.0.1] [--cors-origin https://a.example,https://b.example] [--no-projections]'],
    flags: {
      port: integer('N', 'TCP port to listen on', 3000),
      host: text('H', 'address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)'),
      'cors-origin': text('O[,O]', 'origins whose pages may call the API from a browser (CORS; adds to DMS_CORS_ORIGINS; off by default)'),
      'no-projections': boolean('the API only, beside `dms worker`s that run projections, webhook deliveries and the calendar (PostgreSQL server only)'),
    },
    examples: ['serve --port 8080', 'serve --host 0.0.0.0', 'serve --cors-origin https://dashboard.example.com', 'serve --no-projections --port 8080'],
    load: () => import('./commands/serve'),
    run: async ({ serve }, { flags, now, open, out }) => {
      if (flags['no-projections']) {
        const { loadConfig } = await import('@dms/projections/config');
        const { requireServer } = await import('./commands/worker');
        requireServer(loadConfig(), '`dms serve --no-projections`');
      }
      // Serving runs the process managers live: their warnings (a refused policy command) go to stderr as JSON lines.
      const runtime = await open({ exclusive: true, logger: { info: jsonLine('info'), warn: jsonLine('warn'), error: jsonLine('error') } });
      const corsOrigins = (flags['cors-origin'] ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o.length > 0);
      return serve(runtime, { port: flags.port, host: flags.host ?? '127.0.0.1', corsOrigins, now, projections: !flags['no-projections'] }, out);
    },
  }),
  command({
    name: 'worker',
    long: true,
    summary: 'run projections, process managers, webhook deliveries and the agreement calendar, shared with other workers (no HTTP)',
    usage: ['worker [--name N] [--health-port N] [--host 127.0.0.1]'],
    flags: {
      name: text('N', 'how `dms projections status` names this worker (default host:pid)'),
      'health-port': integer('N', 'answer GET /health on this port (off by default)'),
      host: text('H', 'address of the health port (default 127.0.0.1)'),
    },
    examples: ['worker', 'worker --name worker-a --health-port 9100'],
    load: () => import('./commands/worker'),
    run: async ({ requireServer, worker }, { flags, now, open, out }) => {
      const { loadConfig } = await import('@dms/projections/config');
      requireServer(loadConfig(), '`dms worker`');
      const logger = { info: jsonLine('info'), warn: jsonLine('warn'), error: jsonLine('error') };
      const runtime = await open({ logger });
      return worker(runtime, { name: flags.name, healthPort: flags['health-port'], host: flags.host ?? '127.0.0.1', now, logger }, out);
    },
  }),
  command({
    name: 'orders',
    summary: 'dealer orders: list | show (lines, shipments, money) | history (every event, hash chain verified) | invoice',
    subcommands: ['list', 'show', 'history', 'invoice'],
    usage: [
      'orders list [--status S] [--partner P] [--region R] [--from DATE] [--to DATE] [--limit N] [--cursor C]',
      'orders show <orderId>',
      'orders history <orderId>',
      'orders invoice <orderId> [--shipment ID] [--invoice-id ID] [--due DATE]',
    ],
    flags: {
      status: text('S', 'placed, approved, confirmed, partially_shipped, shipped, delivered, invoiced, paid, rejected or cancelled'),
      partner,
      region,
      from: text('DATE', 'placed on or after this date (YYYY-MM-DD)'),
      to: text('DATE', 'placed on or before this date (YYYY-MM-DD)'),
      limit: limit(20),
      cursor,
      shipment: text('ID', "invoice this shipment on the agreement's terms (per shipment or per delivery)"),
      'invoice-id': text('ID', 'the invoice id (default: generated)'),
      due: text('DATE', "the whole order's due date (YYYY-MM-DD; default: from the agreement's payment terms)"),
    },
    examples: [
      'orders list --status invoiced --region north --limit 10',
      'orders show SO-00042',
      'orders history SO-00042',
      'orders invoice SO-00042 --shipment SO-00042-S2',
    ],
    load: () => import('./commands/orders'),
    run: async ({ ordersHistory, ordersInvoice, ordersList, ordersShow }, { sub, args, flags, now, open, out }) => {
      if (sub === 'list') {
        const filter = { status: flags.status, partnerId: flags.partner, region: flags.region, placedFrom: flags.from, placedTo: flags.to };
        return ordersList(await open(), { ...filter, limit: flags.limit, cursor: flags.cursor }, out);
      }
      const [orderId] = args;
      if (!orderId) throw new UsageError(`dms orders ${sub} needs an order id.`);
      if (sub === 'invoice') {
        if (flags.shipment && flags.due) throw new UsageError("dms orders invoice --shipment takes its due date from the agreement's terms: leave out --due.");
        return ordersInvoice(await open(), orderId, { shipmentId: flags.shipment, invoiceId: flags['invoice-id'], dueDate: flags.due, now }, out);
      }
      return sub === 'show' ? ordersShow(await open(), orderId, out) : ordersHistory(await open(), orderId, out);
    },
  }),
  command({
    name: 'partners',
    summary: 'the dealers: region, tier, status and credit limit',
    subcommands: ['list'],
    usage: ['partners list [--region R] [--status S]'],
    flags: { region, status: text('S', 'active, suspended or terminated') },
    examples: ['partners list --region north'],
    load: () => import('./commands/partners'),
    run: async ({ partnersList }, { flags, open, out }) => partnersList(await open(), { region: flags.region, status: flags.status }, out),
  }),
  command({
    name: 'threads',
    summary: 'conversations between the manufacturer and its dealers: list | show | post',
    subcommands: ['list', 'show', 'post'],
    usage: ['threads list [--partner P] [--status open|closed] [--limit N] [--cursor C]', 'threads show <threadId>', 'threads post <threadId> --body TEXT'],
    flags: { partner, status: text('S', 'open or closed'), body: text('TEXT', 'the message to post'), limit: limit(50), cursor },
    examples: ['threads list --status open', 'threads show TH-rebate-iberia-agua-2026-Q2', 'threads post TH-rebate-iberia-agua-2026-Q2 --body "Paid today."'],
    load: () => import('./commands/threads'),
    run: async ({ threadsList, threadsPost, threadsShow }, { sub, args, flags, open, out }) => {
      if (sub === 'list') return threadsList(await open(), { partnerId: flags.partner, status: flags.status, limit: flags.limit, cursor: flags.cursor }, out);
      const [threadId] = args;
      if (!threadId) throw new UsageError(`dms threads ${sub} needs a thread id.`);
      return sub === 'show' ? threadsShow(await open(), threadId, out) : threadsPost(await open(), threadId, flags.body, out);
    },
  }),
  command({
    name: 'resources',
    summary: 'the resource library shared with dealers: list | show | publish | version | target | withdraw | acks (who has acknowledged)',
    subcommands: ['list', 'show', 'publish', 'version', 'target', 'withdraw', 'acks'],
    usage: [
      'resources list [--kind K] [--status draft|published|withdrawn] [--partner P]',
      'resources show <resourceId>',
      'resources publish [<resourceId>] --kind K --title T (--file PATH | --url URL) [--tiers a,b] [--regions a,b] [--dealers a,b] [--ack] [--note N]',
      'resources publish <resourceId>   (publish a draft or withdrawn resource again)',
      'resources version <resourceId> (--file PATH | --url URL) [--note N]',
      'resources target <resourceId> [--tiers a,b] [--regions a,b] [--dealers a,b]   (replaces who it is for; none: every dealer)',
      'resources withdraw <resourceId> [--reason TEXT]',
      'resources acks <resourceId> [--version N]',
    ],
    flags: {
      kind: text('K', 'price_policy, product_sheet, training, marketing_kit or market_info'),
      status: text('S', 'draft, published or withdrawn'),
      partner: text('P', 'list: what this dealer sees, with its acknowledgements'),
      title: text('T', 'publish: the title'),
      description: text('TEXT', 'publish: a description'),
      file: text('PATH', 'a file to store (PDF, PNG, JPEG, GIF, WebP, ZIP, DOCX, XLSX, PPTX, TXT, CSV, MP4; checked against its extension)'),
      url: text('URL', 'or an http(s) link'),
      tiers: text('a,b', 'publish, target: for dealers of these tiers'),
      regions: text('a,b', 'publish, target: for dealers of these regions'),
      dealers: text('a,b', 'publish, target: for these dealers (partner ids)'),
      ack: boolean('publish: dealers must acknowledge it'),
      note: text('N', 'what changed in this version'),
      reason: text('TEXT', 'withdraw: why'),
      version: integer('N', 'acks: this version (default the current one)'),
    },
    examples: [
      'resources list --partner nordic-flow',
      'resources publish price-policy-2028 --kind price_policy --title "2028 price policy" --file policy-2028.pdf --tiers gold --ack',
      'resources acks price-policy-2027-platinum',
    ],
    load: () => import('./commands/resources'),
    run: async (
      { resourcesAcks, resourcesList, resourcesPublish, resourcesShow, resourcesTarget, resourcesVersion, resourcesWithdraw },
      { sub, args, flags, open, out },
    ) => {
      if (sub === 'list') return resourcesList(await open(), { kind: flags.kind, status: flags.status, partnerId: flags.partner }, out);
      const [resourceId] = args;
      if (sub === 'publish') return resourcesPublish(await open(), { resourceId, ...flags }, out);
      if (!resourceId) throw new UsageError(`dms resources ${sub} needs a resource id (dms resources list shows them).`);
      if (sub === 'show') return resourcesShow(await open(), resourceId, out);
      if (sub === 'version') return resourcesVersion(await open(), resourceId, { file: flags.file, url: flags.url, note: flags.note }, out);
      if (sub === 'target') return resourcesTarget(await open(), resourceId, { tiers: flags.tiers, regions: flags.regions, dealers: flags.dealers }, out);
      if (sub === 'withdraw') return resourcesWithdraw(await open(), resourceId, flags.reason, out);
      return resourcesAcks(await open(), resourceId, flags.version, out);
    },
  }),
  command({
    name: 'notifications',
    summary: "who is told what: an inbox (the operator's, or a dealer's) | read | due (run the date rules now)",
    subcommands: ['list', 'read', 'due'],
    usage: ['notifications list [--partner P] [--unread] [--limit N] [--cursor C]', 'notifications read <notificationId>', 'notifications due [--date D]'],
    flags: {
      partner: text('P', "a dealer's inbox instead of the operator's"),
      unread: boolean('only what has not been read'),
      date: text('D', 'due: as of this date (YYYY-MM-DD; default today)'),
      limit: limit(50),
      cursor,
    },
    examples: ['notifications list --unread', 'notifications list --partner nordic-flow', 'notifications due --date 2026-12-01'],
    load: () => import('./commands/notifications'),
    run: async ({ notificationsDue, notificationsList, notificationsRead }, { sub, args, flags, open, out }) => {
      if (sub === 'list')
        return notificationsList(await open(), { partner: flags.partner, unread: flags.unread, limit: flags.limit, cursor: flags.cursor }, out);
      if (sub === 'due') return notificationsDue(await open(), flags.date, out);
      const [notificationId] = args;
      if (!notificationId) throw new UsageError('dms notifications read needs a notification id (dms notifications list shows them).');
      return notificationsRead(await open(), notificationId, out);
    },
  }),
  command({
    name: 'reports',
    summary: 'sales by region, partner, product, category and period: totals, shares, growth, charts; tax by period and rate',
    subcommands: ['sales', 'tax'],
    usage: [
      'reports sales --by D[,D] [--from DATE] [--to DATE] [--region R] [--partner P] [--sku S] [--category C] [--measure M] [--chart]',
      'reports tax --period YYYY-MM|YYYY-Qn [--region R]',
    ],
    flags: {
      period: text('P', 'tax: a month (2026-03) or a quarter (2026-Q1)'),
      by: text('D[,D]', 'group by one or two of region, partner, product, category, month, quarter, year (default month)'),
      from,
      to,
      region,
      partner,
      sku: text('S', 'one product (SKU)'),
      category: text('C', 'one product category'),
      measure: text('M', 'net (default), ordered, invoiced or quantity'),
      chart: boolean('draw a bar chart under the table'),
    },
    examples: ['reports sales --by region,month --from 2026-01-01 --chart', 'reports sales --by partner --measure invoiced', 'reports tax --period 2026-Q4'],
    load: () => import('./commands/reports'),
    run: async ({ ReportUsageError, reportsSales }, { sub, flags, now, open, out }) => {
      if (sub === 'tax') {
        const { reportsTax } = await import('./commands/tax');
        return reportsTax(await open(), { period: flags.period, region: flags.region, now }, out);
      }
      const { by, from, to, region, partner, sku, category, measure, chart } = flags;
      return reportsSales(await open(), { by, from, to, region, partner, sku, category, measure, chart, now }, out).catch((e: unknown) => {
        throw e instanceof ReportUsageError ? new UsageError(e.message) : e;
      });
    },
  }),
  command({
    name: 'receivables',
    summary: 'what dealers owe: ageing by days past due per dealer or region, open invoices, dunning, DSO; payments across orders and credit',
    subcommands: ['ageing', 'open', 'dunning', 'dso', 'pay', 'apply', 'refund', 'credit'],
    usage: [
      'receivables ageing [--as-of DATE] [--by partner|region] [--region R] [--partner P] [--at TIME] [--position N]',
      'receivables open [--as-of DATE] [--region R] [--partner P]',
      'receivables dunning [--as-of DATE] [--region R] [--partner P]',
      'receivables dso [--period week|month|quarter|year] [--as-of DATE] | [--from DATE --to DATE] [--region R] [--partner P]',
      'receivables pay <partnerId> --amount A [--currency C] [--invoices ID[:A],...] [--on DATE] [--reference R] [--id ID]',
      'receivables apply <partnerId> [--amount A] [--invoices ID[:A],...] [--id ID]',
      'receivables refund <partnerId> --amount A [--reference R] [--id ID]',
      'receivables credit <partnerId>',
    ],
    flags: {
      'as-of': text('DATE', 'at the end of this day (default today, UTC)'),
      by: text('G', 'one row per partner (default) or region'),
      period: text('P', 'dso: the calendar period to date that holds --as-of (default month)'),
      at: text('TIME', 'ageing: as printed at this time (of its day unless --as-of), recomputed from the events recorded by then (a date means its end, UTC)'),
      position: text('N', 'ageing: as printed at this global position, recomputed from the log'),
      from,
      to,
      region,
      partner,
      amount: text('A', 'pay, apply, refund: the amount, such as 1250.00'),
      currency: text('C', "pay, apply, refund: the amount's currency (default: the dealer's)"),
      invoices: text('ID[:A],...', 'pay, apply: these invoices in this order, each with as much as is open or the amount given (default: oldest due first)'),
      on: text('DATE', 'pay: the day the money was received (default today, UTC)'),
      reference: text('R', "pay, refund: the bank's or the payer's reference"),
      id: text('ID', 'pay, apply, refund: the id of the payment, application or refund (default: generated)'),
    },
    examples: [
      'receivables ageing --as-of 2026-11-30',
      'receivables ageing --as-of 2026-06-30 --at 2026-06-30T23:59:59Z',
      'receivables open --partner nordic-flow',
      'receivables dunning --as-of 2026-11-20',
      'receivables dso --period quarter',
      'receivables pay nordic-flow --amount 1250.00 --reference BANK-7781',
      'receivables pay nordic-flow --amount 700.00 --invoices inv-SO-00042-S2',
      'receivables credit nordic-flow',
    ],
    load: () => import('./commands/receivables'),
    run: async ({ ReceivablesUsageError, receivablesAgeing, receivablesDso, receivablesDunning, receivablesOpen }, { sub, args, flags, now, open, out }) => {
      const usage = (e: unknown) => {
        throw e instanceof ReceivablesUsageError ? new UsageError(e.message) : e;
      };
      if (sub === 'pay' || sub === 'apply' || sub === 'refund' || sub === 'credit') {
        const [partnerId] = args;
        if (!partnerId) throw new UsageError(`dms receivables ${sub} needs a dealer (partner id).`);
        const accounts = await import('./commands/dealer-accounts');
        if (sub === 'credit') return accounts.receivablesCredit(await open(), partnerId, out);
        const options = {
          amount: flags.amount,
          currency: flags.currency,
          invoices: flags.invoices,
          on: flags.on,
          reference: flags.reference,
          id: flags.id,
          now,
        };
        const run = { pay: accounts.receivablesPay, apply: accounts.receivablesApply, refund: accounts.receivablesRefund }[sub];
        return run(await open(), partnerId, options, out).catch(usage);
      }
      const options = {
        asOf: flags['as-of'],
        by: flags.by,
        period: flags.period,
        from: flags.from,
        to: flags.to,
        region: flags.region,
        partner: flags.partner,
        at: flags.at,
        position: flags.position,
        now,
      };
      const run = { ageing: receivablesAgeing, open: receivablesOpen, dunning: receivablesDunning, dso: receivablesDso }[
        sub as 'ageing' | 'open' | 'dunning' | 'dso'
      ];
      return run(await open(), options, out).catch(usage);
    },
  }),
  command({
    name: 'keys',
    summary: 'API keys: create (the secret shown once) | list | revoke',
    subcommands: ['create', 'list', 'revoke'],
    usage: ['keys create --role R [--partner P] [--name N]', 'keys list', 'keys revoke <keyId> [--reason R]'],
    flags: {
      role: text('R', 'admin, sales, finance, auditor or dealer'),
      partner: text('P', 'the dealer a dealer key acts for'),
      name: text('N', 'a label to recognise the key by'),
      reason: text('R', 'why the key is revoked (kept in its history)'),
    },
    examples: ['keys create --role admin --name "ops laptop"', 'keys create --role dealer --partner nordic-flow', 'keys revoke 3f2a9c1d0b7e'],
    load: () => import('./commands/keys'),
    run: async ({ keysCreate, keysList, keysRevoke }, { sub, args, flags, open, out }) => {
      if (sub === 'create') return keysCreate(await open(), { role: flags.role, partner: flags.partner, name: flags.name }, out);
      if (sub === 'list') return keysList(await open(), out);
      const [keyId] = args;
      if (!keyId) throw new UsageError('dms keys revoke needs a key id (see dms keys list).');
      return keysRevoke(await open(), keyId, flags.reason, out);
    },
  }),
  command({
    name: 'users',
    summary: 'people who sign in: invite (prints the one-time link) | list | link | role | regions | suspend | reactivate',
    subcommands: ['invite', 'list', 'link', 'role', 'regions', 'suspend', 'reactivate'],
    usage: [
      'users invite --email E --role R [--partner P] [--name N]   prints a link to set a password (valid 7 days)',
      'users list [--status invited|active|suspended]',
      'users link <userId>        a new one-time link: a lost invitation, or a forgotten password',
      "users role <userId> --role R [--partner P]   another role, from the user's next request on",
      'users regions <userId> <region,...> | --clear   the regions a sales user owns: their notifications reach them',
      'users suspend <userId> --reason R | users reactivate <userId>',
    ],
    flags: {
      email: text('E', 'the person’s e-mail address (unique across users)'),
      role: text('R', 'admin, sales, finance, auditor or dealer'),
      partner: text('P', 'the dealer a dealer user buys for'),
      name: text('N', 'the person’s name (default: the e-mail address before @)'),
      status: text('S', 'invited, active or suspended'),
      reason: text('R', 'why the user is suspended (kept in its history)'),
      clear: boolean('regions: the user owns no region any more'),
    },
    examples: [
      'users invite --email li.wei@dealer.example --role dealer --partner nordic-flow --name "Li Wei"',
      'users list --status active',
      'users regions 3f2a… north,east',
      'users suspend 3f2a… --reason "left the company"',
    ],
    load: () => import('./commands/users'),
    run: async ({ usersInvite, usersList, usersLink, usersRegions, usersRole, usersSetStatus }, { sub, args, flags, open, out }) => {
      if (sub === 'invite') {
        if (!flags.email || !flags.role) throw new UsageError('dms users invite needs --email and --role.');
        return usersInvite(await open(), { email: flags.email, role: flags.role, partner: flags.partner, name: flags.name }, out);
      }
      if (sub === 'list') return usersList(await open(), flags.status, out);
      const [userId] = args;
      if (!userId) throw new UsageError(`dms users ${sub} needs a user id (see dms users list).`);
      if (sub === 'link') return usersLink(await open(), userId, out);
      if (sub === 'role') {
        if (!flags.role) throw new UsageError('dms users role needs --role.');
        return usersRole(await open(), userId, flags.role, flags.partner, out);
      }
      if (sub === 'regions') {
        if ((args[1] === undefined) === !flags.clear) throw new UsageError('dms users regions needs a comma-separated list of regions, or --clear.');
        return usersRegions(await open(), userId, args[1], flags.clear === true, out);
      }
      if (sub === 'suspend' && !flags.reason) throw new UsageError('dms users suspend needs --reason.');
      return usersSetStatus(await open(), sub === 'suspend' ? 'suspend' : 'reactivate', userId, flags.reason, out);
    },
  }),
  command({
    name: 'stock',
    summary: 'stock per warehouse: levels | ledger | alerts | backorders | valuation | forecast',
    subcommands: ['levels', 'ledger', 'alerts', 'backorders', 'valuation', 'forecast'],
    usage: [
      'stock levels [--warehouse W] [--sku S] [--region R] [--low] [--by region|total]   on hand, reserved, available, cost, value',
      'stock ledger [--warehouse W] [--sku S] [--order O] [--kind K] [--from DATE] [--to DATE]   every movement, running balance',
      'stock alerts | stock backorders | stock valuation [--at TIME]   low stock with reorder suggestions; the backorder queue; value by region (as of a moment, from the log)',
      'stock forecast [--sku S] [--region R] [--as-of YYYY-MM] [--history 12] [--horizon 3]   demand forecast, days of cover, what to order',
    ],
    flags: {
      warehouse: text('W', 'one warehouse'),
      sku: text('S', 'one product (SKU)'),
      region,
      partner,
      order: text('O', 'movements of one order'),
      kind: text('K', 'one kind of movement: received, reserved, shipped, returned, adjusted, transferred_out, ...'),
      from,
      to,
      low: boolean('only lines at or below their reorder point'),
      by: text('B', 'levels summed by region or in total'),
      'as-of': text('YYYY-MM', 'first month forecast (default: this month)'),
      at: text('TIME', 'valuation as of this moment, recomputed from the events recorded by then (a date means its end, UTC)'),
      history: integer('N', 'months of history the forecast learns from (default 12)'),
      horizon: integer('N', 'months to forecast (default 3)'),
      limit: limit(50),
      cursor,
    },
    examples: [
      'stock levels --region north --low',
      'stock ledger --sku PMP-001 --from 2026-03-01',
      'stock forecast --sku PMP-001 --horizon 6',
      'stock valuation --at 2026-06-30',
    ],
    load: async () => ({ ...(await import('./commands/stock')), ...(await import('./commands/forecast')) }),
    run: async ({ readValuationAt, stockCommand, stockForecast }, { sub, flags, now, open, out }) => {
      if (sub === 'forecast') {
        const { sku, region, history, horizon, limit, cursor } = flags;
        const asOf = flags['as-of'];
        if (asOf !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(asOf))
          throw new UsageError(`dms stock forecast: --as-of must be a month as YYYY-MM, not "${asOf}".`);
        return stockForecast(await open(), { sku, region, asOf, history, horizon, limit, cursor, now }, out);
      }
      const filters = { warehouseId: flags.warehouse, sku: flags.sku, region: flags.region, partnerId: flags.partner, orderId: flags.order };
      const at = readValuationAt(flags.at);
      const options = { ...filters, kind: flags.kind, from: flags.from, to: flags.to, lowOnly: flags.low, by: flags.by, cursor: flags.cursor, at };
      return (await stockCommand(await open(), sub, { ...options, limit: flags.limit }, out)) ?? 64;
    },
  }),
  command({
    name: 'agreements',
    summary: 'partnership agreements: the registry, their lifecycle, the calendar, the order review queue',
    subcommands: ['list', 'show', 'queue', 'calendar', 'draft', 'amend', 'propose', 'activate', 'sign', 'terminate', 'approve-order', 'reject-order'],
    usage: [
      'agreements list [--partner P] [--status S] [--expiring 30|60|90] [--as-of DATE] | show <id> | queue | calendar',
      'agreements draft --file F | amend <id> --file F | propose|activate <id> | sign <id> --party P --by NAME | terminate <id> --reason R',
      'agreements approve-order <orderId> [--override] [--note N] | reject-order <orderId> --reason R',
    ],
    flags: {
      partner,
      status: text('S', 'draft, proposed, signed, active, expired or terminated (queue: queued, approved, rejected)'),
      expiring: text('DAYS', 'in force and expiring within 30, 60 or 90 days'),
      'as-of': text('DATE', '"today" for expiry and the calendar (default: today)'),
      file: text('F', 'a JSON file with the agreement or the amendment (see docs/agreements.md)'),
      party: text('P', 'manufacturer or dealer'),
      by: text('NAME', 'the person who signs'),
      reason: text('R', 'why (terminate, reject-order)'),
      note: text('N', 'a note kept with the decision'),
      override: boolean('approve beyond the credit limit'),
      limit: limit(50),
      cursor,
    },
    examples: [
      'agreements list --expiring 60',
      'agreements show AGR-nordic-flow-2026',
      'agreements sign AGR-nordic-flow-2026 --party dealer --by "Ines Berg"',
      'agreements approve-order SO-00042 --override --note "CFO ok"',
    ],
    load: () => import('./commands/agreements'),
    run: async ({ agreementsCommand, USAGE }, { sub, args, flags, now, open, out }) => {
      const options = { ...flags, asOf: flags['as-of'], now };
      const done = await agreementsCommand(await open(), sub, args, options, out);
      if (done === USAGE) throw new UsageError(`dms agreements ${sub} needs an id.`);
      return done;
    },
  }),
  command({
    name: 'settlements',
    summary: 'settlement statements, the revenue split ledger, rebate progress; close, approve and pay a statement',
    subcommands: ['list', 'show', 'splits', 'rebates', 'close', 'approve', 'pay'],
    usage: [
      'settlements list [--partner P] [--status S] [--period YYYY-MM] | show <partner> <period>',
      'settlements splits [--party X] [--partner P] [--from DATE] [--to DATE] | rebates [--partner P] [--as-of DATE]',
      'settlements close|approve <partner> <period> | pay <partner> <period> --reference REF',
    ],
    flags: {
      partner,
      status: text('S', 'open, closed, approved or paid'),
      period: text('YYYY-MM', 'one settlement period (a month, or YYYY-Qn for a quarter)'),
      party: text('X', 'one party of the split (a partner id, or manufacturer)'),
      from,
      to,
      'as-of': text('DATE', 'rebate progress as of this date (default: today)'),
      reference: text('REF', 'the payment reference (pay)'),
      limit: limit(50),
      cursor,
    },
    examples: ['settlements list --status closed', 'settlements show nordic-flow 2026-10', 'settlements pay nordic-flow 2026-10 --reference BANK-8812'],
    load: () => import('./commands/agreements'),
    run: async ({ settlementsCommand, USAGE }, { sub, args, flags, now, open, out }) => {
      const options = { ...flags, asOf: flags['as-of'], now };
      const done = await settlementsCommand(await open(), sub, args, options, out);
      if (done === USAGE) throw new UsageError(`dms settlements ${sub} needs a partner and a period.`);
      return done;
    },
  }),
  command({
    name: 'commissions',
    summary: "sales agents' commission statements: list; close, approve (someone else) and pay a statement",
    subcommands: ['list', 'close', 'approve', 'pay'],
    usage: [
      'commissions list [--agent A] [--status S] [--period YYYY-MM]',
      'commissions close|approve <agent> <period> | pay <agent> <period> --reference REF',
    ],
    flags: {
      agent: text('A', 'one sales agent'),
      status: text('S', 'open, closed, approved or paid'),
      period: text('YYYY-MM', 'one period (a month, or YYYY-Qn for a quarter)'),
      reference: text('REF', 'the payment reference (pay)'),
    },
    examples: ['commissions list --status closed', 'commissions approve agent-iberia 2026-10', 'commissions pay agent-iberia 2026-10 --reference BANK-9921'],
    load: () => import('./commands/agreements'),
    run: async ({ commissionsCommand, USAGE }, { sub, args, flags, now, open, out }) => {
      if (flags.status !== undefined && !['open', 'closed', 'approved', 'paid'].includes(flags.status))
        throw new UsageError(`--status ${flags.status} is not one of open, closed, approved, paid.`);
      if (sub === 'pay' && args.length >= 2 && !flags.reference) throw new UsageError('dms commissions pay needs --reference REF, the payment reference.');
      const done = await commissionsCommand(await open(), sub, args, { ...flags, now }, out);
      if (done === USAGE) throw new UsageError(`dms commissions ${sub} needs an agent and a period.`);
      return done;
    },
  }),
  command({
    name: 'performance',
    summary: 'dealer performance: ranked scorecards, a review, attainment chart, overdue actions, agent commissions, verify',
    subcommands: ['scorecards', 'show', 'chart', 'overdue', 'commissions', 'verify'],
    usage: [
      'performance scorecards [--period YYYY-MM] [--region R] [--tier T] [--partner P] | show <partner> <period> | chart <partner>',
      'performance overdue [--as-of DATE] [--partner P] | commissions [--agent A] [--period YYYY-MM] | verify',
    ],
    flags: {
      period: text('YYYY-MM', 'one closed period (a month, or YYYY-Qn for a quarter); default the latest'),
      region,
      tier: text('T', 'one tier'),
      partner,
      agent: text('A', 'one sales agent'),
      'as-of': text('DATE', 'overdue as of this date (default: today)'),
    },
    examples: ['performance scorecards', 'performance show nordic-flow 2026-10', 'performance chart nordic-flow', 'performance overdue', 'performance verify'],
    load: () => import('./commands/performance'),
    run: async ({ performanceCommand, USAGE }, { sub, args, flags, now, open, out }) => {
      for (const [flag, value] of [
        ['period', flags.period],
        ['as-of', flags['as-of']],
      ] as const) {
        const shape = flag === 'period' ? /^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/ : /^\d{4}-\d{2}-\d{2}$/;
        if (value !== undefined && !shape.test(value))
          throw new UsageError(`--${flag} ${value} is not ${flag === 'period' ? 'a period (YYYY-MM or YYYY-Qn)' : 'a date (YYYY-MM-DD)'}.`);
      }
      const options = { ...flags, asOf: flags['as-of'], now: now().toISOString() };
      const done = await performanceCommand(await open(), sub ?? '', args, options, out);
      if (done === USAGE) throw new UsageError(`dms performance ${sub} needs ${sub === 'chart' ? 'a partner' : 'a partner and a period'}.`);
      return done;
    },
  }),
  command({
    name: 'pricing',
    summary: 'dated price-list versions with quantity breaks, per tier or per dealer: versions | publish | end',
    subcommands: ['versions', 'publish', 'end'],
    usage: [
      'pricing versions <tier> [--at T] | versions --dealer P [--at T]',
      'pricing publish <tier> --file version.json | publish --dealer P --file version.json',
      'pricing end <tier> <versionId> --valid-to T | end --dealer P <versionId> --valid-to T',
    ],
    flags: {
      dealer: text('P', "a dealer's own price list (used where its agreement says dealerPrices) instead of a tier's"),
      at: text('T', 'only the version in force at this instant (ISO-8601)'),
      file: text('F', 'a JSON file with the version: versionId, validFrom, validTo?, currency, prices (see docs/pricing.md)'),
      'valid-to': text('T', 'the new, earlier end of the version (not before now)'),
    },
    examples: ['pricing versions gold', 'pricing publish gold --file gold-2027.json', 'pricing end gold gold-2026 --valid-to 2027-01-01T00:00:00Z'],
    load: () => import('./commands/pricing'),
    run: async ({ pricingCommand, PRICING_USAGE }, { sub, args, flags, now, open, out }) => {
      if (!flags.dealer && !args[0]) throw new UsageError(`dms pricing ${sub} needs a tier or --dealer. ${PRICING_USAGE}`);
      return pricingCommand(await open(), sub, args, { dealer: flags.dealer, at: flags.at, file: flags.file, validTo: flags['valid-to'], now }, out);
    },
  }),
  command({
    name: 'promotions',
    summary: 'promotions with budgets (percent or amount off, buy N get M, order thresholds): list | show | create | end',
    subcommands: ['list', 'show', 'create', 'end'],
    usage: ['promotions list [--active T] | show <id>', 'promotions create --file promotion.json | end <id> --reason R'],
    flags: {
      active: text('T', 'only the promotions in force at this instant (ISO-8601)'),
      file: text('F', 'a JSON file with the promotion: promotionId, name, validFrom, validTo, currency, target, benefit, budget (see docs/pricing.md)'),
      reason: text('R', 'why the promotion ends early'),
    },
    examples: ['promotions list --active 2026-09-15T00:00:00Z', 'promotions create --file autumn.json', 'promotions end autumn-pumps --reason "budget moved"'],
    load: () => import('./commands/promotions'),
    run: async ({ promotionsCommand }, { sub, args, flags, now, open, out }) =>
      promotionsCommand(await open(), sub, args, { active: flags.active, file: flags.file, reason: flags.reason, now }, out),
  }),
  command({
    name: 'tax',
    summary: 'tax rates per region with validity, product tax categories, early-payment discounts: rates | publish | end | category | treatments | treatment',
    subcommands: ['rates', 'publish', 'end', 'category', 'treatments', 'treatment'],
    usage: [
      'tax rates [--region R] [--at T] | publish <region> --file rate.json',
      'tax end <region> <rateId> --valid-to T | category <sku> <standard|reduced|zero|exempt>',
      'tax treatments [--region R] | treatment <region> <financeCost|reducesTaxableAmount> [--valid-from T]',
    ],
    flags: {
      region,
      at: text('T', 'only the rates in force at this instant (ISO-8601)'),
      file: text('F', 'a JSON file with the rate: rateId, category, rateBps, validFrom, validTo?, name? (see docs/tax.md)'),
      'valid-to': text('T', "the rate's new end (exclusive, ISO-8601)"),
      'valid-from': text('T', 'when a treatment of early-payment discounts starts (ISO-8601, not before now; default now)'),
    },
    examples: [
      'tax rates --region east',
      'tax treatment de reducesTaxableAmount --valid-from 2027-01-01T00:00:00Z',
      'tax publish east --file vat-2027.json',
      'tax end east east-std-13 --valid-to 2027-01-01T00:00:00Z',
      'tax category MANUAL-M reduced',
    ],
    load: () => import('./commands/tax'),
    run: async ({ taxCommand }, { sub, args, flags, now, open, out }) =>
      taxCommand(
        await open(),
        sub,
        args,
        { region: flags.region, at: flags.at, file: flags.file, validTo: flags['valid-to'], validFrom: flags['valid-from'], now },
        out,
      ),
  }),
  command({
    name: 'webhooks',
    summary: 'signed event deliveries to integrations, DingTalk and WeCom robots: list | create | deliveries | pause | resume | remove | send',
    subcommands: ['list', 'create', 'deliveries', 'pause', 'resume', 'remove', 'send'],
    usage: [
      'webhooks list | create --url U --events T1,T2|* [--name ID] [--partners P1,P2] [--regions R1,R2] | deliveries <id> [--status S]',
      'webhooks create --kind dingtalk|wecom --url U --events T1,T2 --console-url C [--secret S] [--language zh-CN|en] [--format markdown|card]',
      'webhooks pause|remove <id> --reason R | resume <id> | send',
    ],
    flags: {
      url: text('U', "where deliveries are POSTed (https); a robot's address as its platform shows it"),
      kind: text('K', 'signed (default), dingtalk or wecom (a group robot, see docs/integrations.md)'),
      secret: text('S', "a DingTalk robot's signing secret (加签, SEC...)"),
      language: text('L', "a robot's messages: zh-CN (default) or en"),
      'console-url': text('C', 'where the console is: robot messages link back to it'),
      format: text('F', "a robot's messages: markdown (default) or card (DingTalk ActionCard, WeCom template card, with a button)"),
      events: text('T1,T2|*', 'the event types to deliver, or * for all'),
      partners: text('P1,P2', 'only the events about these dealers (default: every dealer)'),
      regions: text('R1,R2', 'only the events about dealers of these regions (default: every region)'),
      name: text('ID', 'the webhook id (default: generated)'),
      reason: text('R', 'why it is paused or removed'),
      status: text('S', 'deliveries: pending, delivered, failed or cancelled'),
      limit: limit(50),
      cursor,
    },
    examples: [
      'webhooks create --url https://erp.example.com/dms --events OrderInvoiced,PaymentRecorded',
      "webhooks create --kind dingtalk --url 'https://oapi.dingtalk.com/robot/send?access_token=...' --secret SEC... --events OrderQueuedForReview --console-url https://dms.example.com",
      "webhooks create --kind dingtalk --url 'https://oapi.dingtalk.com/robot/send?access_token=...' --secret SEC... --events NotificationRaised --regions north --console-url https://dms.example.com",
      'webhooks deliveries erp --status failed',
    ],
    load: () => import('./commands/webhooks'),
    run: async ({ webhooksCommand }, { sub, args, flags, open, out }) => webhooksCommand(await open(), sub, args, flags, out),
  }),
  command({
    name: 'audit',
    long: true,
    summary: 'verify every hash chain and schema; any stream history; state as of a moment; signed exports an auditor verifies alone',
    subcommands: ['verify', 'history', 'state', 'export', 'verify-export', 'public-key', 'sample', 'sales'],
    usage: [
      'audit verify [--prefix P] [--anchor F] [--save-anchor F] [--limit N]',
      'audit history <streamId>',
      'audit state <streamId> [--at TIME] [--position N] [--json]   the state folded from the events recorded by then',
      'audit export --out F [--stream S] [--prefix P] [--partner P] [--from TIME] [--to TIME] [--csv]   a signed bundle (JSON Lines)',
      'audit verify-export <file> [--public-key KEY] [--csv] [--limit N]   needs no database',
      'audit public-key            the installation key bundles are signed with, to hand to auditors',
      'audit sample --period 2026-Q3 --seed S [--orders 25] [--out F]   a reproducible sample of orders with their histories',
      'audit sales --at TIME [--position N] [--by month|quarter|year]   sales by dealer and period as printed then, from the log',
    ],
    flags: {
      prefix: text('P', 'only streams whose id starts with P (order-, agreement-, ...)'),
      anchor: text('F', 'check against an anchor saved earlier: nothing removed or rewritten since'),
      'save-anchor': text('F', 'save an anchor of what was verified, to check against later'),
      limit: integer('N', 'problems to list at most', 50),
      at: text('TIME', 'as of this time: events recorded at or before it (2026-06-30T23:59:59Z; a date means its end, UTC)'),
      position: text('N', 'as of this global position: events at or before it (a history prints them)'),
      json: boolean('print the result as JSON'),
      out: text('F', 'the bundle file to write (JSON Lines)'),
      stream: text('S', 'export one stream'),
      partner: text('P', "export a dealer's streams: its partner, credit, orders, agreements, settlements, evaluations..."),
      from: text('TIME', 'export events recorded at or after this time (a date: its start, UTC)'),
      to: text('TIME', 'export events recorded at or before this time (a date: its end, UTC)'),
      csv: boolean('also write the CSV views beside the bundle: <name>.events.csv and <name>.order-lines.csv'),
      'public-key': text('KEY', 'the installation’s public key (PEM, base64 or a file) the signature must be made with'),
      period: text('PERIOD', 'sample the orders placed in this month (2026-07) or quarter (2026-Q3)'),
      seed: text('S', 'the seed of the draw: the same seed re-draws the same sample'),
      orders: integer('N', 'orders to sample', 25),
      by: text('PERIOD', 'audit sales: by month (default), quarter or year'),
    },
    examples: [
      'audit verify --save-anchor anchor.json',
      'audit verify --anchor anchor.json',
      'audit history agreement-AGR-nordic-flow-2026',
      'audit state order-SO-00042 --at 2026-06-30T23:59:59Z',
      'audit state credit-nordic-flow --position 18250 --json',
      'audit export --prefix order- --out orders.jsonl --csv',
      'audit export --partner nordic-flow --from 2026-07-01 --to 2026-09-30 --out nordic-flow-q3.jsonl',
      'audit verify-export orders.jsonl --public-key dms-audit.pem',
      'audit public-key > dms-audit.pem',
      'audit sample --orders 25 --period 2026-Q3 --seed 20261001 --out sample.json',
      'audit sales --at 2026-06-30 --by quarter',
    ],
    load: () => import('./commands/audit'),
    run: async (m, { sub, args, flags, now, open, out }) => {
      if (sub === 'verify')
        return m.auditVerify(await open(), { prefix: flags.prefix, anchor: flags.anchor, saveAnchor: flags['save-anchor'], limit: flags.limit }, out);
      if (sub === 'public-key') return m.auditPublicKey(await open(), out);
      if (sub === 'sample') {
        const sample = m.readSampleArgs({ period: flags.period, seed: flags.seed, orders: flags.orders });
        return m.auditSample(await open(), sample, { out: flags.out }, out);
      }
      if (sub === 'export') {
        if (!flags.out) throw new UsageError('dms audit export needs --out FILE.');
        const selection = m.readSelection(flags);
        return m.auditExport(await open(), selection, { out: flags.out, csv: flags.csv ?? false, now: now() }, out);
      }
      if (sub === 'sales') {
        const by = flags.by ?? 'month';
        if (by !== 'month' && by !== 'quarter' && by !== 'year') throw new UsageError(`dms audit sales: --by is month, quarter or year, not "${by}".`);
        const asOf = m.readAsOf({ at: flags.at, position: flags.position });
        return m.auditSales(await open(), asOf, by, out);
      }
      const [target] = args;
      if (sub === 'verify-export') {
        if (!target) throw new UsageError('dms audit verify-export needs the bundle file.');
        // No database: everything needed is in the bundle and this CLI.
        return m.auditVerifyExport(m.readVerifyArgs(target, flags['public-key']), { csv: flags.csv ?? false, limit: flags.limit }, out);
      }
      if (!target) throw new UsageError(`dms audit ${sub} needs a stream id (order-SO-00042, agreement-AGR-nordic-flow-2026, ...).`);
      if (sub === 'state') {
        const asOf = m.readAsOf({ at: flags.at, position: flags.position });
        return m.auditState(await open(), target, asOf, { json: flags.json }, out);
      }
      return m.auditHistory(await open(), target, out);
    },
  }),
  command({
    name: 'projections',
    long: true,
    summary: 'read models: status (checkpoints and lag) | rebuild (from position 0, then swap) | verify (against a replay)',
    subcommands: ['status', 'rebuild', 'verify'],
    usage: ['projections status', 'projections rebuild [name...] [--parallel 2]', 'projections verify [name...]'],
    flags: { parallel: integer('N', 'read models rebuilt at once, each on connections of its own (rebuild)', 2) },
    examples: ['projections status', 'projections rebuild orders stock_levels', 'projections rebuild --parallel 1', 'projections verify'],
    load: () => import('./commands/projections'),
    run: async ({ projectionsRebuild, projectionsStatus, projectionsVerify }, { sub, args, flags, open, out }) => {
      if (sub === 'status') return projectionsStatus(await open(), out);
      if (sub === 'rebuild' && flags.parallel < 1) throw new UsageError(`--parallel must be at least 1 (read models rebuilt at once), not ${flags.parallel}.`);
      return sub === 'rebuild' ? projectionsRebuild(await open(), args, { parallel: flags.parallel }, out) : projectionsVerify(await open(), args, out);
    },
  }),
];
