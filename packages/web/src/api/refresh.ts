import type { QueryClient, QueryKey } from '@tanstack/react-query';

/**
 * Reads one's own write: fetches the query under `queryKey` again through `read`, which asks the API for the read models
 * as of `position` (the position the write's answer named, sent as `?minPosition=`), and puts the answer in the cache.
 * Always from the server: a fresh cached list would otherwise be answered as it was, without the write.
 */
export const refreshAfter = <T>(client: QueryClient, queryKey: QueryKey, read: (minPosition: string) => Promise<T>, position: string): Promise<T> =>
  client.fetchQuery({ queryKey, queryFn: () => read(position), staleTime: 0 });
