import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { useAction } from './action';

/** A write whose answers the test releases by hand, one per call, in any order. */
function pendingWrites() {
  const calls: { vars: string; resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const mutationFn = (vars: string) => new Promise<string>((resolve, reject) => calls.push({ vars, resolve, reject }));
  return { calls, mutationFn };
}

function wrapper({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={new QueryClient()}>{children}</QueryClientProvider>;
}

describe('useAction', () => {
  it('sends a call made again while the same call is on its way once, and runs that call’s callbacks', async () => {
    const w = pendingWrites();
    const { result } = renderHook(() => useAction({ mutationFn: w.mutationFn }), { wrapper });
    const done: string[] = [];
    const failed: string[] = [];
    act(() => {
      // A double click on "审批通过".
      result.current.mutate('approve', { onSuccess: (d) => done.push(d), onError: (e) => failed.push(e.message) });
      result.current.mutate('approve', { onSuccess: (d) => done.push(d), onError: (e) => failed.push(e.message) });
    });
    await waitFor(() => expect(w.calls).toHaveLength(1));
    await act(async () => w.calls[0]!.resolve('approved'));
    await waitFor(() => expect(done).toEqual(['approved']));
    expect(failed).toEqual([]);
    // Once it has answered, the same call can be made again (a retry after an error, a second refund of another sum).
    act(() => result.current.mutate('approve', { onError: (e) => failed.push(e.message) }));
    await waitFor(() => expect(w.calls).toHaveLength(2));
    await act(async () => w.calls[1]!.reject(new Error('invalid_state')));
    await waitFor(() => expect(failed).toEqual(['invalid_state']));
  });

  it('runs each call’s own callbacks when other calls were made meanwhile', async () => {
    const w = pendingWrites();
    const { result } = renderHook(() => useAction({ mutationFn: w.mutationFn }), { wrapper });
    const done: string[] = [];
    act(() => {
      // Two orders marked ready in the kitchen queue, one after the other.
      result.current.mutate('order-1', { onSuccess: (d) => done.push(d) });
      result.current.mutate('order-2', { onSuccess: (d) => done.push(d) });
    });
    await waitFor(() => expect(w.calls.map((c) => c.vars)).toEqual(['order-1', 'order-2']));
    await act(async () => w.calls[0]!.resolve('ready 1'));
    await act(async () => w.calls[1]!.resolve('ready 2'));
    await waitFor(() => expect(done).toEqual(['ready 1', 'ready 2']));
  });
});

describe('useAction: mutateAsync', () => {
  it('answers a call made again while the same call is on its way with the first one, sending one request', async () => {
    const w = pendingWrites();
    const { result } = renderHook(() => useAction({ mutationFn: w.mutationFn }), { wrapper });
    const answers: string[] = [];
    const failed: string[] = [];
    act(() => {
      // A double click on the refund dialog's 退款, which awaits the write to close the dialog.
      for (let i = 0; i < 2; i++)
        void result.current.mutateAsync('refund').then(
          (d) => answers.push(d),
          (e: Error) => failed.push(e.message),
        );
    });
    await waitFor(() => expect(w.calls).toHaveLength(1));
    await act(async () => w.calls[0]!.resolve('refunded'));
    await waitFor(() => expect(answers).toEqual(['refunded', 'refunded']));
    expect(failed).toEqual([]);
    expect(w.calls).toHaveLength(1);
    // Once answered, the same call goes out again.
    act(() => void result.current.mutateAsync('refund').catch((e: Error) => failed.push(e.message)));
    await waitFor(() => expect(w.calls).toHaveLength(2));
    await act(async () => w.calls[1]!.reject(new Error('invalid_state')));
    await waitFor(() => expect(failed).toEqual(['invalid_state']));
  });
});
