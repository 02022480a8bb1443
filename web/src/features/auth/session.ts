import type { QueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../api/queries';
import type { User } from '../../api/types';

/** Why the last session ended; tells the login page which notice to show. */
export type SessionEnd = 'expired' | 'loggedOut';

let lastEnd: SessionEnd | null = null;

export function sessionEndReason(): SessionEnd | null {
  return lastEnd;
}

/** Forgets the user and everything fetched for them; the route guard then goes to /connexion. */
export function endSession(client: QueryClient, reason: SessionEnd) {
  lastEnd = reason;
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'instance' });
  client.setQueryData(queryKeys.me, null);
}

/** After login or registration; the guest-only guard then leaves the page. */
export function startSession(client: QueryClient, user: User) {
  lastEnd = null;
  client.setQueryData(queryKeys.me, user);
}
