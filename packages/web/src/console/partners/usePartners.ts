import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { allPages, api, ok, type Schemas } from '../../api/client';
import type { SelectFilter } from '../ListPage';

/** Every partner, for filter pickers (a channel has tens to hundreds of dealers). */
export const usePartners = () =>
  useQuery({
    queryKey: ['partners', 'all'],
    queryFn: () => allPages((cursor) => ok(api.GET('/partners', { params: { query: { limit: 500, cursor } } }))),
    staleTime: 5 * 60_000,
  });

/** The dealer picker of a list screen, by name. */
export const partnerFilter = (t: TFunction, partners: readonly Schemas['Partner'][] | undefined): SelectFilter<'partnerId'> => ({
  key: 'partnerId',
  label: t('orders.dealer'),
  options: (partners ?? []).map((p) => ({ value: p.partnerId, label: p.name })),
  searchable: true,
});
