import {
  AppstoreOutlined,
  EllipsisOutlined,
  FileTextOutlined,
  MessageOutlined,
  ProfileOutlined,
  ReadOutlined,
  ShoppingCartOutlined,
  TrophyOutlined,
  UserOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { Badge, Spin } from 'antd';
import { lazy, type ReactNode, Suspense } from 'react';
import { Link, NavLink, Route, Routes, useLocation } from 'react-router';
import { useSession } from '../auth/session';
import { loadSection, useI18n } from '../i18n';
import { Brand } from '../shared/Brand';
import { NotFound } from '../shared/ErrorPage';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { NotificationBell } from '../shared/notifications/NotificationBell';
import { useOnline } from '../shared/useOnline';
import { useCart } from './cart/cart';
import { CataloguePage } from './catalogue/CataloguePage';

// The catalogue is the first screen; the others load when opened (the phone's first load stays small).
const CartPage = lazy(async () => ({ default: (await import('./cart/CartPage')).CartPage }));
const OrdersPage = lazy(async () => ({ default: (await import('./orders/OrdersPage')).OrdersPage }));
const OrderPage = lazy(async () => ({ default: (await import('./orders/OrderPage')).OrderPage }));
const StatementsPage = lazy(async () => ({ default: (await import('./statements/StatementsPage')).StatementsPage }));
const StatementPage = lazy(async () => ({ default: (await import('./statements/StatementPage')).StatementPage }));
const ThreadsPage = lazy(async () => ({ default: (await import('./threads/ThreadsPage')).ThreadsPage }));
const ThreadPage = lazy(async () => ({ default: (await import('./threads/ThreadPage')).ThreadPage }));
const NotificationsPage = lazy(async () => ({ default: (await import('../shared/notifications/NotificationsPage')).NotificationsPage }));
const AccountPage = lazy(async () => ({ default: (await import('./AccountPage')).AccountPage }));
// What the dealer owes: its open invoices, dunning and credit (docs/receivables.md); its messages come with it.
const OwedPage = lazy(async () => ({ default: (await import('./owed/OwedPage')).OwedPage }));
const MorePage = lazy(async () => ({ default: (await import('./MorePage')).MorePage }));
// The resource library (docs/resources.md).
const LibraryPage = lazy(async () => ({ default: (await import('./library/LibraryPage')).LibraryPage }));
// Dealer performance: its messages are a section of the catalogue, loaded with the screens (loadSection).
const PerformancePage = lazy(async () => ({
  default: (await Promise.all([import('./performance/PerformancePage'), loadSection('performance')]))[0].PerformancePage,
}));
const PerformanceReviewPage = lazy(async () => ({
  default: (await Promise.all([import('./performance/PerformanceReviewPage'), loadSection('performance')]))[0].PerformanceReviewPage,
}));

/** Tabs in a phone's tab bar before "More". */
const PHONE_TABS = 5;

/**
 * The dealer ordering portal: phone first (a tab bar at the bottom, one column), a top navigation on wider screens.
 * Everything it shows is the signed-in dealer's own: the API scopes every query to the dealer's partner.
 */
export const PortalApp = () => {
  const { t } = useI18n();
  const user = useSession().data!.user;
  const cart = useCart(user.userId);
  const online = useOnline();
  const tabs: { to: string; label: string; icon: ReactNode; end?: boolean }[] = [
    { to: '/portal', label: t('portal.nav.catalogue'), icon: <AppstoreOutlined />, end: true },
    {
      to: '/portal/cart',
      label: t('portal.nav.cart'),
      icon: (
        <Badge count={cart.count} size="small" overflowCount={999}>
          <ShoppingCartOutlined />
        </Badge>
      ),
    },
    { to: '/portal/orders', label: t('portal.nav.orders'), icon: <ProfileOutlined /> },
    { to: '/portal/statements', label: t('portal.nav.statements'), icon: <FileTextOutlined /> },
    { to: '/portal/messages', label: t('portal.nav.messages'), icon: <MessageOutlined /> },
    { to: '/portal/owed', label: t('portal.nav.owed'), icon: <WalletOutlined /> },
    { to: '/portal/library', label: t('portal.nav.library'), icon: <ReadOutlined /> },
    { to: '/portal/performance', label: t('portal.nav.performance'), icon: <TrophyOutlined /> },
  ];
  // A phone's tab bar has room for five tabs and "More" (360 px: seven put the last off the screen); the rest, and the
  // account, are on the "More" screen, whose tab is the current one while any of them is open.
  const phoneTabs = tabs.slice(0, PHONE_TABS);
  const more = [...tabs.slice(PHONE_TABS), { to: '/portal/account', label: t('common.account'), icon: <UserOutlined /> }];
  const { pathname } = useLocation();
  const inMore = pathname.startsWith('/portal/more') || more.some((m) => pathname.startsWith(m.to));
  return (
    <div className="portal">
      <header className="portal-header">
        <Brand inverted />
        <nav className="portal-topnav" aria-label={t('common.menu')}>
          {tabs.map((tab) => (
            <NavLink key={tab.to} to={tab.to} end={tab.end} className="portal-topnav-link">
              {tab.icon}
              <span>{tab.label}</span>
            </NavLink>
          ))}
        </nav>
        <div className="portal-header-tools">
          <LanguageSwitch inverted />
          <NotificationBell to="/portal/notifications" inverted />
          <Link to="/portal/account" className="account-button inverted" aria-label={t('common.signedInAs', { name: user.name })}>
            <UserOutlined aria-hidden />
            <span className="account-name">{user.name}</span>
          </Link>
        </div>
      </header>
      {/* Not Ant Design's Alert: its code (2.5 KB compressed) would be in every first visit of the portal for a rare banner. */}
      {!online && (
        <div className="offline-banner" role="status">
          {t('common.offline')}
        </div>
      )}
      <main className="portal-main">
        <Suspense
          fallback={
            <div className="center-screen">
              <Spin />
            </div>
          }
        >
          <Routes>
            <Route index element={<CataloguePage />} />
            <Route path="cart" element={<CartPage />} />
            <Route path="orders" element={<OrdersPage />} />
            <Route path="orders/:orderId" element={<OrderPage />} />
            <Route path="statements" element={<StatementsPage />} />
            <Route path="statements/:period" element={<StatementPage />} />
            <Route path="messages" element={<ThreadsPage />} />
            <Route path="messages/:threadId" element={<ThreadPage />} />
            <Route path="notifications" element={<NotificationsPage />} />
            <Route path="account" element={<AccountPage />} />
            <Route path="more" element={<MorePage links={more} />} />
            <Route path="owed" element={<OwedPage />} />
            <Route path="library" element={<LibraryPage />} />
            <Route path="performance" element={<PerformancePage />} />
            <Route path="performance/:partnerId/:period" element={<PerformanceReviewPage />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </main>
      <nav className="portal-tabbar" aria-label={t('common.menu')}>
        {phoneTabs.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={tab.end} className="portal-tab">
            <span className="portal-tab-icon">{tab.icon}</span>
            <span className="portal-tab-label">{tab.label}</span>
          </NavLink>
        ))}
        <Link to="/portal/more" className={`portal-tab${inMore ? ' active' : ''}`} aria-current={inMore ? 'page' : undefined}>
          <span className="portal-tab-icon">
            <EllipsisOutlined />
          </span>
          <span className="portal-tab-label">{t('portal.nav.more')}</span>
        </Link>
      </nav>
    </div>
  );
};
