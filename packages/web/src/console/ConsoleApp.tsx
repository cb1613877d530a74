import {
  AccountBookOutlined,
  ApiOutlined,
  AuditOutlined,
  BarChartOutlined,
  FileProtectOutlined,
  FolderOpenOutlined,
  InboxOutlined,
  MenuOutlined,
  MessageOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Menu, type MenuProps, Spin } from 'antd';
import { type ComponentType, lazy, type ReactNode, Suspense, useState } from 'react';
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { can, useSession } from '../auth/session';
import { loadSection, useI18n } from '../i18n';
import { AccountMenu } from '../shared/AccountMenu';
import { Brand } from '../shared/Brand';
import { NotFound } from '../shared/ErrorPage';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { NotificationBell } from '../shared/notifications/NotificationBell';

// Each screen is its own chunk, loaded when opened: the dashboard's charts are not in the orders screen's way, nor the
// orders screen's date pickers and forms in the dashboard's. The dashboard starts loading with this chunk (below).
const dashboard = () => import('./dashboard/DashboardPage');
const DashboardPage = lazy(async () => ({ default: (await dashboard()).DashboardPage }));
const ReviewQueuePage = lazy(async () => ({ default: (await import('./review-queue/ReviewQueuePage')).ReviewQueuePage }));
const ConsoleOrdersPage = lazy(async () => ({ default: (await import('./orders/ConsoleOrdersPage')).ConsoleOrdersPage }));
const ConsoleOrderPage = lazy(async () => ({ default: (await import('./orders/ConsoleOrderPage')).ConsoleOrderPage }));
const PartnersPage = lazy(async () => ({ default: (await import('./partners/PartnersPage')).PartnersPage }));
const AgreementsPage = lazy(async () => ({ default: (await import('./agreements/AgreementsPage')).AgreementsPage }));
const StockPage = lazy(async () => ({ default: (await import('./stock/StockPage')).StockPage }));
const SettlementsPage = lazy(async () => ({ default: (await import('./settlements/SettlementsPage')).SettlementsPage }));
const SettlementPage = lazy(async () => ({ default: (await import('./settlements/SettlementPage')).SettlementPage }));
const ConsoleThreadsPage = lazy(async () => ({ default: (await import('./threads/ConsoleThreadsPage')).ConsoleThreadsPage }));
const ConsoleThreadPage = lazy(async () => ({ default: (await import('./threads/ConsoleThreadsPage')).ConsoleThreadPage }));
const WebhooksPage = lazy(async () => ({ default: (await import('./webhooks/WebhooksPage')).WebhooksPage }));
const AuditPage = lazy(async () => ({ default: (await import('./audit/AuditPage')).AuditPage }));
const NotificationsPage = lazy(async () => ({ default: (await import('../shared/notifications/NotificationsPage')).NotificationsPage }));
const UsersPage = lazy(async () => ({ default: (await import('./users/UsersPage')).UsersPage }));
// The resource library (docs/resources.md), with its section of the catalogue (changing who a resource is for).
const ResourcesPage = lazy(async () => ({
  default: (await Promise.all([import('./resources/ResourcesPage'), loadSection('libraryAdmin')]))[0].ResourcesPage,
}));
// Dealer performance: scorecards, a review, the overdue actions.
// Their messages are a section of the catalogue, loaded with them (loadSection).
const performanceScreen = async <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) => ({
  default: (await Promise.all([load(), loadSection('performance')]))[0][name],
});
const ScorecardsPage = lazy(() => performanceScreen(() => import('./performance/ScorecardsPage'), 'ScorecardsPage'));
const ReviewPage = lazy(() => performanceScreen(() => import('./performance/ReviewPage'), 'ReviewPage'));
const OverdueActionsPage = lazy(() => performanceScreen(() => import('./performance/OverdueActionsPage'), 'OverdueActionsPage'));
// What dealers owe (docs/receivables.md); its messages come with it.
const ReceivablesPage = lazy(async () => ({ default: (await import('./receivables/ReceivablesPage')).ReceivablesPage }));
if (/^\/console\/?$/.test(globalThis.location?.pathname ?? '')) void dashboard();

interface Area {
  readonly path: string;
  readonly key:
    | 'dashboard'
    | 'reviewQueue'
    | 'orders'
    | 'partners'
    | 'agreements'
    | 'stock'
    | 'settlements'
    | 'receivables'
    | 'threads'
    | 'webhooks'
    | 'audit'
    | 'users'
    | 'resources'
    | 'performance';
  readonly icon: ReactNode;
  /** Shown only to roles with this permission (the API refuses the rest anyway). */
  readonly permission: string;
  readonly element: ReactNode;
  readonly children?: readonly { path: string; element: ReactNode }[];
}

