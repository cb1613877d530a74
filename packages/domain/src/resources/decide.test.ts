import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import type { Actor } from '../shared/ids';
import { given } from '../testing';
import { ResourceCommand, type ResourceContent, type ResourceTargeting } from './commands';
import type { ResourceEvent } from './events';
import { currentResourceVersion, resourceDecider, resourceStream } from './index';

const resourceId = 'pp-2027';
const at = '2026-11-02T09:00:00Z';
const anna: Actor = { id: 'anna.sales', role: 'sales' };
const acmeBuyer: Actor = { id: 'acme.buyer', role: 'dealer', partnerId: 'acme' };
const auditor: Actor = { id: 'ines.audit', role: 'auditor' };
const acme = { partnerId: 'acme', tier: 'gold', region: 'north' };
const bolt = { partnerId: 'bolt', tier: 'silver', region: 'north' };
const pdf = (digit: string): ResourceContent => ({
  type: 'file',
  sha256: digit.repeat(64),
  fileName: 'Price policy 2027.pdf',
  contentType: 'application/pdf',
  sizeBytes: 48_213,
});
const goldOnly: ResourceTargeting = { tiers: ['gold'], regions: [], partnerIds: [] };

const create = (by: Actor = anna, requiresAcknowledgement = true): ResourceCommand => ({
  type: 'CreateResource',
  data: { resourceId, kind: 'price_policy', title: '2027 price policy', targeting: goldOnly, requiresAcknowledgement, content: pdf('a'), by, createdAt: at },
});
const created = (requiresAcknowledgement = true): ResourceEvent => ({
  type: 'ResourceCreated',
  data: { resourceId, kind: 'price_policy', title: '2027 price policy', targeting: goldOnly, requiresAcknowledgement, createdBy: anna, createdAt: at },
});
const versionAdded = (version: number, content: ResourceContent = pdf('a')): ResourceEvent => ({
  type: 'ResourceVersionAdded',
  data: { resourceId, version, content, addedBy: anna, addedAt: at },
});
const published = (version = 1): ResourceEvent => ({ type: 'ResourcePublished', data: { resourceId, version, publishedBy: anna, publishedAt: at } });
const withdrawn = (): ResourceEvent => ({ type: 'ResourceWithdrawn', data: { resourceId, withdrawnBy: anna, withdrawnAt: at } });
const acknowledge = (version: number, dealer = acme, by: Actor = acmeBuyer): ResourceCommand => ({
  type: 'AcknowledgeResource',
  data: { resourceId, version, dealer, by, acknowledgedAt: at },
});
const acknowledged = (version: number): ResourceEvent => ({
  type: 'ResourceAcknowledged',
  data: { resourceId, version, partnerId: 'acme', acknowledgedBy: acmeBuyer, acknowledgedAt: at },
});

const givenResource = given(resourceDecider);
const live = [created(), versionAdded(1), published()];

describe('creating a resource', () => {
  it('records the resource and its first version, as a draft', () => {
    givenResource().when(create()).then(created(), versionAdded(1));
    expect(resourceStream(resourceId)).toBe('resource-pp-2027');
    expect(fold(resourceDecider, [created(), versionAdded(1)])).toMatchObject({ status: 'draft', versions: [{ version: 1 }] });
  });
  it('keeps the targeting sorted and without repeats', () => {
    const command = create();
    if (command.type !== 'CreateResource') throw new Error('unreachable');
    const messy = { ...command, data: { ...command.data, targeting: { tiers: ['gold', 'bronze', 'gold'], regions: [], partnerIds: [] } } };
    const result = resourceDecider.decide(messy, resourceDecider.initialState);
    expect(result).toMatchObject({ right: [{ data: { targeting: { tiers: ['bronze', 'gold'] } } }, {}] });
  });
  it('is refused to dealers and auditors, and twice', () => {
    givenResource().when(create(acmeBuyer)).thenRefuses('NOT_A_RESOURCE_MANAGER');
    givenResource().when(create(auditor)).thenRefuses('NOT_A_RESOURCE_MANAGER');
    givenResource(created()).when(create()).thenRefuses('RESOURCE_ALREADY_EXISTS');
  });
  it('refuses a content type outside the allow-list, a file name with a path, and a link that is not http(s)', () => {
    const base = create();
    if (base.type !== 'CreateResource') throw new Error('unreachable');
    const withContent = (content: unknown) => ({ ...base, data: { ...base.data, content } });
    expect(ResourceCommand.safeParse(withContent({ ...pdf('a'), contentType: 'text/html' })).success).toBe(false);
    expect(ResourceCommand.safeParse(withContent({ ...pdf('a'), fileName: '../etc/passwd' })).success).toBe(false);
    expect(ResourceCommand.safeParse(withContent({ type: 'link', url: 'javascript:alert(1)' })).success).toBe(false);
    expect(ResourceCommand.safeParse(withContent({ type: 'link', url: 'https://training.example/course' })).success).toBe(true);
  });
});

