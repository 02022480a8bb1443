import { useEffect, useMemo, useRef } from 'react';
import { useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Download } from 'lucide-react';
import { errorMessage } from '../../api/client';
import type { DownloadsInfo, Torrent } from '../../api/types';
import { Alert, DismissibleAlert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Loading } from '../../components/Loading';
import { ProgressBar } from '../../components/ProgressBar';
import { formatSize } from '../../lib/format';
import { isSingleFile } from './browse';
import { FileBrowser, FileIcon, FileStatus, useFileStatus, useOpenAction } from './FileBrowser';
import { buildFileTree, type FileNode } from './fileTree';
import { LinksDialog } from './LinksDialog';
import { PlayerDialog } from './PlayerDialog';
import { useFileList } from './queries';
import { useFileActions, type FileActions } from './useFileActions';

/** Why nothing may be downloaded, in French (null when downloads are available). */
function useUnavailableText(downloads: DownloadsInfo | undefined): string | null {
  const { t } = useTranslation();
  if (!downloads || downloads.available) return null;
  switch (downloads.reason) {
    case 'forbidden':
      return t('files.unavailable.forbidden');
    case 'not_configured':
      return t('files.unavailable.not_configured');
    case 'outside_folder':
      return t('files.unavailable.outside_folder');
    case 'outside_root':
      return t('files.unavailable.outside_root');
    default:
      return t('files.unavailable.unknown');
  }
}

/** A single-file torrent: the file, its progress, "Télécharger", and "Lire" (video, audio) or "Voir" (image). */
function SingleFile({ file, downloads, actions }: { file: FileNode; downloads: DownloadsInfo; actions: FileActions }) {
  const { t } = useTranslation();
  const status = useFileStatus();
  const open = useOpenAction()(file.name);
  const ready = file.downloadableCount > 0;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:gap-4">
        <div className="flex min-w-0 flex-1 items-start gap-3">
          <FileIcon name={file.name} className="mt-0.5 size-6" />
          <div className="flex min-w-0 flex-1 flex-col gap-1">
            <p className="font-medium [overflow-wrap:anywhere]">{file.name}</p>
            <p className="text-sm text-stone-600 tabular-nums dark:text-stone-400">
              {formatSize(file.size)}
              {!ready && (
                <>
                  {' · '}
                  <FileStatus status={status(file, downloads)} />
                </>
              )}
            </p>
            <ProgressBar
              progress={file.progress}
              tone={file.progress >= 1 ? 'green' : 'blue'}
              label={t('torrents.progressOf', { name: file.name })}
              className="max-w-sm"
            />
          </div>
        </div>
        {ready && (
          <div className="flex flex-wrap gap-2">
            <Button
              aria-label={t('files.downloadNamed', { name: file.name })}
              busy={actions.isBusy(`download:${file.path}`)}
              icon={<Download aria-hidden="true" className="size-4" />}
              onClick={() => void actions.download(file)}
            >
              {t('files.download')}
            </Button>
            {open && (
              <Button
                variant="secondary"
                aria-label={open.named}
                busy={actions.isBusy(`play:${file.path}`)}
                icon={open.icon}
                onClick={() => void actions.play(file)}
              >
                {open.label}
              </Button>
            )}
          </div>
        )}
      </div>
      {downloads.available && !ready && <Alert tone="info">{t('files.onlyComplete')}</Alert>}
    </div>
  );
}

/**
 * "Fichiers" of a torrent: a browser of its folders (or its one file) with signed, expiring
 * download links, a player for video and audio, a preview for images, and the whole folder
 * as one .zip or as a list of links. Reaching the page
 * with `#<headingId>` (the "Fichiers" links) scrolls to the section and focuses its heading.
 */
export function TorrentFiles({
  torrent,
  headingId,
}: {
  torrent: Pick<Torrent, 'hash' | 'name' | 'progress'>;
  /** The id of the section's heading, which is also the anchor of the "Fichiers" links. */
  headingId: string;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const list = useFileList(torrent.hash, torrent.progress >= 1);
  const files = list.data?.files;
  const root = useMemo(() => buildFileTree(files ?? []), [files]);
  const actions = useFileActions(torrent.hash);
  const downloads = list.data?.downloads;
  const unavailable = useUnavailableText(downloads);

  // `#<headingId>` (the "Fichiers" links): the section comes into view, again once the list
  // has loaded (the page is longer then), and, after a move inside the app, its heading
  // takes the focus. A bookmarked folder (`?dossier=`) only brings the section into view.
  const boxRef = useRef<HTMLDivElement>(null);
  const ready = !list.isPending;
  const handled = useRef<{ key: string; ready: boolean } | null>(null);
  useEffect(() => {
    const prev = handled.current;
    if (prev && prev.key === location.key && prev.ready === ready) return;
    handled.current = { key: location.key, ready };
    const navigated = prev?.key !== location.key;
    const loaded = !navigated && ready && !prev?.ready;
    const heading = document.getElementById(headingId);
    const target = heading?.closest('section') ?? heading ?? boxRef.current;
    if (location.hash === `#${headingId}`) {
      if (navigated || loaded) target?.scrollIntoView?.({ block: 'start' });
      // React Router names the page the browser loaded 'default': no focus moved there.
      if (navigated && heading && location.key !== 'default') {
        heading.tabIndex = -1;
        heading.focus({ preventScroll: true });
      }
    } else if ((prev === null || loaded) && new URLSearchParams(location.search).has('dossier')) {
      target?.scrollIntoView?.({ block: 'start' });
    }
  }, [location.key, location.hash, location.search, headingId, ready]);

  // An error far from the button that caused it still comes into view.
  const errorRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (actions.error) errorRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [actions.error]);

  let body;
  if (list.isPending) body = <Loading />;
  else if (list.isError && !list.data) body = <Alert>{errorMessage(list.error)}</Alert>;
  else if (root.children.length === 0)
    body = <p className="text-sm text-stone-600 dark:text-stone-400">{t('torrents.files.none')}</p>;
  else if (downloads) {
    body = (
      <>
        {unavailable && <Alert tone="info">{unavailable}</Alert>}
        {actions.error && (
          <div ref={errorRef} className="scroll-mt-20">
            <DismissibleAlert dismissLabel={t('torrents.dismiss')} onDismiss={actions.clearError}>
              {actions.error}
            </DismissibleAlert>
          </div>
        )}
        {isSingleFile(root) ? (
          <SingleFile file={root.children[0]!} downloads={downloads} actions={actions} />
        ) : (
          <FileBrowser root={root} rootName={torrent.name} downloads={downloads} actions={actions} />
        )}
      </>
    );
  }

  return (
    <div ref={boxRef} className="flex flex-col gap-3" data-testid="file-tree">
      {body}
      <LinksDialog hash={torrent.hash} links={actions.links} onClose={actions.closeLinks} />
      <PlayerDialog playing={actions.playing} onClose={actions.closePlayer} />
    </div>
  );
}
