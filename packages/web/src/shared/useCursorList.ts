import { useInfiniteQuery } from '@tanstack/react-query';

/** A cursor-paged list as one growing array: what the console's tables show, with "load more" for the next page. */
export const useCursorList = <T>(key: readonly unknown[], page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>) => {
  const query = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => page(pageParam || undefined),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return { ...query, rows: query.data?.pages.flatMap((p) => p.items) ?? [] };
};

export type CursorList<T> = ReturnType<typeof useCursorList<T>>;
