import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { MessageLanguage, RobotMessageFormat, WebhookKind } from '@dms/domain';
import { type RenderableEvent, renderEvent } from './connector-templates';

/**
 * DingTalk and WeCom group robots as webhook kinds (docs/integrations.md): where each keeps its credentials, how a request
 * is authenticated as each platform documents, the message each receives, and what its answer means.
 */
export type RobotKind = Exclude<WebhookKind, 'signed'>;

/** What a robot's address and settings hold. DingTalk: `access_token` and the `SEC...` signing secret; WeCom: `key`. */
export type RobotCredentials =
  | { readonly kind: 'dingtalk'; readonly accessToken: string; readonly secret: string }
  | { readonly kind: 'wecom'; readonly key: string };

/**
 * Splits a robot's address as the platform shows it (`https://oapi.dingtalk.com/robot/send?access_token=...`,
 * `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...`) into the address without its credential, which may be shown
 * and kept in the events, and the credentials, which are sealed. A string when something is missing, naming it.
 */
export const splitRobotUrl = (
  kind: RobotKind,
  url: string,
  secret: string | undefined,
): { readonly url: string; readonly credentials: RobotCredentials } | { readonly error: string; readonly field: 'url' | 'secret' } => {
  const parsed = new URL(url);
  const param = kind === 'dingtalk' ? 'access_token' : 'key';
  const value = parsed.searchParams.get(param);
  if (!value) return { error: `a ${kind} robot's address carries its ${param} (copy it whole from the robot's settings)`, field: 'url' };
  parsed.searchParams.delete(param);
  if (kind === 'wecom') {
    if (secret) return { error: 'a WeCom robot has no signing secret: its key in the address authenticates DMS', field: 'secret' };
    return { url: parsed.toString(), credentials: { kind, key: value } };
  }
  if (!secret) return { error: "a DingTalk robot's signing secret (加签, SEC...) is required: DMS signs every message with it", field: 'secret' };
  return { url: parsed.toString(), credentials: { kind, accessToken: value, secret } };
};

const sealingKey = (signingKey: string) => createHmac('sha256', signingKey).update('dms robot credentials v1').digest();

/**
 * Seals a robot's credentials with the installation's key (AES-256-GCM, bound to the webhook id), so that they can travel
 * in a command and an event without being readable there: `v1.<iv>.<ciphertext>.<tag>`.
 */
export const sealRobotCredentials = (signingKey: string, webhookId: string, credentials: RobotCredentials): string => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(signingKey), iv).setAAD(Buffer.from(webhookId));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
  return ['v1', iv, ciphertext, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
};

/** Opens what {@link sealRobotCredentials} sealed; throws, saying why, under another installation key or another webhook. */
export const openRobotCredentials = (signingKey: string, webhookId: string, sealed: string): RobotCredentials => {
  const [version, iv, ciphertext, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !ciphertext || !tag) throw new Error('robot credentials are not sealed as v1.<iv>.<ciphertext>.<tag>');
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(signingKey), Buffer.from(iv, 'base64url')).setAAD(Buffer.from(webhookId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8')) as RobotCredentials;
  } catch {
    throw new Error('robot credentials cannot be opened with this installation key (was DMS_WEBHOOK_KEY changed?): register the robot again');
  }
};

/** Safe to show: which robot a subscription posts to, without revealing its credentials. */
export const robotCredentialsFingerprint = (credentials: RobotCredentials): string =>
  createHash('sha256').update(JSON.stringify(credentials)).digest('hex').slice(0, 12);

/**
 * DingTalk's signed robot: `sign` = base64(HMAC-SHA256 of "<timestamp>\n<secret>" under the secret), URL-encoded, with
 * `timestamp` in milliseconds, both on the query string (the platform refuses a timestamp more than an hour off).
 */
export const dingtalkSign = (secret: string, timestampMs: number): string => createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');

/** The address a message is posted to: the registered one with the credentials (and DingTalk's signature) added. */
export const robotRequestUrl = (baseUrl: string, credentials: RobotCredentials, now: Date): string => {
  const url = new URL(baseUrl);
  if (credentials.kind === 'wecom') url.searchParams.set('key', credentials.key);
  else {
    url.searchParams.set('access_token', credentials.accessToken);
    url.searchParams.set('timestamp', String(now.getTime()));
    // URLSearchParams percent-encodes it (+, / and = of base64 included), as the platform asks.
    url.searchParams.set('sign', dingtalkSign(credentials.secret, now.getTime()));
  }
  return url.toString();
};