describe('versions', () => {
  it('numbers a new version after the last; it supersedes it and the history stays', () => {
    givenResource(...live)
      .when({ type: 'AddResourceVersion', data: { resourceId, content: pdf('b'), by: anna, addedAt: at } })
      .then(versionAdded(2, pdf('b')));
    const state = fold(resourceDecider, [...live, versionAdded(2, pdf('b'))]);
    expect(currentResourceVersion(state)?.version).toBe(2);
    expect(state.exists && state.versions.map((v) => v.version)).toEqual([1, 2]);
  });
  it('refuses a version with the same content as the current one, and on a withdrawn resource', () => {
    givenResource(...live)
      .when({ type: 'AddResourceVersion', data: { resourceId, content: pdf('a'), by: anna, addedAt: at } })
      .thenRefuses('VERSION_UNCHANGED');
    givenResource(...live, withdrawn())
      .when({ type: 'AddResourceVersion', data: { resourceId, content: pdf('b'), by: anna, addedAt: at } })
      .thenRefuses('RESOURCE_WITHDRAWN');
  });
});

describe('publishing and withdrawing', () => {
  it('publishes a draft at its current version, withdraws it, and publishes it again', () => {
    givenResource(created(), versionAdded(1), versionAdded(2, pdf('b')))
      .when({ type: 'PublishResource', data: { resourceId, by: anna, publishedAt: at } })
      .then(published(2));
    givenResource(...live)
      .when({ type: 'WithdrawResource', data: { resourceId, by: anna, withdrawnAt: at } })
      .then(withdrawn());
    givenResource(...live, withdrawn())
      .when({ type: 'PublishResource', data: { resourceId, by: anna, publishedAt: at } })
      .then(published(1));
  });
  it('refuses to publish twice, to withdraw what is not published, and anything on a resource that does not exist', () => {
    givenResource(...live)
      .when({ type: 'PublishResource', data: { resourceId, by: anna, publishedAt: at } })
      .thenRefuses('RESOURCE_ALREADY_PUBLISHED');
    givenResource(created(), versionAdded(1))
      .when({ type: 'WithdrawResource', data: { resourceId, by: anna, withdrawnAt: at } })
      .thenRefuses('RESOURCE_NOT_PUBLISHED');
    givenResource()
      .when({ type: 'PublishResource', data: { resourceId, by: anna, publishedAt: at } })
      .thenRefuses('RESOURCE_NOT_FOUND');
  });
  it('changes the targeting, and records nothing when it is the same audience', () => {
    const everyone = { tiers: [], regions: [], partnerIds: [] };
    givenResource(...live)
      .when({ type: 'ChangeResourceTargeting', data: { resourceId, targeting: everyone, by: anna, changedAt: at } })
      .then({ type: 'ResourceTargetingChanged', data: { resourceId, from: goldOnly, to: everyone, changedBy: anna, changedAt: at } });
    givenResource(...live)
      .when({
        type: 'ChangeResourceTargeting',
        data: { resourceId, targeting: { tiers: ['gold', 'gold'], regions: [], partnerIds: [] }, by: anna, changedAt: at },
      })
      .then();
  });
});

describe('acknowledging', () => {
  it('records a dealer’s acknowledgement of the current version, once', () => {
    givenResource(...live)
      .when(acknowledge(1))
      .then(acknowledged(1));
    givenResource(...live, acknowledged(1))
      .when(acknowledge(1))
      .then();
  });
  it('asks again after a new version: the old acknowledgement is for the old version', () => {
    givenResource(...live, acknowledged(1), versionAdded(2, pdf('b')))
      .when(acknowledge(2))
      .then(acknowledged(2));
    givenResource(...live, versionAdded(2, pdf('b')))
      .when(acknowledge(1))
      .thenRefuses('VERSION_SUPERSEDED');
    givenResource(...live)
      .when(acknowledge(3))
      .thenRefuses('VERSION_NOT_FOUND');
  });
  it('answers a dealer it does not target, or before publication or after withdrawal, as if it did not exist', () => {
    const boltBuyer: Actor = { id: 'bolt.buyer', role: 'dealer', partnerId: 'bolt' };
    givenResource(...live)
      .when(acknowledge(1, bolt, boltBuyer))
      .thenRefuses('RESOURCE_NOT_FOUND');
    givenResource(created(), versionAdded(1)).when(acknowledge(1)).thenRefuses('RESOURCE_NOT_FOUND');
    givenResource(...live, withdrawn())
      .when(acknowledge(1))
      .thenRefuses('RESOURCE_NOT_FOUND');
  });
  it('is for dealers only, for their own partner, and only where acknowledgement is asked for', () => {
    givenResource(...live)
      .when(acknowledge(1, acme, anna))
      .thenRefuses('NOT_A_DEALER');
    givenResource(...live)
      .when(acknowledge(1, acme, { id: 'bolt.buyer', role: 'dealer', partnerId: 'bolt' }))
      .thenRefuses('NOT_A_DEALER');
    givenResource(created(false), versionAdded(1), published()).when(acknowledge(1)).thenRefuses('ACKNOWLEDGEMENT_NOT_REQUIRED');
  });
});
