import { useTranslation } from 'react-i18next';
import { RefreshCw } from 'lucide-react';
import { errorMessage } from '../api/client';
import { Alert } from './Alert';
import { Button } from './Button';

/** What a failed query offers: its French message (or `message`), and "Réessayer", busy while it fetches again. */
export function LoadError({
  query,
  message,
}: {
  query: { error: unknown; isFetching: boolean; refetch: () => unknown };
  message?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-col items-start gap-3">
      <Alert className="w-full">{message ?? errorMessage(query.error)}</Alert>
      <Button
        variant="secondary"
        onClick={() => void query.refetch()}
        busy={query.isFetching}
        icon={<RefreshCw aria-hidden="true" className="size-4" />}
      >
        {t('errors.retry')}
      </Button>
    </div>
  );
}
