import { useQuery } from '@tanstack/react-query';
import { request } from '../../api/client';
import { apiPaths } from '../../api/paths';
import type { AppNotification, Limits, QbtStatus, Torrent, Usage } from '../../api/types';

/** One line of the administrators' "Par utilisateur" table. */
export interface UserTotals {
  id: number;
  username: string;
  display_name: string;
  torrents: number;
  active: number;
  /** Bytes. */
  disk_used: number;
}

/** `GET /api/dashboard`: the landing page in one call. */
export interface Dashboard {
  qbittorrent: QbtStatus;
  /** '' when there is none. A French sentence for everyone, without addresses. */
  qbittorrent_error: string;
  /** Administrators only: the exact failure (addresses, qBittorrent's own text); '' or null when none. */
  qbittorrent_detail?: string | null;
  /** The whole qBittorrent server, bytes per second. */
  speed: { dl: number; up: number };
  /** Bytes free on qBittorrent's download disk; null while unknown. */
  free_space: number | null;
  /** The user's own downloads in progress (at most 20). */
  active: Torrent[];
  /** The user's last "completed" notifications (at most 5), newest first. */
  recent_completions: AppNotification[];
  unread: number;
  usage: Usage;
  limits: Limits | null;
  /** Administrators only. */
  totals?: UserTotals[];
}

export const dashboardKey = ['dashboard'] as const;

/** The dashboard is refreshed this often (speeds and the active list also follow the socket). */
export const DASHBOARD_REFRESH_MS = 10_000;

export function useDashboard() {
  return useQuery({
    queryKey: dashboardKey,
    queryFn: ({ signal }) => request<Dashboard>(apiPaths.dashboard, { signal }),
    refetchInterval: DASHBOARD_REFRESH_MS,
  });
}
