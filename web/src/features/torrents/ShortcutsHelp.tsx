import { useTranslation } from 'react-i18next';
import { Modal } from '../../components/Modal';

const kbd =
  'inline-flex min-w-7 items-center justify-center rounded border border-stone-300 bg-stone-100 px-1.5 py-0.5 font-mono text-xs font-semibold text-stone-800 dark:border-stone-600 dark:bg-stone-800 dark:text-stone-100';

/** "?": the list pages' keyboard shortcuts (features/torrents/TorrentsPage.tsx binds them). */
export function ShortcutsHelp({ open, onOpenChange, canAdd }: { open: boolean; onOpenChange: (o: boolean) => void; canAdd: boolean }) {
  const { t } = useTranslation();
  const rows: Array<[string, string]> = [['/', t('torrents.shortcuts.search')]];
  if (canAdd) rows.push(['a', t('torrents.shortcuts.add')]);
  rows.push(['?', t('torrents.shortcuts.help')], ['Échap', t('torrents.shortcuts.clear')], [t('torrents.shortcuts.rangeKeys'), t('torrents.shortcuts.range')]);
  return (
    <Modal open={open} onOpenChange={onOpenChange} title={t('torrents.shortcuts.title')} description={t('torrents.shortcuts.intro')}>
      <dl className="flex flex-col gap-2 text-sm" data-testid="shortcuts-help">
        {rows.map(([key, what]) => (
          <div key={key} className="flex items-center gap-3">
            <dt className="w-36 shrink-0">
              <kbd className={kbd}>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}
