import type { MealRating } from '@yishi/shared/domain';
import { ApiError, isRetryable, retryAfterOf } from '../api';
import { nextWaitMs } from '../backoff';
import type { Slice } from './types';

/**
 * The elder's one-tap rating (满意 / 一般 / 不满意) on the ticket screen. Optional and never in the way: the tap is
 * thanked at once, and the rating is sent in the background, a few times if the server is busy or away, then let go
 * (it is a help to the canteen, not something the elder must wait for). One rating per order: a second tap changes
 * nothing, and the server keeps the first answer it got.
 */
export type RatingStatus = 'sending' | 'sent' | 'failed';

export interface RatingSlice {
  mealRating: { orderId: string; rating: MealRating; status: RatingStatus } | null;
  rateMeal: (orderId: string, rating: MealRating) => Promise<void>;
}

const ATTEMPTS = 4;

export const ratingSlice: Slice<RatingSlice> = (deps) => (set, get) => {
  const settle = (orderId: string, status: RatingStatus) => {
    const cur = get().mealRating;
    if (cur?.orderId === orderId) set({ mealRating: { ...cur, status } });
  };
  return {
    mealRating: null,
    rateMeal: async (orderId, rating) => {
      if (get().mealRating?.orderId === orderId) return;
      set({ mealRating: { orderId, rating, status: 'sending' } });
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        try {
          await get().track(deps.api.rateMeal(orderId, rating));
          settle(orderId, 'sent');
          return;
        } catch (e) {
          // The server already has a rating for this meal (from an earlier tap that got no answer): it stands.
          if (e instanceof ApiError && e.code === 'already_rated') return settle(orderId, 'sent');
          if (!isRetryable(e) || attempt + 1 === ATTEMPTS) {
            console.warn('[kiosk] rating not sent', e);
            return settle(orderId, 'failed');
          }
          await deps.sleep(nextWaitMs(attempt, retryAfterOf(e), deps.random));
        }
      }
    },
  };
};
