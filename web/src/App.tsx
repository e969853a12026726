import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { ApiError, onAuthError } from './api/client';
import { AppLayout } from './layout/AppLayout';
import { CanteenLayout } from './layout/CanteenLayout';
import { HomeRedirect, RequireAuth, RoleGate } from './layout/guards';
import { ChangePasswordPage } from './pages/ChangePasswordPage';
import { KitchenPage } from './pages/canteen/KitchenPage';
import { LoginPage } from './pages/LoginPage';
import { NotFound } from './pages/NotFound';
import { canteenRoutes, globalRoutes } from './routes';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, err) => {
        if (err instanceof ApiError && err.status > 0 && err.status < 500) return false;
        return count < 2;
      },
      refetchOnWindowFocus: true,
    },
  },
  queryCache: new QueryCache(),
  mutationCache: new MutationCache(),
});

export const router = createBrowserRouter([
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
    path: '/',
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <HomeRedirect /> },
      ...globalRoutes
        .flatMap((r) => [r, ...(r.subRoutes ?? []).map((sub) => ({ ...r, ...sub }))])
        .map((r) => ({ path: r.path, element: <RoleGate route={r}>{r.element}</RoleGate> })),
      {
        path: 'canteens/:canteenId',
        element: <CanteenLayout />,
        children: [
          { index: true, element: <Navigate to="orders" replace /> },
          ...canteenRoutes.map((r) => ({ path: r.path, element: <RoleGate route={r}>{r.element}</RoleGate> })),
        ],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

onAuthError((err) => {
  const here = window.location.pathname;
  if (err.code === 'unauthenticated') {
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    queryClient.setQueryData(['me'], undefined);
    if (here !== '/login') void router.navigate('/login', { state: { from: here } });
  } else if (err.code === 'password_change_required') {
    if (here !== '/change-password') void router.navigate('/change-password');
  }
});

export function App() {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  useEffect(() => {
    dayjs.locale(en ? 'en' : 'zh-cn');
    document.documentElement.lang = en ? 'en' : 'zh-CN';
  }, [en]);
  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider
        locale={en ? enUS : zhCN}
        theme={{
          algorithm: theme.defaultAlgorithm,
          token: { colorPrimary: '#b4531d', borderRadius: 6, fontSize: 14, colorLink: '#9a4518' },
          components: { Layout: { headerBg: '#ffffff', siderBg: '#1f2a30' }, Menu: { darkItemBg: '#1f2a30', darkSubMenuItemBg: '#18222a' } },
        }}
      >
        <AntApp>
          <RouterProvider router={router} />
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
