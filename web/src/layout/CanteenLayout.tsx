import { Alert, Button, notification, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { useSamples } from '../api/operations';
import { currentMealPeriod } from '@yishi/shared/domain';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useParams } from 'react-router';
import { useMe } from '../api/auth';
import { devicesApi } from '../api/devices';
import { onLiveEvent, useLive } from '../api/live';
import { useCanteen } from '../api/sites';
import { LiveBadge } from '../components/LiveBadge';
import { ErrorResult, FullPageSpin } from '../components/PageState';
import { inGroup } from '../lib/access';
import { fmtTime, nowIn, setDisplayZone } from '../lib/format';
import { useTick } from '../lib/useTick';
import { useUi } from '../store/ui';
import { CanteenContext, type CanteenCtx } from './canteenContext';

/** 呼叫工作人员 at a kiosk: a notification that stays until staff close it, with a sound-free but clear title. */
function useHelpRequests() {
  const { t } = useTranslation();
  const [notice, holder] = notification.useNotification();
  useEffect(
    () =>
      onLiveEvent((e) => {
        // Acknowledged here or on another console: the call is taken care of.
        if (e.type === 'help.acknowledged') notice.destroy(`help-${e.deviceId}`);
        if (e.type !== 'help.requested') return;
        notice.warning({
          key: `help-${e.deviceId}`,
          title: t('help.title'),
          description: t('help.body', { device: e.deviceName, time: fmtTime(e.at) }),
          duration: 0,
          placement: 'topRight',
          actions: (
            <Button
              type="primary"
              size="small"
              data-testid={`help-ack-${e.deviceId}`}
              onClick={() => {
                void devicesApi.acknowledgeHelp(e.requestId).then(
                  () => notice.destroy(`help-${e.deviceId}`),
                  () => undefined,
                );
              }}
            >
              {t('help.done')}
            </Button>
          ),
          props: { 'data-testid': `help-${e.deviceId}` } as Record<string, string>,
        });
      }),
    [notice, t],
  );
  return holder;
}

/** Served meals of the last week with no food sample: a reminder on the canteen's pages (not on the wall screens). */
function SampleReminder({ canteenId, today }: { canteenId: string; today: string }) {
  const { t } = useTranslation();
  const samples = useSamples(canteenId, dayjs(today).subtract(6, 'day').format('YYYY-MM-DD'), today);
  const n = samples.data?.missing.length ?? 0;
  if (!n) return null;
  return (
    <Alert
      type="warning"
      showIcon
      className="sample-reminder"
      data-testid="sample-reminder"
      title={t('samples.reminder', { count: n })}
      action={<Link to={`/canteens/${canteenId}/samples`}>{t('close.goSamples')}</Link>}
    />
  );
}

/** One canteen's pages: its header bar, its live link, and the context its pages read. */
export function CanteenLayout({ wall = false, children }: { wall?: boolean; children?: ReactNode }) {
  const { canteenId } = useParams();
  const { t } = useTranslation();
  const me = useMe().data;
  const canteen = useCanteen(canteenId);
  const remember = useUi((s) => s.rememberCanteen);
  const live = useLive(canteen.data ? canteenId : undefined);
  useTick(30_000);
  const helpHolder = useHelpRequests();

  useEffect(() => {
    if (canteen.data && me) remember(me.id, canteen.data.id);
  }, [canteen.data, me, remember]);

  if (canteen.isPending) return <FullPageSpin />;
  if (canteen.isError) return <ErrorResult error={canteen.error} onRetry={() => void canteen.refetch()} />;
  const c = canteen.data;
  setDisplayZone(c.timeZone);
  const now = nowIn(c.timeZone);
  const period = currentMealPeriod(c.mealPeriods, now.date, now.time);
  const ctx: CanteenCtx = { canteen: c, live, today: now.date, period, canOperate: inGroup(me?.role, 'canteenStaff') };

  return (
    <CanteenContext.Provider value={ctx}>
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
      {!wall && ctx.canOperate && <SampleReminder canteenId={c.id} today={now.date} />}
      {children ?? <Outlet />}
    </CanteenContext.Provider>
  );
}
