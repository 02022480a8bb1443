import type { DownloadsInfo } from '../../api/types';
import type { FileNode } from './fileTree';

/** The node at `path` ('' = the root), or null. */
export function findNode(root: FileNode, path: string): FileNode | null {
  if (path === '') return root;
  let node: FileNode | undefined = root;
  let at = '';
  for (const part of path.split('/')) {
    at = at === '' ? part : `${at}/${part}`;
    node = node.children.find((c) => c.path === at);
    if (!node) return null;
  }
  return node;
}

/** A torrent with exactly one file and no folder. */
export function isSingleFile(root: FileNode): boolean {
  return root.children.length === 1 && root.children[0]!.kind === 'file';
}

/**
 * Where browsing starts: the torrent's own top folder when every path is inside it
 * (the usual multi-file torrent), else the root.
 */
export function startFolder(root: FileNode): FileNode {
  const only = root.children.length === 1 ? root.children[0]! : null;
  return only && only.kind === 'folder' ? only : root;
}

/** The folder asked for (a `?dossier=` value), when it exists at or below the start; else the start. */
export function resolveFolder(root: FileNode, requested: string | null | undefined): FileNode {
  const start = startFolder(root);
  if (!requested) return start;
  const path = requested.split('/').filter((p) => p !== '').join('/');
  const node = findNode(root, path);
  if (!node || node.kind !== 'folder') return start;
  if (start.path !== '' && node.path !== start.path && !node.path.startsWith(`${start.path}/`)) return start;
  return node;
}

export interface Crumb {
  name: string;
  /** Server path of the folder ('' = root). */
  path: string;
}

/**
 * Breadcrumbs from the start folder down to `folder`: "Dossier › Sous-dossier".
 * The root, when it is the start, is named `rootName` (the torrent's name).
 */
export function breadcrumbs(root: FileNode, folder: FileNode, rootName: string): Crumb[] {
  const start = startFolder(root);
  const crumbs: Crumb[] = [{ name: start.path === '' ? rootName : start.name, path: start.path }];
  if (folder.path === start.path) return crumbs;
  const rest = start.path === '' ? folder.path : folder.path.slice(start.path.length + 1);
  let at = start.path;
  for (const part of rest.split('/')) {
    at = at === '' ? part : `${at}/${part}`;
    crumbs.push({ name: part, path: at });
  }
  return crumbs;
}

/** Server paths of the files under `node` that may be downloaded now, in display order. */
export function downloadablePaths(node: FileNode): string[] {
  if (node.kind === 'file') return node.downloadableCount > 0 ? [node.path] : [];
  return node.children.flatMap(downloadablePaths);
}

/** `path` seen from inside `folder` ("Dossier/Sous/a.mkv" from "Dossier" → "Sous/a.mkv"). */
export function relativePath(path: string, folder: string): string {
  return folder !== '' && path.startsWith(`${folder}/`) ? path.slice(folder.length + 1) : path;
}

/** What the browser shows itself: played (video, audio) or previewed (image). */
export type MediaKind = 'video' | 'audio' | 'image';

const MEDIA: Record<string, MediaKind> = {
  mp4: 'video',
  webm: 'video',
  mkv: 'video',
  m4v: 'video',
  mp3: 'audio',
  m4a: 'audio',
  ogg: 'audio',
  opus: 'audio',
  flac: 'audio',
  wav: 'audio',
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  gif: 'image',
  webp: 'image',
  avif: 'image',
};

/** What a browser may play or show, from the file's extension (case ignored). */
export function mediaKind(name: string): MediaKind | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  return MEDIA[name.slice(dot + 1).toLowerCase()] ?? null;
}

/** A signed link that downloads (as an attachment) instead of playing in the browser. */
export function downloadUrl(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}dl=1`;
}

/** A folder may be fetched as one .zip: zip mode, a real folder, and every file under it ready. */
export function canZip(node: FileNode, downloads: DownloadsInfo): boolean {
  return (
    downloads.available &&
    downloads.zip &&
    node.kind === 'folder' &&
    node.path !== '' &&
    node.fileCount > 0 &&
    node.downloadableCount === node.fileCount
  );
}

/** The search string of the page showing `folder` (other parameters kept; none for the start folder). */
export function folderSearch(current: URLSearchParams, folder: string | null): string {
  const params = new URLSearchParams(current);
  params.delete('dossier');
  if (folder) params.set('dossier', folder);
  // Slashes stay readable in the address bar.
  const search = params.toString().replace(/%2F/gi, '/');
  return search ? `?${search}` : '';
}
