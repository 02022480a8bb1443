import { useEffect, useRef } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import {
  ChevronRight,
  Download,
  Eye,
  File as FileGlyph,
  FileImage,
  FileMusic,
  FilePlay,
  Folder,
  FolderArchive,
  List,
  Play,
} from 'lucide-react';
import type { DownloadsInfo } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { DataTable, type Column } from '../../components/DataTable';
import { IconButton } from '../../components/IconAction';
import { ProgressBar } from '../../components/ProgressBar';
import { cx } from '../../lib/cx';
import { formatPercent, formatSize, progressPercent } from '../../lib/format';
import { breadcrumbs, canZip, folderSearch, mediaKind, resolveFolder, startFolder } from './browse';
import type { FileNode } from './fileTree';
import type { FileActions } from './useFileActions';

/** A row not downloaded (priority 0): muted, not faded — an opacity took its text below AA contrast. */
const SKIPPED = 'text-stone-600 dark:text-stone-400';

/** The icon of a file, from what a browser could do with it. */
export function FileIcon({ name, className }: { name: string; className?: string }) {
  const kind = mediaKind(name);
  const Icon = kind === 'video' ? FilePlay : kind === 'audio' ? FileMusic : kind === 'image' ? FileImage : FileGlyph;
  return <Icon aria-hidden="true" className={cx('shrink-0 text-stone-500 dark:text-stone-400', className)} />;
}

/**
 * The button that opens a file in the page: "Lire" (video, audio) or "Voir" (an image's
 * preview), with its accessible name and icon; null for other files.
 */
export function useOpenAction() {
  const { t } = useTranslation();
  return (name: string) => {
    const kind = mediaKind(name);
    if (!kind) return null;
    return kind === 'image'
      ? { label: t('files.view'), named: t('files.viewNamed', { name }), icon: <Eye aria-hidden="true" className="size-4" /> }
      : { label: t('files.play'), named: t('files.playNamed', { name }), icon: <Play aria-hidden="true" className="size-4" /> };
  };
}

/**
 * A file's state in words, where it cannot be downloaded: "Fichier vide", "En cours – 42 %",
 * "non téléchargé" (not selected in qBittorrent), and for a complete file why the server will
 * not serve it ("Hors du dossier du propriétaire"…), "Terminé" when downloads are off for the
 * whole torrent (the notice above says why), or "indisponible". `title` is the longer
 * explanation, when there is one.
 */
export function useFileStatus() {
  const { t } = useTranslation();
  return (file: FileNode, downloads: DownloadsInfo): { text: string; title?: string } => {
    if (file.unavailable === 'empty') return { text: t('files.fileReason.empty') };
    if (file.progress < 1) {
      return {
        text:
          file.priority === 0
            ? t('torrents.files.skipped')
            : t('files.inProgress', { percent: formatPercent(progressPercent(file.progress)) }),
      };
    }
    if (!downloads.available) return { text: t('files.complete') };
    switch (file.unavailable) {
      case 'outside_folder':
        return { text: t('files.fileReason.outside_folder'), title: t('files.fileReason.outside_folderHint') };
      case 'incomplete':
        return { text: t('files.fileReason.incomplete') };
      default:
        return { text: t('files.unavailableFile') };
    }
  };
}

/** A file's state (`useFileStatus`), its explanation as a tooltip and read out after it. */
export function FileStatus({ status, className }: { status: { text: string; title?: string }; className?: string }) {
  return (
    <span title={status.title} className={className}>
      {status.text}
      {status.title && <span className="sr-only"> ({status.title})</span>}
    </span>
  );
}

/**
 * A multi-file torrent, one folder at a time: breadcrumbs ("Dossier › Sous-dossier"),
 * "Télécharger tout" and the folder's .zip, then a table of its sub-folders (links that
 * open them) and files (size, progress, "Lire" and "Télécharger"). The folder shown is
 * `?dossier=<path>` in the address, so Back goes up and a folder can be bookmarked.
 */
