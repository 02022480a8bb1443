import { useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import { api } from '../../api/endpoints';
import type { FileLinks } from '../../api/types';
import { downloadablePaths, downloadUrl, mediaKind, type MediaKind } from './browse';
import { browser } from './download';
import type { FileNode } from './fileTree';

/** What "Télécharger tout" fetched: the links of every ready file under `folder`. */
export interface LinkSet extends FileLinks {
  folder: FileNode;
  /** The folder's name as the dialog shows it (the torrent's name for the root). */
  folderName: string;
}

export interface Playing {
  name: string;
  url: string;
  kind: MediaKind;
}

/**
 * The link calls behind the buttons: each asks the server for signed links, then follows
 * them (download, .zip), plays them, or lists them. One call at a time per button
 * (`busy` names it); a failure becomes `error`, the server's French message.
 */
export function useFileActions(hash: string) {
  const [busy, setBusy] = useState<ReadonlySet<string>>(() => new Set());
  // The guard against a second click before the first re-render.
  const pending = useRef(new Set<string>());
  const [error, setError] = useState<string | null>(null);
  const [links, setLinks] = useState<LinkSet | null>(null);
  const [playing, setPlaying] = useState<Playing | null>(null);

  async function run<T>(key: string, call: () => Promise<T>, then: (result: T) => void) {
    if (pending.current.has(key)) return;
    pending.current.add(key);
    setError(null);
    setBusy(new Set(pending.current));
    try {
      then(await call());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      pending.current.delete(key);
      setBusy(new Set(pending.current));
    }
  }

  return {
    error,
    clearError: () => setError(null),
    isBusy: (key: string) => busy.has(key),
    links,
    closeLinks: () => setLinks(null),
    playing,
    closePlayer: () => setPlaying(null),

    /** One file, as an attachment. */
    download: (file: FileNode) =>
      run(`download:${file.path}`, () => api.fileLinks(hash, [file.path]), (r) => {
        const link = r.links[0];
        if (link) browser.assign(downloadUrl(link.url));
      }),

    /** One video or audio file, in the player. */
    play: (file: FileNode) =>
      run(`play:${file.path}`, () => api.fileLinks(hash, [file.path]), (r) => {
        const link = r.links[0];
        const kind = mediaKind(file.name);
        if (link && kind) setPlaying({ name: file.name, url: link.url, kind });
      }),

    /** A folder as one .zip (direct mode). */
    zip: (folder: FileNode) => run(`zip:${folder.path}`, () => api.folderZip(hash, folder.path), (r) => browser.assign(r.url)),

    /** Every ready file under `folder`, listed in the links dialog. */
    downloadAll: (folder: FileNode, folderName: string) => {
      const paths = downloadablePaths(folder);
      if (paths.length === 0) return Promise.resolve();
      return run(`all:${folder.path}`, () => api.fileLinks(hash, paths), (r) => setLinks({ ...r, folder, folderName }));
    },
  };
}

export type FileActions = ReturnType<typeof useFileActions>;
