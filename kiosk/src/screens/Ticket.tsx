import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatYuan, speakYuanZh } from '@yishi/shared/money';
import type { Order } from '@yishi/shared/schemas';
import { config } from '../config';
import { useCountdown } from '../hooks';
import { useKiosk } from '../store';
import { Money, useSpeak } from '../ui';
import { Icon } from '../icons';

function paperWidth(): 58 | 80 {
  try {
    const v = new URLSearchParams(window.location.search).get('paper') ?? localStorage.getItem('yishi.kiosk.paper');
    return v === '58' ? 58 : 80;
  } catch {
    return 80;
  }
}

export function TicketScreen({ order }: { order: Order }) {
  const { t, i18n } = useTranslation();
  const kiosk = useKiosk((s) => s.kiosk);
  const endSession = useKiosk((s) => s.endSession);
  const deadline = useMemo(() => Date.now() + config.ticketMs, []);
  const left = useCountdown(deadline);
  const atCounter = order.state === 'awaiting_payment';

  useEffect(() => {
    const id = setTimeout(endSession, config.ticketMs);
    return () => clearTimeout(id);
  }, [endSession]);

  // Receipt paper width for @page (58 mm or 80 mm thermal printers).
  useEffect(() => {
    const w = paperWidth();
    const style = document.createElement('style');
    style.textContent = `@page { size: ${w}mm auto; margin: 2mm; } @media print { .receipt-print { width: ${w - 4}mm; } }`;
    document.head.appendChild(style);
    return () => style.remove();
  }, []);

  const amount = i18n.language === 'en' ? `${formatYuan(order.elderPaysFen, { symbol: false })} yuan` : speakYuanZh(order.elderPaysFen);
  useSpeak(t(atCounter ? 'ticket.speakCounter' : 'ticket.speakPaid', { n: order.pickupNumber, amount }));

  return (
    <main className="screen screen-ticket" data-testid="ticket-screen">
      <h1 className="title">
        <Icon name="check" />
        {t('ticket.title')}
      </h1>
      <section className="ticket receipt-print" aria-labelledby="ticket-num-label">
        <p className="print-only receipt-head">{kiosk?.canteen.name}</p>
        <p id="ticket-num-label" className="ticket-label">
          {t('ticket.number')}
        </p>
        <p className="ticket-number">
          <span data-testid="ticket-number">{order.pickupNumber}</span>
          <span className="ticket-suffix">{t('ticket.numberSuffix')}</span>
        </p>
        <ul className="lines">
          {order.lines.map((l) => (
            <li key={l.dishId} className="line">
              <span>
                {l.name} × {l.quantity}
              </span>
              <Money fen={l.lineTotalFen} />
            </li>
          ))}
        </ul>
        {order.subsidies
          .filter((s) => s.kind === 'meal' && s.amountFen > 0)
          .map((s) => (
            <p key={s.layerId} className="line line-sub">
              <span>{t('confirm.subsidy', { name: s.layerName, payer: s.payer })}</span>
              <span className="money">
                −<Money fen={s.amountFen} />
              </span>
            </p>
          ))}
        <p className="line line-pay">
          <span>{atCounter ? t('ticket.toPayCounter') : t('ticket.paid')}</span>
          <Money fen={order.elderPaysFen} testId="ticket-paid" className="pay-amount" />
        </p>
        {order.balanceAfterFen !== null && (
          <p className="line">
            <span>{t('ticket.balance')}</span>
            <Money fen={order.balanceAfterFen} testId="ticket-balance" />
          </p>
        )}
        {order.fulfilment === 'delivery' && <p className="line">{t('ticket.delivery')}</p>}
        <p className="print-only receipt-foot">
          {order.serviceDate} · {new Date(order.createdAt).toLocaleTimeString('zh-CN', { hour12: false })} · {order.id.slice(-6).toUpperCase()}
        </p>
        <p className="lead">{t('ticket.thanks')}</p>
      </section>
      <div className="row-actions no-print">
        <button type="button" className="btn btn-secondary btn-big" data-testid="ticket-print" onClick={() => window.print()}>
          <Icon name="printer" />
          {t('ticket.print')}
        </button>
        <button type="button" className="btn btn-primary btn-big" data-testid="ticket-done" onClick={endSession}>
          {t('ticket.done')}
        </button>
      </div>
      <p className="lead no-print" aria-live="off">
        {t('ticket.autoBack', { s: left })}
      </p>
    </main>
  );
}
