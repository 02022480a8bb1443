import { describe, expect, it } from 'vitest';
import type { DownloadsInfo, TorrentFile } from '../../api/types';
import {
  breadcrumbs,
  canZip,
  downloadablePaths,
  downloadUrl,
  findNode,
  folderSearch,
  isSingleFile,
  mediaKind,
  relativePath,
  resolveFolder,
  startFolder,
} from './browse';
import { buildFileTree } from './fileTree';

const file = (index: number, path: string, progress = 1, downloadable = progress >= 1): TorrentFile => ({
  index,
  path,
  size: 100 * (index + 1),
  progress,
  priority: 1,
  downloadable,
});

const series = buildFileTree([
  file(0, 'Série/Saison 1/épisode 01.mkv'),
  file(1, 'Série/Saison 1/épisode 02.mkv', 0.42),
  file(2, 'Série/Saison 2/épisode 01.mkv'),
  file(3, 'Série/Saison 2/Bonus/making-of.mp4'),
  file(4, 'Série/lisez-moi.txt'),
]);

const on: DownloadsInfo = { available: true, reason: null, direct: true, zip: true, ttl: 21600 };

describe('findNode and startFolder', () => {
  it('finds folders and files by their server path', () => {
    expect(findNode(series, '')).toBe(series);
    expect(findNode(series, 'Série/Saison 2/Bonus')?.kind).toBe('folder');
    expect(findNode(series, 'Série/Saison 1/épisode 02.mkv')?.progress).toBeCloseTo(0.42);
    expect(findNode(series, 'Série/Saison 3')).toBeNull();
    expect(findNode(series, 'Saison 1')).toBeNull();
  });

  it("starts in the torrent's own top folder, or at the root when there is none", () => {
    expect(startFolder(series).path).toBe('Série');
    const loose = buildFileTree([file(0, 'a.txt'), file(1, 'b/c.txt')]);
    expect(startFolder(loose)).toBe(loose);
    const single = buildFileTree([file(0, 'ubuntu.iso')]);
    expect(startFolder(single)).toBe(single);
    expect(isSingleFile(single)).toBe(true);
    expect(isSingleFile(series)).toBe(false);
    expect(isSingleFile(buildFileTree([file(0, 'seul/dans/un/dossier.iso')]))).toBe(false);
  });
});

describe('resolveFolder', () => {
  it('opens the folder asked for, ignoring stray slashes', () => {
    expect(resolveFolder(series, 'Série/Saison 2').path).toBe('Série/Saison 2');
    expect(resolveFolder(series, '/Série/Saison 2/Bonus/').path).toBe('Série/Saison 2/Bonus');
  });

  it('falls back to the start folder for nothing, a file, an unknown folder or the root above it', () => {
    for (const asked of [null, '', 'Série/lisez-moi.txt', 'Série/Saison 9', 'ailleurs']) {
      expect(resolveFolder(series, asked).path).toBe('Série');
    }
  });
});

describe('breadcrumbs', () => {
  it('goes from the top folder down to the current one', () => {
    const folder = resolveFolder(series, 'Série/Saison 2/Bonus');
    expect(breadcrumbs(series, folder, 'Ma série')).toEqual([
      { name: 'Série', path: 'Série' },
      { name: 'Saison 2', path: 'Série/Saison 2' },
      { name: 'Bonus', path: 'Série/Saison 2/Bonus' },
    ]);
    expect(breadcrumbs(series, startFolder(series), 'Ma série')).toEqual([{ name: 'Série', path: 'Série' }]);
  });

  it("names the root after the torrent when it has no top folder", () => {
    const loose = buildFileTree([file(0, 'a.txt'), file(1, 'b/c/d.txt')]);
    expect(breadcrumbs(loose, resolveFolder(loose, 'b/c'), 'Mon torrent')).toEqual([
      { name: 'Mon torrent', path: '' },
      { name: 'b', path: 'b' },
      { name: 'c', path: 'b/c' },
    ]);
  });
});

