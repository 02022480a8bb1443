import type { NotificationKind } from '../../api/types';

export interface Toast {
  id: number;
  message: string;
  /** Picks the icon; none for a plain message. */
  kind?: NotificationKind;
  /** A page the toast links to (e.g. `/torrents/<hash>`). */
  to?: string;
}

export type ToastInput = Omit<Toast, 'id'>;

/** How long a toast stays, in milliseconds (not counting pauses). */
export const TOAST_DURATION = 6000;
/** At most this many toasts at once: a new one pushes the oldest out. */
export const TOAST_MAX = 3;

interface Timer {
  /** Milliseconds left when it last (re)started. */
  remaining: number;
  startedAt: number;
  handle: ReturnType<typeof setTimeout> | null;
}

/**
 * The toasts on screen, readable with `subscribe`/`getSnapshot` (for
 * `useSyncExternalStore`). Each one leaves after `duration` ms; the countdown
 * stops while something pauses it (pointer over the toasts, keyboard focus in
 * them, tab hidden) and resumes with the time it had left.
 */
export class ToastStore {
  private toasts: readonly Toast[] = [];
  private readonly timers = new Map<number, Timer>();
  private readonly pausedBy = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private nextId = 1;

  constructor(
    private readonly duration = TOAST_DURATION,
    private readonly max = TOAST_MAX,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): readonly Toast[] => this.toasts;

  /** Shows a toast; returns its id. */
  show(input: ToastInput): number {
    const id = this.nextId++;
    let next = [...this.toasts, { ...input, id }];
    while (next.length > this.max) {
      const [oldest, ...rest] = next;
      this.stopTimer(oldest!.id);
      this.timers.delete(oldest!.id);
      next = rest;
    }
    this.timers.set(id, { remaining: this.duration, startedAt: 0, handle: null });
    if (this.pausedBy.size === 0) this.startTimer(id);
    this.update(next);
    return id;
  }

  dismiss = (id: number): void => {
    if (!this.toasts.some((t) => t.id === id)) return;
    this.stopTimer(id);
    this.timers.delete(id);
    this.update(this.toasts.filter((t) => t.id !== id));
  };

  /** Stops every countdown until `resume(reason)` (reasons add up: all must resume). */
  pause(reason: string): void {
    if (this.pausedBy.has(reason)) return;
    this.pausedBy.add(reason);
    if (this.pausedBy.size > 1) return;
    const now = Date.now();
    for (const [id, timer] of this.timers) {
      if (timer.handle === null) continue;
      this.stopTimer(id);
      timer.remaining = Math.max(0, timer.remaining - (now - timer.startedAt));
    }
  }

  resume(reason: string): void {
    if (!this.pausedBy.delete(reason) || this.pausedBy.size > 0) return;
    for (const id of this.timers.keys()) this.startTimer(id);
  }

  /** Removes everything and stops the timers (the provider unmounts). */
  clear(): void {
    for (const id of this.timers.keys()) this.stopTimer(id);
    this.timers.clear();
    this.pausedBy.clear();
    this.update([]);
  }

  private startTimer(id: number): void {
    const timer = this.timers.get(id);
    if (!timer || timer.handle !== null) return;
    timer.startedAt = Date.now();
    timer.handle = setTimeout(() => this.dismiss(id), timer.remaining);
  }

  private stopTimer(id: number): void {
    const timer = this.timers.get(id);
    if (!timer || timer.handle === null) return;
    clearTimeout(timer.handle);
    timer.handle = null;
  }

  private update(next: readonly Toast[]): void {
    if (next === this.toasts || (next.length === 0 && this.toasts.length === 0)) return;
    this.toasts = next;
    for (const l of this.listeners) l();
  }
}
