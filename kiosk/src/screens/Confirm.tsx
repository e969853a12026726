import { orderRef } from '@yishi/shared/domain';
import { useEffect, useRef, useState } from 'react';
import { formatYuan, speakYuanZh } from '@yishi/shared/money';
import { subsidyWords } from '../format';
import { useBill, useSpeak, useT } from '../hooks';
import { Icon } from '../icons';
import { useKiosk } from '../store';
import { BusyCountdown, Money, NoticeBox } from '../ui';
import { BasketLines } from './Menu';

export function ConfirmScreen() {
  const { t, lang } = useT();
  const resident = useKiosk((s) => s.resident);
  const fulfilment = useKiosk((s) => s.fulfilment);
  const mealPeriod = useKiosk((s) => s.kiosk?.mealPeriod ?? null);
  const status = useKiosk((s) => s.submitStatus);
  const attemptNo = useKiosk((s) => s.submitAttempt);
  const waitUntil = useKiosk((s) => s.submitWaitUntil);
  const pending = useKiosk((s) => s.pendingOrder);
  const quoteStatus = useKiosk((s) => s.quoteStatus);
  const quoteError = useKiosk((s) => s.quoteError);
  const requestQuote = useKiosk((s) => s.requestQuote);
  const placeOrder = useKiosk((s) => s.placeOrder);
  const retrySaved = useKiosk((s) => s.retrySaved);
  const clearAttempt = useKiosk((s) => s.clearAttempt);
  const go = useKiosk((s) => s.go);
  const endSession = useKiosk((s) => s.endSession);
  const setNotice = useKiosk((s) => s.setNotice);
  const bill = useBill();
  const [showExternal, setShowExternal] = useState(false);
  const [reference, setReference] = useState('');
  // 其他支付 opens a field below the buttons: on a short screen (an 800 × 1280 tablet) it opened out of sight, and
  // nothing seemed to happen. Bring it, and its confirm button, into view.
  const externalRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (showExternal) externalRef.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, [showExternal]);
  const busy = status === 'submitting' || status === 'retrying';

  // Price afresh on arrival (the figures on this screen are what the person confirms).
  useEffect(() => {
    void requestQuote({ immediate: true });
  }, [requestQuote]);

  const walletShort = !!bill && bill.balanceAfterFen !== null && bill.balanceAfterFen < 0;
  const walletLeft = useKiosk((s) => s.offlineWalletLeftFen);
  const offlineLimitFen = useKiosk((s) => s.offlinePricing?.walletOfflineLimitFen ?? null);
  // Offline the wallet pays only up to the canteen's limit a day (the rest at the counter).
  const overOfflineLimit = bill?.source === 'offline' && bill.elderPaysFen > (walletLeft ?? 0);
  const canWallet =
    !!resident && (bill?.source === 'quote' || bill?.source === 'offline') && bill.balanceAfterFen !== null && !walletShort && !overOfflineLimit;
  const locked = busy || status === 'saved' || !bill;
  const counterOnly = bill?.source === 'list' || bill?.source === 'offline';
  const period = mealPeriod ? t(`period.${mealPeriod}`) : '';

  const speakText = bill
    ? lang === 'en'
      ? `${t('confirm.youPay')} ${formatYuan(bill.elderPaysFen, { symbol: false })} yuan`
      : `${t('confirm.youPay')}${speakYuanZh(bill.elderPaysFen)}`
    : null;
  useSpeak(speakText);

  // Saved while the network is down: what is paid, what is still owed and where, and the reference staff look up;
  // on screen and aloud (the ticket with its number comes only once the server has the order).
  const savedKey = !pending
    ? null
    : pending.paymentMethod === 'wallet'
      ? 'confirm.savedOfflineWallet'
      : pending.paymentMethod === 'external'
        ? 'confirm.savedOfflineExternal'
        : 'confirm.savedOfflineCounter';
  const savedRef = pending ? orderRef(pending.id) : '';
  const savedFen = bill?.elderPaysFen ?? 0;
  const savedText = savedKey ? t(savedKey, { ref: savedRef, amount: formatYuan(savedFen) }) : '';
  useSpeak(
    status === 'saved' && savedKey
      ? t(savedKey, {
          ref: savedRef.split('').join(' '), // read one character at a time
          amount: lang === 'en' ? `${formatYuan(savedFen, { symbol: false })} yuan` : speakYuanZh(savedFen),
        })
      : null,
  );

  const pay = (method: 'wallet' | 'cash' | 'external') => {
    if (locked) return;
    setNotice(null);
    void placeOrder(method, method === 'external' ? reference.trim() : null);
  };

  return (
    <main className="screen screen-confirm" data-testid="confirm-screen" aria-busy={busy}>
      {/* Scrolls on its own when the bill is long (the actions stay in sight): reachable by keyboard too. */}
      <div className="confirm-col confirm-bill-col" tabIndex={0} role="region" aria-labelledby="confirm-title">
        <h1 id="confirm-title" className="title">
          {t('confirm.title')}
        </h1>
        <NoticeBox />
        {!bill && quoteStatus !== 'error' && (
          <p className="lead" data-testid="confirm-waiting">
            {quoteStatus === 'unreachable' ? t(resident ? 'basket.offlineResident' : 'basket.priceAtCounter') : t('common.loading')}
          </p>
        )}
        {!bill && quoteStatus === 'error' && (
          <p className="notice notice-error" role="alert">
            {t('confirm.quoteFailed')}：{t(`error.${quoteError ?? 'generic'}`)}
          </p>
        )}
        {bill && (
          <section className="receipt" aria-labelledby="lines-title" data-testid="confirm-bill" data-source={bill.source}>
            <h2 id="lines-title" className="section-title">
              {t('confirm.lines')}
            </h2>
            <BasketLines bill={bill} testPrefix="confirm" />
            <p className="line line-total">
              <span>{t('confirm.total')}</span>
              <Money fen={bill.mealPriceFen} testId="confirm-total" />
            </p>
            <div className="subsidies" data-testid="confirm-subsidy" data-fen={bill.elderSubsidyFen}>
              {bill.subsidies.length === 0 ? (
                <p className="line line-sub">{resident ? t('confirm.noSubsidy') : t('welcome.guestNote')}</p>
              ) : (
                bill.subsidies.map((s) => (
                  <p key={s.layerId} className="line line-sub" data-testid={`confirm-subsidy-${s.layerKey}`}>
                    <span>
                      <Icon name="check" />
                      {t('confirm.subsidy', subsidyWords(s, lang))}
                    </span>
                    <Money fen={-s.amountFen} />
                  </p>
                ))
              )}
            </div>
            <p className="line line-pay">
              <span>{t('confirm.youPay')}</span>
              <Money fen={bill.elderPaysFen} testId="confirm-pay-amount" className="pay-amount" />
            </p>
            {resident && bill.elderSubsidyFen > 0 && (
              <p className="once-per-meal" data-testid="once-per-meal">
                <Icon name="info" />
                {t('confirm.oncePerMeal', { period })}
              </p>
            )}
            {resident && bill.balanceFen !== null && (
              <p className="line">
                <span>{t('confirm.balanceNow')}</span>
                <Money fen={bill.balanceFen} testId="confirm-balance" />
              </p>
            )}
            {resident && bill.balanceAfterFen !== null && !(status === 'saved' && pending?.paymentMethod !== 'wallet') && (
              <p className={`line${walletShort ? ' line-warn' : ''}`}>
                <span>{t('confirm.balanceAfter')}</span>
                <Money fen={bill.balanceAfterFen} testId="confirm-balance-after" />
              </p>
            )}
            <p className="line">
              <span>{fulfilment === 'delivery' ? t('confirm.deliveryTo', { address: resident?.deliveryAddress ?? '' }) : t('confirm.dineIn')}</span>
            </p>
          </section>
        )}
      </div>
      {/* Beside the bill on a landscape screen, so the pay buttons are in sight without scrolling. */}
      <div className="confirm-col confirm-actions">
        <div className="status-slot" aria-live="assertive">
          {busy && (
            <p className="notice notice-info" data-testid="submitting">
              {status === 'retrying' ? t('confirm.retrying', { n: attemptNo }) : t('confirm.submitting')}
            </p>
          )}
          {busy && <BusyCountdown until={waitUntil} />}
          {status === 'saved' && pending && (
            <div className="notice notice-info" data-testid="order-saved-offline">
              <p data-payment={pending.paymentMethod}>{savedText}</p>
              {/* The one thing to say at the counter: large, on its own line. */}
              <p className="saved-ref" data-testid="saved-ref">
                {t('confirm.savedRef')} <strong>{savedRef}</strong>
              </p>
              <div className="row-actions">
                <button type="button" className="btn btn-secondary btn-big" data-testid="retry-order" onClick={() => void retrySaved()}>
                  {t('confirm.stillTrying')}
                </button>
                <button type="button" className="btn btn-primary btn-big" data-testid="saved-done" onClick={endSession}>
                  {t('ticket.done')}
                </button>
              </div>
            </div>
          )}
        </div>

        <div className="pay-buttons">
          {resident && (
            <div className="pay-option pay-option-wide">
              <button
                type="button"
                className="btn btn-primary btn-pay"
                data-testid="pay-wallet"
                disabled={locked || !canWallet}
                aria-describedby={walletShort ? 'wallet-why' : undefined}
                onClick={() => pay('wallet')}
              >
                <Icon name="wallet" />
                {t('confirm.payWallet')}
                {bill && (
                  <span className="btn-sub">
                    {t('confirm.youPay')} <Money fen={bill.elderPaysFen} />
                  </span>
                )}
              </button>
              {walletShort && (
                <p id="wallet-why" className="pay-why" data-testid="wallet-why">
                  <Icon name="warn" />
                  {t('confirm.walletShort')}
                </p>
              )}
              {!walletShort && overOfflineLimit && (
                <p className="pay-why" data-testid="wallet-offline-limit">
                  <Icon name="warn" />
                  {t('confirm.offlineLimit', { amount: formatYuan(offlineLimitFen ?? 0, { symbol: false }) })}
                </p>
              )}
            </div>
          )}
          <div className={`pay-option${counterOnly ? ' pay-option-wide' : ''}`}>
            <button
              type="button"
              className={`btn ${resident ? 'btn-secondary' : 'btn-primary'} btn-pay`}
              data-testid="pay-counter"
              disabled={locked}
              onClick={() => pay('cash')}
            >
              <Icon name="cash" />
              {t('confirm.payCounter')}
            </button>
          </div>
          {!counterOnly && (
            <div className="pay-option">
              <button
                type="button"
                className="btn btn-secondary btn-pay"
                data-testid="pay-external"
                aria-expanded={showExternal}
                disabled={locked}
                onClick={() => setShowExternal((v) => !v)}
              >
                <Icon name="other" />
                {t('confirm.payExternal')}
              </button>
            </div>
          )}
          {/* Its own row under the buttons (the whole width), not squeezed under 其他支付 beside 到柜台付现金. */}
          {!counterOnly && showExternal && (
            <div className="external" ref={externalRef}>
              <label className="field-label" htmlFor="external-ref">
                {t('confirm.externalRef')}
              </label>
              <input
                id="external-ref"
                className="text-input"
                data-testid="external-ref-input"
                autoComplete="off"
                maxLength={64}
                value={reference}
                disabled={locked}
                onChange={(e) => setReference(e.target.value)}
              />
              <button
                type="button"
                className="btn btn-primary btn-pay"
                data-testid="pay-external-submit"
                disabled={locked || reference.trim().length < 4}
                onClick={() => pay('external')}
              >
                {t('confirm.externalSubmit')}
              </button>
            </div>
          )}
        </div>
      </div>
      {/* Under the pay buttons in portrait; under the bill in landscape, so the pay column keeps its height. */}
      <button
        type="button"
        className="btn btn-secondary btn-wide confirm-back"
        data-testid="confirm-back"
        disabled={busy || status === 'saved'}
        onClick={() => {
          clearAttempt();
          setNotice(null);
          go({ name: 'menu' });
        }}
      >
        <Icon name="back" />
        {t('confirm.back')}
      </button>
    </main>
  );
}
