import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { request } from '../../../api/client';

/** One line of the audit log (docs/api-admin.md, "Audit log"). */
export interface AuditEntry {
  id: number;
  /** Unix seconds. */
  at: number;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | number | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  total: number;
  page: number;
  per_page: number;
  /** Every action found in the log, for the filter. */
  actions: string[];
}

export interface AuditQuery {
  actor: string;
  action: string;
  /** Unix seconds, or null. */
  from: number | null;
  to: number | null;
  page: number;
  per_page: number;
}

/** `?actor=&action=&from=&to=&page=&per_page=`, empty filters left out. */
export function auditSearch(q: AuditQuery): string {
  const p = new URLSearchParams();
  if (q.actor) p.set('actor', q.actor);
  if (q.action) p.set('action', q.action);
  if (q.from !== null) p.set('from', String(q.from));
  if (q.to !== null) p.set('to', String(q.to));
  p.set('page', String(q.page));
  p.set('per_page', String(q.per_page));
  return p.toString();
}

export function useAuditLog(q: AuditQuery, enabled: boolean) {
  const search = auditSearch(q);
  return useQuery({
    queryKey: ['admin', 'audit', search] as const,
    queryFn: ({ signal }) => request<AuditPage>(`/api/admin/audit?${search}`, { signal }),
    enabled,
    // The filters and the table stay in place while the next page loads.
    placeholderData: keepPreviousData,
  });
}
