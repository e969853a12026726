import { Spin } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './layout/AppLayout';
import { CanteenLayout } from './layout/CanteenLayout';
import { ChangePasswordPage } from './pages/ChangePasswordPage';
import { LoginPage } from './pages/LoginPage';
import { NotFound } from './pages/NotFound';
import { HomeRedirect, RequireAuth, RoleGate } from './routing/guards';
import { canteenNav, globalNav, type CanteenPageKey, type GlobalPageKey } from './routing/nav';

// Pages load when first visited: the login page carries none of them.
const ApprovalsPage = lazy(() => import('./pages/ApprovalsPage').then((m) => ({ default: m.ApprovalsPage })));
const DevicesPage = lazy(() => import('./pages/canteen/DevicesPage').then((m) => ({ default: m.DevicesPage })));
const DishesPage = lazy(() => import('./pages/canteen/DishesPage').then((m) => ({ default: m.DishesPage })));
const KitchenPage = lazy(() => import('./pages/canteen/KitchenPage').then((m) => ({ default: m.KitchenPage })));
const MenusPage = lazy(() => import('./pages/canteen/MenusPage').then((m) => ({ default: m.MenusPage })));
const OrdersPage = lazy(() => import('./pages/canteen/OrdersPage').then((m) => ({ default: m.OrdersPage })));
const ResidentsPage = lazy(() => import('./pages/canteen/ResidentsPage').then((m) => ({ default: m.ResidentsPage })));
const OverviewPage = lazy(() => import('./pages/OverviewPage').then((m) => ({ default: m.OverviewPage })));
const ClosePage = lazy(() => import('./pages/operations/ClosePage').then((m) => ({ default: m.ClosePage })));
const DeliveriesPage = lazy(() => import('./pages/operations/DeliveriesPage').then((m) => ({ default: m.DeliveriesPage })));
const ReadyBoardPage = lazy(() => import('./pages/operations/ReadyBoardPage').then((m) => ({ default: m.ReadyBoardPage })));
const SamplesPage = lazy(() => import('./pages/operations/SamplesPage').then((m) => ({ default: m.SamplesPage })));
const PolicyListPage = lazy(() => import('./pages/policy/PolicyListPage').then((m) => ({ default: m.PolicyListPage })));
const PolicyVersionPage = lazy(() => import('./pages/policy/PolicyVersionPage').then((m) => ({ default: m.PolicyVersionPage })));
const PriceReviewsPage = lazy(() => import('./pages/prices/PricesPage').then((m) => ({ default: m.PriceReviewsPage })));
const PricesPage = lazy(() => import('./pages/prices/PricesPage').then((m) => ({ default: m.PricesPage })));
const RosterImportPage = lazy(() => import('./pages/rosters/RosterImportPage').then((m) => ({ default: m.RosterImportPage })));
const IndicatorsPage = lazy(() => import('./pages/reports/IndicatorsPage').then((m) => ({ default: m.IndicatorsPage })));
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage').then((m) => ({ default: m.ReportsPage })));
const AnomaliesPage = lazy(() => import('./pages/settlement/AnomaliesPage').then((m) => ({ default: m.AnomaliesPage })));
const AnomalyPage = lazy(() => import('./pages/settlement/AnomalyPage').then((m) => ({ default: m.AnomalyPage })));
const AuditPage = lazy(() => import('./pages/settlement/AuditPage').then((m) => ({ default: m.AuditPage })));
const ClaimDetailPage = lazy(() => import('./pages/settlement/ClaimDetailPage').then((m) => ({ default: m.ClaimDetailPage })));
const LateReviewsPage = lazy(() => import('./pages/settlement/LateReviewsPage').then((m) => ({ default: m.LateReviewsPage })));
const ClearingPage = lazy(() => import('./pages/settlement/ClearingPage').then((m) => ({ default: m.ClearingPage })));
const ClaimsPage = lazy(() => import('./pages/settlement/ClaimsPage').then((m) => ({ default: m.ClaimsPage })));
const UsersPage = lazy(() => import('./pages/UsersPage').then((m) => ({ default: m.UsersPage })));

/** What shows while a page's code arrives. */
const page = (node: ReactNode) => <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '80px auto' }} />}>{node}</Suspense>;

/** The page of each navigation entry (routing/nav.tsx says where it is and who sees it). */
const canteenPages: Record<CanteenPageKey, ReactNode> = {
  orders: <OrdersPage />,
  kitchen: <KitchenPage />,
  deliveries: <DeliveriesPage />,
  close: <ClosePage />,
  samples: <SamplesPage />,
  menus: <MenusPage />,
  dishes: <DishesPage />,
  prices: <PricesPage />,
  residents: <ResidentsPage />,
  rosterImport: <RosterImportPage />,
  devices: <DevicesPage />,
};

const globalPages: Record<GlobalPageKey, Record<string, ReactNode>> = {
  overview: { overview: <OverviewPage /> },
  policy: { policy: <PolicyListPage />, 'policy/:id': <PolicyVersionPage /> },
  priceReviews: { 'price-reviews': <PriceReviewsPage /> },
  approvals: { approvals: <ApprovalsPage /> },
  claims: { claims: <ClaimsPage />, 'claims/:id': <ClaimDetailPage /> },
  lateReviews: { 'late-orders': <LateReviewsPage /> },
  anomalies: { anomalies: <AnomaliesPage />, 'anomalies/:id': <AnomalyPage /> },
  clearing: { clearing: <ClearingPage /> },
  audit: { audit: <AuditPage /> },
  users: { users: <UsersPage /> },
  reports: { reports: <ReportsPage /> },
  indicators: { indicators: <IndicatorsPage /> },
};

/** The route table: the top of the console; nothing below imports it. */
export function createRouter() {
  return createBrowserRouter([
    { path: '/login', element: <LoginPage /> },
    {
      path: '/change-password',
      element: (
        <RequireAuth allowMustChange>
          <ChangePasswordPage />
        </RequireAuth>
      ),
    },
    {
      path: '/wall/:canteenId/kitchen',
      element: (
        <RequireAuth>
          <CanteenLayout wall>{page(<KitchenPage wall />)}</CanteenLayout>
        </RequireAuth>
      ),
    },
    {
      // The hall's ready board: no side menu, large numbers, live.
      path: '/board/:canteenId',
      element: (
        <RequireAuth>
          <CanteenLayout wall>{page(<ReadyBoardPage />)}</CanteenLayout>
        </RequireAuth>
      ),
    },
    {
      path: '/',
      element: (
        <RequireAuth>
          <AppLayout />
        </RequireAuth>
      ),
      children: [
        { index: true, element: <HomeRedirect /> },
        ...globalNav.flatMap((item) =>
          Object.entries(globalPages[item.key]).map(([path, node]) => ({ path, element: <RoleGate item={item}>{page(node)}</RoleGate> })),
        ),
        {
          path: 'canteens/:canteenId',
          element: <CanteenLayout />,
          children: [
            { index: true, element: <Navigate to="orders" replace /> },
            ...canteenNav.map((item) => ({ path: item.path, element: <RoleGate item={item}>{page(canteenPages[item.key])}</RoleGate> })),
          ],
        },
        { path: '*', element: <NotFound /> },
      ],
    },
  ]);
}
