import { useTranslation } from 'react-i18next';
import { Check, TriangleAlert } from 'lucide-react';
import { Button } from '../../../components/Button';
import { CopyButton } from '../../../components/CopyButton';
import { DialogButtons } from '../../../components/ItemDialog';

/**
 * A password the server generated, shown this one time: selectable text, a copy button and a
 * warning that it will not be shown again. The caller forgets it on `onDone`.
 */
export function PasswordReveal({ password, onDone }: { password: string; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <p className="text-sm font-medium">{t('adminUsers.password.generated')}</p>
        <div className="flex items-center gap-2 rounded-md border border-stone-300 bg-stone-50 py-1 pl-3 pr-1 dark:border-stone-600 dark:bg-stone-800">
          <code data-testid="generated-password" className="min-w-0 flex-1 font-mono text-base break-all select-all">
            {password}
          </code>
          <CopyButton text={password} label={t('adminUsers.password.copy')} />
        </div>
      </div>
      <p className="flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100">
        <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span>{t('adminUsers.password.warning')}</span>
      </p>
      <DialogButtons>
        <Button onClick={onDone} icon={<Check aria-hidden="true" className="size-4" />}>
          {t('adminUsers.password.done')}
        </Button>
      </DialogButtons>
    </div>
  );
}
