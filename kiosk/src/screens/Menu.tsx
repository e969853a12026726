import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '@yishi/shared/money';
import type { KioskResident, MenuItem, Quote } from '@yishi/shared/schemas';
import { api } from '../api';
import { clearAttempt } from '../actions';
import { allergyHits, isSoldOut, personalPrice, sameAsLast, sortMenu, swatchFor } from '../menuLogic';
import { cartCount, MAX_QTY, quantityOf, useKiosk } from '../store';
import { Money, NoticeBox, useSpeak } from '../ui';
import { Icon } from '../icons';

function useGreeting(resident: KioskResident | null): string {
  const { t } = useTranslation();
  if (!resident) return t('welcome.guestGreeting');
  return t('welcome.greeting', {
    name: resident.name,
    title: resident.gender === 'female' ? t('welcome.aunt') : t('welcome.uncle'),
  });
}

export function reasonText(t: (k: string, o?: Record<string, string>) => string, code: string | null, period: string): string {
  if (!code) return t('reason.unknown', { code: '-' });
  const key = `reason.${code}`;
  const text = t(key, { period });
  return text === key ? t('reason.unknown', { code }) : text;
}

/** The server's price for the basket (debounced); null while unknown. */
function useCartQuote(): { quote: Quote | null; loading: boolean } {
  const cart = useKiosk((s) => s.cart);
  const ticket = useKiosk((s) => s.residentTicket);
  const fulfilment = useKiosk((s) => s.fulfilment);
  const [quote, setQuote] = useState<Quote | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  useEffect(() => {
    const my = ++seq.current;
    if (cart.length === 0) {
      setQuote(null);
      setLoading(false);
      return;
    }
    setLoading(true);
    const timer = setTimeout(() => {
      api
        .quote({
          residentTicket: ticket,
          lines: cart.map((l) => ({ dishId: l.dishId, quantity: l.quantity })),
          fulfilment,
        })
        .then((r) => {
          if (seq.current === my) setQuote(r.data);
        })
        .catch(() => {
          if (seq.current === my) setQuote(null);
        })
        .finally(() => {
          if (seq.current === my) setLoading(false);
        });
    }, 250);
    return () => clearTimeout(timer);
  }, [cart, ticket, fulfilment]);
  return { quote, loading };
}

function DishCard({ item, resident }: { item: MenuItem; resident: KioskResident | null }) {
  const { t, i18n } = useTranslation();
  const qty = useKiosk((s) => quantityOf(s.cart, item.dish.id));
  const addDish = useKiosk((s) => s.addDish);
  const removeDish = useKiosk((s) => s.removeDish);
  const dish = item.dish;
  const soldOut = isSoldOut(item);
  const { paysFen } = personalPrice(dish.id, dish.priceFen, resident);
  const name = i18n.language === 'en' && dish.nameEn ? dish.nameEn : dish.name;
  const hits = allergyHits(item, resident);
  const others = dish.allergens.filter((a) => !hits.includes(a));
  const allergenName = (a: string) => t(`allergen.${a}`, { defaultValue: a });
  const sep = i18n.language === 'en' ? ', ' : '、';
  const limit = item.remaining === null ? MAX_QTY : Math.min(MAX_QTY, item.remaining);
  const titleId = `dish-title-${dish.id}`;
  return (
    <article
      className={`dish${soldOut ? ' dish-soldout' : ''}${qty > 0 ? ' dish-chosen' : ''}`}
      data-testid={`dish-card-${dish.id}`}
      data-soldout={soldOut ? 'true' : 'false'}
      aria-labelledby={titleId}
    >
      <div className="dish-pic">
        {dish.photoUrl ? (
          <img src={dish.photoUrl} alt="" loading="lazy" />
        ) : (
          <div className="dish-initial" style={{ background: swatchFor(dish.name) }} aria-hidden="true">
            {dish.name.slice(0, 1)}
          </div>
        )}
        {soldOut && (
          <p className="soldout-stamp" data-testid={`soldout-${dish.id}`}>
            {t('menu.soldOut')}
          </p>
        )}
        {dish.isSetMeal && <p className="badge badge-set">{t('menu.setMeal')}</p>}
      </div>
      <div className="dish-body">
        <h3 id={titleId} className="dish-name">
          {name}
        </h3>
        <p className="dish-prices">
          <span className="sr-only">{t('menu.youPay')} </span>
          <Money fen={paysFen} testId={`dish-price-${dish.id}`} className="price-main" />
          {paysFen !== dish.priceFen && <span className="price-orig">{t('menu.price', { price: formatYuan(dish.priceFen) })}</span>}
        </p>
        {dish.isSetMeal && dish.setMealItems.length > 0 && (
          <p className="dish-note">
            {t('menu.setMealHas', {
              items: dish.setMealItems.map((s) => (s.quantity > 1 ? `${s.name}×${s.quantity}` : s.name)).join(sep),
            })}
          </p>
        )}
        {dish.tags.length > 0 && (
          <ul className="tags" aria-label="tags">
            {dish.tags.map((tag) => (
              <li key={tag} className="tag">
                {t(`tag.${tag}`, { defaultValue: tag })}
              </li>
            ))}
          </ul>
        )}
        {hits.length > 0 && (
          <p className="allergy-warn" role="note" data-testid={`allergy-${dish.id}`}>
            <Icon name="warn" />
            {t('menu.allergyWarn', { list: hits.map(allergenName).join(sep) })}
          </p>
        )}
        {others.length > 0 && (
          <p className="dish-note">
            <Icon name="info" />
            {t('menu.contains', { list: others.map(allergenName).join(sep) })}
          </p>
        )}
        {!soldOut && item.remaining !== null && item.remaining <= 10 && <p className="dish-note">{t('menu.left', { n: item.remaining })}</p>}
      </div>
      <div className="stepper">
        <button
          type="button"
          className="step step-minus"
          data-testid={`remove-${dish.id}`}
          disabled={qty === 0}
          onClick={() => removeDish(dish.id)}
          aria-label={t('menu.remove', { name })}
        >
          −
        </button>
        <output className="step-qty" data-testid={`qty-${dish.id}`} aria-live="polite">
          {t('menu.qty', { n: qty })}
        </output>
        <button
          type="button"
          className="step step-plus"
          data-testid={`add-${dish.id}`}
          disabled={soldOut || qty >= limit}
          onClick={() => addDish(dish.id)}
          aria-label={t('menu.add', { name })}
        >
          +
        </button>
      </div>
    </article>
  );
}

