import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Check, Copy } from 'lucide-react';

/** Puts `text` on the clipboard (falls back to a hidden text area where the Clipboard API is missing); true when it worked. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Falls back below (plain http, refused permission).
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/** Copies `text`; says "Copié" (or that it could not) for a moment, politely announced. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'done' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(timer);
  }, [state]);

  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        aria-label={label}
        title={t('app.copy')}
        onClick={() => void copyText(text).then((ok) => setState(ok ? 'done' : 'failed'))}
        className="inline-flex size-9 shrink-0 items-center justify-center rounded-md text-stone-600 hover:bg-stone-200/70 dark:text-stone-300 dark:hover:bg-stone-800"
      >
        {state === 'done' ? (
          <Check aria-hidden="true" className="size-4 text-emerald-600 dark:text-emerald-400" />
        ) : (
          <Copy aria-hidden="true" className="size-4" />
        )}
      </button>
      <span role="status" className="text-xs text-stone-600 dark:text-stone-400">
        {state === 'done' ? t('app.copied') : state === 'failed' ? t('app.copyFailed') : ''}
      </span>
    </span>
  );
}
