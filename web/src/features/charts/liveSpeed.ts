import { useSyncExternalStore } from 'react';
import { parseSpeedFrame, type SpeedSample } from './series';

/**
 * The `speed` frames of the WebSocket (one a second, only to users allowed to see
 * charts). LiveProvider hands every frame it does not handle itself to
 * `receiveSpeedFrame`; charts subscribe here. One store per tab (module state).
 */

type Listener = (sample: SpeedSample) => void;

const listeners = new Set<Listener>();
let latest: { sample: SpeedSample; receivedAt: number } | null = null;
const snapshotListeners = new Set<() => void>();

/** Handles a frame if it is a `speed` one (returns whether it was). */
export function receiveSpeedFrame(data: unknown): boolean {
  const sample = parseSpeedFrame(data);
  if (!sample) return false;
  publishSpeed(sample);
  return true;
}

/** Hands a sample to the charts (also used by tests). */
export function publishSpeed(sample: SpeedSample): void {
  latest = { sample, receivedAt: Date.now() };
  for (const l of listeners) l(sample);
  for (const l of snapshotListeners) l();
}

/** Calls `listener` with each live sample; returns the unsubscribe function. */
export function subscribeSpeed(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** A live sample is "current" for this long (then the page falls back on what the server last said). */
export const LIVE_FRESH_MS = 5_000;

/** The newest live sample if it arrived less than `LIVE_FRESH_MS` ago. */
export function freshSpeed(now = Date.now()): SpeedSample | null {
  return latest && now - latest.receivedAt < LIVE_FRESH_MS ? latest.sample : null;
}

/** For tests: forgets the last sample. */
export function resetLiveSpeed(): void {
  latest = null;
}

const subscribeSnapshot = (l: () => void) => {
  snapshotListeners.add(l);
  return () => {
    snapshotListeners.delete(l);
  };
};
const getLatest = () => latest?.sample ?? null;

/** The newest live sample, re-rendering on each one (null before the first). */
export function useLatestSpeed(): SpeedSample | null {
  return useSyncExternalStore(subscribeSnapshot, getLatest, () => null);
}
