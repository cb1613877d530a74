import type { Actor } from '../shared/ids';
import type { ResourceContent, ResourceKind, ResourceTargeting } from './commands';
import type { ResourceEvent } from './events';

/** `draft` until first published; `withdrawn` hides it from dealers until it is published again. */
export type ResourceStatus = 'draft' | 'published' | 'withdrawn';

export interface ResourceVersion {
  readonly version: number;
  readonly content: ResourceContent;
  readonly note: string | undefined;
  readonly addedBy: Actor;
  readonly addedAt: string;
}

export type ResourceState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly resourceId: string;
      readonly kind: ResourceKind;
      readonly title: string;
      readonly targeting: ResourceTargeting;
      readonly requiresAcknowledgement: boolean;
      readonly status: ResourceStatus;
      /** Oldest first; the last is the current version. */
      readonly versions: readonly ResourceVersion[];
      /** Per dealer (partner id), the versions it has acknowledged. */
      readonly acknowledged: ReadonlyMap<string, ReadonlySet<number>>;
    };

export const initialResourceState: ResourceState = { exists: false };

export const evolveResource = (state: ResourceState, event: ResourceEvent): ResourceState => {
  if (event.type === 'ResourceCreated') {
    const { resourceId, kind, title, targeting, requiresAcknowledgement } = event.data;
    return { exists: true, resourceId, kind, title, targeting, requiresAcknowledgement, status: 'draft', versions: [], acknowledged: new Map() };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'ResourceVersionAdded': {
      const { version, content, note, addedBy, addedAt } = event.data;
      return { ...state, versions: [...state.versions, { version, content, note, addedBy, addedAt }] };
    }
    case 'ResourceTargetingChanged':
      return { ...state, targeting: event.data.to };
    case 'ResourcePublished':
      return { ...state, status: 'published' };
    case 'ResourceWithdrawn':
      return { ...state, status: 'withdrawn' };
    case 'ResourceAcknowledged': {
      const acknowledged = new Map(state.acknowledged);
      acknowledged.set(event.data.partnerId, new Set([...(acknowledged.get(event.data.partnerId) ?? []), event.data.version]));
      return { ...state, acknowledged };
    }
  }
};

/** The version dealers see and acknowledge: the latest. */
export const currentResourceVersion = (state: ResourceState): ResourceVersion | undefined => (state.exists ? state.versions.at(-1) : undefined);
