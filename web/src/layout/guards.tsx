import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { ApiError } from '../api/client';
import { useCanteens, useMe } from '../api/queries';
import { errorText } from '../lib/errors';
import type { NavRoute } from '../routes';
import { allowed } from '../routes';
import { useUi } from '../store/ui';

export function FullPageSpin() {
  return (
    <div style={{ display: 'grid', placeItems: 'center', minHeight: '60vh' }}>
      <Spin size="large" />
    </div>
  );
}

export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status={error instanceof ApiError && error.status === 403 ? '403' : 'warning'}
      title={t('common.loadFailed')}
      subTitle={errorText(t, error)}
      extra={onRetry ? <Button onClick={onRetry}>{t('app.retry')}</Button> : undefined}
    />
  );
}

/** Signed-in users only; a user who must change their password goes to that page first. */
export function RequireAuth({ children, allowMustChange = false }: { children: ReactNode; allowMustChange?: boolean }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <FullPageSpin />;
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.code === 'unauthenticated') {
      return <Navigate to="/login" replace state={{ from: location.pathname }} />;
    }
    if (me.error instanceof ApiError && me.error.code === 'password_change_required' && !allowMustChange) {
      return <Navigate to="/change-password" replace />;
    }
    if (!(me.error instanceof ApiError && me.error.code === 'password_change_required')) {
      return <ErrorResult error={me.error} onRetry={() => void me.refetch()} />;
    }
  }
  if (me.data?.mustChangePassword && !allowMustChange) return <Navigate to="/change-password" replace />;
  return <>{children}</>;
}

export function RoleGate({ route, children }: { route: NavRoute; children: ReactNode }) {
  const me = useMe();
  const { t } = useTranslation();
  if (!allowed(route, me.data?.role)) return <Result status="403" title="403" subTitle={t('errors.forbidden')} />;
  return <>{children}</>;
}

/** "/" → an operator's canteen workspace, everyone else the overview. */
export function HomeRedirect() {
  const me = useMe();
  const last = useUi((s) => s.lastCanteenId);
  const isOperator = me.data?.role === 'operator';
  const canteens = useCanteens(isOperator);
  if (!me.data) return <FullPageSpin />;
  if (!isOperator) return <Navigate to="/overview" replace />;
  if (canteens.isPending) return <FullPageSpin />;
  const ids = canteens.data?.map((c) => c.id) ?? me.data.canteenIds;
  const target = last && ids.includes(last) ? last : ids[0];
  if (!target) return <Navigate to="/overview" replace />;
  return <Navigate to={`/canteens/${target}/orders`} replace />;
}
