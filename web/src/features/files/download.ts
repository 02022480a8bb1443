/**
 * What leaves the page: following a signed link, and saving a file made in memory.
 * Kept in one object so that tests can replace them (jsdom does not navigate).
 */
export const browser = {
  /** Goes to a signed link: an attachment downloads and the page stays. */
  assign(url: string): void {
    window.location.assign(url);
  },

  /** Saves `blob` as `filename` through a temporary object URL. */
  save(blob: Blob, filename: string): void {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.rel = 'noopener';
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    a.remove();
    // Some browsers read the URL after click() returns.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  },
};
