import { useEffect, useMemo, useRef, type RefObject } from 'react';
import type { MealPeriod } from '@yishi/shared/domain';
import { formatYuan } from '@yishi/shared/money';
import { describeReason, isReasonCode } from '@yishi/shared/policy';
import type { KioskResident, MenuItem } from '@yishi/shared/schemas';
import type { Bill } from '../basket';
import { useBill, useDishPrices, useSpeak, useT } from '../hooks';
import type { Lang, Translate } from '../i18n';
import { Icon } from '../icons';
import { allergyHits, BASKET_NOTICES, isSoldOut, lastOrderMissing, lastOrderSummary, sameAsLast, sortMenu, swatchFor } from '../menuLogic';
import { MAX_QTY, useKiosk } from '../store';
import { dishName } from '../store/session';
import { sentences } from '../speech';
import { Money, NoticeBox } from '../ui';
import type { DishPrice } from '../offlinePricing';

/** Why there is no subsidy, in the shared plain words (one text for the kiosk and the console). */
export function reasonText(t: Translate, lang: Lang, code: string | null, period: MealPeriod | null): string {
  if (code && isReasonCode(code)) return describeReason(code, lang === 'en' ? 'en' : 'zh', period ? { mealPeriod: period } : {});
  return t('welcome.unknownReason', { code: code ?? '-' });
}

function titleOf(t: Translate, resident: KioskResident): string {
  return resident.gender === 'female' ? t('welcome.aunt') : t('welcome.uncle');
}

