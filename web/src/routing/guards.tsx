import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { useMe } from '../api/auth';
import { ApiError } from '../api/client';
import { useCanteens } from '../api/sites';
import { ErrorResult, FullPageSpin } from '../components/PageState';
import { landingCanteen, useUi } from '../store/ui';
import { allowed, type NavItem } from './nav';

/** Signed-in users only; a user who must change their password goes to that page first. */
export function RequireAuth({ children, allowMustChange = false }: { children: ReactNode; allowMustChange?: boolean }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <FullPageSpin />;
  if (me.isError) {
    const code = me.error instanceof ApiError ? me.error.code : null;
    if (code === 'unauthenticated') return <Navigate to="/login" replace state={{ from: location.pathname }} />;
    if (code === 'password_change_required') {
      if (!allowMustChange) return <Navigate to="/change-password" replace />;
    } else {
      return <ErrorResult error={me.error} onRetry={() => void me.refetch()} />;
    }
  }
  if (me.data?.mustChangePassword && !allowMustChange) return <Navigate to="/change-password" replace />;
  return <>{children}</>;
}

/** A page the user's role does not see answers 403 (the server refuses its requests anyway). */
export function RoleGate({ item, children }: { item: Pick<NavItem, 'key' | 'roles'>; children: ReactNode }) {
  const me = useMe();
  const { t } = useTranslation();
  if (!allowed(item, me.data?.role)) return <Result status="403" title="403" subTitle={t('errors.forbidden')} />;
  return <>{children}</>;
}

/**
 * "/" → an operator lands in the canteen they last used on this browser (or their first); everyone else (the
 * administrator included, who sees every canteen) on the overview. Nothing is drawn until the target is known, so
 * no other canteen flashes first.
 */
export function HomeRedirect() {
  const me = useMe();
  const operator = me.data?.role === 'operator';
  const canteens = useCanteens(operator);
  const last = useUi((s) => (me.data ? s.lastCanteenByUser[me.data.id] : undefined));
  if (!me.data) return <FullPageSpin />;
  if (!operator) return <Navigate to="/overview" replace />;
  if (canteens.isPending) return <FullPageSpin />;
  const ids = canteens.data?.map((c) => c.id) ?? me.data.canteenIds;
  const target = landingCanteen(last, ids);
  if (!target) return <Navigate to="/overview" replace />;
  return <Navigate to={`/canteens/${target}/orders`} replace />;
}
