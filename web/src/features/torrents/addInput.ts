/** Limits of `POST /api/torrents` (docs/api-torrents.md). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;
/** Room left in a request for the multipart headers. */
const BATCH_BYTES = MAX_REQUEST_BYTES - 512 * 1024;

/** One entry per non-blank line, trimmed, without repeats. */
export function splitLines(text: string): string[] {
  const seen = new Set<string>();
  for (const line of text.split(/\r\n|\r|\n/)) {
    const s = line.trim();
    if (s !== '') seen.add(s);
  }
  return [...seen];
}

export function isTorrentFileName(name: string): boolean {
  return /\.torrent$/i.test(name);
}

/** Groups files into requests that stay under the server's request limit. */
export function batchFiles<F extends { size: number }>(files: readonly F[]): F[][] {
  const batches: F[][] = [];
  let current: F[] = [];
  let bytes = 0;
  for (const f of files) {
    if (current.length > 0 && bytes + f.size > BATCH_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(f);
    bytes += f.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Same file chosen twice (name, size and date). */
export function sameFile(a: File, b: File): boolean {
  return a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;
}
