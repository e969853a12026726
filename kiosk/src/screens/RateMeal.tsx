import { MEAL_RATINGS, type MealRating } from '@yishi/shared/domain';
import { useT } from '../hooks';
import { speak } from '../speech';
import { useKiosk } from '../store';

/** Faces drawn inline (a kiosk may have no emoji font); the words beside them carry the meaning, the colour only helps. */
const FACE: Record<MealRating, { mouth: string; colour: string }> = {
  satisfied: { mouth: 'M8 14.5c1.2 1.6 2.5 2.3 4 2.3s2.8-.7 4-2.3', colour: 'var(--green)' },
  neutral: { mouth: 'M8.5 15.5h7', colour: 'var(--blue)' },
  unsatisfied: { mouth: 'M8 16.8c1.2-1.6 2.5-2.3 4-2.3s2.8.7 4 2.3', colour: 'var(--red)' },
};

function Face({ rating }: { rating: MealRating }) {
  return (
    <svg
      width="56"
      height="56"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="12" cy="12" r="9.5" />
      <circle cx="9" cy="10" r="0.9" fill="currentColor" />
      <circle cx="15" cy="10" r="0.9" fill="currentColor" />
      <path d={FACE[rating].mouth} />
    </svg>
  );
}

/**
 * The one-tap rating on the ticket screen: three big faces with words (满意 / 一般 / 不满意). Optional: nothing
 * waits for it and the screen goes back to the start as usual. One tap per order; the tap is thanked at once
 * (aloud too) and sent in the background.
 */
export function RateMeal({ orderId }: { orderId: string }) {
  const { t, lang } = useT();
  const mine = useKiosk((s) => (s.mealRating?.orderId === orderId ? s.mealRating : null));
  const rateMeal = useKiosk((s) => s.rateMeal);
  const voice = useKiosk((s) => s.voice);
  const dialect = useKiosk((s) => s.speechDialect);

  if (mine) {
    return (
      <section className="rate-meal no-print" data-testid="rate-meal" data-rated={mine.rating} data-status={mine.status} aria-live="polite">
        <p className="lead" style={{ margin: 0, fontWeight: 700, color: FACE[mine.rating].colour }} data-testid="rate-thanks">
          {t('rating.thanks')}
        </p>
      </section>
    );
  }
  return (
    <section className="rate-meal no-print" data-testid="rate-meal" aria-labelledby="rate-meal-ask" style={{ margin: '16px 0' }}>
      <p id="rate-meal-ask" className="lead" style={{ margin: '0 0 4px', fontWeight: 700 }}>
        {t('rating.ask')}
      </p>
      <p style={{ margin: '0 0 12px', fontSize: 22 }}>{t('rating.optional')}</p>
      <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap', justifyContent: 'center' }}>
        {MEAL_RATINGS.map((r) => (
          <button
            key={r}
            type="button"
            className="btn btn-secondary"
            data-testid={`rate-${r}`}
            style={{ minWidth: 150, minHeight: 110, flexDirection: 'column', color: FACE[r].colour, borderColor: FACE[r].colour }}
            onClick={() => {
              if (voice) speak(t('rating.speakThanks'), lang, dialect);
              void rateMeal(orderId, r);
            }}
          >
            <Face rating={r} />
            {t(`rating.${r}`)}
          </button>
        ))}
      </div>
    </section>
  );
}
