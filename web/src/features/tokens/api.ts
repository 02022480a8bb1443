import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from '../../api/client';
import { apiPaths } from '../../api/paths';
import type { User } from '../../api/types';

/* ---------- Shapes (docs/api-tokens.md) ---------- */

/**
 * An API token as the lists show it: never its secret. Tools send the secret as
 * `Authorization: Bearer essaim_…` on essaim's own /api; a read-only one is refused any change
 * (403 `read_only_token`).
 */
export interface ApiToken {
  id: number;
  name: string;
  read_only: boolean;
  /** Unix seconds. */
  created_at: number;
  /** Unix seconds; null = never expires. */
  expires_at: number | null;
  /** Unix seconds; null = never used. */
  last_used_at: number | null;
  /** The address of that last use. */
  last_used_ip: string | null;
  /** The owner (the administrators' list mixes everyone's). */
  user: { id: number; username: string };
}

export interface ApiTokenList {
  /** Newest first. */
  tokens: ApiToken[];
}

/** The answer to a creation: the token, and its secret — the only time the server sends it. */
export interface CreatedApiToken extends ApiToken {
  token: string;
}

export interface CreateTokenInput {
  /** 1 to 64 characters (422 `invalid_name`, field `name`). */
  name: string;
  read_only: boolean;
  /** 1 to 3650; null = never expires (422 `invalid_expiry`, field `expires_in_days`). */
  expires_in_days: number | null;
}

/** Whose tokens: the user's own (`/api/me/tokens`) or everyone's (`/api/admin/tokens`, administrators). */
export type TokenScope = 'mine' | 'all';

/* ---------- Calls ---------- */

export const tokensApi = {
  list: (scope: TokenScope, signal?: AbortSignal) =>
    request<ApiTokenList>(scope === 'all' ? apiPaths.adminTokens : apiPaths.meTokens, { signal }),
  /** 403 `forbidden` without `use_api`, 409 `too_many_tokens` beyond 20. */
  create: (input: CreateTokenInput) =>
    request<CreatedApiToken>(apiPaths.meTokens, { method: 'POST', body: input }),
  /** The token stops working at once (404 `token_not_found` when it is already gone). */
  revoke: (scope: TokenScope, id: number) =>
    request<void>(scope === 'all' ? apiPaths.adminToken(id) : apiPaths.meToken(id), { method: 'DELETE' }),
};

export const tokenKeys = {
  /** Prefix of both lists: an administrator's own tokens are in both. */
  all: ['tokens'] as const,
  list: (scope: TokenScope) => ['tokens', scope] as const,
};

/** Whether the user may create tokens (and their tools use them): `use_api`, or an administrator. */
export function mayUseApi(u: Pick<User, 'role' | 'permissions'> | null | undefined): boolean {
  return !!u && (u.role === 'admin' || u.permissions.includes('use_api'));
}

export function useTokens(scope: TokenScope) {
  return useQuery({
    queryKey: tokenKeys.list(scope),
    queryFn: ({ signal }) => tokensApi.list(scope, signal),
    select: (d) => d.tokens,
  });
}

export function useRevokeToken(scope: TokenScope) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => tokensApi.revoke(scope, id),
    onSuccess: () => client.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}

/** Refreshes the lists after a creation (the form's own mutation: `useFormMutation`). */
export function useRefreshTokens() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: tokenKeys.all });
}
