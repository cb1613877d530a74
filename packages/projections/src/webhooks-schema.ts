/** Webhook subscriptions as the outbox sees them, and one delivery per subscription and event it wants. */
export interface WebhooksTable {
  webhook_id: string;
  url: string;
  event_types: string[];
  description: string | null;
  status: 'active' | 'paused' | 'removed';
  /** `signed` (DMS's own signed JSON), `dingtalk` or `wecom` (a group robot). */
  kind: 'signed' | 'dingtalk' | 'wecom';
  /** A robot's settings: sealed credentials and their fingerprint, language, the console's address, markdown or card. */
  robot: { credentials: string; credentialsFingerprint: string; language: 'zh-CN' | 'en'; consoleUrl: string; format?: 'markdown' | 'card' } | null;
  /** Whom it is for (dealers, regions); null: every event of its types. */
  audience: { partnerIds?: string[]; regions?: string[] } | null;
  secret_version: number;
  registered_at: string;
  updated_at: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

export interface WebhookDeliveriesTable {
  webhook_id: string;
  event_id: string;
  /** Global position of the event (text, a 64-bit unsigned integer): the order to apply deliveries in. */
  position: string;
  event_type: string;
  stream_id: string;
  /** The JSON body sent. */
  payload: unknown;
  status: DeliveryStatus;
  attempts: number;
  /** When the next attempt is due; while an attempt runs, the end of its lease. */
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

/** The dealer a stream is about, from the stream's first event (`OrderPlaced` names the order's dealer): the outbox's own. */
export interface WebhookStreamPartnersTable {
  stream_id: string;
  partner_id: string;
}

/** Each dealer's region, from `PartnerOnboarded` (a region never changes): the outbox's own. */
export interface WebhookPartnerRegionsTable {
  partner_id: string;
  region: string;
}
