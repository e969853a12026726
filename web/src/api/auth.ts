import { useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { ChangePasswordRequest, CreateUserRequest, EmptyRequest, LoginRequest, LoginResponse, Me, Ok, UserSummary } from '@yishi/shared/schemas';
import { http, seg } from './client';
import { qk } from './keys';
import { useAction } from './action';

export type { Me } from '@yishi/shared/schemas';
export type UserSummary = z.infer<typeof UserSummary>;
export type CreateUser = z.input<typeof CreateUserRequest>;
export type UserAction = 'disable' | 'enable' | 'unlock';

export const authApi = {
  me: (signal?: AbortSignal) => http.get('/auth/me', Me, { signal }),
  login: (body: z.input<typeof LoginRequest>) => http.post('/auth/login', LoginRequest, body, LoginResponse, { silentAuth: true }),
  logout: (everywhere: boolean) => http.post(everywhere ? '/auth/logout-all' : '/auth/logout', EmptyRequest, {}, Ok),
  changePassword: (body: z.input<typeof ChangePasswordRequest>) => http.post('/auth/password', ChangePasswordRequest, body, Ok),
  users: (signal?: AbortSignal) => http.get('/users', z.array(UserSummary), { signal }),
  createUser: (body: CreateUser) => http.post('/users', CreateUserRequest, body, UserSummary),
  userAction: (id: string, action: UserAction) => http.post(`/users/${seg(id)}/${action}`, EmptyRequest, {}, UserSummary),
};

export const useMe = () => useQuery({ queryKey: qk.me, queryFn: ({ signal }) => authApi.me(signal), staleTime: 60_000 });

export const useUsers = () => useQuery({ queryKey: qk.users, queryFn: ({ signal }) => authApi.users(signal) });

export function useCreateUser() {
  const qc = useQueryClient();
  return useAction({ mutationFn: authApi.createUser, onSuccess: () => void qc.invalidateQueries({ queryKey: qk.users }) });
}

export function useUserAction() {
  const qc = useQueryClient();
  return useAction({
    mutationFn: ({ id, action }: { id: string; action: UserAction }) => authApi.userAction(id, action),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.users }),
  });
}
