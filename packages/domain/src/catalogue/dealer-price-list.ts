import { type Either, right } from 'fp-ts/Either';
import type { Decider } from '../shared/decider';
import type { DomainError } from '../shared/errors';
import type { DealerPriceListCommand } from './commands';
import type { DealerPriceListEvent } from './events';
import { decideEndVersion, decidePublishVersion, type PriceVersion, versionOf, withVersionEnded } from './price-versions';

/** One dealer's own dated prices (`price-versions.ts`): used only where an agreement in force says so (`dealerPrices`). */
export interface DealerPriceListState {
  readonly versions: readonly PriceVersion[];
}

export const dealerPriceListStream = (partnerId: string): string => `dealerprices-${partnerId}`;

export const evolveDealerPriceList = (state: DealerPriceListState, event: DealerPriceListEvent): DealerPriceListState => {
  switch (event.type) {
    case 'DealerPriceListVersionPublished':
      return { versions: [...state.versions, versionOf(event.data)] };
    case 'DealerPriceListVersionEnded':
      return { versions: withVersionEnded(state.versions, event.data.versionId, event.data.validTo) };
  }
};

export const decideDealerPriceList = (command: DealerPriceListCommand, state: DealerPriceListState): Either<DomainError, readonly DealerPriceListEvent[]> => {
  const list = `dealer ${command.data.partnerId}'s price list`;
  switch (command.type) {
    case 'PublishDealerPriceListVersion': {
      const { partnerId, publishedAt, ...content } = command.data;
      const decided = decidePublishVersion(state.versions, content, publishedAt, list);
      if (decided._tag === 'Left') return decided;
      const superseded = decided.right.supersedes;
      return right([
        ...(superseded
          ? [
              {
                type: 'DealerPriceListVersionEnded' as const,
                data: { partnerId, versionId: superseded.versionId, validTo: content.validFrom, endedAt: publishedAt, supersededBy: content.versionId },
              },
            ]
          : []),
        { type: 'DealerPriceListVersionPublished', data: command.data },
      ]);
    }
    case 'EndDealerPriceListVersion': {
      const decided = decideEndVersion(state.versions, command.data, list);
      if (decided._tag === 'Left') return decided;
      return right([{ type: 'DealerPriceListVersionEnded', data: command.data }]);
    }
  }
};

export const dealerPriceListDecider: Decider<DealerPriceListCommand, DealerPriceListEvent, DealerPriceListState> = {
  initialState: { versions: [] },
  decide: decideDealerPriceList,
  evolve: evolveDealerPriceList,
};
