import {
  AppstoreOutlined,
  AuditOutlined,
  CalendarOutlined,
  CoffeeOutlined,
  DashboardOutlined,
  FireOutlined,
  TabletOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Role } from '@yishi/shared/domain';
import type { ReactNode } from 'react';
import { DevicesPage } from './pages/canteen/DevicesPage';
import { DishesPage } from './pages/canteen/DishesPage';
import { KitchenPage } from './pages/canteen/KitchenPage';
import { MenusPage } from './pages/canteen/MenusPage';
import { OrdersPage } from './pages/canteen/OrdersPage';
import { ResidentsPage } from './pages/canteen/ResidentsPage';
import { OverviewPage } from './pages/OverviewPage';
import { PolicyListPage } from './pages/policy/PolicyListPage';
import { PolicyVersionPage } from './pages/policy/PolicyVersionPage';
import { UsersPage } from './pages/UsersPage';

/**
 * One entry per page in the navigation. Add a page by adding an entry here: the router and the side menu are
 * both built from these arrays.
 */
export interface NavRoute {
  key: string;
  /** Path under the app root (global) or under /canteens/:canteenId (canteen). */
  path: string;
  /** i18n key of the label. */
  label: string;
  icon: ReactNode;
  /** Roles that see this page; all roles when omitted. The server still decides every request. */
  roles?: readonly Role[];
  element: ReactNode;
  /** Further pages under this one (same roles), e.g. policy/:id; they are routed but not in the menu. */
  subRoutes?: { path: string; element: ReactNode }[];
}

/** Roles the server lets act for a canteen (its operator, and the platform admin). */
const OPERATORS: readonly Role[] = ['operator', 'admin'];

/** Pages of one canteen, at /canteens/:canteenId/<path>. */
export const canteenRoutes: NavRoute[] = [
  { key: 'orders', path: 'orders', label: 'nav.orders', icon: <UnorderedListOutlined />, element: <OrdersPage /> },
  { key: 'kitchen', path: 'kitchen', label: 'nav.kitchen', icon: <FireOutlined />, roles: OPERATORS, element: <KitchenPage /> },
  { key: 'menus', path: 'menus', label: 'nav.menus', icon: <CalendarOutlined />, element: <MenusPage /> },
  { key: 'dishes', path: 'dishes', label: 'nav.dishes', icon: <CoffeeOutlined />, element: <DishesPage /> },
  { key: 'residents', path: 'residents', label: 'nav.residents', icon: <TeamOutlined />, element: <ResidentsPage /> },
  { key: 'devices', path: 'devices', label: 'nav.devices', icon: <TabletOutlined />, roles: OPERATORS, element: <DevicesPage /> },
];

/** Pages above any one canteen. */
export const globalRoutes: NavRoute[] = [
  { key: 'overview', path: 'overview', label: 'nav.overview', icon: <DashboardOutlined />, element: <OverviewPage /> },
  // Everyone reads the policies (operators and street staff read only); the server decides who may author.
  {
    key: 'policy',
    path: 'policy',
    label: 'nav.policy',
    icon: <AuditOutlined />,
    element: <PolicyListPage />,
    subRoutes: [{ path: 'policy/:id', element: <PolicyVersionPage /> }],
  },
  { key: 'users', path: 'users', label: 'nav.users', icon: <UserOutlined />, roles: ['admin', 'city'], element: <UsersPage /> },
];

export const workspaceIcon = <AppstoreOutlined />;

export function allowed(route: NavRoute, role: Role | undefined): boolean {
  return !route.roles || (!!role && route.roles.includes(role));
}
