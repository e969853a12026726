import {
  AccountBookOutlined,
  AlertOutlined,
  AppstoreOutlined,
  CalculatorOutlined,
  FileSearchOutlined,
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CarOutlined,
  CoffeeOutlined,
  DashboardOutlined,
  FileSyncOutlined,
  ExperimentOutlined,
  FireOutlined,
  ImportOutlined,
  MoneyCollectOutlined,
  FundOutlined,
  LockOutlined,
  SafetyCertificateOutlined,
  TabletOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  UserOutlined,
  WifiOutlined,
} from '@ant-design/icons';
import type { Role, RoleGroup } from '@yishi/shared/domain';
import type { ReactNode } from 'react';
import { inGroup } from '../lib/access';

/**
 * The console's pages as the navigation knows them: where they are, what they are called, and who sees them.
 * The router (router.tsx) gives each key its page; the side menu is built from these lists. Add a page by adding
 * an entry here and its element there.
 */
export interface NavItem<K extends string = string> {
  key: K;
  /** Path under the app root (global) or under /canteens/:canteenId (canteen). */
  path: string;
  /** i18n key of the label. */
  label: string;
  icon: ReactNode;
  /** The shared role group that sees this page; everyone who can log in when omitted. The server still decides every request. */
  roles?: RoleGroup;
}

/** Pages of one canteen, at /canteens/:canteenId/<path>. */
export const canteenNav = [
  { key: 'orders', path: 'orders', label: 'nav.orders', icon: <UnorderedListOutlined /> },
  { key: 'kitchen', path: 'kitchen', label: 'nav.kitchen', icon: <FireOutlined />, roles: 'canteenStaff' },
  { key: 'deliveries', path: 'deliveries', label: 'opsNav.deliveries', icon: <CarOutlined /> },
  { key: 'close', path: 'close', label: 'opsNav.close', icon: <LockOutlined /> },
  { key: 'samples', path: 'samples', label: 'opsNav.samples', icon: <ExperimentOutlined /> },
  { key: 'menus', path: 'menus', label: 'nav.menus', icon: <CalendarOutlined /> },
  { key: 'dishes', path: 'dishes', label: 'nav.dishes', icon: <CoffeeOutlined /> },
  { key: 'prices', path: 'prices', label: 'nav.prices', icon: <MoneyCollectOutlined /> },
  { key: 'residents', path: 'residents', label: 'nav.residents', icon: <TeamOutlined /> },
  { key: 'rosterImport', path: 'roster-import', label: 'nav.rosterImport', icon: <ImportOutlined />, roles: 'recordKeepers' },
  { key: 'devices', path: 'devices', label: 'nav.devices', icon: <TabletOutlined />, roles: 'canteenStaff' },
] as const satisfies readonly NavItem[];

/** Pages above any one canteen. */
export const globalNav = [
  { key: 'overview', path: 'overview', label: 'nav.overview', icon: <DashboardOutlined /> },
  // Everyone reads the policies (operators and street staff read only); the server decides who may author.
  { key: 'policy', path: 'policy', label: 'nav.policy', icon: <AuditOutlined /> },
  // Operators see their own canteens' claims; street, district and city staff those of their area.
  { key: 'claims', path: 'claims', label: 'nav.claims', icon: <AccountBookOutlined /> },
  // Offline orders whose server price differed: canteen staff accept them, reviewers may disallow the subsidy.
  { key: 'lateReviews', path: 'late-orders', label: 'lateReviews.nav', icon: <WifiOutlined /> },
  { key: 'anomalies', path: 'anomalies', label: 'nav.anomalies', icon: <AlertOutlined />, roles: 'reviewers' },
  // The year's approved claims by district: street, district and city staff (the server scopes it).
  { key: 'clearing', path: 'clearing', label: 'clearing.nav', icon: <CalculatorOutlined />, roles: 'areaStaff' },
  { key: 'audit', path: 'audit', label: 'nav.audit', icon: <FileSearchOutlined />, roles: 'auditReaders' },
  { key: 'priceReviews', path: 'price-reviews', label: 'nav.priceReviews', icon: <FileSyncOutlined />, roles: 'reviewers' },
  // Everyone reads figures of their own scope (an operator their canteens); the server decides what that is.
  { key: 'reports', path: 'reports', label: 'reports.nav', icon: <BarChartOutlined /> },
  { key: 'indicators', path: 'indicators', label: 'indicators.nav', icon: <FundOutlined /> },
  // Street and district staff approve categories that change a subsidy.
  { key: 'approvals', path: 'approvals', label: 'nav.approvals', icon: <SafetyCertificateOutlined />, roles: 'eligibilityApprovers' },
  { key: 'users', path: 'users', label: 'nav.users', icon: <UserOutlined />, roles: 'accountManagers' },
] as const satisfies readonly NavItem[];

export type CanteenPageKey = (typeof canteenNav)[number]['key'];
export type GlobalPageKey = (typeof globalNav)[number]['key'];

export const workspaceIcon = <AppstoreOutlined />;

/** Whether a role sees a page (in the menu, and past the route's gate). */
export function allowed(item: Pick<NavItem, 'key' | 'roles'>, role: Role | undefined): boolean {
  return !item.roles || inGroup(role, item.roles);
}
