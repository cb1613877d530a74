import { firstUnknownPartner } from '@dms/app';
import { MessageLanguage, normalAudience, RegisterWebhook, RobotMessageFormat, WebhookAudience, WebhookKind } from '@dms/domain';
import { newId } from '@dms/eventstore';
import {
  type DmsRuntime,
  listWebhookDeliveries,
  listWebhooks,
  robotCredentialsFingerprint,
  sealRobotCredentials,
  secretFingerprint,
  splitRobotUrl,
  WebhookDispatcher,
  webhookSecret,
  webhookSigningKey,
} from '@dms/projections';
import { dateTime } from '../format';
import { renderTable } from '../ui/table';
import { operator } from './keys';

type Out = (line: string) => void;

export interface WebhookOptions {
  readonly url?: string | undefined;
  /** Comma-separated event types, or `*`. */
  readonly events?: string | undefined;
  readonly name?: string | undefined;
  readonly kind?: string | undefined;
  readonly secret?: string | undefined;
  readonly language?: string | undefined;
  readonly 'console-url'?: string | undefined;
  /** A robot's messages: markdown (default) or card. */
  readonly format?: string | undefined;
  /** Comma-separated: only the events about these dealers. */
  readonly partners?: string | undefined;
  /** Comma-separated: only the events about dealers of these regions. */
  readonly regions?: string | undefined;
  readonly reason?: string | undefined;
  readonly status?: string | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

const USAGE =
  'Use: dms webhooks list | create [--kind dingtalk|wecom] --url U --events T1,T2|* [--name ID] [--partners P1,P2] [--regions R1,R2] [--secret S --console-url C --language zh-CN|en --format markdown|card] | deliveries <id> [--status S] | pause|remove <id> --reason R | resume <id> | send';

/** `dms webhooks ...`: register and manage webhooks, see their deliveries, and send what is due now. */
export const webhooksCommand = async (runtime: DmsRuntime, sub: string | undefined, rest: readonly string[], o: WebhookOptions, out: Out): Promise<number> => {
  const at = new Date().toISOString();
  const run = async (command: Parameters<DmsRuntime['bus']['execute']>[0], done: string) => {
    const result = await runtime.bus.execute(command, { commandId: newId(), actor: operator() });
    if (result._tag === 'Left') {
      out(`Refused: ${result.left.code}: ${result.left.message}`);
      return 1;
    }
    out(done);
    return 0;
  };
  const id = rest[0];
  switch (sub) {
    case 'list': {
      await runtime.runner.catchUp();
      const hooks = await listWebhooks(runtime.runner.db);
      if (hooks.length === 0) {
        out('No webhooks. Register one: dms webhooks create --url https://... --events OrderInvoiced,PaymentRecorded');
        return 0;
      }
      out(
        renderTable(hooks, [
          { header: 'webhook', value: (w) => w.webhookId },
          { header: 'status', value: (w) => w.status },
          { header: 'kind', value: (w) => (w.robot ? `${w.kind} (${w.robot.language}${w.robot.format === 'card' ? ', card' : ''})` : w.kind) },
          { header: 'url', value: (w) => w.url },
          {
            header: 'events',
            value: (w) => (w.eventTypes.length > 3 ? `${w.eventTypes.slice(0, 3).join(', ')} +${w.eventTypes.length - 3}` : w.eventTypes.join(', ')),
          },
          { header: 'for', value: (w) => (w.audience ? [...w.audience.regions, ...w.audience.partnerIds].join(', ') : 'all') },
          { header: 'pending', value: (w) => w.deliveries.pending, align: 'right' },
          { header: 'delivered', value: (w) => w.deliveries.delivered, align: 'right' },
          { header: 'failed', value: (w) => w.deliveries.failed, align: 'right' },
          { header: 'last delivered', value: (w) => dateTime(w.lastDeliveredAt) },
        ]),
      );
      return 0;
    }
    case 'create': {
      if (!o.url || !o.events) {
        out(USAGE);
        return 64;
      }
      const webhookId = o.name ?? newId();
      const eventTypes = o.events.split(',').map((t) => t.trim());
      const kind = WebhookKind.safeParse(o.kind ?? 'signed');
      if (!kind.success) {
        out(`--kind must be signed, dingtalk or wecom, not ${o.kind}.`);
        return 64;
      }
      const audience = await audienceOf(runtime, o);
      if (typeof audience === 'string') {
        out(audience);
        return 64;
      }
      if (kind.data !== 'signed') return createRobot(runtime, kind.data, webhookId, eventTypes, audience, o, at, run, out);
      if (o.secret || o.language || o['console-url'] || o.format) {
        out('--secret, --language, --console-url and --format belong to a robot: add --kind dingtalk or --kind wecom.');
        return 64;
      }
      const code = await run(
        { type: 'RegisterWebhook', data: { webhookId, url: o.url, eventTypes, ...(audience ? { audience } : {}), registeredAt: at } },
        `Webhook ${webhookId} registered${audience ? ` for ${forWhom(audience)}` : ''}.`,
      );
      if (code !== 0) return code;
      const secret = webhookSecret(await webhookSigningKey(runtime.runner.db), webhookId, 1);
      out(`Signing secret (shown once; fingerprint ${secretFingerprint(secret)}):`);
      out('');
      out(`  ${secret}`);
      out('');
      out('Verify DMS-Signature on every request: see docs/webhooks.md. `dms serve` sends deliveries; so does `dms webhooks send`.');
      return 0;
    }
    case 'deliveries': {
      if (!id) break;
      await runtime.runner.catchUp();
      const status = o.status as 'pending' | 'delivered' | 'failed' | 'cancelled' | undefined;
      const page = await listWebhookDeliveries(runtime.runner.db, { webhookId: id, status, limit: o.limit, cursor: o.cursor });
      if (page.items.length === 0) {
        out(`No deliveries${status ? ` ${status}` : ''} for webhook ${id}.`);
        return 0;
      }
      out(
        renderTable(page.items, [
          { header: 'position', value: (d) => d.position, align: 'right' },
          { header: 'event', value: (d) => d.eventType },
          { header: 'stream', value: (d) => d.streamId },
          { header: 'status', value: (d) => d.status },
          { header: 'attempts', value: (d) => d.attempts, align: 'right' },
          { header: 'last answer', value: (d) => d.lastError ?? (d.lastStatus === null ? '' : `HTTP ${d.lastStatus}`) },
          { header: 'next attempt', value: (d) => dateTime(d.nextAttemptAt) },
          { header: 'delivered', value: (d) => dateTime(d.deliveredAt) },
        ]),
      );
      if (page.nextCursor) out(`… more: --cursor ${page.nextCursor}`);
      return 0;
    }
    case 'pause':
    case 'remove':
      if (!id || !o.reason) break;
      return sub === 'pause'
        ? run({ type: 'PauseWebhook', data: { webhookId: id, reason: o.reason, pausedAt: at } }, `Webhook ${id} paused: deliveries queue up until it resumes.`)
        : run(
            { type: 'RemoveWebhook', data: { webhookId: id, reason: o.reason, removedAt: at } },
            `Webhook ${id} removed; its pending deliveries are cancelled.`,
          );
    case 'resume':
      if (!id) break;
      return run({ type: 'ResumeWebhook', data: { webhookId: id, resumedAt: at } }, `Webhook ${id} resumed.`);
    case 'send': {
      await runtime.runner.catchUp();
      const dispatcher = new WebhookDispatcher(runtime.runner.db, { signingKey: await webhookSigningKey(runtime.runner.db) });
      const total = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
      for (;;) {
        const pass = await dispatcher.dispatchDue();
        for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += pass[k];
        if (pass.attempted === 0) break;
      }
      out(`Sent what was due: ${total.attempted} attempts, ${total.delivered} delivered, ${total.retrying} to retry later, ${total.failed} given up.`);
      return total.retrying + total.failed > 0 ? 2 : 0;
    }
  }
  out(USAGE);
  return 64;
};

/** `--partners` and `--regions` as an audience (none given: undefined, every event), or what is wrong with them. */
const audienceOf = async (runtime: DmsRuntime, o: WebhookOptions): Promise<WebhookAudience | undefined | string> => {
  if (o.partners === undefined && o.regions === undefined) return undefined;
  const list = (v: string | undefined) =>
    (v ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x.length > 0);
  const parsed = WebhookAudience.safeParse({ partnerIds: list(o.partners), regions: list(o.regions) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = issue.path[0] === 'partnerIds' ? '--partners' : issue.path[0] === 'regions' ? '--regions' : '--partners/--regions';
    return `${flag}: ${issue.message}.`;
  }
  const unknown = await firstUnknownPartner(runtime.store, parsed.data.partnerIds ?? []);
  if (unknown) return `--partners: no partner ${unknown.partnerId} has been onboarded.`;
  return normalAudience(parsed.data);
};

const forWhom = (a: WebhookAudience) => [...(a.regions ?? []), ...(a.partnerIds ?? [])].join(', ');

/** A DingTalk or WeCom robot: its credentials come from the address (and DingTalk's secret), sealed before the command. */
const createRobot = async (
  runtime: DmsRuntime,
  kind: 'dingtalk' | 'wecom',
  webhookId: string,
  eventTypes: string[],
  audience: WebhookAudience | undefined,
  o: WebhookOptions,
  at: string,
  run: (command: Parameters<DmsRuntime['bus']['execute']>[0], done: string) => Promise<number>,
  out: Out,
): Promise<number> => {
  const language = MessageLanguage.safeParse(o.language ?? 'zh-CN');
  if (!language.success) {
    out(`--language must be zh-CN or en, not ${o.language}.`);
    return 64;
  }
  const format = RobotMessageFormat.safeParse(o.format ?? 'markdown');
  if (!format.success) {
    out(`--format must be markdown or card, not ${o.format}.`);
    return 64;
  }
  if (!o['console-url']) {
    out('--console-url is required for a robot: its messages link back to the console (https://dms.example.com).');
    return 64;
  }
  if (!URL.canParse(o.url!)) {
    out(`--url is not an address: ${o.url}`);
    return 64;
  }
  const split = splitRobotUrl(kind, o.url!, o.secret);
  if ('error' in split) {
    out(`--${split.field}: ${split.error}.`);
    return 64;
  }
  const robot = {
    credentials: sealRobotCredentials(await webhookSigningKey(runtime.runner.db), webhookId, split.credentials),
    credentialsFingerprint: robotCredentialsFingerprint(split.credentials),
    language: language.data,
    consoleUrl: o['console-url'],
    ...(format.data === 'card' ? { format: format.data } : {}),
  };
  const command = RegisterWebhook.safeParse({
    type: 'RegisterWebhook',
    data: { webhookId, url: split.url, eventTypes, kind, robot, ...(audience ? { audience } : {}), registeredAt: at },
  });
  if (!command.success) {
    out(`Refused: ${command.error.issues.map((i) => `${i.path.slice(1).join('.')}: ${i.message}`).join('; ')}`);
    return 64;
  }
  return run(
    command.data,
    `Webhook ${webhookId} registered${audience ? ` for ${forWhom(audience)}` : ''}: ${kind} robot (credentials ${robot.credentialsFingerprint}, kept sealed), messages in ${language.data}${format.data === 'card' ? ', as cards' : ''}. \`dms serve\` sends them; so does \`dms webhooks send\`.`,
  );
};
