import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useMe } from '../../api/queries';
import { LoadError } from '../../components/LoadError';
import { cx } from '../../lib/cx';
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

/**
 * The global download/upload chart with its range switch. "10 min" moves every second
 * with the socket's `speed` frames; "1 h" and "24 h" are refreshed every 30 s. Nothing
 * is requested without `see_charts` (a short note instead).
 */
export function GlobalSpeedChart() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const allowed = canSeeCharts(me);
  const [range, setRange] = useState<SpeedRange>('10m');
  const history = useGlobalSpeed(range, allowed);
  // Always, not only on "10 min": going back to it then shows the seconds spent elsewhere.
  useLiveSpeedAppend(allowed);

  if (!allowed) return <ChartsForbidden />;
  const forbidden = history.error instanceof ApiError && history.error.status === 403;
  if (forbidden) return <ChartsForbidden />;

  const windowName = t(`charts.windows.${range}`);
  return (
    <div className="flex min-w-0 flex-col gap-3">
      <RangeSwitch value={range} onChange={setRange} />
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
