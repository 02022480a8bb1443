import { Component, lazy, Suspense, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable, type Column } from '../../components/DataTable';
import { formatSpeed } from '../../lib/format';
import { formatClock, toChartData, type SpeedSample } from './series';

// uPlot and its CSS come in their own chunk, on first use (see SpeedChart.tsx).
const SpeedChart = lazy(() => import('./SpeedChart'));

/** How many of the newest samples the hidden table reads out. */
const TABLE_ROWS = 5;

/** A chart that failed (no canvas, chunk not loaded) leaves a sentence, not a blank page. */
class ChartBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

export interface SpeedGraphProps {
  samples: readonly SpeedSample[];
  /** Seconds between two samples (for breaking the line over holes). */
  step: number;
  /** Seconds shown. */
  windowSec: number;
  /** "les 10 dernières minutes"…, for the accessible summary. */
  windowName: string;
  height?: number;
}

/**
 * The chart with what surrounds it everywhere: the `speed-chart` container (its
 * `data-points` is the number of points drawn, for the end-to-end tests), the canvas
 * wrapped in `role="img"` with a summary of the current speeds, and a visually hidden
 * table of the newest values for screen readers.
 */
export function SpeedGraph({ samples, step, windowSec, windowName, height = 220 }: SpeedGraphProps) {
  const { t } = useTranslation();
  const data = useMemo(() => toChartData(samples, step), [samples, step]);
  const labels = useMemo(
    () => ({ time: t('charts.time'), dl: t('charts.download'), up: t('charts.upload') }),
    [t],
  );
  const last = samples[samples.length - 1];
  const summary = last
    ? t('charts.summary', { window: windowName, dl: formatSpeed(last[1]), up: formatSpeed(last[2]) })
    : t('charts.summaryEmpty', { window: windowName });
  const newest = samples.slice(-TABLE_ROWS).reverse();
  const tableColumns: Column<SpeedSample>[] = [
    { key: 'time', header: t('charts.time'), cell: ([ts]) => formatClock(ts, true) },
    { key: 'dl', header: t('charts.download'), cell: ([, dl]) => formatSpeed(dl) },
    { key: 'up', header: t('charts.upload'), cell: ([, , up]) => formatSpeed(up) },
  ];

  return (
    <div data-testid="speed-chart" data-points={samples.length} className="flex min-w-0 flex-col gap-2">
      <div role="img" aria-label={summary} className="min-w-0">
        <ChartBoundary fallback={<p className="text-sm text-stone-600 dark:text-stone-400">{t('charts.failed')}</p>}>
          <Suspense
            fallback={<div className="w-full animate-pulse rounded-md bg-stone-100 dark:bg-stone-800" style={{ height }} />}
          >
            <SpeedChart data={data} windowSec={windowSec} labels={labels} height={height} />
          </Suspense>
        </ChartBoundary>
      </div>
      {samples.length === 0 && <p className="text-sm text-stone-600 dark:text-stone-400">{t('charts.noData')}</p>}
      <div className="sr-only">
        <DataTable
          columns={tableColumns}
          rows={newest}
          rowKey={([ts]) => ts}
          caption={t('charts.tableCaption')}
          variant="plain"
        />
      </div>
    </div>
  );
}
