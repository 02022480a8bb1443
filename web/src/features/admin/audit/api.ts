import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { request } from '../../../api/client';
import { apiPaths, withQuery } from '../../../api/paths';

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
  /** The current name of what the entry is about (a user's display name, a group's, a torrent's); null when gone. */
  target_name: string | null;
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

/** `/api/admin/audit?actor=&action=&from=&to=&page=&per_page=`, empty filters left out. */
export function auditPath(q: AuditQuery): string {
  return withQuery(apiPaths.adminAudit, {
    actor: q.actor || undefined,
    action: q.action || undefined,
    from: q.from,
    to: q.to,
    page: q.page,
    per_page: q.per_page,
  });
}

export function useAuditLog(q: AuditQuery, enabled: boolean) {
  const path = auditPath(q);
  return useQuery({
    queryKey: ['admin', 'audit', path] as const,
    queryFn: ({ signal }) => request<AuditPage>(path, { signal }),
    enabled,
    // The filters and the table stay in place while the next page loads.
    placeholderData: keepPreviousData,
  });
}
