import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { CircleCheck, CircleX, Clock, Mail, Webhook } from 'lucide-react';
import { LoadError } from '../../components/LoadError';
import { Loading } from '../../components/Loading';
import { cx } from '../../lib/cx';
import { formatDate } from '../../lib/format';
import { useDeliveries, type Delivery } from './api';

const statusStyles: Record<Delivery['status'], string> = {
  sent: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950/70 dark:text-emerald-100',
  pending: 'bg-amber-100 text-amber-900 dark:bg-amber-950/70 dark:text-amber-100',
  failed: 'bg-red-100 text-red-900 dark:bg-red-950/70 dark:text-red-100',
};

const statusIcons = { sent: CircleCheck, pending: Clock, failed: CircleX };

/** "Derniers envois": the last e-mails and webhooks sent for the user, refreshed while some are pending. */
export function DeliveriesList() {
  const { t } = useTranslation();
  const id = useId();
  const query = useDeliveries();

  let body;
  if (query.isPending) {
    body = <Loading />;
  } else if (query.isError) {
    body = (
      <LoadError query={query} />
    );
  } else if (query.data.deliveries.length === 0) {
    body = (
      <p className="rounded-lg border border-dashed border-stone-300 px-4 py-6 text-center text-sm text-stone-600 dark:border-stone-700 dark:text-stone-400">
        {t('account.deliveries.empty')}
      </p>
    );
  } else {
    body = (
      <ul aria-labelledby={`${id}-title`} className="flex flex-col divide-y divide-stone-200 dark:divide-stone-800">
        {query.data.deliveries.map((d) => (
          <DeliveryItem key={d.id} delivery={d} />
        ))}
      </ul>
    );
  }

  return (
    <div className="flex flex-col gap-3 border-t border-stone-200 pt-4 dark:border-stone-800">
      <div>
        <h3 id={`${id}-title`} className="text-base font-semibold">
          {t('account.deliveries.title')}
        </h3>
        <p className="text-sm text-stone-600 dark:text-stone-400">{t('account.deliveries.intro')}</p>
      </div>
      {body}
    </div>
  );
}

const isoDate = (unix: number) =>
  Number.isFinite(unix) && unix > 0 ? new Date(unix * 1000).toISOString() : undefined;

function DeliveryItem({ delivery: d }: { delivery: Delivery }) {
  const { t } = useTranslation();
  const ChannelIcon = d.channel === 'email' ? Mail : Webhook;
  const StatusIcon = statusIcons[d.status] ?? Clock;
  const status =
    d.status === 'sent'
      ? t('account.deliveries.status.sent')
      : d.status === 'failed'
        ? t('account.deliveries.status.failed')
        : d.attempts > 0
          ? t('account.deliveries.status.pendingAttempt', { count: d.attempts })
          : t('account.deliveries.status.pending');
  const subject = d.notification?.torrent_name || d.notification?.message || '';

  return (
    <li className="flex flex-col gap-1 py-3 text-sm first:pt-0 last:pb-0" data-delivery={d.id}>
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
        <span className="flex min-w-0 items-center gap-2">
          <ChannelIcon aria-hidden="true" className="size-4 shrink-0 text-stone-500 dark:text-stone-400" />
          <span className="font-medium">
            {d.channel === 'email' ? t('account.deliveries.channel.email') : t('account.deliveries.channel.webhook')}
          </span>
          <span className="sr-only">{t('account.deliveries.target')}</span>
          <span className="min-w-0 break-all text-stone-700 dark:text-stone-300">{d.target}</span>
        </span>
        <span
          className={cx(
            'inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium',
            statusStyles[d.status] ?? statusStyles.pending,
          )}
        >
          <StatusIcon aria-hidden="true" className="size-3.5" />
          {status}
        </span>
      </div>
      {subject && <p className="break-words text-stone-700 dark:text-stone-300">{subject}</p>}
      {d.last_error && d.status === 'failed' && (
        <p className="break-words font-medium text-red-700 dark:text-red-300">{d.last_error}</p>
      )}
      {d.last_error && d.status === 'pending' && (
        <p className="break-words text-stone-600 dark:text-stone-400">
          {t('account.deliveries.lastError', { error: d.last_error })}
        </p>
      )}
      <p className="text-xs text-stone-500 dark:text-stone-400">
        <time dateTime={isoDate(d.updated_at)}>{formatDate(d.updated_at)}</time>
      </p>
    </li>
  );
}
