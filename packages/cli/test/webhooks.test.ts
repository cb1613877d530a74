import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDms } from './support';

const dir = mkdtempSync(join(tmpdir(), 'dms-webhooks-'));
const bodies: string[] = [];
let answer = 204;
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    bodies.push(body);
    if (req.url?.startsWith('/cgi-bin/webhook/send?key=robot-key')) {
      // A WeCom robot: 200, and what happened in the body.
      res.setHeader('content-type', 'application/json');
      res.end('{"errcode":0,"errmsg":"ok"}');
      return;
    }
    res.statusCode = answer;
    res.end();
  });
});
let url = '';

beforeAll(async () => {
  process.env.DMS_DATA_DIR = join(dir, 'data');
  delete process.env.DATABASE_URL;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  delete process.env.DMS_DATA_DIR;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('dms webhooks', () => {
  it('registers a webhook, shows its secret once, sends what is due and lists the deliveries', async () => {
    const created = await runDms('webhooks', 'create', '--url', url, '--events', 'ApiKeyIssued', '--name', 'audit-feed');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Webhook audit-feed registered.');
    expect(created.stdout).toMatch(/^ {2}whsec_\S+$/m);
    expect((await runDms('keys', 'create', '--role', 'auditor', '--name', 'ext')).code).toBe(0);

    const sent = await runDms('webhooks', 'send');
    expect(sent.stdout).toContain('Sent what was due: 1 attempts, 1 delivered, 0 to retry later, 0 given up.');
    expect(JSON.parse(bodies[0]!)).toMatchObject({ type: 'ApiKeyIssued', data: { role: 'auditor' } });
    expect(bodies[0]).not.toContain('dms_');

    const list = await runDms('webhooks', 'list');
    expect(list.stdout).toMatch(/audit-feed\s+active\s+signed\s+http:\/\/127\.0\.0\.1:\d+\/hook\s+ApiKeyIssued\s+all\s+0\s+1\s+0/);
    const deliveries = await runDms('webhooks', 'deliveries', 'audit-feed');
    expect(deliveries.stdout).toMatch(/ApiKeyIssued\s+apikey-\S+\s+delivered\s+1\s+HTTP 204/);
  });

  it('reports a subscriber that fails, and pauses, resumes and removes', async () => {
    answer = 500;
    await runDms('keys', 'create', '--role', 'auditor', '--name', 'ext2');
    const sent = await runDms('webhooks', 'send');
    expect(sent.code).toBe(2);
    expect(sent.stdout).toContain('1 to retry later');
    expect((await runDms('webhooks', 'deliveries', 'audit-feed', '--status', 'pending')).stdout).toMatch(/pending\s+1\s+HTTP 500/);
    expect((await runDms('webhooks', 'pause', 'audit-feed', '--reason', 'SIEM upgrade')).stdout).toContain('paused');
    expect((await runDms('webhooks', 'pause', 'audit-feed', '--reason', 'again')).stdout).toContain('Refused: WEBHOOK_ALREADY_PAUSED');
    expect((await runDms('webhooks', 'resume', 'audit-feed')).code).toBe(0);
    expect((await runDms('webhooks', 'remove', 'audit-feed', '--reason', 'replaced')).stdout).toContain('pending deliveries are cancelled');
    expect((await runDms('webhooks', 'list')).stdout).toMatch(/audit-feed\s+removed/);
    expect((await runDms('webhooks', 'create', '--url', url)).code).toBe(64);
  });

  it('registers a WeCom robot from its address and posts it markdown messages; refuses a DingTalk robot without its secret', async () => {
    answer = 204;
    const base = url.replace('/hook', '');
    const robotUrl = `${base}/cgi-bin/webhook/send?key=robot-key`;
    /** `dms webhooks create` of a chat robot: its kind, address and events, the console's address for links, then `more`. */
    const createRobot = (kind: string, address: string, events: string, ...more: string[]) =>
      runDms('webhooks', 'create', '--kind', kind, '--url', address, '--events', events, '--console-url', 'https://dms.example.com', ...more);
    // The same robot's group twice: markdown messages in English, then text-notice template cards (in zh-CN, the default)
    // whose action opens the console. Each is registered, sent the event of a new key and listed.
    const formats = [
      {
        name: 'ops-group',
        more: ['--language', 'en'],
        registered: /Webhook ops-group registered: wecom robot \(credentials [0-9a-f]{12}, kept sealed\), messages in en/,
        posted: { msgtype: 'markdown', markdown: expect.objectContaining({ content: expect.stringContaining('https://dms.example.com/console') }) },
        listed: /ops-group\s+active\s+wecom \(en\)/,
      },
      {
        name: 'ops-cards',
        more: ['--format', 'card'],
        registered: /Webhook ops-cards registered: wecom robot \(credentials [0-9a-f]{12}, kept sealed\), messages in zh-CN, as cards/,
        posted: {
          msgtype: 'template_card',
          template_card: expect.objectContaining({
            card_type: 'text_notice',
            card_action: { type: 1, url: expect.stringContaining('https://dms.example.com/console') },
          }),
        },
        listed: /ops-cards\s+active\s+wecom \(zh-CN, card\)/,
      },
    ];
    for (const [i, format] of formats.entries()) {
      const created = await createRobot('wecom', robotUrl, 'ApiKeyIssued', '--name', format.name, ...format.more);
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(format.registered);
      bodies.length = 0;
      await runDms('keys', 'create', '--role', 'auditor', '--name', `ext${3 + i}`);
      // Every robot registered so far is sent the new key's event.
      expect((await runDms('webhooks', 'send')).stdout).toContain(`${i + 1} delivered`);
      expect(bodies.map((b) => JSON.parse(b) as unknown)).toContainEqual(expect.objectContaining(format.posted));
      const list = (await runDms('webhooks', 'list')).stdout;
      expect(list).toMatch(format.listed);
      expect(list).not.toContain('robot-key');
    }

    const noSecret = await createRobot('dingtalk', `${base}/robot/send?access_token=t`, 'OrderPlaced');
    expect(noSecret.code).toBe(64);
    expect(noSecret.stdout).toContain('--secret:');
    const badFormat = await createRobot('wecom', `${base}/x?key=k`, 'OrderPlaced', '--format', 'html');
    expect(badFormat.code).toBe(64);
    expect(badFormat.stdout).toContain('--format must be markdown or card, not html.');
  });

  it('registers a webhook for some regions only, shows whom it is for, and refuses an empty audience or an unknown dealer', async () => {
    const created = await runDms('webhooks', 'create', '--url', url, '--events', 'NotificationRaised', '--regions', 'north,east', '--name', 'north-team');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Webhook north-team registered for east, north.');
    expect((await runDms('webhooks', 'list')).stdout).toMatch(/north-team\s+active\s+signed\s+\S+\s+NotificationRaised\s+east, north\s+0/);

    const empty = await runDms('webhooks', 'create', '--url', url, '--events', 'OrderPlaced', '--regions', ',');
    expect(empty.code).toBe(64);
    expect(empty.stdout).toContain('--partners/--regions: name at least one dealer (partnerIds) or region (regions)');
    const ghost = await runDms('webhooks', 'create', '--url', url, '--events', 'OrderPlaced', '--partners', 'ghost-dealer');
    expect(ghost.code).toBe(64);
    expect(ghost.stdout).toContain('--partners: no partner ghost-dealer has been onboarded.');
  });
});
