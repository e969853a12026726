import type { ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './layout/AppLayout';
import { CanteenLayout } from './layout/CanteenLayout';
import { ApprovalsPage } from './pages/ApprovalsPage';
import { ChangePasswordPage } from './pages/ChangePasswordPage';
import { DevicesPage } from './pages/canteen/DevicesPage';
import { DishesPage } from './pages/canteen/DishesPage';
import { KitchenPage } from './pages/canteen/KitchenPage';
import { MenusPage } from './pages/canteen/MenusPage';
import { OrdersPage } from './pages/canteen/OrdersPage';
import { ResidentsPage } from './pages/canteen/ResidentsPage';
import { LoginPage } from './pages/LoginPage';
import { NotFound } from './pages/NotFound';
import { OverviewPage } from './pages/OverviewPage';
import { ClosePage } from './pages/operations/ClosePage';
import { DeliveriesPage } from './pages/operations/DeliveriesPage';
import { ReadyBoardPage } from './pages/operations/ReadyBoardPage';
import { SamplesPage } from './pages/operations/SamplesPage';
import { PolicyListPage } from './pages/policy/PolicyListPage';
import { PolicyVersionPage } from './pages/policy/PolicyVersionPage';
import { PriceReviewsPage, PricesPage } from './pages/prices/PricesPage';
import { RosterImportPage } from './pages/rosters/RosterImportPage';
import { IndicatorsPage } from './pages/reports/IndicatorsPage';
import { ReportsPage } from './pages/reports/ReportsPage';
import { AnomaliesPage } from './pages/settlement/AnomaliesPage';
import { AnomalyPage } from './pages/settlement/AnomalyPage';
import { AuditPage } from './pages/settlement/AuditPage';
import { ClaimDetailPage } from './pages/settlement/ClaimDetailPage';
import { ClaimsPage } from './pages/settlement/ClaimsPage';
import { UsersPage } from './pages/UsersPage';
import { HomeRedirect, RequireAuth, RoleGate } from './routing/guards';
import { canteenNav, globalNav, type CanteenPageKey, type GlobalPageKey } from './routing/nav';

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
  anomalies: { anomalies: <AnomaliesPage />, 'anomalies/:id': <AnomalyPage /> },
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
          <CanteenLayout wall>
            <KitchenPage wall />
          </CanteenLayout>
        </RequireAuth>
      ),
    },
    {
      // The hall's ready board: no side menu, large numbers, live.
      path: '/board/:canteenId',
      element: (
        <RequireAuth>
          <CanteenLayout wall>
            <ReadyBoardPage />
          </CanteenLayout>
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
          Object.entries(globalPages[item.key]).map(([path, page]) => ({ path, element: <RoleGate item={item}>{page}</RoleGate> })),
        ),
        {
          path: 'canteens/:canteenId',
          element: <CanteenLayout />,
          children: [
            { index: true, element: <Navigate to="orders" replace /> },
            ...canteenNav.map((item) => ({ path: item.path, element: <RoleGate item={item}>{canteenPages[item.key]}</RoleGate> })),
          ],
        },
        { path: '*', element: <NotFound /> },
      ],
    },
  ]);
}
