import { request } from './client';
import type {
  Health,
  Instance,
  LoginInput,
  PasswordInput,
  ProfileInput,
  RegisterInput,
  User,
} from './types';

export const api = {
  health: (signal?: AbortSignal) => request<Health>('/api/health', { signal }),
  instance: (signal?: AbortSignal) => request<Instance>('/api/instance', { signal }),

  login: (input: LoginInput) =>
    request<User>('/api/auth/login', { method: 'POST', body: input, noSessionRedirect: true }),
  register: (input: RegisterInput) =>
    request<User>('/api/auth/register', { method: 'POST', body: input, noSessionRedirect: true }),
  logout: () => request<void>('/api/auth/logout', { method: 'POST', noSessionRedirect: true }),

  /** Current user; the caller decides what a 401 means (see `useMe`). */
  me: (signal?: AbortSignal) => request<User>('/api/me', { signal, noSessionRedirect: true }),
  updateMe: (input: ProfileInput) => request<User>('/api/me', { method: 'PATCH', body: input }),
  changePassword: (input: PasswordInput) =>
    request<void>('/api/me/password', { method: 'POST', body: input }),
};