export function FileBrowser({
  root,
  rootName,
  downloads,
  actions,
}: {
  root: FileNode;
  /** Names the root when the torrent has no top folder of its own. */
  rootName: string;
  downloads: DownloadsInfo;
  actions: FileActions;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const [params] = useSearchParams();
  const start = startFolder(root);
  const folder = resolveFolder(root, params.get('dossier'));
  const crumbs = breadcrumbs(root, folder, rootName);
  const folderName = crumbs[crumbs.length - 1]!.name;
  const to = (path: string) => ({
    pathname: location.pathname,
    search: folderSearch(params, path === start.path ? null : path),
  });
  // Keeps what the detail page's "back" link needs.
  const linkState: unknown = location.state;

  // Opening a folder replaces the rows: focus goes to its name in the breadcrumbs, and the
  // top of the browser comes back into view.
  const boxRef = useRef<HTMLDivElement>(null);
  const currentRef = useRef<HTMLSpanElement>(null);
  const shown = useRef(folder.path);
  useEffect(() => {
    if (shown.current === folder.path) return;
    shown.current = folder.path;
    const box = boxRef.current;
    if (box && box.getBoundingClientRect().top < 80) box.scrollIntoView?.({ block: 'start' });
    currentRef.current?.focus({ preventScroll: true });
  }, [folder.path]);

  const columns: Column<FileNode>[] = [
    {
      key: 'name',
      header: t('files.columns.name'),
      rowHeader: true,
      cell: (node) =>
        node.kind === 'folder' ? (
          <>
            <Link
              to={to(node.path)}
              state={linkState}
              className="inline-flex items-start gap-2 rounded font-medium hover:text-amber-800 hover:underline dark:hover:text-amber-300"
            >
              <Folder aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-amber-600 dark:text-amber-400" />
              <span className="[overflow-wrap:anywhere]">{node.name}</span>
            </Link>
            <span className="block pl-6 text-xs text-stone-600 dark:text-stone-400">
              {t('torrents.files.count', { count: node.fileCount })}
              {node.priority === 0 && ` · ${t('torrents.files.skipped')}`}
              {node.progress < 1 && <span className="sm:hidden"> · {formatPercent(progressPercent(node.progress))}</span>}
            </span>
          </>
        ) : (
          <span className="inline-flex items-start gap-2">
            <FileIcon name={node.name} className="mt-0.5 size-4" />
            <span className="[overflow-wrap:anywhere]">{node.name}</span>
          </span>
        ),
    },
    { key: 'size', header: t('files.columns.size'), numeric: true, cell: (node) => formatSize(node.size) },
    {
      key: 'progress',
      header: t('files.columns.progress'),
      className: 'hidden w-44 sm:table-cell',
      cell: (node) => (
        <ProgressBar
          progress={node.progress}
          tone={node.progress >= 1 ? 'green' : 'blue'}
          label={t('torrents.progressOf', { name: node.name })}
        />
      ),
    },
    {
      key: 'actions',
      name: t('files.columns.actions'),
      end: true,
      tight: true,
      cell: (node) => <NodeActions node={node} downloads={downloads} actions={actions} />,
    },
  ];

  const allKey = `all:${folder.path}`;
  const zippable = canZip(folder, downloads);
  const zipKey = `zip:${folder.path}`;

  return (
    <div ref={boxRef} className="flex scroll-mt-20 flex-col gap-3">
      <nav aria-label={t('files.location')}>
        <ol className="flex flex-wrap items-center gap-x-1 gap-y-0.5 text-sm">
          {crumbs.map((c, i) => (
            <li key={c.path} className="flex min-w-0 items-center gap-1">
              {i > 0 && <ChevronRight aria-hidden="true" className="size-4 shrink-0 text-stone-500 dark:text-stone-400" />}
              {i < crumbs.length - 1 ? (
                <Link
                  to={to(c.path)}
                  state={linkState}
                  className="rounded font-medium text-amber-800 underline underline-offset-2 [overflow-wrap:anywhere] dark:text-amber-300"
                >
                  {c.name}
                </Link>
              ) : (
                <span
                  ref={currentRef}
                  tabIndex={-1}
                  aria-current="location"
                  className="rounded font-semibold [overflow-wrap:anywhere]"
                >
                  {c.name}
                </span>
              )}
            </li>
          ))}
        </ol>
      </nav>

      {downloads.available && (
        // Everything in this folder, two ways: one .zip (when the server serves files itself),
        // or the list of links (copy, .meta4, .txt) for a download manager.
        <div className="flex flex-wrap items-center gap-2">
          {zippable && (
            <Button
              aria-label={t('files.zipAllNamed', { name: folderName })}
              busy={actions.isBusy(zipKey)}
              icon={<FolderArchive aria-hidden="true" className="size-4" />}
              onClick={() => void actions.zip(folder)}
            >
              {t('files.zipAll')}
            </Button>
          )}
          <Button
            variant={zippable ? 'secondary' : 'primary'}
            aria-label={t('files.linksNamed', { name: folderName })}
            disabled={folder.downloadableCount === 0}
            busy={actions.isBusy(allKey)}
            busyLabel={t('files.preparing')}
            icon={<List aria-hidden="true" className="size-4" />}
            onClick={() => void actions.downloadAll(folder, folderName)}
          >
            {t('files.linksAll')}
          </Button>
          <span className="text-sm text-stone-600 dark:text-stone-400">
            {folder.downloadableCount > 0
              ? t('files.ready', {
                  count: folder.downloadableCount,
                  total: folder.fileCount,
                  size: formatSize(folder.downloadableSize),
                })
              : t('files.nothingReady')}
          </span>
        </div>
      )}
      {downloads.available && folder.downloadableCount < folder.fileCount && (
        <Alert tone="info">{t('files.onlyComplete')}</Alert>
      )}

      <DataTable
        columns={columns}
        rows={folder.children}
        rowKey={(node) => `${node.kind === 'folder' ? 'd' : 'f'}:${node.path}`}
        caption={t('files.contents', { name: folderName })}
        rowProps={(node) => ({ className: node.priority === 0 ? SKIPPED : undefined })}
        variant="plain"
      />
    </div>
  );
}

/** "Télécharger le .zip" of a folder; "Lire" and "Télécharger" of a ready file, or why it is not. */
function NodeActions({ node, downloads, actions }: { node: FileNode; downloads: DownloadsInfo; actions: FileActions }) {
  const { t } = useTranslation();
  const status = useFileStatus();
  const open = useOpenAction()(node.name);
  if (node.kind === 'folder') {
    return canZip(node, downloads) ? (
      <IconButton
        label={t('files.zipNamed', { name: node.name })}
        tip={t('files.zip')}
        busy={actions.isBusy(`zip:${node.path}`)}
        icon={<FolderArchive aria-hidden="true" className="size-4" />}
        onClick={() => void actions.zip(node)}
      />
    ) : null;
  }
  if (node.downloadableCount === 0) {
    return (
      <FileStatus
        status={status(node, downloads)}
        className="inline-block max-w-40 text-xs text-stone-600 sm:max-w-none sm:whitespace-nowrap dark:text-stone-400"
      />
    );
  }
  return (
    <span className="inline-flex items-center justify-end gap-0.5">
      {open && (
        <IconButton
          label={open.named}
          tip={open.label}
          busy={actions.isBusy(`play:${node.path}`)}
          icon={open.icon}
          onClick={() => void actions.play(node)}
        />
      )}
      <IconButton
        label={t('files.downloadNamed', { name: node.name })}
        tip={t('files.download')}
        busy={actions.isBusy(`download:${node.path}`)}
        icon={<Download aria-hidden="true" className="size-4" />}
        onClick={() => void actions.download(node)}
      />
    </span>
  );
}