/** The console's areas, in menu order; each role sees those its permissions allow. */
const AREAS: readonly Area[] = [
  { path: '', key: 'dashboard', icon: <BarChartOutlined />, permission: 'reports:read', element: <DashboardPage /> },
  { path: 'review-queue', key: 'reviewQueue', icon: <SafetyCertificateOutlined />, permission: 'orders:write', element: <ReviewQueuePage /> },
  {
    path: 'orders',
    key: 'orders',
    icon: <ProfileOutlined />,
    permission: 'orders:read',
    element: <ConsoleOrdersPage />,
    children: [{ path: 'orders/:orderId', element: <ConsoleOrderPage /> }],
  },
  { path: 'partners', key: 'partners', icon: <TeamOutlined />, permission: 'partners:read', element: <PartnersPage /> },
  { path: 'agreements', key: 'agreements', icon: <FileProtectOutlined />, permission: 'agreements:read', element: <AgreementsPage /> },
  { path: 'stock', key: 'stock', icon: <InboxOutlined />, permission: 'stock:read', element: <StockPage /> },
  {
    path: 'settlements',
    key: 'settlements',
    icon: <WalletOutlined />,
    permission: 'settlements:read',
    element: <SettlementsPage />,
    children: [{ path: 'settlements/:partnerId/:period', element: <SettlementPage /> }],
  },
  { path: 'receivables', key: 'receivables', icon: <AccountBookOutlined />, permission: 'reports:read', element: <ReceivablesPage /> },
  {
    path: 'threads',
    key: 'threads',
    icon: <MessageOutlined />,
    permission: 'threads:read',
    element: <ConsoleThreadsPage />,
    children: [{ path: 'threads/:threadId', element: <ConsoleThreadPage /> }],
  },
  { path: 'webhooks', key: 'webhooks', icon: <ApiOutlined />, permission: 'operations:read', element: <WebhooksPage /> },
  { path: 'audit', key: 'audit', icon: <AuditOutlined />, permission: 'audit:read', element: <AuditPage /> },
  { path: 'users', key: 'users', icon: <UserOutlined />, permission: 'access:manage', element: <UsersPage /> },
  { path: 'resources', key: 'resources', icon: <FolderOpenOutlined />, permission: 'resources:read', element: <ResourcesPage /> },
  {
    path: 'performance',
    key: 'performance',
    icon: <TrophyOutlined />,
    permission: 'performance:read',
    element: <ScorecardsPage />,
    children: [
      { path: 'performance/overdue', element: <OverdueActionsPage /> },
      { path: 'performance/:partnerId/:period', element: <ReviewPage /> },
    ],
  },
];

/** The manufacturer's console: a side menu by role (a drawer on a phone), a header with language and account, the pages. */
export const ConsoleApp = () => {
  const { t } = useI18n();
  const session = useSession().data;
  const location = useLocation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [drawer, setDrawer] = useState(false);
  const areas = AREAS.filter((a) => can(session, a.permission));
  const sub = location.pathname.replace(/^\/console\/?/, '').split('/')[0] ?? '';
  const selected = areas.find((a) => a.path === sub)?.key ?? 'dashboard';
  const items: MenuProps['items'] = areas.map((a) => ({ key: a.key, icon: a.icon, label: t(`console.nav.${a.key}`) }));
  const go: MenuProps['onClick'] = ({ key }) => {
    const area = areas.find((a) => a.key === key);
    if (area) navigate(`/console${area.path ? `/${area.path}` : ''}`);
    setDrawer(false);
  };
  const menu = <Menu theme="dark" mode="inline" selectedKeys={[selected]} items={items} onClick={go} />;
  const wide = screens.lg ?? true;
  return (
    <Layout className="console">
      {wide && (
        <Layout.Sider width={216} className="console-sider" theme="dark">
          <div className="console-brand">
            <Brand inverted />
          </div>
          <nav aria-label={t('common.menu')}>{menu}</nav>
        </Layout.Sider>
      )}
      {!wide && (
        <Drawer
          placement="left"
          open={drawer}
          onClose={() => setDrawer(false)}
          size={240}
          className="console-drawer"
          title={<Brand />}
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          <nav aria-label={t('common.menu')}>{menu}</nav>
        </Drawer>
      )}
      <Layout>
        <Layout.Header className="console-header">
          {!wide && <Button type="text" icon={<MenuOutlined />} onClick={() => setDrawer(true)} aria-label={t('common.menu')} />}
          <span className="console-title">{t('app.console')}</span>
          <div className="console-header-tools">
            <LanguageSwitch />
            <NotificationBell to="/console/notifications" />
            <AccountMenu />
          </div>
        </Layout.Header>
        <Layout.Content className="console-content">
          <main>
            <Suspense
              fallback={
                <div className="center-screen">
                  <Spin />
                </div>
              }
            >
              <Routes>
                {areas.flatMap((a) => [
                  <Route key={a.key} path={a.path || undefined} index={a.path === ''} element={a.element} />,
                  ...(a.children ?? []).map((c) => <Route key={c.path} path={c.path} element={c.element} />),
                ])}
                {/* Everyone signed in has an inbox (account:read): reached from the bell, not the menu. */}
                <Route path="notifications" element={<NotificationsPage />} />
                <Route path="*" element={<NotFound />} />
              </Routes>
            </Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
};
