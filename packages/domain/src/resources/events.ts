import { z } from 'zod';
import { Actor, Id, IsoDateTime } from '../shared/ids';
import { ResourceContent, ResourceKind, ResourceTargeting } from './commands';

export const ResourceCreated = z.object({
  type: z.literal('ResourceCreated'),
  data: z.object({
    resourceId: Id,
    kind: ResourceKind,
    title: z.string(),
    description: z.string().optional(),
    targeting: ResourceTargeting,
    requiresAcknowledgement: z.boolean(),
    createdBy: Actor,
    createdAt: IsoDateTime,
  }),
});

/** Version `version` supersedes the one before; earlier versions stay in the history (and their files in the store). */
export const ResourceVersionAdded = z.object({
  type: z.literal('ResourceVersionAdded'),
  data: z.object({
    resourceId: Id,
    version: z.number().int().min(1),
    content: ResourceContent,
    note: z.string().optional(),
    addedBy: Actor,
    addedAt: IsoDateTime,
  }),
});

export const ResourceTargetingChanged = z.object({
  type: z.literal('ResourceTargetingChanged'),
  data: z.object({ resourceId: Id, from: ResourceTargeting, to: ResourceTargeting, changedBy: Actor, changedAt: IsoDateTime }),
});

/** Dealers targeted see the resource from now on, at its current version. */
export const ResourcePublished = z.object({
  type: z.literal('ResourcePublished'),
  data: z.object({ resourceId: Id, version: z.number().int().min(1), publishedBy: Actor, publishedAt: IsoDateTime }),
});

/** Dealers no longer see it; the manufacturer still does, with its history and acknowledgements. */
export const ResourceWithdrawn = z.object({
  type: z.literal('ResourceWithdrawn'),
  data: z.object({ resourceId: Id, reason: z.string().optional(), withdrawnBy: Actor, withdrawnAt: IsoDateTime }),
});

export const ResourceAcknowledged = z.object({
  type: z.literal('ResourceAcknowledged'),
  data: z.object({ resourceId: Id, version: z.number().int().min(1), partnerId: Id, acknowledgedBy: Actor, acknowledgedAt: IsoDateTime }),
});

export const ResourceEvent = z.discriminatedUnion('type', [
  ResourceCreated,
  ResourceVersionAdded,
  ResourceTargetingChanged,
  ResourcePublished,
  ResourceWithdrawn,
  ResourceAcknowledged,
]);
export type ResourceEvent = z.infer<typeof ResourceEvent>;
