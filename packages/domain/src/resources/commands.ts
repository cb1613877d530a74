import { z } from 'zod';
import { RegionId, TierId } from '../partners/commands';
import { Actor, Id, IsoDateTime } from '../shared/ids';
import { HttpUrl, NonEmptyText, Text } from '../shared/text';

/** What a resource is for; the library groups and filters by it. */
export const RESOURCE_KINDS = ['price_policy', 'product_sheet', 'training', 'marketing_kit', 'market_info'] as const;
export const ResourceKind = z.enum(RESOURCE_KINDS);
export type ResourceKind = z.infer<typeof ResourceKind>;

/** The content types a stored file may have. Anything a browser would run or render as a page (HTML, SVG, scripts) is not among them. */
export const RESOURCE_CONTENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'text/plain',
  'text/csv',
  'video/mp4',
] as const;
export const ResourceContentType = z.enum(RESOURCE_CONTENT_TYPES);
export type ResourceContentType = z.infer<typeof ResourceContentType>;

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha-256 digest: 64 lowercase hex digits');

/** A file name as shown and offered for download: no path separators or control characters. */
const hasPathOrControl = (s: string): boolean => s.includes('/') || s.includes('\\') || [...s].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);
export const FileName = NonEmptyText(200).refine((s) => !hasPathOrControl(s), 'must not contain "/", "\\" or control characters');

/** One version's content: a file stored by its sha-256 (the bytes live in the content store, not in the event), or a link. */
export const ResourceContent = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('file'),
    sha256: Sha256,
    fileName: FileName,
    contentType: ResourceContentType,
    sizeBytes: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  }),
  z.strictObject({ type: z.literal('link'), url: HttpUrl.describe('http(s) address of the document') }),
]);
export type ResourceContent = z.infer<typeof ResourceContent>;

export const MAX_TARGETS = 200;

/**
 * Who a resource is for. Empty everywhere: every dealer. Otherwise a dealer is targeted when it is named in `partnerIds`,
 * or when tiers or regions are given and the dealer matches each that is given (its tier among `tiers`, its region among
 * `regions`).
 */
export const ResourceTargeting = z.strictObject({
  tiers: z.array(TierId).max(MAX_TARGETS).default([]),
  regions: z.array(RegionId).max(MAX_TARGETS).default([]),
  partnerIds: z.array(Id).max(MAX_TARGETS).default([]),
});
export type ResourceTargeting = z.infer<typeof ResourceTargeting>;

/** The dealer as the application read it: its tier and region decide what targets it. */
export const TargetedDealer = z.strictObject({ partnerId: Id, tier: TierId, region: RegionId });
export type TargetedDealer = z.infer<typeof TargetedDealer>;

export const ResourceTitle = NonEmptyText(200);
export const ResourceDescription = Text(2000);
export const VersionNote = Text(500);

export const CreateResource = z.strictObject({
  type: z.literal('CreateResource'),
  data: z.strictObject({
    resourceId: Id,
    kind: ResourceKind,
    title: ResourceTitle,
    description: ResourceDescription.optional(),
    targeting: ResourceTargeting,
    requiresAcknowledgement: z.boolean().default(false),
    /** Version 1. */
    content: ResourceContent,
    note: VersionNote.optional(),
    by: Actor,
    createdAt: IsoDateTime,
  }),
});
export type CreateResource = z.infer<typeof CreateResource>;

export const AddResourceVersion = z.strictObject({
  type: z.literal('AddResourceVersion'),
  data: z.strictObject({ resourceId: Id, content: ResourceContent, note: VersionNote.optional(), by: Actor, addedAt: IsoDateTime }),
});

export const ChangeResourceTargeting = z.strictObject({
  type: z.literal('ChangeResourceTargeting'),
  data: z.strictObject({ resourceId: Id, targeting: ResourceTargeting, by: Actor, changedAt: IsoDateTime }),
});

export const PublishResource = z.strictObject({
  type: z.literal('PublishResource'),
  data: z.strictObject({ resourceId: Id, by: Actor, publishedAt: IsoDateTime }),
});

export const WithdrawResource = z.strictObject({
  type: z.literal('WithdrawResource'),
  data: z.strictObject({ resourceId: Id, reason: Text(500).optional(), by: Actor, withdrawnAt: IsoDateTime }),
});

/** A dealer confirms it has read one version ("I have read the 2027 price policy"). */
export const AcknowledgeResource = z.strictObject({
  type: z.literal('AcknowledgeResource'),
  data: z.strictObject({ resourceId: Id, version: z.number().int().min(1), dealer: TargetedDealer, by: Actor, acknowledgedAt: IsoDateTime }),
});

export const ResourceCommand = z.discriminatedUnion('type', [
  CreateResource,
  AddResourceVersion,
  ChangeResourceTargeting,
  PublishResource,
  WithdrawResource,
  AcknowledgeResource,
]);
export type ResourceCommand = z.infer<typeof ResourceCommand>;