function DishCard({ item, resident, price }: { item: MenuItem; resident: KioskResident | null; price: DishPrice | null }) {
  const { t, tOr, lang } = useT();
  const qty = useKiosk((s) => s.cart.find((l) => l.dishId === item.dish.id)?.quantity ?? 0);
  const addDish = useKiosk((s) => s.addDish);
  const removeDish = useKiosk((s) => s.removeDish);
  const dish = item.dish;
  const soldOut = isSoldOut(item);
  const name = dishName(dish, lang);
  const hits = allergyHits(item, resident);
  const others = dish.allergens.filter((a) => !hits.includes(a));
  const allergenName = (a: string) => tOr(`allergen.${a}`, a);
  const sep = lang === 'en' ? ', ' : '、';
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
        {price === null ? (
          <p className="dish-prices">
            <span className="sr-only">{t('menu.price')} </span>
            <Money fen={dish.priceFen} testId={`dish-price-${dish.id}`} className="price-main" />
          </p>
        ) : price.addsFen < 0 ? (
          // One more lowers the total (the basket alone was under the minimum meal price; with this it is a
          // subsidised meal): never "you pay -¥3", but what the whole comes to, and by how much less.
          <div className="dish-prices" data-testid={`dish-pays-${dish.id}`} data-pays={price.addsFen} data-total={price.totalFen}>
            <span className="pays-label">{t('menu.withThisTotal')}</span>
            <Money fen={price.totalFen} testId={`dish-price-${dish.id}`} className="price-main" />
            <span className="price-orig">{t('basket.listPrice', { price: formatYuan(dish.priceFen) })}</span>
            <p className="dish-note pays-less">{t('menu.totalLess', { amount: formatYuan(-price.addsFen) })}</p>
          </div>
        ) : (
          // What one more of this dish adds to what this person pays, with the basket as it is (the engine the
          // server prices with); the basket below shows the server's figures for the whole meal.
          <p className="dish-prices" data-testid={`dish-pays-${dish.id}`} data-pays={price.addsFen} data-total={price.totalFen}>
            <span className="pays-label">{qty > 0 ? t('menu.oneMore') : t('menu.youPay')}</span>
            <Money fen={price.addsFen} testId={`dish-price-${dish.id}`} className="price-main" />
            {price.addsFen !== dish.priceFen && <span className="price-orig">{t('basket.listPrice', { price: formatYuan(dish.priceFen) })}</span>}
          </p>
        )}
        {dish.isSetMeal && dish.setMealItems.length > 0 && (
          <p className="dish-note">
            {t('menu.setMealHas', {
              items: dish.setMealItems
                .map((s) => {
                  const part = dishName({ name: s.name, nameEn: s.nameEn ?? null }, lang);
                  return s.quantity > 1 ? `${part}×${s.quantity}` : part;
                })
                .join(sep),
            })}
          </p>
        )}
        {dish.tags.length > 0 && (
          <ul className="tags" aria-label="tags">
            {dish.tags.map((tag) => (
              <li key={tag} className="tag">
                {tOr(`tag.${tag}`, tag)}
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

/** The basket: each chosen dish with what it costs this person (the server's split), adding up to the total. */
export function BasketLines({ bill, testPrefix }: { bill: Bill; testPrefix: string }) {
  const { t, lang } = useT();
  const menuNames = useKiosk((s) => s.cart);
  const nameOf = (dishId: string, fallback: string) => {
    const l = menuNames.find((c) => c.dishId === dishId);
    return l ? dishName(l, lang) : fallback;
  };
  return (
    <ul className="lines">
      {bill.lines.map((l) => (
        <li key={l.dishId} className="line bill-line" data-testid={`${testPrefix}-line-${l.dishId}`} data-pays={l.paysFen ?? ''}>
          <span className="line-name">
            {nameOf(l.dishId, l.name)} × {l.quantity}
          </span>
          <span className="line-figures">
            {l.paysFen !== null && l.paysFen !== l.lineTotalFen && (
              <span className="price-orig">{t('basket.listPrice', { price: formatYuan(l.lineTotalFen) })}</span>
            )}
            {l.paysFen !== null ? (
              <span>
                <span className="sr-only">{t('basket.youPay')} </span>
                <Money fen={l.paysFen} testId={`${testPrefix}-pays-${l.dishId}`} className="line-pays" />
              </span>
            ) : (
              <Money fen={l.lineTotalFen} />
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Basket() {
  const { t } = useT();
  const count = useKiosk((s) => s.cart.length);
  const status = useKiosk((s) => s.quoteStatus);
  const isResident = useKiosk((s) => s.resident !== null);
  const bill = useBill();
  if (count === 0) return null;
  return (
    <section className="basket" aria-labelledby="basket-title" data-testid="basket">
      <h2 id="basket-title" className="section-title">
        {t('basket.title')}
      </h2>
      {bill ? (
        <>
          <BasketLines bill={bill} testPrefix="basket" />
          <p className="line line-pay">
            <span>{t('basket.total')}</span>
            <Money fen={bill.elderPaysFen} testId="basket-total" className="basket-total" />
          </p>
        </>
      ) : (
        <p className="lead">
          {status === 'unreachable'
            ? t(isResident ? 'basket.offlineResident' : 'basket.priceAtCounter')
            : status === 'error'
              ? t('basket.priceFailed')
              : t('menu.calculating')}
        </p>
      )}
    </section>
  );
}

/**
 * The heights of the top bar and the cart bar, as CSS variables on the menu screen (--topbar-h, --cartbar-h): both
 * grow (the offline banner, a sold-out alert), and on a landscape screen the side column (greeting, 和上次一样, how
 * to eat, the basket) must fit between them to be reachable at all.
 */
function useBarHeights(screen: RefObject<HTMLElement | null>, cartbar: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const main = screen.current;
    const bar = cartbar.current;
    const top = document.querySelector<HTMLElement>('.topbar');
    if (!main || !bar || typeof ResizeObserver === 'undefined') return;
    const update = () => {
      main.style.setProperty('--cartbar-h', `${Math.ceil(bar.getBoundingClientRect().height)}px`);
      if (top) main.style.setProperty('--topbar-h', `${Math.ceil(top.getBoundingClientRect().height)}px`);
    };
    update();
    const ro = new ResizeObserver(update);
    ro.observe(bar);
    if (top) ro.observe(top);
    return () => ro.disconnect();
  }, [screen, cartbar]);
}

/**
 * On a landscape screen the basket is at the foot of the side column, which scrolls on its own: after each dish
 * added, the column scrolls itself so that the dish's line and the total under it are in sight (the total is
 * pinned to the column's foot while the lines scroll). A swipe was needed to see them. In portrait the column does
 * not scroll (the cart bar shows the total) and this does nothing.
 */
function useRevealAdded(side: RefObject<HTMLElement | null>) {
  const cart = useKiosk((s) => s.cart);
  const bill = useBill();
  const previous = useRef(cart);
  const pending = useRef<string | null>(null);
  useEffect(() => {
    const before = new Map(previous.current.map((l) => [l.dishId, l.quantity]));
    previous.current = cart;
    const grown = cart.filter((l) => l.quantity > (before.get(l.dishId) ?? 0));
    if (grown.length > 0) pending.current = grown[grown.length - 1]!.dishId;
  }, [cart]);
  useEffect(() => {
    const col = side.current;
    const id = pending.current;
    if (!col || !id || col.scrollHeight <= col.clientHeight) return;
    const line = col.querySelector<HTMLElement>(`[data-testid="basket-line-${id}"]`);
    const basket = col.querySelector<HTMLElement>('.basket');
    if (!line || !basket) return;
    // Priced with this dish in it: done after this scroll (a later re-pricing does not pull the column back).
    const quantity = cart.find((l) => l.dishId === id)?.quantity;
    if (bill?.lines.find((l) => l.dishId === id)?.quantity === quantity) pending.current = null;
    const margin = 12;
    const view = col.getBoundingClientRect();
    // As much of the basket's end as fits (the total in its own place), …
    const toEnd = basket.getBoundingClientRect().bottom - view.bottom;
    if (toEnd > 0) col.scrollTop += toEnd;
    // … but never past the line just added (the pinned total covers the column's foot).
    const pinned = basket.querySelector<HTMLElement>('.line-pay')?.getBoundingClientRect().height ?? 0;
    const r = line.getBoundingClientRect();
    if (r.top < view.top + margin) col.scrollTop -= view.top + margin - r.top;
    else if (r.bottom > view.bottom - pinned - margin) col.scrollTop += r.bottom - (view.bottom - pinned - margin);
  }, [side, cart, bill]);
}

export function MenuScreen() {
  const { t, lang } = useT();
  const screenRef = useRef<HTMLElement>(null);
  const cartbarRef = useRef<HTMLDivElement>(null);
  useBarHeights(screenRef, cartbarRef);
  const sideRef = useRef<HTMLDivElement>(null);
  useRevealAdded(sideRef);
  const kiosk = useKiosk((s) => s.kiosk);
  const resident = useKiosk((s) => s.resident);
  const count = useKiosk((s) => s.cart.reduce((n, l) => n + l.quantity, 0));
  const setCart = useKiosk((s) => s.setCart);
  const fulfilment = useKiosk((s) => s.fulfilment);
  const setFulfilment = useKiosk((s) => s.setFulfilment);
  const go = useKiosk((s) => s.go);
  const setNotice = useKiosk((s) => s.setNotice);
  const endSession = useKiosk((s) => s.endSession);
  const bill = useBill();
  const prices = useDishPrices();
  const notice = useKiosk((s) => s.notice);
  const soldOutNotice = notice && BASKET_NOTICES.includes(notice.key) ? notice : null;
  const items = useMemo(() => sortMenu(kiosk?.menu?.items ?? [], resident), [kiosk, resident]);
  const period = kiosk?.mealPeriod ? t(`period.${kiosk.mealPeriod}`) : '';
  const sep = lang === 'en' ? ', ' : '、';

  const greeting = resident ? t('welcome.greeting', { name: resident.name, title: titleOf(t, resident) }) : t('welcome.guestGreeting');
  const subsidyText = resident
    ? resident.subsidy.available
      ? t('welcome.subsidyYes', { period })
      : t('welcome.subsidyNo', { reason: reasonText(t, lang, resident.subsidy.reason, kiosk?.mealPeriod ?? null) })
    : t('welcome.guestNote');
  // Already ordered in this meal (here, for delivery, or at another canteen): said first, on screen and aloud, so
  // that a second meal is a choice and not a mistake.
  const already = resident?.alreadyOrdered ?? null;
  const alreadyText = already
    ? !already.here
      ? t('welcome.alreadyElsewhere', { period: t(`period.${already.mealPeriod}`), canteen: already.canteenName })
      : t(already.fulfilment === 'delivery' ? 'welcome.alreadyDelivery' : 'welcome.alreadyHere', {
          period: t(`period.${already.mealPeriod}`),
          n: already.pickupNumber,
        })
    : null;
  // Aloud: a greeting by surname only, never the full name, the balance or why there is no subsidy (the screen shows those).
  const hello = resident ? t('welcome.spoken', { title: `${resident.name.slice(0, 1)}${titleOf(t, resident)}` }) : t('welcome.guestSpoken');
  useSpeak(sentences(lang, hello, alreadyText));

  const last = sameAsLast(resident, items);
  const lastMissing = lastOrderMissing(resident, items, lang);
  const lastToday = !!resident?.lastOrder && resident.lastOrder.serviceDate === kiosk?.serviceDate;
  const canDeliver = !!resident?.canDeliver && !!kiosk?.canteen.delivery;
  const needs = resident?.dietNeeds ?? [];

  return (
    <main className="screen screen-menu" data-testid="menu-screen" ref={screenRef}>
      <div className="menu-side" ref={sideRef}>
        <section className="welcome" aria-labelledby="greeting">
          <h1 id="greeting" className="title greeting">
            {resident ? (
              <>
                {lang === 'en' ? 'Hello, ' : ''}
                <span data-testid="resident-name">{resident.name}</span>
                {lang === 'en' ? '' : `${titleOf(t, resident)}，您好`}
              </>
            ) : (
              greeting
            )}
          </h1>
          <div className="welcome-facts">
            {alreadyText && (
              <p className="fact already-ordered" role="status" data-testid="already-ordered" data-here={already!.here ? 'true' : 'false'}>
                <Icon name="info" />
                {alreadyText}
              </p>
            )}
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
          <button type="button" className="btn btn-secondary btn-wide same-as-last" data-testid="same-as-last" onClick={() => setCart(last)}>
            <Icon name="repeat" />
            {t('menu.sameAsLast')}
            <span className="btn-sub">
              {t(lastToday ? 'menu.sameAsLastToday' : 'menu.sameAsLastHint', {
                items: lastOrderSummary(resident, items, lang),
              })}
            </span>
            {lastMissing && (
              <span className="btn-sub same-as-last-missing" data-testid="same-as-last-missing">
                <Icon name="info" />
                {t('menu.sameAsLastMissing', { items: lastMissing })}
              </span>
            )}
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

        <Basket />
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
              <DishCard key={item.dish.id} item={item} resident={resident} price={prices?.get(item.dish.id) ?? null} />
            ))}
          </div>
        )}
      </section>

      <div className="cartbar" role="region" aria-label={t('menu.total')} ref={cartbarRef}>
        <button type="button" className="btn btn-secondary cart-back" data-testid="menu-back" onClick={endSession}>
          <Icon name="back" />
          {t('common.startOver')}
        </button>
        <div className="cart-sum" aria-live="polite">
          {/* A dish that just sold out is named here too, where the person is looking (the notice above says it aloud). */}
          {soldOutNotice && (
            <span className="cart-alert" aria-hidden="true" data-testid="cart-alert">
              <Icon name="warn" />
              {t(soldOutNotice.key, soldOutNotice.params)}
            </span>
          )}
          <span className="cart-count">{count === 0 ? t('menu.cartEmpty') : t('menu.cartCount', { n: count })}</span>
          {count > 0 && (
            <span className="cart-total-line">
              {t('menu.total')}{' '}
              {bill ? (
                <Money fen={bill.elderPaysFen} testId="cart-total" className="cart-total" />
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
