import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useMe } from '../../api/queries';
import { controlBorder, controlClass } from '../../components/Field';
import { LoadError } from '../../components/LoadError';
import { cx } from '../../lib/cx';
import type { AdminServer } from '../../api/types';
import { useServerChoices } from '../admin/servers/queries';
import { canSeeCharts, useGlobalSpeed, useLiveSpeedAppend } from './queries';
import { RANGE_SECONDS, SPEED_RANGES, type SpeedRange } from './series';
import { SpeedGraph } from './SpeedGraph';

/** A short note where the chart would be, for users without `see_charts`. */
export function ChartsForbidden() {
  const { t } = useTranslation();
  return (
    <p className="text-sm text-stone-600 dark:text-stone-400" data-testid="charts-forbidden">
      {t('charts.forbidden')}
    </p>
  );
}

/** "10 min" / "1 h" / "24 h" toggle buttons. */
export function RangeSwitch({ value, onChange }: { value: SpeedRange; onChange: (r: SpeedRange) => void }) {
  const { t } = useTranslation();
  return (
    <div
      role="group"
      aria-label={t('charts.rangeGroup')}
      className="inline-flex w-fit rounded-md border border-stone-300 p-0.5 dark:border-stone-700"
    >
      {SPEED_RANGES.map((r) => (
        <button
          key={r}
          type="button"
          aria-pressed={value === r}
          onClick={() => onChange(r)}
          className={cx(
            'min-h-8 rounded px-3 text-sm font-semibold tabular-nums transition-colors',
            value === r
              ? 'bg-amber-700 text-white dark:bg-amber-500 dark:text-stone-950'
              : 'text-stone-700 hover:bg-stone-200/70 dark:text-stone-300 dark:hover:bg-stone-800',
          )}
        >
          {t(`charts.ranges.${r}`)}
        </button>
      ))}
    </div>
  );
}

/** "Tous les serveurs" or one qBittorrent server (administrators, several servers). */
function ServerSwitch({
  servers,
  value,
  onChange,
}: {
  servers: readonly AdminServer[];
  value: number | null;
  onChange: (id: number | null) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm font-medium">
        {t('charts.server')}
      </label>
      <select
        id={id}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
        className={cx(controlClass.replace('w-full', 'w-auto max-w-56'), 'min-h-8 py-1', controlBorder())}
      >
        <option value="">{t('charts.allServers')}</option>
        {servers.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The global download/upload chart with its range switch. "10 min" moves every second
 * with the socket's `speed` frames; "1 h" and "24 h" are refreshed every 30 s. Nothing
 * is requested without `see_charts` (a short note instead). Administrators with several
 * qBittorrent servers may show one server's speeds (`&server=<id>`).
 */
export function GlobalSpeedChart() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const allowed = canSeeCharts(me);
  const [range, setRange] = useState<SpeedRange>('10m');
  const { servers, several } = useServerChoices(me);
  const [picked, setPicked] = useState<number | null>(null);
  // A server deleted meanwhile (or no longer several): back to all of them.
  const server = several && servers.some((s) => s.id === picked) ? picked : null;
  const history = useGlobalSpeed(range, allowed, server);
  // Always, not only on "10 min": going back to it then shows the seconds spent elsewhere.
  useLiveSpeedAppend(allowed);

  if (!allowed) return <ChartsForbidden />;
  const forbidden = history.error instanceof ApiError && history.error.status === 403;
  if (forbidden) return <ChartsForbidden />;

  const windowName = t(`charts.windows.${range}`);
  return (
    <div className="flex min-w-0 flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <RangeSwitch value={range} onChange={setRange} />
        {several && <ServerSwitch servers={servers} value={server} onChange={setPicked} />}
      </div>
      {history.data ? (
        <SpeedGraph
          samples={history.data.samples}
          step={history.data.step}
          windowSec={RANGE_SECONDS[range]}
          windowName={windowName}
        />
      ) : history.isError ? (
        <LoadError query={history} />
      ) : (
        <div
          role="status"
          aria-label={t('app.loading')}
          className="h-[220px] w-full animate-pulse rounded-md bg-stone-100 dark:bg-stone-800"
        />
      )}
    </div>
  );
}
