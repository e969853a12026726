import { useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import {
  AddCardRequest,
  AddCardResponse,
  AddCategoryRequest,
  CardCheckRequest,
  CardCheckResponse,
  ApproveCategoryRequest,
  CreateResidentRequest,
  EmptyRequest,
  EndCategoryRequest,
  Ok,
  PendingCategory,
  RejectCategoryRequest,
  ResidentDetail,
  ResidentListQuery,
  ResidentPage,
  RevealIdResponse,
  SetPinRequest,
  TopupRequest,
  UpdateResidentRequest,
  PayoutRequest,
  WalletReceipt,
  WalletView,
} from '@yishi/shared/schemas';
import { http, seg } from './client';
import { qk, type ResidentParams } from './keys';
import { useAction } from './action';

export type { PendingCategory, ResidentCard, ResidentCategoryEntry, ResidentDetail, ResidentSummary, WalletEntry } from '@yishi/shared/schemas';
export type WalletView = z.infer<typeof WalletView>;
export type Topup = z.input<typeof TopupRequest>;
export type Payout = z.input<typeof PayoutRequest>;
export type { WalletReceipt } from '@yishi/shared/schemas';
export type AddCard = z.input<typeof AddCardRequest>;
export type CreateResident = z.input<typeof CreateResidentRequest>;
export type UpdateResident = z.input<typeof UpdateResidentRequest>;
export type AddCategory = z.input<typeof AddCategoryRequest>;
export type EndCategory = z.input<typeof EndCategoryRequest>;

const one = (id: string) => `/residents/${seg(id)}`;
const PendingCategories = z.array(PendingCategory);

export const residentsApi = {
  list: (query: ResidentParams, signal?: AbortSignal) => http.get('/residents', ResidentPage, { query, request: ResidentListQuery, signal }),
  get: (id: string, signal?: AbortSignal) => http.get(one(id), ResidentDetail, { signal }),
  create: (body: CreateResident) => http.post('/residents', CreateResidentRequest, body, ResidentDetail),
  update: (id: string, body: UpdateResident) => http.patch(one(id), UpdateResidentRequest, body, ResidentDetail),
  revealId: (id: string) => http.post(`${one(id)}/reveal-id`, EmptyRequest, {}, RevealIdResponse),
  addCard: (id: string, body: AddCard) => http.post(`${one(id)}/cards`, AddCardRequest, body, AddCardResponse),
  /** Whether a card is free to register, as it is typed (the save checks again). */
  checkCard: (body: z.input<typeof CardCheckRequest>, signal?: AbortSignal) => http.post('/cards/check', CardCheckRequest, body, CardCheckResponse, { signal }),
  revokeCard: (id: string, cardId: string) => http.del(`${one(id)}/cards/${seg(cardId)}`, Ok),
  setPin: (id: string, pin: string) => http.post(`${one(id)}/pin`, SetPinRequest, { pin }, Ok),
  addCategory: (id: string, body: AddCategory) => http.post(`${one(id)}/categories`, AddCategoryRequest, body, ResidentDetail),
  endCategory: (id: string, categoryId: string, body: EndCategory) =>
    http.post(`${one(id)}/categories/${seg(categoryId)}/end`, EndCategoryRequest, body, ResidentDetail),
  unlockPin: (id: string) => http.post(`${one(id)}/pin/unlock`, EmptyRequest, {}, ResidentDetail),
  pendingCategories: (signal?: AbortSignal) => http.get('/categories/pending', PendingCategories, { signal }),
  approveCategory: (id: string, categoryId: string, note: string) =>
    http.post(`${one(id)}/categories/${seg(categoryId)}/approve`, ApproveCategoryRequest, { note }, ResidentDetail),
  rejectCategory: (id: string, categoryId: string, reason: string) =>
    http.post(`${one(id)}/categories/${seg(categoryId)}/reject`, RejectCategoryRequest, { reason }, ResidentDetail),
  wallet: (id: string, signal?: AbortSignal) => http.get(`${one(id)}/wallet`, WalletView, { signal }),
  topup: (body: Topup) => http.post('/wallet/topups', TopupRequest, body, WalletView),
  receipt: (entryId: string) => http.get(`/wallet/entries/${seg(entryId)}/receipt`, WalletReceipt),
  payout: (id: string, body: Payout) => http.post(`${one(id)}/wallet/payout`, PayoutRequest, body, WalletView),
};

export const useResidents = (params: ResidentParams) =>
  useQuery({ queryKey: qk.residents(params), queryFn: ({ signal }) => residentsApi.list(params, signal), placeholderData: (prev) => prev });

export const useResident = (id: string | null) =>
  useQuery({ queryKey: qk.resident(id ?? ''), queryFn: ({ signal }) => residentsApi.get(id ?? '', signal), enabled: !!id });

export const useWallet = (id: string | null) =>
  useQuery({ queryKey: qk.wallet(id ?? ''), queryFn: ({ signal }) => residentsApi.wallet(id ?? '', signal), enabled: !!id });

/** A change to one resident: the answer is the resident as stored now; every list that shows them is fetched again. */
function useResidentChange<V>(id: string, fn: (v: V) => Promise<z.infer<typeof ResidentDetail>>) {
  const qc = useQueryClient();
  return useAction({
    mutationFn: fn,
    onSuccess: (r) => {
      qc.setQueryData(qk.resident(id), r);
      void qc.invalidateQueries({ queryKey: qk.residentsAll });
    },
  });
}

export const useUpdateResident = (id: string) => useResidentChange(id, (body: UpdateResident) => residentsApi.update(id, body));
export const useAddCategory = (id: string) => useResidentChange(id, (body: AddCategory) => residentsApi.addCategory(id, body));
export const useEndCategory = (id: string) =>
  useResidentChange(id, ({ categoryId, body }: { categoryId: string; body: EndCategory }) => residentsApi.endCategory(id, categoryId, body));

/** Cards and PIN change what the detail shows; fetch it again. */
export function useResidentCredentials(id: string) {
  const qc = useQueryClient();
  const refresh = () => void qc.invalidateQueries({ queryKey: qk.resident(id) });
  return {
    addCard: useAction({ mutationFn: (body: AddCard) => residentsApi.addCard(id, body), onSuccess: refresh }),
    revokeCard: useAction({ mutationFn: (cardId: string) => residentsApi.revokeCard(id, cardId), onSuccess: refresh }),
    setPin: useAction({ mutationFn: (pin: string) => residentsApi.setPin(id, pin), onSuccess: refresh }),
    unlockPin: useAction({ mutationFn: () => residentsApi.unlockPin(id), onSuccess: refresh }),
  };
}

/** The approval queue of street and district staff: proposed categories of residents in their area. */
export const usePendingCategories = (enabled = true) =>
  useQuery({ queryKey: qk.pendingCategories, queryFn: ({ signal }) => residentsApi.pendingCategories(signal), enabled });

/** Approve or reject a proposed category; the queue and the resident are fetched again. */
export function useDecideCategory() {
  const qc = useQueryClient();
  return useAction({
    mutationFn: (d: { residentId: string; categoryId: string } & ({ approve: true; note: string } | { approve: false; reason: string })) =>
      d.approve ? residentsApi.approveCategory(d.residentId, d.categoryId, d.note) : residentsApi.rejectCategory(d.residentId, d.categoryId, d.reason),
    onSuccess: (r) => {
      qc.setQueryData(qk.resident(r.id), r);
      void qc.invalidateQueries({ queryKey: qk.pendingCategories });
      void qc.invalidateQueries({ queryKey: qk.residentsAll });
    },
  });
}

/** Register a resident, then bind their first card; a card refused after the record is saved is reported, not lost. */
export function useRegisterResident() {
  const qc = useQueryClient();
  return useAction({
    mutationFn: async ({ card, ...resident }: CreateResident & { card: AddCard | null }) => {
      const r = await residentsApi.create(resident);
      let cardError: unknown = null;
      if (card) {
        try {
          await residentsApi.addCard(r.id, card);
        } catch (e) {
          cardError = e;
        }
      }
      return { r, cardError };
    },
    onSuccess: ({ r, cardError }) => {
      void qc.invalidateQueries({ queryKey: qk.residentsAll });
      if (!cardError) qc.setQueryData(qk.resident(r.id), r);
      void qc.invalidateQueries({ queryKey: qk.resident(r.id) });
    },
  });
}

/** A top-up: the answer is the wallet as it is now. */
export function useTopup(residentId: string) {
  const qc = useQueryClient();
  return useAction({
    mutationFn: residentsApi.topup,
    onSuccess: (w) => {
      qc.setQueryData(qk.wallet(residentId), w);
      void qc.invalidateQueries({ queryKey: qk.resident(residentId) });
      void qc.invalidateQueries({ queryKey: qk.residentsAll });
    },
  });
}

/** Pay out a closed wallet (deceased / moved out): the wallet as stored after it. */
export function usePayout(residentId: string) {
  const qc = useQueryClient();
  return useAction({
    mutationFn: (body: Payout) => residentsApi.payout(residentId, body),
    onSuccess: (w) => {
      qc.setQueryData(qk.wallet(residentId), w);
      void qc.invalidateQueries({ queryKey: qk.resident(residentId) });
      void qc.invalidateQueries({ queryKey: qk.residentsAll });
    },
  });
}
