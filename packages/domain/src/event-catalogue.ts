import { z } from 'zod';
import { ApiKeyEvent } from './access/api-keys';
import { EmailRegistryEvent } from './access/email-registry';
import { SessionEvent } from './access/sessions';
import { UserEvent } from './access/users';
import { AgreementEvent, ScopeRegistryEvent, TerritoryRegistryEvent } from './agreements';
import { DealerPriceListEvent, PriceListEvent, ProductEvent } from './catalogue';
import { CommissionEvent } from './commissions';
import { CreditEvent } from './credit';
import { DealerAccountEvent } from './dealer-accounts';
import { EvaluationEvent } from './evaluations';
import { BackorderIndexEvent } from './fulfilment/backorder-index';
import { NotificationEvent } from './notifications';
import { OrderEvent } from './orders';
import { PartnerEvent } from './partners';
import { ScorecardConfigEvent } from './performance/config';
import { PromotionEvent, PromotionRegistryEvent } from './promotions';
import { ResourceEvent } from './resources';
import { RevenueSplitEvent } from './revenue-splits';
import { SettlementEvent } from './settlements';
import { StockEvent } from './stock';
import { TaxRateEvent } from './tax';
import { ThreadEvent } from './threads';
import { SourcingEvent, WarehouseEvent } from './warehouses';
import { WebhookEvent } from './webhooks';

/** The event families, with the stream each lives in. */
export const EVENT_FAMILIES = [
  { name: 'Partners', stream: 'partner-<partnerId>', union: PartnerEvent },
  { name: 'Collaboration threads', stream: 'thread-<threadId>', union: ThreadEvent },
  { name: 'Products', stream: 'product-<sku>', union: ProductEvent },
  { name: 'Tier price lists', stream: 'pricelist-<tier>', union: PriceListEvent },
  { name: "A dealer's own price list", stream: 'dealerprices-<partnerId>', union: DealerPriceListEvent },
  { name: 'Tax rates of a region (jurisdiction)', stream: 'taxrates-<region>', union: TaxRateEvent },
  { name: 'Orders', stream: 'order-<orderId>', union: OrderEvent },
  { name: 'Promotions (terms and budget)', stream: 'promotion-<promotionId>', union: PromotionEvent },
  { name: 'Promotion registry', stream: 'promotionregistry-manufacturer', union: PromotionRegistryEvent },
  { name: 'API keys', stream: 'apikey-<keyId>', union: ApiKeyEvent },
  { name: 'Users', stream: 'user-<userId>', union: UserEvent },
  { name: 'Who holds which e-mail address', stream: 'emailregistry-users', union: EmailRegistryEvent },
  { name: 'Sign-in sessions', stream: 'session-<sessionId>', union: SessionEvent },
  { name: 'Warehouses', stream: 'warehouse-<warehouseId>', union: WarehouseEvent },
  { name: 'Regional sourcing order', stream: 'sourcing-<region>', union: SourcingEvent },
  { name: 'Stock', stream: 'stock-<warehouseId>.<sku>', union: StockEvent },
  { name: 'Where backorders of a SKU wait', stream: 'backorderindex-<sku>', union: BackorderIndexEvent },
  { name: 'Agreements', stream: 'agreement-<agreementId>', union: AgreementEvent },
  { name: 'Agreement registry of a dealer', stream: 'agreementregistry-<partnerId>', union: ScopeRegistryEvent },
  { name: 'Territory registry of the channel', stream: 'territoryregistry-manufacturer', union: TerritoryRegistryEvent },
  { name: 'Credit exposure of a dealer', stream: 'credit-<partnerId>', union: CreditEvent },
  { name: "A dealer's receivables account (payments across orders, unapplied credit)", stream: 'account-<partnerId>', union: DealerAccountEvent },
  { name: 'Revenue split of an order', stream: 'revenuesplit-<orderId>', union: RevenueSplitEvent },
  { name: 'Settlement statements', stream: 'settlement-<partnerId>.<period>', union: SettlementEvent },
  { name: 'Commission statements of a sales agent', stream: 'commission-<agentId>.<period>', union: CommissionEvent },
  { name: 'Performance evaluations (order plan, scorecard, review)', stream: 'evaluation-<partnerId>.<period>', union: EvaluationEvent },
  { name: 'Scorecard templates and the tier ladder', stream: 'scorecardconfig-manufacturer', union: ScorecardConfigEvent },
  { name: 'Webhook subscriptions', stream: 'webhook-<webhookId>', union: WebhookEvent },
  { name: 'Notifications (inbox)', stream: 'notification-<notificationId>', union: NotificationEvent },
  { name: 'Resource library (documents and links shared with dealers)', stream: 'resource-<resourceId>', union: ResourceEvent },
] as const;

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  description?: string;
}

const typeOf = (s: JsonSchema): string => {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ');
  if (s.format) return `${s.type ?? 'string'} (${s.format})`;
  if (s.type === 'array') return `array of ${s.items ? typeOf(s.items) : 'any'}`;
  if (s.type === 'integer' && s.minimum !== undefined && s.maximum !== undefined && s.maximum < 1e9) return `integer ${s.minimum}..${s.maximum}`;
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
};

const rows = (schema: JsonSchema, prefix: string, out: string[]): void => {
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const path = `${prefix}${key}`;
    const required = schema.required?.includes(key) ? 'yes' : 'no';
    const isMoney = prop.properties?.amountMinor && prop.properties?.currency;
    if (isMoney) {
      out.push(`| \`${path}\` | Money: integer \`amountMinor\` + ISO-4217 \`currency\` | ${required} |`);
      continue;
    }
    if (prop.type === 'object' && prop.properties) {
      out.push(`| \`${path}\` | object | ${required} |`);
      rows(prop, `${path}.`, out);
    } else if (prop.type === 'array' && prop.items?.type === 'object' && prop.items.properties) {
      out.push(`| \`${path}\` | array of objects | ${required} |`);
      rows(prop.items, `${path}[].`, out);
    } else {
      out.push(`| \`${path}\` | ${typeOf(prop)} | ${required} |`);
    }
  }
};

/** The event catalogue as Markdown, generated from the zod schemas: `docs/events.md` is this text, checked by a test. */
export const renderEventCatalogue = (): string => {
  const lines: string[] = [
    '# Event catalogue',
    '',
    'Generated from the zod schemas in `packages/domain` by `pnpm docs:events`; a test fails when this file is out of date.',
    'Every event is stored as JSON with the metadata described in [architecture.md](architecture.md#events-and-metadata).',
    'Money is integer minor units with an ISO-4217 currency; timestamps are ISO-8601 strings; quantities are integers.',
    '',
  ];
  for (const family of EVENT_FAMILIES) {
    lines.push(`## ${family.name}`, '', `Stream: \`${family.stream}\``, '');
    for (const option of family.union.options) {
      const type = option.shape.type.value;
      const schema = z.toJSONSchema(option.shape.data, { unrepresentable: 'any', io: 'output' }) as JsonSchema;
      lines.push(`### ${type}`, '', '| field | type | required |', '|---|---|---|');
      rows(schema, 'data.', lines);
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
};
