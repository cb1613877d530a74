import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import { RouterProvider } from 'react-router';
import { retryDelay, shouldRetry } from '../api/retry';
import { sessionQuery } from '../auth/session';
import { antdLocaleOf, useI18n } from '../i18n';
import { FeedbackProvider } from '../shared/feedback';
import { dashboardQueries, router } from './routes';

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

/**
 * Brand colours: a calm industrial blue. Secondary text, placeholders, links (and hovered links), danger and warning are darker than Ant
 * Design's defaults (#8c8c8c, #bfbfbf, #1677ff, #ff4d4f, #faad14), so that every text meets WCAG AA contrast (4.5:1) on
 * white and on the light grey page (axe-core in the browser tests). The default (light) algorithm applies without being named:
 * naming it imported `theme`, and with it the dark and compact algorithms, into every first screen.
 */
const THEME = {
  token: {
    colorPrimary: '#1d5fbf',
    // Darker when hovered, not lighter: white on the derived light blue (#3f7ccc) is 4.22:1, below AA.
    colorPrimaryHover: '#174f9f',
    colorLink: '#1d5fbf',
    colorLinkHover: '#0f3d80',
    colorError: '#cf1322',
    colorWarning: '#8c5300',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
    borderRadius: 6,
    fontSize: 14,
  },
};

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
