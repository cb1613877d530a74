import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { RouterProvider } from 'react-router';
import { ApiProblem } from '../api/client';
import { useI18n } from '../i18n';
import { router } from './routes';

const queryClient = new QueryClient({
  queryCache: new QueryCache(),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A refusal (4xx) will not change by asking again; a dropped connection or a 503 may.
      retry: (count, error) => count < 2 && !(error instanceof ApiProblem && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

/**
 * Brand colours: a calm industrial blue. Secondary text, placeholders, links (and hovered links), danger and warning are darker than Ant
 * Design's defaults (#8c8c8c, #bfbfbf, #1677ff, #ff4d4f, #faad14), so that every text meets WCAG AA contrast (4.5:1) on
 * white and on the light grey page (axe-core in the browser tests).
 */
const THEME = {
  token: {
    colorPrimary: '#1d5fbf',
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
  algorithm: theme.defaultAlgorithm,
};

export const App = () => {
  const { language } = useI18n();
  return (
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS} theme={THEME}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
};
