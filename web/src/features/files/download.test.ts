import { afterEach, describe, expect, it, vi } from 'vitest';
import { browser } from './download';

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('browser.save', () => {
  it('downloads a blob under its name through an object URL, freed afterwards', () => {
    vi.useFakeTimers();
    const create = vi.fn(() => 'blob:essaim/1');
    const revoke = vi.fn();
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: revoke });
    let clicked: HTMLAnchorElement | null = null;
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked = this;
    });
    const blob = new Blob(['<metalink/>'], { type: 'application/metalink4+xml' });

    browser.save(blob, 'Ma série.meta4');

    expect(create).toHaveBeenCalledWith(blob);
    expect(clicked!.getAttribute('href')).toBe('blob:essaim/1');
    expect(clicked!.download).toBe('Ma série.meta4');
    expect(clicked!.isConnected).toBe(false);
    expect(revoke).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(revoke).toHaveBeenCalledWith('blob:essaim/1');
  });
});