/** Both platforms cap a markdown message (WeCom at 4096 bytes of content); a longer one is cut at a line, saying so. */
const MAX_MESSAGE_BYTES = 3800;

const fit = (lines: readonly string[], language: MessageLanguage, budget: number): string => {
  const kept: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line, 'utf8') + 1;
    if (bytes + size > budget) {
      kept.push(language === 'zh-CN' ? '……(内容过长,请在控制台查看)' : '… (too long: see the console)');
      break;
    }
    kept.push(line);
    bytes += size;
  }
  return kept.join('\n');
};

/** WeCom advises a template card's second-level text of at most 112 characters; the console has the rest. */
const WECOM_CARD_TEXT = 112;

/**
 * The body a robot receives for an event, in the platform's own envelope, linking back to the console: markdown ending
 * with the link; or, as a `card`, DingTalk's ActionCard (the markdown, with one button: `singleTitle`, `singleURL`) or
 * WeCom's `text_notice` template card (title, the lines as its second-level text, the card and its one jump opening the
 * console). Formats: docs/integrations.md ("Sources").
 */
export const robotMessage = (
  kind: RobotKind,
  language: MessageLanguage,
  consoleUrl: string,
  event: RenderableEvent,
  format: RobotMessageFormat = 'markdown',
): unknown => {
  const m = renderEvent(language, consoleUrl, event);
  const lines = [`### ${m.title}`, '', ...m.lines.map((l) => `- ${l}`)];
  if (format === 'card') {
    if (kind === 'dingtalk')
      return {
        msgtype: 'actionCard',
        actionCard: { title: m.title, text: fit(lines, language, MAX_MESSAGE_BYTES), singleTitle: m.link.label, singleURL: m.link.url },
      };
    const text = m.lines.join('\n');
    return {
      msgtype: 'template_card',
      template_card: {
        card_type: 'text_notice',
        main_title: { title: m.title },
        ...(text ? { sub_title_text: [...text].length > WECOM_CARD_TEXT ? `${[...text].slice(0, WECOM_CARD_TEXT - 1).join('')}…` : text } : {}),
        jump_list: [{ type: 1, title: m.link.label, url: m.link.url }],
        card_action: { type: 1, url: m.link.url },
      },
    };
  }
  const link = `[${m.link.label}](${m.link.url})`;
  const text = `${fit(lines, language, MAX_MESSAGE_BYTES - Buffer.byteLength(link) - 2)}\n\n${link}`;
  return kind === 'dingtalk' ? { msgtype: 'markdown', markdown: { title: m.title, text } } : { msgtype: 'markdown', markdown: { content: text } };
};

/** What a robot's answer means: delivered, to be retried later (rate limit, platform busy), or refused for good. */
export type RobotOutcome = { readonly outcome: 'delivered' } | { readonly outcome: 'retry' | 'rejected'; readonly error: string };

/**
 * Both platforms answer HTTP 200 with `{"errcode": 0, "errmsg": "ok"}` on success and a non-zero `errcode` otherwise.
 * Retried: the rate limits (DingTalk 130101 "send too fast", WeCom 45009 "api freq out of limit") and "system busy" (-1).
 * Anything else (a wrong signature or key, a bad message) will not succeed by sending it again: it is rejected.
 */
const RETRYABLE: Record<RobotKind, readonly number[]> = { dingtalk: [-1, 130101], wecom: [-1, 45009] };

export const interpretRobotAnswer = (kind: RobotKind, body: string): RobotOutcome => {
  let answer: { errcode?: unknown; errmsg?: unknown };
  try {
    answer = JSON.parse(body) as typeof answer;
  } catch {
    return { outcome: 'retry', error: `${kind} answered something other than JSON` };
  }
  if (answer.errcode === 0) return { outcome: 'delivered' };
  const code = typeof answer.errcode === 'number' ? answer.errcode : Number.NaN;
  const error = `${kind} errcode ${String(answer.errcode)}: ${String(answer.errmsg ?? '').slice(0, 300)}`;
  return { outcome: RETRYABLE[kind].includes(code) ? 'retry' : 'rejected', error };
};
