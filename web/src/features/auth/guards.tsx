import { useEffect } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { onSessionExpired } from '../../api/client';
import { queryKeys, useMe } from '../../api/queries';
import type { User } from '../../api/types';
import { BootError } from '../../components/BootError';
import { Loading } from '../../components/Loading';
import { endSession, sessionEndReason } from './session';

export interface LoginState {
  notice?: 'expired' | 'loggedOut';
  from?: { pathname: string; search?: string; hash?: string };
}

/** Where to go after logging in: the page that was asked for, if it is one of ours. */
export function afterLoginTarget(state: unknown): string {
  const from = (state as LoginState | null)?.from;
  if (!from || typeof from.pathname !== 'string') return '/';
  const target = `${from.pathname}${from.search ?? ''}${from.hash ?? ''}`;
  if (!target.startsWith('/') || target.startsWith('//')) return '/';
  if (from.pathname === '/connexion' || from.pathname === '/inscription') return '/';
  return target;
}

/** Pages that need a session: anyone else goes to /connexion, and comes back after logging in. */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading fullPage />;
  if (me.isError) return <BootError error={me.error} onRetry={() => void me.refetch()} retrying={me.isFetching} />;
  if (!me.data) {
    const reason = sessionEndReason();
    const state: LoginState = {
      notice: reason ?? undefined,
      from: reason === 'loggedOut' ? undefined : location,
    };
    return <Navigate to="/connexion" replace state={state} />;
  }
  return <Outlet />;
}

/** Connexion and Inscription: a logged-in user goes on to the page they wanted (or the dashboard). */
export function GuestOnly() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading fullPage />;
  if (me.data) return <Navigate to={afterLoginTarget(location.state)} replace />;
  return <Outlet />;
}

/** Any 401 `unauthenticated` from the API: forget the user; RequireAuth shows /connexion with a notice. */
export function SessionExpiryWatcher() {
  const client = useQueryClient();
  useEffect(
    () =>
      onSessionExpired(() => {
        if (client.getQueryData<User | null>(queryKeys.me)) endSession(client, 'expired');
      }),
    [client],
  );
  return null;
}
