import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ArrowDown, ArrowUp, Columns3, RotateCcw } from 'lucide-react';
import { Button } from '../../components/Button';
import { IconButton } from '../../components/IconAction';
import {
  DEFAULT_PREFS,
  loadPrefs,
  moveColumn,
  offeredColumn,
  savePrefs,
  toggleColumn,
  type ColumnKey,
  type ColumnPrefs,
} from './columnPrefs';

/** The user's column prefs, read from and written to localStorage under their id. */
export function useColumnPrefs(userId: number | undefined): [ColumnPrefs, (p: ColumnPrefs) => void] {
  const [state, setState] = useState<{ userId: number | undefined; prefs: ColumnPrefs }>(() => ({
    userId,
    prefs: userId === undefined ? DEFAULT_PREFS : loadPrefs(userId),
  }));
  let prefs = state.prefs;
  if (state.userId !== userId) {
    prefs = userId === undefined ? DEFAULT_PREFS : loadPrefs(userId);
    setState({ userId, prefs });
  }
  const set = useCallback(
    (p: ColumnPrefs) => {
      setState({ userId, prefs: p });
      if (userId !== undefined) savePrefs(userId, p);
    },
    [userId],
  );
  return [prefs, set];
}

/**
 * "Colonnes": which columns the table shows and in which order (ticked ones shown; ↑/↓ move).
 * The name is always shown; the columns the width leaves out (the degrade rule, columnPrefs.ts)
 * are marked "masquée faute de place". A disclosure: Escape or a click elsewhere closes it.
 */
export function ColumnsMenu({
  prefs,
  onChange,
  showOwner,
  showServer = false,
  leftOut,
}: {
  prefs: ColumnPrefs;
  onChange: (p: ColumnPrefs) => void;
  showOwner: boolean;
  /** The "Serveur" column is offered (administrators). */
  showServer?: boolean;
  leftOut: readonly ColumnKey[];
}) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside, true);
    return () => document.removeEventListener('pointerdown', outside, true);
  }, [open]);

  const keys = prefs.order.filter((k) => offeredColumn(k, showOwner, showServer));
  const label = (k: ColumnKey) => t(`torrents.columns.${k === 'seeds' ? 'peers' : k === 'added_on' ? 'added' : k}`);

  return (
    <div
      ref={box}
      className="relative"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <Button
        ref={button}
        variant="secondary"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen(!open)}
        icon={<Columns3 aria-hidden="true" className="size-4" />}
      >
        {t('torrents.columnsMenu.open')}
      </Button>
      {open && (
        <div
          id={`${id}-panel`}
          role="group"
          aria-labelledby={`${id}-title`}
          className="absolute right-0 top-full z-30 mt-1 w-80 rounded-md border border-stone-200 bg-white p-3 text-sm shadow-lg dark:border-stone-700 dark:bg-stone-900"
        >
          <p id={`${id}-title`} className="font-semibold">
            {t('torrents.columnsMenu.title')}
          </p>
          <p className="mt-1 text-xs text-stone-600 dark:text-stone-400">{t('torrents.columnsMenu.hint')}</p>
          <ul className="mt-2 flex flex-col">
            <li className="flex min-h-9 items-center gap-2">
              <input id={`${id}-name`} type="checkbox" checked disabled className="size-4 accent-amber-600" />
              <label htmlFor={`${id}-name`} className="flex-1">
                {t('torrents.columns.name')}{' '}
                <span className="text-xs text-stone-600 dark:text-stone-400">({t('torrents.columnsMenu.always')})</span>
              </label>
            </li>
            {keys.map((k, i) => {
              const shown = !prefs.hidden.includes(k);
              return (
                <li key={k} className="flex min-h-9 items-center gap-2" data-column={k}>
                  <input
                    id={`${id}-${k}`}
                    type="checkbox"
                    checked={shown}
                    onChange={() => onChange(toggleColumn(prefs, k))}
                    className="size-4 cursor-pointer accent-amber-600"
                  />
                  <label htmlFor={`${id}-${k}`} className="flex-1 cursor-pointer">
                    {label(k)}
                    {shown && leftOut.includes(k) && (
                      <span className="block text-xs text-stone-600 dark:text-stone-400">
                        {t('torrents.columnsMenu.noRoom')}
                      </span>
                    )}
                  </label>
                  <IconButton
                    small
                    label={t('torrents.columnsMenu.moveUp', { column: label(k) })}
                    tip="↑"
                    disabled={i === 0}
                    className="disabled:opacity-40"
                    icon={<ArrowUp aria-hidden="true" className="size-4" />}
                    onClick={() => onChange(moveColumn(prefs, k, -1))}
                  />
                  <IconButton
                    small
                    label={t('torrents.columnsMenu.moveDown', { column: label(k) })}
                    tip="↓"
                    disabled={i === keys.length - 1}
                    className="disabled:opacity-40"
                    icon={<ArrowDown aria-hidden="true" className="size-4" />}
                    onClick={() => onChange(moveColumn(prefs, k, 1))}
                  />
                </li>
              );
            })}
          </ul>
          <div className="mt-2 flex justify-between gap-2">
            <Button variant="secondary" onClick={() => onChange(DEFAULT_PREFS)} icon={<RotateCcw aria-hidden="true" className="size-4" />}>
              {t('torrents.columnsMenu.reset')}
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
