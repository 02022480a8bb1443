import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from '@tanstack/react-query';
import { Copy, FileDown, FileText } from 'lucide-react';
import { errorMessage } from '../../api/client';
import { api } from '../../api/endpoints';
import type { LinkListFormat } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { copyText } from '../../components/CopyButton';
import { Modal } from '../../components/Modal';
import { formatDate, formatSize } from '../../lib/format';
import { downloadUrl, relativePath } from './browse';
import { browser } from './download';
import type { LinkSet } from './useFileActions';

/**
 * "Télécharger tout": the signed links of every ready file of a folder, to copy (one a
 * line), to save as a Metalink or a list of addresses for a download manager, or to
 * follow one by one; says when they expire.
 */
export function LinksDialog({ hash, links, onClose }: { hash: string; links: LinkSet | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={links !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={t('files.links.title')}
      description={
        links
          ? t('files.links.summary', {
              count: links.links.length,
              folder: links.folderName,
              size: formatSize(links.links.reduce((n, l) => n + l.size, 0)),
            })
          : undefined
      }
      wide
    >
      {links && <LinksBody key={`${links.folder.path}:${links.expires}`} hash={hash} links={links} />}
    </Modal>
  );
}

function LinksBody({ hash, links }: { hash: string; links: LinkSet }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  useEffect(() => {
    if (copied === 'idle') return;
    const timer = setTimeout(() => setCopied('idle'), 2500);
    return () => clearTimeout(timer);
  }, [copied]);

  const paths = links.links.map((l) => l.path);
  const saveList = useMutation({
    mutationFn: (format: LinkListFormat) => api.fileLinkList(hash, paths, format),
    onSuccess: (file, format) => browser.save(file.blob, file.filename ?? `${links.folderName}.${format}`),
  });
  const saving = saveList.isPending ? saveList.variables : null;
  const error = saveList.isError ? errorMessage(saveList.error) : null;
  function save(format: LinkListFormat) {
    if (!saving) saveList.mutate(format);
  }

  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm">{t('files.links.expires', { date: formatDate(links.expires) })}</p>
      <div className="flex flex-wrap items-center gap-2">
        <Button
          variant="primary"
          icon={<Copy aria-hidden="true" className="size-4" />}
          onClick={() =>
            void copyText(links.links.map((l) => l.url).join('\n')).then((ok) => setCopied(ok ? 'done' : 'failed'))
          }
        >
          {t('files.links.copy')}
        </Button>
        <Button
          variant="secondary"
          busy={saving === 'meta4'}
          icon={<FileDown aria-hidden="true" className="size-4" />}
          onClick={() => save('meta4')}
        >
          {t('files.links.meta4')}
        </Button>
        <Button
          variant="secondary"
          busy={saving === 'txt'}
          icon={<FileText aria-hidden="true" className="size-4" />}
          onClick={() => save('txt')}
        >
          {t('files.links.txt')}
        </Button>
        <span role="status" className="text-sm text-stone-600 dark:text-stone-400">
          {copied === 'done' ? t('app.copied') : copied === 'failed' ? t('app.copyFailed') : ''}
        </span>
      </div>
      {error && <Alert>{error}</Alert>}
      <p className="text-sm text-stone-600 dark:text-stone-400">{t('files.links.managers')}</p>
      <ul
        aria-label={t('files.links.list')}
        className="max-h-72 divide-y divide-stone-100 overflow-y-auto rounded-md border border-stone-200 dark:divide-stone-800 dark:border-stone-700"
      >
        {links.links.map((l) => (
          <li key={l.path} className="flex items-baseline justify-between gap-3 px-3 py-1.5 text-sm">
            <a
              href={downloadUrl(l.url)}
              className="min-w-0 rounded text-amber-800 underline underline-offset-2 [overflow-wrap:anywhere] dark:text-amber-300"
            >
              {relativePath(l.path, links.folder.path)}
            </a>
            <span className="shrink-0 text-xs whitespace-nowrap text-stone-600 tabular-nums dark:text-stone-400">
              {formatSize(l.size)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
