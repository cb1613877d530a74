import { Spin } from 'antd';
import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter, Navigate, useLocation } from 'react-router';
import { homeOf, useSession } from '../auth/session';
import { ErrorPage, NotFound } from '../shared/ErrorPage';

const Loading = () => (
  <div className="center-screen">
    <Spin size="large" />
  </div>
);

// Every area is its own chunk: a dealer's phone loads the portal's, never the console's charts. The area an address
// opens starts loading at once, beside the session check rather than after it.
const portal = () => import('../portal/PortalApp');
const consoleArea = () => import('../console/ConsoleApp');
const PortalApp = lazy(async () => ({ default: (await portal()).PortalApp }));
const ConsoleApp = lazy(async () => ({ default: (await consoleArea()).ConsoleApp }));
const opening = globalThis.location?.pathname ?? '';
/**
 * On the console's home, the dashboard's queries (a small chunk) are asked for first, before the areas' chunks below take
 * the browser's few connections: App.tsx then has the server compute the figures while the dashboard's code loads.
 */
export const dashboardQueries = /^\/console\/?$/.test(opening) ? import('../console/dashboard/queries') : null;
if (opening.startsWith('/portal')) void portal();
if (opening.startsWith('/console')) void consoleArea();
// The console's home is its dashboard: its chunk (and, through Vite's preload, the chunks it imports) starts loading beside
// the console's, rather than once the console's has arrived and run.
if (/^\/console\/?$/.test(opening)) void import('../console/dashboard/DashboardPage');

/** Children render only for a signed-in person of the right kind; others go to sign-in (and come back after). */
const RequireSession = ({ area, children }: { area: 'portal' | 'console'; children: ReactNode }) => {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (!session.data) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  const home = homeOf(session.data.user);
  if (!home.startsWith(`/${area}`)) return <Navigate to={home} replace />;
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
};

const Home = () => {
  const session = useSession();
  if (session.isPending) return <Loading />;
  return <Navigate to={session.data ? homeOf(session.data.user) : '/sign-in'} replace />;
};

/**
 * Client routes live under /portal (dealers) and /console (staff), plus /sign-in and /accept-invitation: no API path
 * starts with these, so `dms serve` answers them with the app and every other unknown path keeps the API's 404.
 */
export const router = createBrowserRouter([
  { path: '/', element: <Home />, errorElement: <ErrorPage /> },
  {
    path: '/sign-in',
    lazy: async () => ({ Component: (await import('../auth/SignInPage')).SignInPage }),
    hydrateFallbackElement: <Loading />,
    errorElement: <ErrorPage />,
  },
  {
    path: '/accept-invitation',
    lazy: async () => ({ Component: (await import('../auth/AcceptInvitationPage')).AcceptInvitationPage }),
    hydrateFallbackElement: <Loading />,
    errorElement: <ErrorPage />,
  },
  {
    path: '/portal/*',
    element: (
      <RequireSession area="portal">
        <PortalApp />
      </RequireSession>
    ),
    errorElement: <ErrorPage />,
  },
  {
    path: '/console/*',
    element: (
      <RequireSession area="console">
        <ConsoleApp />
      </RequireSession>
    ),
    errorElement: <ErrorPage />,
  },
  { path: '*', element: <NotFound /> },
]);
