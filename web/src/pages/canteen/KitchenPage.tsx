import { CompressOutlined, DesktopOutlined, ExpandOutlined } from '@ant-design/icons';
import { App, Button, Empty, Space, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useOrderAction, useOrders, type Order } from '../../api/orders';
import { LiveBadge } from '../../components/LiveBadge';
import { ErrorResult } from '../../components/PageState';
import { useCanteenCtx } from '../../layout/canteenContext';
import { errorText } from '../../lib/errors';
import { fmtClock, minutesSince } from '../../lib/format';
import { useTick } from '../../lib/useTick';

function KitchenCard({ order, now }: { order: Order; now: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const action = useOrderAction(order);
  const serve = () => action.mutate({ kind: 'ready' }, { onError: (e) => void message.error(errorText(t, e)) });
  // The elder has waited since the order was placed, whatever time this screen was opened or the cash confirmed.
  const waited = minutesSince(order.createdAt, now);
  const urgency = waited >= 15 ? 'late' : waited >= 8 ? 'slow' : '';
  return (
    <div className={`kitchen-card ${urgency}`} data-testid={`kitchen-card-${order.id}`}>
      <div className="kitchen-card-head">
        <span className="kitchen-number">{order.pickupNumber}</span>
        <div className="kitchen-meta">
          {order.fulfilment === 'delivery' && (
            <Tag color="purple" className="kitchen-tag">
              {t('fulfilments.delivery')}
            </Tag>
          )}
          <span>{t('kitchen.waiting', { minutes: waited })}</span>
        </div>
      </div>
      <ul className="kitchen-lines">
        {order.lines.map((l) => (
          <li key={l.dishId}>
            <span>{l.name}</span>
            <b>×{l.quantity}</b>
          </li>
        ))}
      </ul>
      {order.residentName && <div className="kitchen-who">{order.residentName}</div>}
      <Button type="primary" size="large" block className="kitchen-serve" loading={action.isPending} onClick={serve} data-testid={`kitchen-serve-${order.id}`}>
        {t('kitchen.serve')}
      </Button>
    </div>
  );
}

/** Paid orders not yet ready, oldest first, in big cards for a wall screen. */
export function KitchenPage({ wall = false }: { wall?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { canteen, today, live } = useCanteenCtx();
  const orders = useOrders(canteen.id, today);
  const now = useTick(15_000);

  const queue = useMemo(
    () => (orders.data?.items ?? []).filter((o) => o.state === 'paid').sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    [orders.data],
  );
  // Orders whose money staff have not confirmed yet (cash at the counter, a kiosk's 其他支付): not to cook yet.
  const awaiting = useMemo(
    () => (orders.data?.items ?? []).filter((o) => o.state === 'awaiting_payment').sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    [orders.data],
  );
  const ready = useMemo(
    () =>
      (orders.data?.items ?? [])
        .filter((o) => o.state === 'ready')
        .sort((a, b) => (b.readyAt ?? '').localeCompare(a.readyAt ?? ''))
        .slice(0, 12),
    [orders.data],
  );

  if (orders.isError && !orders.data) return <ErrorResult error={orders.error} onRetry={() => void orders.refetch()} />;

  return (
    <div className={wall ? 'kitchen wall' : 'kitchen page'}>
      <div className="kitchen-top">
        <Space size="large" align="center">
          <Typography.Title level={wall ? 2 : 4} style={{ margin: 0 }} className="kitchen-title">
            {wall ? `${canteen.shortName} · ` : ''}
            {t('kitchen.title')}
          </Typography.Title>
          <span className="kitchen-count" data-testid="kitchen-count">
            {t('kitchen.queue', { count: queue.length })}
          </span>
          {wall && <LiveBadge status={live} />}
        </Space>
        <Space>
          {wall && <span className="kitchen-clock">{fmtClock(now)}</span>}
          {!wall && (
            <Button icon={<DesktopOutlined />} onClick={() => navigate(`/board/${canteen.id}`)} data-testid="open-ready-board">
              {t('board.open')}
            </Button>
          )}
          <Button
            icon={wall ? <CompressOutlined /> : <ExpandOutlined />}
            onClick={() => {
              if (wall) {
                if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
                navigate(`/canteens/${canteen.id}/kitchen`);
              } else {
                void document.documentElement.requestFullscreen?.().catch(() => undefined);
                navigate(`/wall/${canteen.id}/kitchen`);
              }
            }}
            data-testid="kitchen-wall"
          >
            {wall ? t('kitchen.exitWall') : t('kitchen.wall')}
          </Button>
        </Space>
      </div>
      {awaiting.length > 0 && (
        <div className="kitchen-ready kitchen-awaiting" data-testid="kitchen-awaiting">
          <span className="kitchen-ready-label">{t('kitchen.awaiting')}</span>
          {awaiting.map((o) => (
            <span key={o.id} className="kitchen-ready-number" data-testid={`kitchen-awaiting-${o.id}`}>
              {o.pickupNumber}
            </span>
          ))}
          <span className="kitchen-awaiting-hint">{t('kitchen.awaitingHint')}</span>
        </div>
      )}
      {ready.length > 0 && (
        <div className="kitchen-ready">
          <span className="kitchen-ready-label">{t('kitchen.ready')}</span>
          {ready.map((o) => (
            <span key={o.id} className="kitchen-ready-number">
              {o.pickupNumber}
            </span>
          ))}
        </div>
      )}
      {queue.length === 0 ? (
        <Empty description={<span className="kitchen-empty">{t('kitchen.empty')}</span>} style={{ marginTop: 80 }} />
      ) : (
        <div className="kitchen-grid">
          {queue.map((o) => (
            <KitchenCard key={o.id} order={o} now={now} />
          ))}
        </div>
      )}
    </div>
  );
}
