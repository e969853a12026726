import { useMutation, type DefaultError, type UseMutationOptions, type UseMutationResult } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';

/** What one call of an action does when it ends (after the action's own onSuccess / onError). */
export interface ActionCallbacks<TData, TError, TVariables> {
  onSuccess?: (data: TData, variables: TVariables) => void;
  onError?: (error: TError, variables: TVariables) => void;
  onSettled?: () => void;
}

export type ActionResult<TData, TError, TVariables, TContext> = Omit<UseMutationResult<TData, TError, TVariables, TContext>, 'mutate' | 'mutateAsync'> & {
  mutate: (variables: TVariables, callbacks?: ActionCallbacks<TData, TError, TVariables>) => void;
  mutateAsync: (variables: TVariables) => Promise<TData>;
};

/**
 * A write the console sends (useMutation, with two guarantees staff need at a busy counter):
 *
 * - A call made again while the same call (the same variables) is still on its way is not sent again: a double click
 *   on "审批通过" or "退款" sends one request. `mutate` drops the second call; `mutateAsync` answers it with the
 *   first call's promise, so a dialog awaiting it closes once and shows no error. Before, the second request came
 *   back 409 (the first had already moved the claim or order on) and the page showed "当前状态不允许此操作" although
 *   the action had been done.
 * - Each call's own callbacks run for that call, even when another call (another order in the kitchen queue) was
 *   made meanwhile.
 */
export function useAction<TData = unknown, TError = DefaultError, TVariables = void, TContext = unknown>(
  options: UseMutationOptions<TData, TError, TVariables, TContext>,
): ActionResult<TData, TError, TVariables, TContext> {
  const m = useMutation(options);
  const inFlight = useRef(new Map<string, Promise<TData>>());
  const { mutateAsync: send } = m;
  const mutateAsync = useCallback(
    (variables: TVariables): Promise<TData> => {
      const key = JSON.stringify(variables) ?? '';
      const running = inFlight.current.get(key);
      if (running) return running;
      const p = send(variables).finally(() => inFlight.current.delete(key));
      inFlight.current.set(key, p);
      return p;
    },
    [send],
  );
  const mutate = useCallback(
    (variables: TVariables, callbacks?: ActionCallbacks<TData, TError, TVariables>) => {
      const key = JSON.stringify(variables) ?? '';
      if (inFlight.current.has(key)) return;
      mutateAsync(variables)
        .then(
          (data) => callbacks?.onSuccess?.(data, variables),
          (error: TError) => callbacks?.onError?.(error, variables),
        )
        .finally(() => callbacks?.onSettled?.());
    },
    [mutateAsync],
  );
  return { ...m, mutate, mutateAsync };
}
