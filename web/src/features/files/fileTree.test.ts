import { describe, expect, it } from 'vitest';
import type { TorrentFile } from '../../api/types';
import { buildFileTree, type FileNode } from './fileTree';

const file = (index: number, path: string, size: number, progress = 0, priority = 1, downloadable = false): TorrentFile => ({
  index,
  path,
  size,
  progress,
  priority,
  downloadable,
});

/** "name size progress" lines, indented by depth, to compare whole trees at once. */
function dump(node: FileNode, depth = 0): string[] {
  return node.children.flatMap((c) => [
    `${'  '.repeat(depth)}${c.kind === 'folder' ? '/' : ''}${c.name} ${c.size} ${Math.round(c.progress * 1000) / 1000}`,
    ...dump(c, depth + 1),
  ]);
}

describe('buildFileTree', () => {
  it('builds nested folders whose sizes and progress sum their children', () => {
    const root = buildFileTree([
      file(0, 'sample-multi/a.bin', 1000, 1),
      file(1, 'sample-multi/sub/b.bin', 2000, 0.5),
      file(2, 'sample-multi/sub/deeper/c.bin', 1000, 0),
      file(3, 'sample-multi/readme.txt', 0, 1),
    ]);
    expect(dump(root)).toEqual([
      '/sample-multi 4000 0.5',
      '  /sub 3000 0.333',
      '    /deeper 1000 0',
      '      c.bin 1000 0',
      '    b.bin 2000 0.5',
      '  a.bin 1000 1',
      '  readme.txt 0 1',
    ]);
    const top = root.children[0]!;
    expect(top.kind).toBe('folder');
    expect(top.path).toBe('sample-multi');
    expect(top.fileCount).toBe(4);
    expect(top.children[0]!.path).toBe('sample-multi/sub');
    expect(top.children[0]!.children[1]).toMatchObject({ kind: 'file', path: 'sample-multi/sub/b.bin', index: 1 });
    expect(root.size).toBe(4000);
  });

  it('weights folder progress by size, not by number of files', () => {
    const root = buildFileTree([file(0, 'd/big', 9000, 1), file(1, 'd/small', 1000, 0)]);
    expect(root.children[0]!.progress).toBeCloseTo(0.9);
  });

  it('sorts folders first, then names in French order with accents and numbers', () => {
    const root = buildFileTree([
      file(0, 'Saison/Épisode 10.mkv', 1),
      file(1, 'Saison/épisode 2.mkv', 1),
      file(2, 'Saison/Été/zèbre.txt', 1),
      file(3, 'Saison/Ecole.txt', 1),
      file(4, 'Saison/eau.txt', 1),
      file(5, 'Saison/Annexes/à lire.txt', 1),
    ]);
    const names = root.children[0]!.children.map((c) => c.name);
    expect(names).toEqual(['Annexes', 'Été', 'eau.txt', 'Ecole.txt', 'épisode 2.mkv', 'Épisode 10.mkv']);
    expect(root.children[0]!.children[1]!.children[0]!.path).toBe('Saison/Été/zèbre.txt');
  });

  it('keeps accented and unusual names intact', () => {
    const root = buildFileTree([file(0, 'Ça « va » ?/crème brûlée #1.txt', 5, 0.2)]);
    expect(root.children[0]!.name).toBe('Ça « va » ?');
    expect(root.children[0]!.children[0]!.name).toBe('crème brûlée #1.txt');
    expect(root.children[0]!.progress).toBeCloseTo(0.2);
  });

  it('handles a single-file torrent and ignores empty path segments', () => {
    const root = buildFileTree([file(0, 'ubuntu.iso', 100, 0.5), file(1, '/x//y.bin', 10), file(2, '', 1)]);
    expect(dump(root)).toEqual(['/x 10 0', '  y.bin 10 0', 'ubuntu.iso 100 0.5']);
  });

  it('marks a folder as not downloaded only when none of its files is', () => {
    const root = buildFileTree([
      file(0, 'a/one', 1, 0, 0),
      file(1, 'a/two', 1, 0, 0),
      file(2, 'b/one', 1, 0, 0),
      file(3, 'b/two', 1, 0, 1),
    ]);
    expect(root.children.map((c) => [c.name, c.priority])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
  });

  it('counts, per folder, the files that may be downloaded and their bytes', () => {
    const root = buildFileTree([
      file(0, 'Série/S01/e01.mkv', 700, 1, 1, true),
      file(1, 'Série/S01/e02.mkv', 800, 0.4, 1, false),
      file(2, 'Série/S02/e01.mkv', 900, 1, 1, true),
      file(3, 'Série/lisez-moi.txt', 10, 1, 1, true),
    ]);
    const top = root.children[0]!;
    expect([top.downloadableCount, top.downloadableSize, top.fileCount]).toEqual([3, 1610, 4]);
    const [s01, s02, readme] = top.children;
    expect([s01!.name, s01!.downloadableCount, s01!.downloadableSize]).toEqual(['S01', 1, 700]);
    expect([s02!.name, s02!.downloadableCount, s02!.fileCount]).toEqual(['S02', 1, 1]);
    expect([readme!.kind, readme!.downloadableCount, readme!.downloadableSize]).toEqual(['file', 1, 10]);
    expect(s01!.children.map((f) => [f.name, f.downloadableCount])).toEqual([
      ['e01.mkv', 1],
      ['e02.mkv', 0],
    ]);
  });

  it('takes a missing `downloadable` (older server) as not downloadable', () => {
    const root = buildFileTree([{ index: 0, path: 'a.iso', size: 5, progress: 1, priority: 1 } as TorrentFile]);
    expect(root.children[0]!.downloadableCount).toBe(0);
    expect(root.downloadableCount).toBe(0);
  });

  it('gives an empty root for an empty list (no metadata yet)', () => {
    const root = buildFileTree([]);
    expect(root.children).toEqual([]);
    expect(root.size).toBe(0);
    expect(root.progress).toBe(0);
  });
});
