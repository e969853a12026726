import { CompressOutlined } from '@ant-design/icons';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useOrders } from '../../api/orders';
import { LiveBadge } from '../../components/LiveBadge';
import { useCanteenCtx } from '../../layout/canteenContext';
import { fmtClock } from '../../lib/format';
import { useTick } from '../../lib/useTick';

/**
 * The hall's "ready" board (取餐大屏): a screen without the console's menus, numbers large enough to read across
 * the room (white and yellow on black, contrast over 15:1), kept live by the canteen's WebSocket: an order marked
 * ready appears as soon as the event arrives. Delivery orders are the couriers' and are not called in the hall.
 */
export function ReadyBoardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { canteen, today, live } = useCanteenCtx();
  const orders = useOrders(canteen.id, today);
  const now = useTick(15_000);
  const { ready, collected } = useMemo(() => {
    const dineIn = (orders.data?.items ?? []).filter((o) => o.fulfilment === 'dine_in');
    return {
      ready: dineIn.filter((o) => o.state === 'ready').sort((a, b) => (a.readyAt ?? '').localeCompare(b.readyAt ?? '')),
      // Collected in the last 10 minutes, newest first: someone who just missed their number sees it went.
      collected: dineIn
        .filter((o) => o.state === 'completed' && o.completedAt && now - Date.parse(o.completedAt) < 10 * 60_000)
        .sort((a, b) => (b.completedAt ?? '').localeCompare(a.completedAt ?? ''))
        .slice(0, 8),
    };
  }, [orders.data, now]);

  return (
    <main className="ready-board" data-testid="ready-board" lang="zh-CN">
      <header className="ready-board-head">
        <h1>
          {canteen.shortName} · {t('board.title')}
        </h1>
        <div className="ready-board-meta">
          <span className="ready-board-clock">{fmtClock(now)}</span>
          <LiveBadge status={live} />
          <button type="button" className="ready-board-exit" onClick={() => navigate(`/canteens/${canteen.id}/kitchen`)} aria-label={t('board.exit')}>
            <CompressOutlined />
          </button>
        </div>
      </header>
      <p className="ready-board-sub">{t('board.subtitle')}</p>
      {ready.length === 0 ? (
        <p className="ready-board-empty">{t('board.empty')}</p>
      ) : (
        <ol className="ready-board-numbers" aria-live="polite">
          {ready.map((o) => (
            <li key={o.id} className="ready-board-number" data-testid={`ready-number-${o.pickupNumber}`}>
              {o.pickupNumber}
            </li>
          ))}
        </ol>
      )}
      {collected.length > 0 && (
        <footer className="ready-board-recent">
          <span>{t('board.recent')}</span>
          {collected.map((o) => (
            <span key={o.id} className="ready-board-recent-number">
              {o.pickupNumber}
            </span>
          ))}
        </footer>
      )}
    </main>
  );
}
