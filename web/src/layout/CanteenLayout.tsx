import { Badge, notification, Space, Tag, Tooltip, Typography } from 'antd';
import { currentMealPeriod } from '@yishi/shared/domain';
import type { MealPeriod } from '@yishi/shared/domain';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useParams } from 'react-router';
import { onLiveEvent, useLive, type LiveStatus } from '../api/live';
import { useCanteen, useMe } from '../api/queries';
import type { CanteenSummary } from '../api/types';
import { nowIn, setDisplayZone } from '../lib/format';
import { serverNow } from '../lib/serverClock';
import { useUi } from '../store/ui';
import { ErrorResult, FullPageSpin } from './guards';

export interface CanteenCtx {
  canteen: CanteenSummary;
  live: LiveStatus;
  /** Today in the canteen's time zone. */
  today: string;
  /** The meal period open now, or null outside meal hours. */
  period: MealPeriod | null;
  /** The current user may act as this canteen's operator. */
  canOperate: boolean;
}

const Ctx = createContext<CanteenCtx | null>(null);

export function useCanteenCtx(): CanteenCtx {
  const c = useContext(Ctx);
  if (!c) throw new Error('useCanteenCtx outside CanteenLayout');
  return c;
}

/** Re-render every `ms` so clocks and "current meal" stay right on a screen left open all day. */
export function useTick(ms: number): number {
  const [now, setNow] = useState(() => serverNow());
  useEffect(() => {
    const id = setInterval(() => setNow(serverNow()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

export function LiveBadge({ status }: { status: LiveStatus }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={status === 'open' ? 'WebSocket' : undefined}>
      <Badge
        status={status === 'open' ? 'success' : status === 'connecting' ? 'processing' : 'error'}
        text={status === 'open' ? t('header.live') : t('header.offline')}
        data-testid="live-status"
        data-status={status}
      />
    </Tooltip>
  );
}

/** 呼叫工作人员 at a kiosk: a notification that stays until staff close it, with a sound-free but clear title. */
function useHelpRequests() {
  const { t } = useTranslation();
  const [notice, holder] = notification.useNotification();
  useEffect(
    () =>
      onLiveEvent((e) => {
        if (e.type !== 'help.requested') return;
        notice.warning({
          key: `help-${e.deviceId}`,
          message: t('help.title'),
          description: t('help.body', { device: e.deviceName, time: formatTime(e.at) }),
          duration: 0,
          placement: 'topRight',
          props: { 'data-testid': `help-${e.deviceId}` } as Record<string, string>,
        });
      }),
    [notice, t],
  );
  return holder;
}

function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' });
}

export function CanteenLayout({ wall = false, children }: { wall?: boolean; children?: ReactNode }) {
  const { canteenId } = useParams();
  const { t } = useTranslation();
  const me = useMe().data;
  const canteen = useCanteen(canteenId);
  const setLast = useUi((s) => s.setLastCanteen);
  const live = useLive(canteen.data ? canteenId : undefined);
  useTick(30_000);
  const helpHolder = useHelpRequests();

  useEffect(() => {
    if (canteen.data) setLast(canteen.data.id);
  }, [canteen.data, setLast]);

  if (canteen.isPending) return <FullPageSpin />;
  if (canteen.isError) return <ErrorResult error={canteen.error} onRetry={() => void canteen.refetch()} />;
  const c = canteen.data;
  setDisplayZone(c.timeZone);
  const now = nowIn(c.timeZone);
  const period = currentMealPeriod(c.mealPeriods, now.date, now.time);
  const ctx: CanteenCtx = { canteen: c, live, today: now.date, period, canOperate: me?.role === 'operator' || me?.role === 'admin' };

  return (
    <Ctx.Provider value={ctx}>
      {helpHolder}
      {!wall && (
        <div className="canteen-bar">
          <Space size="middle" wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="canteen-name">
              {c.name}
            </Typography.Title>
            <Tag color={c.status === 'open' ? 'green' : c.status === 'suspended' ? 'orange' : 'default'}>{t(`canteenStatus.${c.status}`)}</Tag>
            <Tag>{t(`supplyModes.${c.supplyMode}`)}</Tag>
            <Typography.Text type="secondary">
              {c.districtName} · {c.streetName} · {c.code}
            </Typography.Text>
          </Space>
          <Space size="large">
            <Typography.Text>
              {now.date} {t(`weekdays.${now.isoWeekday}`)} · <b>{period ? t(`mealPeriods.${period}`) : t('workspace.noPeriod')}</b>
            </Typography.Text>
            <LiveBadge status={live} />
          </Space>
        </div>
      )}
      {children ?? <Outlet />}
    </Ctx.Provider>
  );
}
