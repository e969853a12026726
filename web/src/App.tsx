import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { ApiError, onAuthError } from './api/client';
import { qk } from './api/keys';
import { createRouter } from './router';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal or a broken contract will not change by asking again; a network failure or a 5xx may.
      retry: (count, err) => {
        if (err instanceof ApiError && err.status > 0 && err.status < 500) return false;
        if (err instanceof ApiError && err.details.contract) return false;
        return count < 2;
      },
      refetchOnWindowFocus: true,
    },
  },
});

const router = createRouter();

onAuthError((err) => {
  const here = window.location.pathname;
  if (err.code === 'unauthenticated') {
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== qk.me[0] });
    queryClient.setQueryData(qk.me, undefined);
    if (here !== '/login') void router.navigate('/login', { state: { from: here } });
  } else if (err.code === 'password_change_required') {
    if (here !== '/change-password') void router.navigate('/change-password');
  }
});

/** Contrast-checked colours (WCAG AA at 12–14 px on white and on the dark side bar). */
const THEME = {
  algorithm: theme.defaultAlgorithm,
  token: {
    colorPrimary: '#b4531d',
    borderRadius: 6,
    fontSize: 14,
    colorLink: '#9a4518',
    // antd's greys for secondary text and placeholders are 3.4:1 and 1.8:1 on white; these are 7:1 and 4.7:1.
    colorTextSecondary: '#595959',
    colorTextDescription: '#595959',
    colorTextTertiary: '#595959',
    colorTextPlaceholder: '#737373',
    // Danger buttons and error texts: antd's red is 3.3:1 on white; this one 5.9:1.
    colorError: '#cf1322',
  },
  components: { Layout: { headerBg: '#ffffff', siderBg: '#1f2a30' }, Menu: { darkItemBg: '#1f2a30', darkSubMenuItemBg: '#18222a' } },
};

export function App() {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  useEffect(() => {
    dayjs.locale(en ? 'en' : 'zh-cn');
    document.documentElement.lang = en ? 'en' : 'zh-CN';
  }, [en]);
  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider locale={en ? enUS : zhCN} theme={THEME}>
        <AntApp>
          <RouterProvider router={router} />
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
