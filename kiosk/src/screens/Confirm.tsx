import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { speakYuanZh, formatYuan } from '@yishi/shared/money';
import type { Quote } from '@yishi/shared/schemas';
import { api, errorCodeOf } from '../api';
import { clearAttempt, pendingAttempt, placeOrder, retrySaved } from '../actions';
import { useKiosk } from '../store';
import { Money, NoticeBox, useSpeak } from '../ui';
import { Icon } from '../icons';

export function ConfirmScreen() {
  const { t, i18n } = useTranslation();
  const resident = useKiosk((s) => s.resident);
  const ticket = useKiosk((s) => s.residentTicket);
  const cart = useKiosk((s) => s.cart);
  const fulfilment = useKiosk((s) => s.fulfilment);
  const status = useKiosk((s) => s.submitStatus);
  const attemptNo = useKiosk((s) => s.submitAttempt);
  const notice = useKiosk((s) => s.notice);
  const go = useKiosk((s) => s.go);
  const endSession = useKiosk((s) => s.endSession);
  const setNotice = useKiosk((s) => s.setNotice);
  const [quote, setQuote] = useState<Quote | null>(null);
  const [quoteError, setQuoteError] = useState<string | null>(null);
  const [showExternal, setShowExternal] = useState(false);
  const [reference, setReference] = useState('');
  const busy = status === 'submitting' || status === 'retrying';

  const fetchQuote = useCallback(async () => {
    setQuoteError(null);
    try {
      const r = await api.quote({
        residentTicket: ticket,
        lines: cart.map((l) => ({ dishId: l.dishId, quantity: l.quantity })),
        fulfilment,
      });
      setQuote(r.data);
    } catch (e) {
      setQuote(null);
      setQuoteError(errorCodeOf(e));
    }
  }, [ticket, cart, fulfilment]);

  useEffect(() => {
    void fetchQuote();
  }, [fetchQuote]);

  // After a definitive refusal (e.g. insufficient balance) the figures may have changed: price again.
  useEffect(() => {
    if (notice?.kind === 'error' && status === 'idle') void fetchQuote();
  }, [notice, status, fetchQuote]);

  const mealSubsidies = quote?.subsidies.filter((s) => s.kind === 'meal' && s.amountFen > 0) ?? [];
  const walletShort = !!quote && quote.balanceAfterFen !== null && quote.balanceAfterFen < 0;
  const canWallet = !!resident && !!quote && quote.balanceAfterFen !== null && !walletShort;
  const pending = pendingAttempt();
  const locked = busy || status === 'saved' || !quote;

  const speakText = quote
    ? i18n.language === 'en'
      ? `${t('confirm.youPay')} ${formatYuan(quote.elderPaysFen, { symbol: false })} yuan`
      : `${t('confirm.youPay')}${speakYuanZh(quote.elderPaysFen)}`
    : null;
  useSpeak(speakText);

  const pay = (method: 'wallet' | 'cash' | 'external') => {
    if (locked) return;
    setNotice(null);
    void placeOrder(method, method === 'external' ? reference.trim() : null);
  };

  return (
    <main className="screen screen-confirm" data-testid="confirm-screen" aria-busy={busy}>
      <h1 className="title">{t('confirm.title')}</h1>
      <NoticeBox />
      {!quote && !quoteError && <p className="lead">{t('common.loading')}</p>}
      {quoteError && (
        <p className="notice notice-error" role="alert">
          {t('confirm.quoteFailed')}：{t(`error.${quoteError}`)}
        </p>
      )}
      {quote && (
        <section className="receipt" aria-labelledby="lines-title">
          <h2 id="lines-title" className="section-title">
            {t('confirm.lines')}
          </h2>
          <ul className="lines">
            {quote.lines.map((l) => (
              <li key={l.dishId} className="line" data-testid={`confirm-line-${l.dishId}`}>
                <span className="line-name">
                  {l.name} × {l.quantity}
                </span>
                <Money fen={l.lineTotalFen} />
              </li>
            ))}
          </ul>
          <p className="line line-total">
            <span>{t('confirm.total')}</span>
            <Money fen={quote.mealPriceFen} testId="confirm-total" />
          </p>
          <div className="subsidies" data-testid="confirm-subsidy" data-fen={quote.elderSubsidyFen}>
            {mealSubsidies.length === 0 ? (
              <p className="line line-sub">{resident ? t('confirm.noSubsidy') : t('welcome.guestNote')}</p>
            ) : (
              mealSubsidies.map((s) => (
                <p key={s.layerId} className="line line-sub" data-testid={`confirm-subsidy-${s.layerKey}`}>
                  <span>
                    <Icon name="check" />
                    {t('confirm.subsidy', { name: s.layerName, payer: s.payer })}
                  </span>
                  <span className="money">
                    −<Money fen={s.amountFen} />
                  </span>
                </p>
              ))
            )}
          </div>
          <p className="line line-pay">
            <span>{t('confirm.youPay')}</span>
            <Money fen={quote.elderPaysFen} testId="confirm-pay-amount" className="pay-amount" />
          </p>
          {resident && quote.balanceFen !== null && (
            <p className="line">
              <span>{t('confirm.balanceNow')}</span>
              <Money fen={quote.balanceFen} testId="confirm-balance" />
            </p>
          )}
          {resident && quote.balanceAfterFen !== null && (
            <p className={`line${walletShort ? ' line-warn' : ''}`}>
              <span>{t('confirm.balanceAfter')}</span>
              <Money fen={quote.balanceAfterFen} testId="confirm-balance-after" />
            </p>
          )}
          <p className="line">
            <span>{fulfilment === 'delivery' ? t('confirm.deliveryTo', { address: resident?.deliveryAddress ?? '' }) : t('confirm.dineIn')}</span>
          </p>
        </section>
      )}

      <div className="status-slot" aria-live="assertive">
        {busy && (
          <p className="notice notice-info" data-testid="submitting">
            {status === 'retrying' ? t('confirm.retrying', { n: attemptNo }) : t('confirm.submitting')}
          </p>
        )}
        {status === 'saved' && pending && (
          <div className="notice notice-error" data-testid="order-saved-offline">
            <p>{t('confirm.savedOffline', { ref: pending.id.slice(-6).toUpperCase() })}</p>
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
          <div className="pay-option">
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
              {quote && (
                <span className="btn-sub">
                  {t('confirm.youPay')} <Money fen={quote.elderPaysFen} />
                </span>
              )}
            </button>
            {walletShort && (
              <p id="wallet-why" className="pay-why" data-testid="wallet-why">
                <Icon name="warn" />
                {t('confirm.walletShort')}
              </p>
            )}
          </div>
        )}
        <div className="pay-option">
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
          {showExternal && (
            <div className="external">
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

      <button
        type="button"
        className="btn btn-secondary btn-wide"
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
