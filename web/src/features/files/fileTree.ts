import type { FileUnavailableReason, TorrentFile } from '../../api/types';

export interface FileNode {
  kind: 'folder' | 'file';
  name: string;
  /** Full '/'-separated path; '' for the root. Unique: used as React key and element id. */
  path: string;
  /** Bytes; a folder sums its files. */
  size: number;
  /** 0..1; a folder's is weighted by its files' sizes. */
  progress: number;
  /** Number of files under it (1 for a file). */
  fileCount: number;
  /** Files only. */
  index?: number;
  /** qBittorrent's priority: 0 = not downloaded. A folder is 0 only when all its files are. */
  priority: number;
  /** Files under it that may be downloaded now (complete, downloads allowed): 1 or 0 for a file. */
  downloadableCount: number;
  /** Bytes of those files. */
  downloadableSize: number;
  /** Files only: why the server will not serve it (null: nothing about the file itself). */
  unavailable?: FileUnavailableReason | null;
  children: FileNode[];
}

interface Building {
  node: FileNode;
  folders: Map<string, Building>;
}

const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });

function folder(name: string, path: string): Building {
  return {
    node: {
      kind: 'folder',
      name,
      path,
      size: 0,
      progress: 0,
      fileCount: 0,
      priority: 0,
      downloadableCount: 0,
      downloadableSize: 0,
      children: [],
    },
    folders: new Map(),
  };
}

function finish(node: FileNode): void {
  if (node.kind === 'file') return;
  let size = 0;
  let done = 0;
  let progressSum = 0;
  let files = 0;
  let priority = 0;
  let downloadable = 0;
  let downloadableSize = 0;
  for (const c of node.children) {
    finish(c);
    size += c.size;
    done += c.size * c.progress;
    progressSum += c.progress;
    files += c.fileCount;
    priority = Math.max(priority, c.priority);
    downloadable += c.downloadableCount;
    downloadableSize += c.downloadableSize;
  }
  node.size = size;
  node.fileCount = files;
  node.priority = priority;
  node.downloadableCount = downloadable;
  node.downloadableSize = downloadableSize;
  // Empty files count by number when the folder has no bytes at all.
  node.progress = size > 0 ? done / size : node.children.length > 0 ? progressSum / node.children.length : 0;
  node.children.sort((a, b) =>
    a.kind !== b.kind ? (a.kind === 'folder' ? -1 : 1) : collator.compare(a.name, b.name) || (a.name < b.name ? -1 : 1),
  );
}

/**
 * Turns qBittorrent's flat file list into a tree: one folder per path segment,
 * folders first then files, each level sorted by name (French order, numbers
 * as numbers). Returns the root folder (name '', path ''). A node's `path`
 * is the server's path (the one `POST /links` and `POST /zip` take).
 */
export function buildFileTree(files: readonly TorrentFile[]): FileNode {
  const root = folder('', '');
  for (const f of files) {
    const parts = f.path.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.length === 0) continue;
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.folders.get(part);
      if (!next) {
        next = folder(part, dir.node.path === '' ? part : `${dir.node.path}/${part}`);
        dir.folders.set(part, next);
        dir.node.children.push(next.node);
      }
      dir = next;
    }
    const name = parts[parts.length - 1]!;
    const downloadable = f.downloadable === true;
    dir.node.children.push({
      kind: 'file',
      name,
      path: dir.node.path === '' ? name : `${dir.node.path}/${name}`,
      size: f.size,
      progress: Math.min(1, Math.max(0, f.progress)),
      fileCount: 1,
      index: f.index,
      priority: f.priority,
      downloadableCount: downloadable ? 1 : 0,
      downloadableSize: downloadable ? f.size : 0,
      unavailable: f.unavailable ?? null,
      children: [],
    });
  }
  finish(root.node);
  return root.node;
}