describe('downloadablePaths', () => {
  it('lists the complete files below a folder, in display order, with their exact paths', () => {
    expect(downloadablePaths(startFolder(series))).toEqual([
      'Série/Saison 1/épisode 01.mkv',
      'Série/Saison 2/Bonus/making-of.mp4',
      'Série/Saison 2/épisode 01.mkv',
      'Série/lisez-moi.txt',
    ]);
    expect(downloadablePaths(findNode(series, 'Série/Saison 1')!)).toEqual(['Série/Saison 1/épisode 01.mkv']);
    expect(downloadablePaths(findNode(series, 'Série/Saison 1/épisode 02.mkv')!)).toEqual([]);
  });
});

describe('canZip', () => {
  it('needs zip mode and every file of a real folder ready', () => {
    expect(canZip(findNode(series, 'Série/Saison 2')!, on)).toBe(true);
    expect(canZip(findNode(series, 'Série/Saison 1')!, on)).toBe(false);
    expect(canZip(findNode(series, 'Série')!, on)).toBe(false);
    expect(canZip(findNode(series, 'Série/Saison 2')!, { ...on, zip: false, direct: false })).toBe(false);
    expect(canZip(findNode(series, 'Série/Saison 2')!, { ...on, available: false, reason: 'forbidden' })).toBe(false);
    expect(canZip(findNode(series, 'Série/lisez-moi.txt')!, on)).toBe(false);
    const loose = buildFileTree([file(0, 'a.txt'), file(1, 'b/c.txt')]);
    expect(canZip(loose, on)).toBe(false);
  });
});

describe('mediaKind', () => {
  it.each([
    ['film.mp4', 'video'],
    ['film.WEBM', 'video'],
    ['épisode 01.mkv', 'video'],
    ['clip.m4v', 'video'],
    ['titre.mp3', 'audio'],
    ['titre.m4a', 'audio'],
    ['titre.ogg', 'audio'],
    ['titre.opus', 'audio'],
    ['album.FLAC', 'audio'],
    ['son.wav', 'audio'],
    ['photo.jpg', 'image'],
    ['PHOTO.JPEG', 'image'],
    ['affiche.png', 'image'],
    ['anim.gif', 'image'],
    ['image.webp', 'image'],
    ['image.avif', 'image'],
    ['dessin.svg', null],
    ['lisez-moi.txt', null],
    ['archive.mkv.part', null],
    ['.mkv', null],
    ['sans-extension', null],
  ])('%s → %s', (name, kind) => {
    expect(mediaKind(name)).toBe(kind);
  });
});

describe('links and addresses', () => {
  it('forces a download with dl=1', () => {
    expect(downloadUrl('https://dl.exemple.fr/f/a.mkv?md5=abc&expires=1795700000')).toBe(
      'https://dl.exemple.fr/f/a.mkv?md5=abc&expires=1795700000&dl=1',
    );
    expect(downloadUrl('https://dl.exemple.fr/f/a.mkv')).toBe('https://dl.exemple.fr/f/a.mkv?dl=1');
  });

  it('shows paths from inside the folder', () => {
    expect(relativePath('Série/Saison 1/e.mkv', 'Série')).toBe('Saison 1/e.mkv');
    expect(relativePath('Série/Saison 1/e.mkv', '')).toBe('Série/Saison 1/e.mkv');
    expect(relativePath('Autre/e.mkv', 'Série')).toBe('Autre/e.mkv');
  });

  it('puts the folder in the address, readable, keeping other parameters', () => {
    expect(folderSearch(new URLSearchParams(''), 'Série/Saison 1')).toBe('?dossier=S%C3%A9rie/Saison+1');
    expect(new URLSearchParams(folderSearch(new URLSearchParams(''), 'Série/Saison 1')).get('dossier')).toBe(
      'Série/Saison 1',
    );
    expect(folderSearch(new URLSearchParams('dossier=x&vue=1'), null)).toBe('?vue=1');
    expect(folderSearch(new URLSearchParams('dossier=x'), null)).toBe('');
  });
});
