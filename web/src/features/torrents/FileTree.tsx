import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChevronRight, File, Folder, FolderOpen } from 'lucide-react';
import type { TorrentFile } from '../../api/types';
import { ProgressBar } from '../../components/ProgressBar';
import { cx } from '../../lib/cx';
import { formatSize } from '../../lib/format';
import { buildFileTree, countNodes, type FileNode } from './fileTree';

/** Folders open at first when the tree is small; otherwise only the first level. */
const OPEN_ALL_UNDER = 60;

function initiallyOpen(root: FileNode): Set<string> {
  const open = new Set<string>();
  const all = countNodes(root) <= OPEN_ALL_UNDER;
  const walk = (n: FileNode, depth: number) => {
    for (const c of n.children) {
      if (c.kind !== 'folder') continue;
      // A lone top folder (the torrent's own) always opens.
      if (all || depth === 0 || (depth === 1 && n.children.length === 1)) open.add(c.path);
      walk(c, depth + 1);
    }
  };
  walk(root, 0);
  return open;
}

function Row({ node, depth, open, toggle }: { node: FileNode; depth: number; open: Set<string>; toggle: (p: string) => void }) {
  const { t } = useTranslation();
  const isOpen = open.has(node.path);
  const skipped = node.priority === 0;
  const groupId = useId();
  // Phones: name on its own line, figures below it; wider screens: one line.
  const info = (
    <span className="flex flex-wrap items-center gap-x-3 gap-y-1 pl-6 text-xs whitespace-nowrap text-stone-600 tabular-nums sm:shrink-0 sm:flex-nowrap sm:pl-2 dark:text-stone-400">
      {node.kind === 'folder' && <span>{t('torrents.files.count', { count: node.fileCount })}</span>}
      {skipped && <span className="italic">{t('torrents.files.skipped')}</span>}
      <span className="sm:w-16 sm:text-right">{formatSize(node.size)}</span>
      <ProgressBar
        progress={node.progress}
        tone={node.progress >= 1 ? 'green' : 'blue'}
        label={t('torrents.progressOf', { name: node.name })}
        className="w-36"
      />
    </span>
  );
  const row = 'flex flex-col gap-1 py-1.5 pr-1 sm:flex-row sm:items-center sm:gap-2';
  const indent = { paddingLeft: `${depth * 0.875}rem` };

  if (node.kind === 'file') {
    return (
      <li>
        <div className={cx(row, skipped && 'opacity-60')} style={indent}>
          <span className="flex min-w-0 flex-1 items-center gap-2">
            <span aria-hidden="true" className="hidden size-4 shrink-0 sm:inline-block" />
            <File aria-hidden="true" className="size-4 shrink-0 text-stone-500 dark:text-stone-400" />
            <span className="min-w-0 text-sm [overflow-wrap:anywhere]">{node.name}</span>
          </span>
          {info}
        </div>
      </li>
    );
  }

  return (
    <li>
      <div className={row} style={indent}>
        <button
          type="button"
          aria-expanded={isOpen}
          aria-controls={groupId}
          onClick={() => toggle(node.path)}
          className="flex min-w-0 flex-1 items-center gap-2 rounded text-left text-sm font-medium hover:text-amber-800 dark:hover:text-amber-300"
        >
          <ChevronRight aria-hidden="true" className={cx('size-4 shrink-0 transition-transform', isOpen && 'rotate-90')} />
          {isOpen ? (
            <FolderOpen aria-hidden="true" className="size-4 shrink-0 text-amber-600 dark:text-amber-400" />
          ) : (
            <Folder aria-hidden="true" className="size-4 shrink-0 text-amber-600 dark:text-amber-400" />
          )}
          <span className="min-w-0 [overflow-wrap:anywhere]">{node.name}</span>
        </button>
        {info}
      </div>
      {isOpen && (
        <ul id={groupId} role="list">
          {node.children.map((c) => (
            <Row key={`${c.kind}:${c.path}`} node={c} depth={depth + 1} open={open} toggle={toggle} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** The torrent's files as a tree of collapsible folders, each with its size and progress. */
export function FileTree({ files }: { files: readonly TorrentFile[] }) {
  const root = useMemo(() => buildFileTree(files), [files]);
  // Folders keep their state while the list refreshes; new folders follow the initial rule.
  const [open, setOpen] = useState<Set<string> | null>(null);
  const effective = open ?? initiallyOpen(root);
  const toggle = (path: string) => {
    const next = new Set(effective);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setOpen(next);
  };
  return (
    <ul role="list" className="divide-y divide-stone-100 dark:divide-stone-800" data-testid="file-tree">
      {root.children.map((c) => (
        <Row key={`${c.kind}:${c.path}`} node={c} depth={0} open={effective} toggle={toggle} />
      ))}
    </ul>
  );
}