export function MenuScreen() {
  const { t, i18n } = useTranslation();
  const kiosk = useKiosk((s) => s.kiosk);
  const resident = useKiosk((s) => s.resident);
  const cart = useKiosk((s) => s.cart);
  const setCart = useKiosk((s) => s.setCart);
  const fulfilment = useKiosk((s) => s.fulfilment);
  const setFulfilment = useKiosk((s) => s.setFulfilment);
  const go = useKiosk((s) => s.go);
  const setNotice = useKiosk((s) => s.setNotice);
  const endSession = useKiosk((s) => s.endSession);
  const greeting = useGreeting(resident);
  const { quote, loading } = useCartQuote();
  const items = useMemo(() => sortMenu(kiosk?.menu?.items ?? [], resident), [kiosk, resident]);
  const period = kiosk?.mealPeriod ? t(`period.${kiosk.mealPeriod}`) : '';
  const count = cartCount({ cart });
  const sep = i18n.language === 'en' ? ', ' : '、';

  // A dish that sells out while in the basket leaves the basket (its card shows 售罄).
  useEffect(() => {
    const out = new Set(items.filter(isSoldOut).map((i) => i.dish.id));
    if (cart.some((l) => out.has(l.dishId))) setCart(cart.filter((l) => !out.has(l.dishId)));
  }, [items, cart, setCart]);

  const subsidyText = resident
    ? resident.subsidy.available
      ? t('welcome.subsidyYes', { period })
      : t('welcome.subsidyNo', { reason: reasonText(t, resident.subsidy.reason, period) })
    : t('welcome.guestNote');
  useSpeak(`${greeting}。${subsidyText}`);

  const last = sameAsLast(resident, items);
  const canDeliver = !!resident?.canDeliver && !!kiosk?.canteen.delivery;
  const needs = resident?.dietNeeds ?? [];

  return (
    <main className="screen screen-menu" data-testid="menu-screen">
      <div className="menu-side">
        <section className="welcome" aria-labelledby="greeting">
          <h1 id="greeting" className="title greeting">
            {resident ? (
              <>
                {i18n.language === 'en' ? 'Hello, ' : ''}
                <span data-testid="resident-name">{resident.name}</span>
                {i18n.language === 'en' ? '' : `${resident.gender === 'female' ? t('welcome.aunt') : t('welcome.uncle')}，您好`}
              </>
            ) : (
              greeting
            )}
          </h1>
          <div className="welcome-facts">
            {resident && (
              <p className="fact">
                <span className="fact-label">{t('welcome.balance')}</span>
                <Money fen={resident.balanceFen} testId="resident-balance" className="fact-value" />
              </p>
            )}
            <p
              className={`fact subsidy ${resident?.subsidy.available ? 'subsidy-yes' : 'subsidy-no'}`}
              data-testid="subsidy-status"
              data-available={resident?.subsidy.available ? 'true' : 'false'}
              data-reason={resident?.subsidy.reason ?? ''}
            >
              <Icon name={resident?.subsidy.available ? 'check' : 'info'} />
              {subsidyText}
            </p>
            {needs.length > 0 && <p className="fact">{t('welcome.dietFirst', { needs: needs.map((n) => t(`diet.${n}`)).join(sep) })}</p>}
          </div>
        </section>

        <NoticeBox />

        {last.length > 0 && resident?.lastOrder && (
          <button
            type="button"
            className="btn btn-secondary btn-wide same-as-last"
            data-testid="same-as-last"
            onClick={() => {
              clearAttempt();
              setCart(last);
            }}
          >
            <Icon name="repeat" />
            {t('menu.sameAsLast')}
            <span className="btn-sub">
              {t('menu.sameAsLastHint', {
                items: resident.lastOrder.lines.map((l) => `${l.name}×${l.quantity}`).join(sep),
              })}
            </span>
          </button>
        )}

        {canDeliver && (
          <fieldset className="fulfil">
            <legend>{t('menu.howToEat')}</legend>
            <button
              type="button"
              className={`btn btn-choice${fulfilment === 'dine_in' ? ' chosen' : ''}`}
              aria-pressed={fulfilment === 'dine_in'}
              data-testid="fulfil-dine_in"
              onClick={() => setFulfilment('dine_in')}
            >
              <span aria-hidden="true">{fulfilment === 'dine_in' ? '● ' : '○ '}</span>
              {t('menu.dineIn')}
            </button>
            <button
              type="button"
              className={`btn btn-choice${fulfilment === 'delivery' ? ' chosen' : ''}`}
              aria-pressed={fulfilment === 'delivery'}
              data-testid="fulfil-delivery"
              onClick={() => setFulfilment('delivery')}
            >
              <span aria-hidden="true">{fulfilment === 'delivery' ? '● ' : '○ '}</span>
              {t('menu.delivery')}
            </button>
            {fulfilment === 'delivery' && resident?.deliveryAddress && (
              <p className="dish-note">{t('menu.deliveryTo', { address: resident.deliveryAddress })}</p>
            )}
          </fieldset>
        )}
      </div>
      <section className="menu-main" aria-labelledby="menu-title">
        <h2 id="menu-title" className="section-title">
          {t('menu.title')}
          {period ? ` · ${period}` : ''}
        </h2>
        {kiosk?.menu?.note && <p className="lead">{kiosk.menu.note}</p>}
        {items.length === 0 ? (
          <p className="lead empty">{kiosk?.mealPeriod ? t('menu.none') : t('menu.noPeriod')}</p>
        ) : (
          <div className="dish-grid">
            {items.map((item) => (
              <DishCard key={item.dish.id} item={item} resident={resident} />
            ))}
          </div>
        )}
      </section>

      <div className="cartbar" role="region" aria-label={t('menu.total')}>
        <button type="button" className="btn btn-secondary cart-back" data-testid="menu-back" onClick={endSession}>
          <Icon name="back" />
          {t('common.startOver')}
        </button>
        <div className="cart-sum" aria-live="polite">
          <span className="cart-count">{count === 0 ? t('menu.cartEmpty') : t('menu.cartCount', { n: count })}</span>
          {count > 0 && (
            <span className="cart-total-line">
              {t('menu.total')}{' '}
              {quote && !loading ? (
                <Money fen={quote.elderPaysFen} testId="cart-total" className="cart-total" />
              ) : (
                <span className="cart-total calculating" data-testid="cart-total" data-fen="">
                  {t('menu.calculating')}
                </span>
              )}
            </span>
          )}
        </div>
        <button
          type="button"
          className="btn btn-primary btn-big"
          data-testid="to-confirm"
          disabled={count === 0 || !kiosk?.mealPeriod}
          onClick={() => {
            setNotice(null);
            clearAttempt();
            go({ name: 'confirm' });
          }}
        >
          {t('menu.next')}
          <Icon name="next" />
        </button>
      </div>
    </main>
  );
}
