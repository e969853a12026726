import {
  DownOutlined,
  GlobalOutlined,
  KeyOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  PoweroffOutlined,
  ShopOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Dropdown, Layout, Menu, Select, Space, Tag, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useMatch, useNavigate } from 'react-router';
import { authApi, useMe } from '../api/auth';
import { useRefusedWaiting } from '../api/reviews';
import { nowIn } from '../lib/format';
import { useCanteens } from '../api/sites';
import { saveLang, type Lang } from '../i18n';
import { DeliveryAlerts } from '../components/DeliveryAlerts';
import { inGroup } from '../lib/access';
import { errorText } from '../lib/errors';
import { allowed, canteenNav, globalNav, workspaceIcon } from '../routing/nav';
import { landingCanteen, useUi } from '../store/ui';

const { Header, Sider, Content } = Layout;

export function AppLayout() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const canteens = useCanteens();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { modal, message } = App.useApp();
  const collapsed = useUi((s) => s.siderCollapsed);
  const toggleSider = useUi((s) => s.toggleSider);
  const lastCanteenId = useUi((s) => (me ? s.lastCanteenByUser[me.id] : undefined));
  // A new page opens at its top: the side menu is taller than a laptop's screen, and reaching its lower entries
  // scrolled the window, so the page they opened showed mid-way, its title and filters out of sight.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [location.pathname]);
  const canteenMatch = useMatch('/canteens/:canteenId/*');
  const routeCanteenId = canteenMatch?.params.canteenId;
  const subPath = canteenMatch?.params['*']?.split('/')[0] || 'orders';

  const canteenList = canteens.data ?? [];
  const workspaceCanteenId =
    routeCanteenId ??
    landingCanteen(
      lastCanteenId,
      canteenList.map((c) => c.id),
    );

  const role = me?.role;
  const lateNav = globalNav.find((r) => r.key === 'lateReviews');
  const refusedWaiting = useRefusedWaiting(nowIn('Asia/Shanghai').date.slice(0, 7), !!lateNav && allowed(lateNav, role));
  const items = useMemo<MenuProps['items']>(() => {
    const glob = globalNav.filter((r) => allowed(r, role));
    const overview = glob.filter((r) => r.key === 'overview');
    const rest = glob.filter((r) => r.key !== 'overview');
    const out: NonNullable<MenuProps['items']> = overview.map((r) => ({
      key: `/${r.path}`,
      icon: r.icon,
      label: <span data-testid={`nav-${r.key}`}>{t(r.label)}</span>,
    }));
    if (workspaceCanteenId) {
      out.push({
        key: 'workspace',
        label: (
          <span>
            <span aria-hidden="true">{workspaceIcon}</span> {t('nav.workspace')}
          </span>
        ),
        type: 'group',
        children: canteenNav
          .filter((r) => allowed(r, role))
          .map((r) => ({ key: `/canteens/${workspaceCanteenId}/${r.path}`, icon: r.icon, label: <span data-testid={`nav-${r.key}`}>{t(r.label)}</span> })),
      });
    }
    if (rest.length) {
      out.push({
        key: 'admin',
        label: t('nav.admin'),
        type: 'group',
        children: rest.map((r) => ({
          key: `/${r.path}`,
          icon: r.icon,
          label:
            r.key === 'lateReviews' && refusedWaiting > 0 ? (
              // Offline orders refused on arrival wait for staff (被拒收): said where an operator will see it.
              <span data-testid={`nav-${r.key}`} data-waiting={refusedWaiting}>
                {t(r.label)} <Badge count={refusedWaiting} size="small" title={t('lateReviews.refusedWaiting', { count: refusedWaiting })} />
              </span>
            ) : (
              <span data-testid={`nav-${r.key}`}>{t(r.label)}</span>
            ),
        })),
      });
    }
    return out;
  }, [role, t, workspaceCanteenId, refusedWaiting]);

  const selected = routeCanteenId ? `/canteens/${routeCanteenId}/${subPath}` : `/${location.pathname.split('/')[1] ?? ''}`;

  const logout = async (all: boolean) => {
    try {
      await authApi.logout(all);
    } catch (e) {
      message.error(errorText(t, e));
    }
    qc.clear();
    navigate('/login', { replace: true });
  };

  const userMenu: MenuProps['items'] = [
    {
      key: 'pw',
      icon: <KeyOutlined />,
      label: <span data-testid="change-password">{t('header.changePassword')}</span>,
      onClick: () => navigate('/change-password'),
    },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{t('header.logout')}</span>, onClick: () => void logout(false) },
    {
      key: 'logout-all',
      icon: <PoweroffOutlined />,
      danger: true,
      label: <span data-testid="logout-all">{t('header.logoutAll')}</span>,
      onClick: () =>
        modal.confirm({ title: t('header.logoutAll'), content: t('header.logoutAllConfirm'), okButtonProps: { danger: true }, onOk: () => logout(true) }),
    },
  ];

  const langMenu: MenuProps['items'] = [
    { key: 'zh-CN', label: '中文' },
    { key: 'en', label: 'English' },
  ];

  const showPicker = canteenList.length > 1 && (routeCanteenId || role === 'operator');

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider collapsible collapsed={collapsed} trigger={null} width={208} breakpoint="lg">
        <div className="brand" onClick={() => navigate('/')}>
          <span className="brand-mark">颐</span>
          {!collapsed && (
            <span className="brand-text">
              {t('app.name')}
              <small>{t('app.subtitle')}</small>
            </span>
          )}
        </div>
        <Menu theme="dark" mode="inline" selectedKeys={[selected]} items={items} onClick={(e) => navigate(e.key)} data-testid="side-nav" />
      </Sider>
      <Layout>
        <Header className="app-header">
          <Space size="middle">
            <Button type="text" icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />} onClick={toggleSider} aria-label={t('header.toggleMenu')} />
            {showPicker && (
              <Select
                data-testid="canteen-picker"
                aria-label={t('header.pickCanteen')}
                showSearch={{ optionFilterProp: 'label' }}
                style={{ width: 320 }}
                prefix={<ShopOutlined />}
                placeholder={t('header.pickCanteen')}
                value={routeCanteenId}
                options={canteenList.map((c) => ({ value: c.id, label: `${c.shortName} · ${c.streetName}` }))}
                onChange={(id: string) => navigate(`/canteens/${id}/${subPath}`)}
              />
            )}
          </Space>
          <Space size="middle">
            <Dropdown menu={{ items: langMenu, selectable: true, selectedKeys: [i18n.language], onClick: (e) => saveLang(e.key as Lang) }}>
              <Button type="text" icon={<GlobalOutlined />} data-testid="lang-switch">
                {i18n.language === 'en' ? 'English' : '中文'}
              </Button>
            </Dropdown>
            <Dropdown menu={{ items: userMenu }} trigger={['click']}>
              <Button type="text" data-testid="user-menu">
                <Space size={6}>
                  <Typography.Text strong>{me?.displayName}</Typography.Text>
                  {role && (
                    <Tag color="orange" style={{ marginInlineEnd: 0 }}>
                      {t(`roles.${role}`)}
                    </Tag>
                  )}
                  <DownOutlined style={{ fontSize: 10 }} />
                </Space>
              </Button>
            </Dropdown>
          </Space>
        </Header>
        <Content className="app-content">
          {me && <DeliveryAlerts canAcknowledge={inGroup(me.role, 'canteenStaff')} />}
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
