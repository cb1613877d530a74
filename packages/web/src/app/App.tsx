import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import { RouterProvider } from 'react-router';
import { retryDelay, shouldRetry } from '../api/retry';
import { sessionQuery } from '../auth/session';
import { antdLocaleOf, useI18n } from '../i18n';
import { FeedbackProvider } from '../shared/feedback';
import { dashboardQueries, router } from './routes';
import { THEME } from './theme';

const queryClient = new QueryClient({
  queryCache: new QueryCache(),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      retry: shouldRetry,
      retryDelay,
      refetchOnWindowFocus: false,
    },
  },
});
// Who is signed in is the first thing every screen needs: ask at once, while the language and the area's code load.
void queryClient.prefetchQuery(sessionQuery);
// The console's home is its dashboard: its figures are asked for now too, so the server computes them while the
// dashboard's code loads and runs (routes.tsx). Someone not allowed to see them gets refusals that nothing shows.
void dashboardQueries?.then(({ prefetchDashboard }) => prefetchDashboard(queryClient, new URLSearchParams(globalThis.location.search).get('month')));

export const App = () => {
  const { language } = useI18n();
  return (
    <ConfigProvider locale={antdLocaleOf(language)} theme={THEME}>
      <FeedbackProvider>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </FeedbackProvider>
    </ConfigProvider>
  );
};
