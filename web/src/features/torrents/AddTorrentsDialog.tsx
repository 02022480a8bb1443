import { useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CircleCheck, CircleX, FileText, FileUp, Link2, Magnet, Plus, X } from 'lucide-react';
import { ApiError, codeMessage, errorMessage } from '../../api/client';
import { api } from '../../api/endpoints';
import { queryKeys } from '../../api/queries';
import type { AddResult } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { DialogButtons } from '../../components/ItemDialog';
import { Modal } from '../../components/Modal';
import { Tabs, type TabItem } from '../../components/Tabs';
import { TextAreaField } from '../../components/TextAreaField';
import { cx } from '../../lib/cx';
import { formatSize } from '../../lib/format';
import { useMe } from '../../api/queries';
import { MAX_FILE_BYTES, batchFiles, isTorrentFileName, sameFile, splitLines } from './addInput';
import { mayAddFiles, mayAddMagnets } from './permissions';

type TabKey = 'magnets' | 'files' | 'urls';

/** "Ajouter des torrents": magnet links, .torrent files, addresses of .torrent files. */
export function AddTorrentsDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={open} onOpenChange={onOpenChange} wide title={t('torrents.add.title')} description={t('torrents.add.intro')}>
      <AddForm onClose={() => onOpenChange(false)} />
    </Modal>
  );
}

/** A whole request failed (server unreachable, too large…): every item it carried failed with that reason. */
function failAll(inputs: readonly string[], e: unknown): AddResult[] {
  const code = e instanceof ApiError ? e.code : 'unexpected';
  const message = errorMessage(e);
  return inputs.map((input) => ({ input, ok: false, error: { code, message } }));
}

function AddForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const id = useId();
  const { data: me } = useMe();
  // Magnets need add_magnets; files and their addresses need add_torrent_files.
  const allowed = new Set<TabKey>([
    ...(mayAddMagnets(me) ? (['magnets'] as const) : []),
    ...(mayAddFiles(me) ? (['files', 'urls'] as const) : []),
  ]);
  const [tab, setTab] = useState<TabKey>(allowed.has('magnets') ? 'magnets' : 'files');
  const [magnetText, setMagnetText] = useState('');
  const [urlText, setUrlText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [rejected, setRejected] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [results, setResults] = useState<AddResult[] | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const resultsRef = useRef<HTMLElement>(null);

  const magnets = splitLines(magnetText);
  const urls = splitLines(urlText);

  function addFiles(list: Iterable<File>) {
    const next = [...files];
    const refused: string[] = [];
    for (const f of list) {
      if (!isTorrentFileName(f.name)) refused.push(t('torrents.add.notTorrent', { name: f.name }));
      else if (f.size > MAX_FILE_BYTES) refused.push(t('torrents.add.fileTooLarge', { name: f.name }));
      else if (!next.some((g) => sameFile(f, g))) next.push(f);
    }
    setFiles(next);
    setRejected(refused);
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    addFiles(Array.from(e.dataTransfer.files));
  }

  /** Sends everything (magnets and addresses in one request, files in batches); each item gets its result. */
  const send = useMutation({
    mutationFn: async ({ sentFiles }: { sentFiles: File[] }) => {
      const all: AddResult[] = [];
      if (magnets.length > 0 || urls.length > 0) {
        try {
          const res = await api.addTorrents({
            ...(magnets.length > 0 ? { magnets } : {}),
            ...(urls.length > 0 ? { urls } : {}),
          });
          all.push(...res.results);
        } catch (err) {
          all.push(...failAll([...magnets, ...urls], err));
        }
      }
      for (const batch of batchFiles(sentFiles)) {
        try {
          const res = await api.addTorrentFiles(batch);
          all.push(...res.results);
        } catch (err) {
          all.push(...failAll(batch.map((f) => f.name), err));
        }
      }
      return all;
    },
    onSuccess: (all, { sentFiles }) => {
      // What failed stays in the form, to be corrected or tried again.
      const failed = new Set(all.filter((r) => !r.ok).map((r) => r.input));
      flushSync(() => {
        setMagnetText(magnets.filter((m) => failed.has(m)).join('\n'));
        setUrlText(urls.filter((u) => failed.has(u)).join('\n'));
        setFiles((current) => current.filter((f) => !sentFiles.includes(f) || failed.has(f.name)));
        setRejected([]);
        setResults(all);
      });
      resultsRef.current?.focus();
      if (all.some((r) => r.ok)) void client.invalidateQueries({ queryKey: queryKeys.torrentLists });
    },
  });
  const busy = send.isPending;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (magnets.length === 0 && urls.length === 0 && files.length === 0) {
      flushSync(() => setFormError(t('torrents.add.nothing')));
      errorRef.current?.focus();
      return;
    }
    setFormError(null);
    send.mutate({ sentFiles: [...files] });
  }

  const okCount = results?.filter((r) => r.ok).length ?? 0;
  const failCount = (results?.length ?? 0) - okCount;
  const count = (n: number) => (n > 0 ? ` (${n})` : '');

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-4">
      {formError && (
        <Alert alertRef={errorRef}>{formError}</Alert>
      )}

      <Tabs<TabKey>
        label={t('torrents.add.tabsLabel')}
        value={tab}
        onChange={setTab}
        items={([
          {
            key: 'magnets',
            label: `${t('torrents.add.magnetsTab')}${count(magnets.length)}`,
            icon: <Magnet aria-hidden="true" className="size-4" />,
            panel: (
              <TextAreaField
                label={t('torrents.add.magnetsLabel')}
                hint={t('torrents.add.magnetsHint')}
                name="magnets"
                placeholder="magnet:?xt=urn:btih:…"
                spellCheck={false}
                autoCapitalize="none"
                autoComplete="off"
                value={magnetText}
                onChange={(e) => setMagnetText(e.target.value)}
              />
            ),
          },
          {
            key: 'files',
            label: `${t('torrents.add.filesTab')}${count(files.length)}`,
            icon: <FileUp aria-hidden="true" className="size-4" />,
            panel: (
              <div className="flex flex-col gap-3">
                <div
                  onDragEnter={(e) => {
                    e.preventDefault();
                    setDragging(true);
                  }}
                  onDragOver={(e) => {
                    e.preventDefault();
                    e.dataTransfer.dropEffect = 'copy';
                  }}
                  onDragLeave={(e) => {
                    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
                  }}
                  onDrop={onDrop}
                  data-testid="drop-zone"
                  className={cx(
                    'flex flex-col items-center gap-2 rounded-lg border-2 border-dashed px-4 py-6 text-center text-sm',
                    dragging
                      ? 'border-amber-600 bg-amber-50 dark:border-amber-400 dark:bg-amber-950/40'
                      : 'border-stone-300 dark:border-stone-600',
                  )}
                >
                  <FileUp aria-hidden="true" className="size-8 text-stone-500 dark:text-stone-400" />
                  <p className="text-stone-700 dark:text-stone-300">{t('torrents.add.dropHere')}</p>
                  <input
                    id={`${id}-files`}
                    type="file"
                    multiple
                    accept=".torrent,application/x-bittorrent"
                    className="peer sr-only"
                    aria-describedby={`${id}-files-hint`}
                    onChange={(e) => {
                      if (e.target.files) addFiles(Array.from(e.target.files));
                      e.target.value = '';
                    }}
                  />
                  <label
                    htmlFor={`${id}-files`}
                    className={cx(
                      'inline-flex min-h-10 cursor-pointer items-center gap-2 rounded-md border border-stone-300 bg-white px-4 py-2 font-semibold',
                      'hover:bg-stone-100 dark:border-stone-600 dark:bg-stone-900 dark:hover:bg-stone-800',
                      'peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-amber-600 dark:peer-focus-visible:outline-amber-400',
                    )}
                  >
                    <Plus aria-hidden="true" className="size-4" />
                    {t('torrents.add.choose')}
                  </label>
                  <p id={`${id}-files-hint`} className="text-stone-600 dark:text-stone-400">
                    {t('torrents.add.filesHint')}
                  </p>
                </div>
                {rejected.length > 0 && (
                  <Alert>
                    <ul>
                      {rejected.map((r) => (
                        <li key={r}>{r}</li>
                      ))}
                    </ul>
                  </Alert>
                )}
                {files.length > 0 && (
                  <ul aria-label={t('torrents.add.chosenFiles')} className="flex flex-col divide-y divide-stone-200 rounded-md border border-stone-200 dark:divide-stone-700 dark:border-stone-700">
                    {files.map((f) => (
                      <li key={`${f.name}-${f.size}-${f.lastModified}`} className="flex items-center gap-2 py-1 pl-3 pr-1 text-sm">
                        <FileText aria-hidden="true" className="size-4 shrink-0 text-stone-500 dark:text-stone-400" />
                        <span className="min-w-0 flex-1 truncate" title={f.name}>
                          {f.name}
                        </span>
                        <span className="shrink-0 tabular-nums text-stone-600 dark:text-stone-400">{formatSize(f.size)}</span>
                        <button
                          type="button"
                          aria-label={t('torrents.add.removeFile', { name: f.name })}
                          title={t('torrents.add.removeFileTip')}
                          onClick={() => setFiles((current) => current.filter((g) => g !== f))}
                          className="inline-flex size-9 shrink-0 items-center justify-center rounded-md text-stone-600 hover:bg-stone-200/70 dark:text-stone-300 dark:hover:bg-stone-800"
                        >
                          <X aria-hidden="true" className="size-4" />
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            ),
          },
          {
            key: 'urls',
            label: `${t('torrents.add.urlsTab')}${count(urls.length)}`,
            icon: <Link2 aria-hidden="true" className="size-4" />,
            panel: (
              <TextAreaField
                label={t('torrents.add.urlsLabel')}
                hint={t('torrents.add.urlsHint')}
                name="urls"
                inputMode="url"
                placeholder="https://exemple.fr/fichier.torrent"
                spellCheck={false}
                autoCapitalize="none"
                autoComplete="off"
                rows={4}
                value={urlText}
                onChange={(e) => setUrlText(e.target.value)}
              />
            ),
          },
        ] satisfies TabItem<TabKey>[]).filter((item) => allowed.has(item.key))}
      />

      {results && (
        <section
          ref={resultsRef}
          tabIndex={-1}
          aria-labelledby={`${id}-results`}
          className="rounded-md border border-stone-200 p-3 focus:outline-none focus-visible:outline-2 dark:border-stone-700"
        >
          <h3 id={`${id}-results`} className="text-sm font-semibold">
            {t('torrents.add.resultsTitle')}
          </h3>
          <p role="status" className="mt-1 text-sm text-stone-600 dark:text-stone-400">
            {t('torrents.add.summaryAdded', { count: okCount })}
            {failCount > 0 && `, ${t('torrents.add.summaryFailed', { count: failCount })}`}
          </p>
          <ul className="mt-2 flex flex-col gap-2" data-testid="add-results">
            {results.map((r, i) =>
              r.ok ? (
                <li key={`${i}-${r.input}`} data-hash={r.hash} className="flex items-start gap-2 text-sm">
                  <CircleCheck aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400" />
                  <span className="min-w-0 [overflow-wrap:anywhere]">
                    <span className="sr-only">{t('torrents.add.okPrefix')} </span>
                    {t('torrents.add.added', { name: r.name || r.input })}
                    {r.queued?.message && (
                      <span className="block text-amber-800 dark:text-amber-300">
                        {t('torrents.add.queued', { message: r.queued.message })}
                      </span>
                    )}
                  </span>
                </li>
              ) : (
                <li key={`${i}-${r.input}`} className="flex items-start gap-2 text-sm">
                  <CircleX aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-red-600 dark:text-red-400" />
                  <span className="min-w-0">
                    <span className="sr-only">{t('torrents.add.errorPrefix')} </span>
                    <span className="block font-mono text-xs text-stone-600 [overflow-wrap:anywhere] dark:text-stone-400">
                      {r.input}
                    </span>
                    <span className="text-red-800 dark:text-red-300">{r.error.message || codeMessage(r.error.code)}</span>
                  </span>
                </li>
              ),
            )}
          </ul>
        </section>
      )}

      <DialogButtons>
        <Button variant="secondary" onClick={onClose}>
          {t('torrents.add.close')}
        </Button>
        <Button
          type="submit"
          busy={busy}
          busyLabel={t('torrents.add.submitting')}
          icon={<Plus aria-hidden="true" className="size-4" />}
        >
          {t('torrents.add.submit')}
        </Button>
      </DialogButtons>
    </form>
  );
}
