import { useQuery } from '@tanstack/react-query';
import { allPages, api, ok, type Schemas } from '../api/client';
import { useSession } from '../auth/session';

/** The signed-in dealer's partner id (dealer users always carry one). */
export const usePartnerId = () => useSession().data?.user.partnerId ?? '';

export const usePartner = () => {
  const partnerId = usePartnerId();
  return useQuery({
    queryKey: ['partner', partnerId],
    queryFn: () => ok(api.GET('/partners/{partnerId}', { params: { path: { partnerId } } })),
    enabled: partnerId !== '',
    staleTime: 5 * 60_000,
  });
};

export type Product = Schemas['Product'];

/** The whole catalogue at the dealer's tier (a few hundred products at most: searched and filtered in the browser, offline too). */
export const useCatalogue = () => {
  const tier = usePartner().data?.tier;
  return useQuery({
    queryKey: ['catalogue', tier],
    queryFn: () => allPages((cursor) => ok(api.GET('/products', { params: { query: { tier, limit: 500, cursor } } }))),
    enabled: tier !== undefined,
    staleTime: 5 * 60_000,
  });
};

/** The net unit price a dealer pays: its tier price, less the tier discount. */
export const unitPriceOf = (p: Product) => p.tierPrice?.unitPrice ?? p.listPrice;
export const discountOf = (p: Product) => p.tierPrice?.discountBps ?? 0;
