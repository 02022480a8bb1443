import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchMe, queryKeys } from '../../api/queries';
import type { Limits, Usage, User } from '../../api/types';
import { Card } from '../../components/Card';
import { ProgressBar, type ProgressTone } from '../../components/ProgressBar';
import { formatSize } from '../../lib/format';

/** The usage shown is at most this old when a page with it opens (`useMe` alone keeps it a minute). */
export const USAGE_STALE_MS = 5_000;

const limitOf = (v: number | null | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;

function tone(ratio: number): ProgressTone {
  if (ratio >= 1) return 'red';
  if (ratio >= 0.8) return 'amber';
  return 'green';
}

interface Row {
  key: 'disk' | 'torrents' | 'active';
  label: string;
  used: number;
  limit: number | null;
  format: (n: number) => string;
}

/** Whether `GET /api/me` carried the usage (older servers do not). */
export function hasUsage(user: User | null | undefined): user is User & { usage: Usage } {
  const u = user?.usage;
  return !!u && typeof u.torrents === 'number' && typeof u.active === 'number' && typeof u.disk_used === 'number';
}

/**
 * The user's usage against their group's limits: "12,3 Go sur 50 Go" (or "12,3 Go (illimité)"),
 * "3 sur 50" torrents, "1 sur 3" active, with a bar for each bounded one. Nothing without usage.
 */
export function UsageSummary({ user }: { user: User }) {
  const { t } = useTranslation();
  if (!hasUsage(user)) return null;
  const usage = user.usage;
  const limits: Limits = user.limits ?? {};
  const count = (n: number) => String(n);
  const rows: Row[] = [
    { key: 'disk', label: t('usage.disk'), used: usage.disk_used, limit: limitOf(limits.quota_bytes), format: formatSize },
    { key: 'torrents', label: t('usage.torrents'), used: usage.torrents, limit: limitOf(limits.max_torrents), format: count },
    { key: 'active', label: t('usage.active'), used: usage.active, limit: limitOf(limits.max_active), format: count },
  ];

  return (
    <dl className="flex flex-col gap-3 text-sm" data-testid="usage">
      {rows.map((r) => {
        const ratio = r.limit === null ? 0 : r.limit === 0 ? 1 : r.used / r.limit;
        return (
          <div
            key={r.key}
            data-usage={r.key}
            className="grid grid-cols-[minmax(0,1fr)_auto] items-baseline gap-x-3 gap-y-1"
          >
            <dt className="font-medium text-stone-600 dark:text-stone-400">{r.label}</dt>
            <dd className="text-right tabular-nums">
              {r.limit === null
                ? t('usage.unlimited', { used: r.format(r.used) })
                : t('usage.of', { used: r.format(r.used), limit: r.format(r.limit) })}
              {r.limit !== null && ratio >= 1 && (
                <span className="ml-2 font-semibold text-red-700 dark:text-red-300">{t('usage.reached')}</span>
              )}
            </dd>
            {r.limit !== null && (
              <dd className="col-span-2">
                <ProgressBar progress={Math.min(1, ratio)} label={t('usage.progress', { label: r.label })} tone={tone(ratio)} />
              </dd>
            )}
          </div>
        );
      })}
    </dl>
  );
}

/**
 * A card with the usage (account page, dashboard); nothing at all when the server does not
 * send it. Opening the page refreshes `/api/me` if the figures are more than a few seconds old.
 */
export function UsageCard({ title, titleId, description }: { title: string; titleId: string; description?: string }) {
  const client = useQueryClient();
  const { data: user } = useQuery({ queryKey: queryKeys.me, queryFn: fetchMe(client), staleTime: USAGE_STALE_MS });
  if (!hasUsage(user)) return null;
  return (
    <Card title={title} titleId={titleId} description={description}>
      <UsageSummary user={user} />
    </Card>
  );
}
