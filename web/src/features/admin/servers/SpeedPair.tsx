import { useTranslation } from 'react-i18next';
import { formatSpeed } from '../../../lib/format';

/** "↓ 1,2 Mo/s" over "↑ 300 Ko/s", each named for screen readers. */
export function SpeedPair({ down, up }: { down: number; up: number }) {
  const { t } = useTranslation();
  return (
    <span className="flex flex-col leading-tight tabular-nums">
      <span>
        <span className="sr-only">{t('charts.download')} </span>
        <span aria-hidden="true">↓&nbsp;</span>
        {formatSpeed(down)}
      </span>
      <span>
        <span className="sr-only">{t('charts.upload')} </span>
        <span aria-hidden="true">↑&nbsp;</span>
        {formatSpeed(up)}
      </span>
    </span>
  );
}
