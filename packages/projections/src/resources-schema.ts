/**
 * Read-model tables of the resource library (docs/resources.md). Part of `ReadModels` (see `schema.ts`). Targeting lists
 * are jsonb arrays of ids; contents are the events' own (a file's digest, name, type and size, or a link).
 */

/** One row per resource, with its current version's content. */
export interface ResourcesTable {
  resource_id: string;
  kind: string;
  title: string;
  description: string | null;
  status: 'draft' | 'published' | 'withdrawn';
  tiers: unknown;
  regions: unknown;
  partner_ids: unknown;
  requires_acknowledgement: boolean;
  current_version: number;
  content: unknown;
  created_by: string;
  created_at: string;
  published_at: string | null;
  withdrawn_at: string | null;
  withdraw_reason: string | null;
  updated_at: string;
  version: number;
}

export interface ResourceVersionsTable {
  resource_id: string;
  version: number;
  content: unknown;
  note: string | null;
  added_by: string;
  added_at: string;
}

/** One row per dealer and version acknowledged. */
export interface ResourceAcknowledgementsTable {
  resource_id: string;
  version: number;
  partner_id: string;
  acknowledged_by: string;
  acknowledged_at: string;
}
