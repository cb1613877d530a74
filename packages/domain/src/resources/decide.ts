import { type Either, right } from 'fp-ts/Either';
import { type DomainError, refuse } from '../shared/errors';
import type { Actor } from '../shared/ids';
import type { ResourceCommand, ResourceContent } from './commands';
import type { ResourceEvent } from './events';
import { currentResourceVersion, type ResourceState } from './state';
import { isTargeted, normaliseTargeting } from './targeting';

type Decision = Either<DomainError, readonly ResourceEvent[]>;
type Existing = Extract<ResourceState, { exists: true }>;

/** The manufacturer's staff manage the library; dealers read and acknowledge; auditors only read. */
const mayManage = (by: Actor): boolean => by.role !== 'dealer' && by.role !== 'auditor';

const notFound = (resourceId: string): Decision => refuse('RESOURCE_NOT_FOUND', `Resource ${resourceId} does not exist.`, { resourceId });
const notAManager = (by: Actor, resourceId: string): Decision =>
  refuse('NOT_A_RESOURCE_MANAGER', `${by.id} (${by.role}) may read resource ${resourceId} but not change it; the manufacturer's staff do.`, {
    resourceId,
    actor: by.id,
  });

const sameContent = (a: ResourceContent, b: ResourceContent): boolean =>
  a.type === 'file' && b.type === 'file'
    ? a.sha256 === b.sha256 && a.fileName === b.fileName && a.contentType === b.contentType
    : a.type === 'link' && b.type === 'link' && a.url === b.url;

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

const manage = (state: ResourceState, resourceId: string, by: Actor, then: (state: Existing) => Decision): Decision => {
  if (!state.exists) return notFound(resourceId);
  if (!mayManage(by)) return notAManager(by, resourceId);
  return then(state);
};

export const decideResource = (command: ResourceCommand, state: ResourceState): Decision => {
  switch (command.type) {
    case 'CreateResource': {
      const { resourceId, kind, title, description, targeting, requiresAcknowledgement, content, note, by, createdAt } = command.data;
      if (!mayManage(by)) return notAManager(by, resourceId);
      if (state.exists) return refuse('RESOURCE_ALREADY_EXISTS', `Resource ${resourceId} already exists.`, { resourceId });
      return right([
        {
          type: 'ResourceCreated',
          data: {
            resourceId,
            kind,
            title,
            ...(description ? { description } : {}),
            targeting: normaliseTargeting(targeting),
            requiresAcknowledgement,
            createdBy: by,
            createdAt,
          },
        },
        { type: 'ResourceVersionAdded', data: { resourceId, version: 1, content, ...(note ? { note } : {}), addedBy: by, addedAt: createdAt } },
      ]);
    }
    case 'AddResourceVersion': {
      const { resourceId, content, note, by, addedAt } = command.data;
      return manage(state, resourceId, by, (s) => {
        if (s.status === 'withdrawn')
          return refuse('RESOURCE_WITHDRAWN', `Resource ${resourceId} is withdrawn; publish it again before adding a version.`, { resourceId });
        const current = currentResourceVersion(s);
        if (current && sameContent(current.content, content))
          return refuse('VERSION_UNCHANGED', `Version ${current.version} of resource ${resourceId} already has this content.`, {
            resourceId,
            version: current.version,
          });
        const version = s.versions.length + 1;
        return right([{ type: 'ResourceVersionAdded', data: { resourceId, version, content, ...(note ? { note } : {}), addedBy: by, addedAt } }]);
      });
    }
    case 'ChangeResourceTargeting': {
      const { resourceId, by, changedAt } = command.data;
      return manage(state, resourceId, by, (s) => {
        const to = normaliseTargeting(command.data.targeting);
        const from = s.targeting;
        if (sameList(from.tiers, to.tiers) && sameList(from.regions, to.regions) && sameList(from.partnerIds, to.partnerIds)) return right([]);
        return right([{ type: 'ResourceTargetingChanged', data: { resourceId, from, to, changedBy: by, changedAt } }]);
      });
    }
    case 'PublishResource': {
      const { resourceId, by, publishedAt } = command.data;
      return manage(state, resourceId, by, (s) => {
        if (s.status === 'published') return refuse('RESOURCE_ALREADY_PUBLISHED', `Resource ${resourceId} is already published.`, { resourceId });
        const version = s.versions.length;
        return right([{ type: 'ResourcePublished', data: { resourceId, version, publishedBy: by, publishedAt } }]);
      });
    }
    case 'WithdrawResource': {
      const { resourceId, reason, by, withdrawnAt } = command.data;
      return manage(state, resourceId, by, (s) => {
        if (s.status !== 'published')
          return refuse('RESOURCE_NOT_PUBLISHED', `Resource ${resourceId} is ${s.status}; only a published resource can be withdrawn.`, {
            resourceId,
            status: s.status,
          });
        return right([{ type: 'ResourceWithdrawn', data: { resourceId, ...(reason ? { reason } : {}), withdrawnBy: by, withdrawnAt } }]);
      });
    }
    case 'AcknowledgeResource': {
      const { resourceId, version, dealer, by, acknowledgedAt } = command.data;
      // A dealer learns nothing about a resource that is not published for it: it answers as if it did not exist.
      if (by.role !== 'dealer' || by.partnerId !== dealer.partnerId)
        return refuse('NOT_A_DEALER', `Only a dealer acknowledges a resource, for its own partner; ${by.id} (${by.role}) cannot.`, {
          resourceId,
          actor: by.id,
        });
      if (!state.exists || state.status !== 'published' || !isTargeted(state.targeting, dealer)) return notFound(resourceId);
      if (!state.requiresAcknowledgement)
        return refuse('ACKNOWLEDGEMENT_NOT_REQUIRED', `Resource ${resourceId} does not ask for acknowledgement.`, { resourceId });
      const current = state.versions.length;
      if (version > current || version < 1) return refuse('VERSION_NOT_FOUND', `Resource ${resourceId} has no version ${version}.`, { resourceId, version });
      if (version < current)
        return refuse('VERSION_SUPERSEDED', `Version ${version} of resource ${resourceId} is superseded; acknowledge version ${current}.`, {
          resourceId,
          version,
          current,
        });
      if (state.acknowledged.get(dealer.partnerId)?.has(version)) return right([]);
      return right([{ type: 'ResourceAcknowledged', data: { resourceId, version, partnerId: dealer.partnerId, acknowledgedBy: by, acknowledgedAt } }]);
    }
  }
};
