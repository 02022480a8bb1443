import { RefreshCw } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/client';
import { Alert } from './Alert';
import { Button } from './Button';

/** Shown when the first request (who am I?) failed: server down, proxy error… */
export function BootError({ error, onRetry, retrying }: { error: unknown; onRetry: () => void; retrying: boolean }) {
  const { t } = useTranslation();
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col justify-center gap-4 px-4">
      <h1 className="text-2xl font-bold">{t('errors.bootTitle')}</h1>
      <Alert>{errorMessage(error)}</Alert>
      <div>
        <Button onClick={onRetry} busy={retrying} icon={<RefreshCw aria-hidden="true" className="size-4" />}>
          {t('errors.retry')}
        </Button>
      </div>
    </main>
  );
}
