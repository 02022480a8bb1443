import { LoaderCircle } from 'lucide-react';
import { useTranslation } from 'react-i18next';

export function Loading({ fullPage = false }: { fullPage?: boolean }) {
  const { t } = useTranslation();
  return (
    <div
      role="status"
      className={
        fullPage
          ? 'flex min-h-screen items-center justify-center gap-2 text-stone-600 dark:text-stone-300'
          : 'flex items-center gap-2 py-4 text-stone-600 dark:text-stone-300'
      }
    >
      <LoaderCircle aria-hidden="true" className="size-5 animate-spin" />
      <span>{t('app.loading')}</span>
    </div>
  );
}
