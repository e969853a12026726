import { orderRef } from '@yishi/shared/domain';
import { useEffect, useState } from 'react';
import { formatYuan, speakYuanZh } from '@yishi/shared/money';
import { subsidyWords } from '../format';
import type { KioskOrder } from '@yishi/shared/schemas';
import { config } from '../config';
import { ticketDeadline } from '../idle';
import { useCountdown, useSpeak, useT } from '../hooks';
import { Icon } from '../icons';
import { sentences, speak } from '../speech';
import { useKiosk } from '../store';
import { dishName } from '../store/session';
import { Money } from '../ui';
import { RateMeal } from './RateMeal';

export function TicketScreen({ order }: { order: KioskOrder }) {
  const { t, lang } = useT();
  const kiosk = useKiosk((s) => s.kiosk);
  // The order names nobody; the address is the one this person's identification gave the kiosk.
  const deliveryAddress = useKiosk((s) => s.resident?.deliveryAddress ?? null);
  const paperWidth = useKiosk((s) => s.paperWidth);
  const endSession = useKiosk((s) => s.endSession);
  const dialect = useKiosk((s) => s.speechDialect);
  const menuItems = useKiosk((s) => s.kiosk?.menu?.items ?? null);
  // Back to the start after a quiet spell: each touch (a rating, the print button, a look at the number) gives the
  // elder the whole time again.
  const [deadline, setDeadline] = useState(() => Date.now() + config.ticketMs);
  const left = useCountdown(deadline);
  const atCounter = order.state === 'awaiting_payment';
  // 其他支付: the reference typed here is checked by staff at the counter before the kitchen starts.
  const toConfirm = atCounter && order.paymentMethod === 'external';
  const delivery = order.fulfilment === 'delivery';
  const period = t(`period.${order.mealPeriod}`);

  useEffect(() => {
    const id = setTimeout(endSession, Math.max(0, deadline - Date.now()));
    return () => clearTimeout(id);
  }, [endSession, deadline]);
  // Told "staff are on their way" (呼叫工作人员 on this screen): wait for them; the whole time again once it is closed.
  const waitingForStaff = useKiosk((s) => s.help.overlay);
  const [seenWaiting, setSeenWaiting] = useState(false);
  useEffect(() => {
    if (!waitingForStaff && !seenWaiting) return;
    setSeenWaiting(true);
    setDeadline((d) => ticketDeadline(d, Date.now(), waitingForStaff, config));
  }, [waitingForStaff, seenWaiting]);

  // Receipt paper width for @page (58 mm or 80 mm thermal printers; a setting of this kiosk).
  useEffect(() => {
    const style = document.createElement('style');
    style.textContent = `@page { size: ${paperWidth}mm auto; margin: 2mm; } @media print { .receipt-print { width: ${paperWidth - 4}mm; } }`;
    document.head.appendChild(style);
    return () => style.remove();
  }, [paperWidth]);

  const amount = lang === 'en' ? `${formatYuan(order.elderPaysFen, { symbol: false })} yuan` : speakYuanZh(order.elderPaysFen);
  const spoken = toConfirm
    ? delivery
      ? 'ticket.speakDeliveryConfirm'
      : 'ticket.speakConfirm'
    : delivery
      ? atCounter
        ? 'ticket.speakDeliveryCounter'
        : 'ticket.speakDeliveryPaid'
      : atCounter
        ? 'ticket.speakCounter'
        : 'ticket.speakPaid';
  // Aloud: the number and what was paid, never the balance (it is on the screen and the receipt); then the optional rating.
  const numberText = t(spoken, { n: order.pickupNumber, amount, period });
  useSpeak(sentences(lang, numberText, t('rating.speakAsk')));
  // The order's lines as the kiosk's menu names them in the language on screen (the order carries the Chinese name).
  const lineName = (l: KioskOrder['lines'][number]) => {
    const dish = menuItems?.find((i) => i.dish.id === l.dishId)?.dish;
    return dish ? dishName(dish, lang) : l.name;
  };

  return (
    <main
      className="screen screen-ticket"
      data-testid="ticket-screen"
      data-fulfilment={order.fulfilment}
      onPointerDown={() => setDeadline(Date.now() + config.ticketMs)}
    >
      <h1 className="title">
        <Icon name="check" />
        {t('ticket.title')}
      </h1>
      <section className="ticket receipt-print" aria-labelledby="ticket-num-label">
        <p className="print-only receipt-head">{kiosk?.canteen.name}</p>
        <p id="ticket-num-label" className="ticket-label" data-testid="ticket-label">
          {delivery ? t('ticket.deliveryNumber') : t('ticket.number')}
        </p>
        <p className="ticket-number">
          <span data-testid="ticket-number">{order.pickupNumber}</span>
          <span className="ticket-suffix">{t('ticket.numberSuffix')}</span>
        </p>
        {delivery && (
          <div className="ticket-delivery" data-testid="ticket-delivery">
            <p className="ticket-eta">{t('ticket.deliveryEta', { period })}</p>
            {deliveryAddress && <p className="lead">{t('ticket.deliveryTo', { address: deliveryAddress })}</p>}
          </div>
        )}
        <ul className="lines">
          {order.lines.map((l) => (
            <li key={l.dishId} className="line">
              <span>
                {lineName(l)} × {l.quantity}
              </span>
              <Money fen={l.lineTotalFen} />
            </li>
          ))}
        </ul>
        {order.subsidies
          .filter((s) => s.kind === 'meal' && s.amountFen > 0)
          .map((s) => (
            <p key={s.layerId} className="line line-sub">
              <span>{t('confirm.subsidy', subsidyWords(s, lang))}</span>
              <Money fen={-s.amountFen} />
            </p>
          ))}
        <p className="line line-pay" data-testid="ticket-pay-line" data-state={order.state}>
          <span>{toConfirm ? t('ticket.toConfirmCounter') : atCounter ? t('ticket.toPayCounter') : t('ticket.paid')}</span>
          <Money fen={order.elderPaysFen} testId="ticket-paid" className="pay-amount" />
        </p>
        {toConfirm && (
          <p className="lead" data-testid="ticket-confirm-note">
            {t('ticket.confirmNote')}
          </p>
        )}
        {order.balanceAfterFen !== null && (
          <p className="line">
            <span>{t('ticket.balance')}</span>
            <Money fen={order.balanceAfterFen} testId="ticket-balance" />
          </p>
        )}
        <p className="print-only receipt-foot">
          {order.serviceDate} · {new Date(order.createdAt).toLocaleTimeString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' })} · {orderRef(order.id)}
        </p>
        <p className="lead">{t('ticket.thanks')}</p>
      </section>
      <RateMeal orderId={order.id} />
      <div className="row-actions no-print">
        <button type="button" className="btn btn-secondary btn-big" data-testid="ticket-replay" onClick={() => speak(numberText, lang, dialect)}>
          <Icon name="voiceOn" />
          {t('ticket.replay')}
        </button>
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
