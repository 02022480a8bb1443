import { apiPaths } from '../../api/paths';
import type { QbtStatus, Torrent } from '../../api/types';

/** Server → client frames of `GET /api/ws` (docs/api-torrents.md). */
export type LiveMessage =
  | { type: 'torrents'; full: true; torrents: Torrent[] }
  | { type: 'torrents'; full: false; changed: Torrent[]; removed: string[] }
  | {
      type: 'status';
      qbittorrent: QbtStatus;
      error: string | null;
      /** Active qBittorrent servers not answering (absent from servers with a single qBittorrent). */
      servers_down?: number;
    };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTorrent = (v: unknown): v is Torrent => isObject(v) && typeof v.hash === 'string' && v.hash !== '';
const torrentsOf = (v: unknown): Torrent[] => (Array.isArray(v) ? v.filter(isTorrent) : []);

/** Parses one text frame; null for anything that is not a message this version understands. */
export function parseLiveMessage(data: unknown): LiveMessage | null {
  if (typeof data !== 'string') return null;
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(raw)) return null;
  if (raw.type === 'torrents') {
    if (raw.full === true) return { type: 'torrents', full: true, torrents: torrentsOf(raw.torrents) };
    if (raw.full === false) {
      const removed = Array.isArray(raw.removed) ? raw.removed.filter((h): h is string => typeof h === 'string') : [];
      return { type: 'torrents', full: false, changed: torrentsOf(raw.changed), removed };
    }
    return null;
  }
  if (raw.type === 'status') {
    const q = raw.qbittorrent;
    if (q !== 'ok' && q !== 'down' && q !== 'unconfigured') return null;
    const down = raw.servers_down;
    return {
      type: 'status',
      qbittorrent: q,
      error: typeof raw.error === 'string' ? raw.error : null,
      ...(typeof down === 'number' && Number.isInteger(down) && down >= 0 ? { servers_down: down } : {}),
    };
  }
  return null;
}

/**
 * Whether a torrent belongs in a list: `true`, `false`, or `undefined` when the
 * message cannot tell (e.g. "Mes torrents" and a torrent without owner data).
 */
export type Belongs = (t: Torrent) => boolean | undefined;

/**
 * Applies a message to a torrent list. `belongs` says which torrents are in it
 * (everything for "Tous les torrents", the user's own for "Mes torrents"): a
 * changed torrent that no longer belongs leaves the list. An undecided torrent
 * keeps its place if it has one; one that is not in the list yet is left out and
 * reported through `onUndecided` (the caller then asks the server). Returns the
 * same array when the message is not about torrents.
 */
export function reduceTorrents(
  list: readonly Torrent[],
  msg: LiveMessage | null,
  belongs: Belongs = () => true,
  onUndecided?: (t: Torrent) => void,
): readonly Torrent[] {
  if (!msg || msg.type !== 'torrents') return list;
  if (!msg.full && msg.changed.length === 0 && msg.removed.length === 0) return list;
  const known = new Set(list.map((t) => t.hash));
  const admit = (t: Torrent): boolean => {
    const b = belongs(t);
    if (b === undefined) {
      if (known.has(t.hash)) return true;
      onUndecided?.(t);
      return false;
    }
    return b;
  };
  if (msg.full) return msg.torrents.filter(admit);
  const removed = new Set(msg.removed);
  const changed = new Map(msg.changed.map((t) => [t.hash, t]));
  const out: Torrent[] = [];
  for (const t of list) {
    if (removed.has(t.hash)) continue;
    const next = changed.get(t.hash);
    if (next) {
      changed.delete(t.hash);
      if (admit(next)) out.push(next);
    } else {
      out.push(t);
    }
  }
  for (const t of changed.values()) if (!removed.has(t.hash) && admit(t)) out.push(t);
  return out;
}

/** Reconnection delay after `attempt` failures in a row: 1 s, 2 s, 4 s… at most 30 s. */
export function backoffDelay(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
}

/** `ws://host/api/ws`, or `wss://` on an https page. */
export function liveUrl(loc: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${apiPaths.live}`;
}

/**
 * `connecting`: first attempt; `open`: receiving; `lost`: closed, retrying with backoff;
 * `replaced`: closed by the server with 4001 (the user has too many sockets open and this one
 * was the oldest, or its session ended): not reopened, the pages poll instead.
 */
export type Connection = 'connecting' | 'open' | 'lost' | 'replaced';

/**
 * Close code of the server's policy closes: too many sockets for this user (the oldest is closed),
 * or a session that is no longer valid. Reconnecting would close another tab's socket, which
 * would reconnect in turn, forever.
 */
export const REPLACED_CLOSE = 4001;

export interface LiveSnapshot {
  connection: Connection;
  /** Last `status` message on the current connection (null before one arrives, or when closed). */
  qbittorrent: QbtStatus | null;
  error: string | null;
  /**
   * From the last `status` message: how many active qBittorrent servers do not answer while
   * others do (undefined when the server does not say, or when closed).
   */
  serversDown?: number;
  /**
   * When the values stopped being live (ms): the moment qBittorrent was reported down or the
   * socket closed, after it had been open with qBittorrent reachable. Null while live, and
   * when this tab never had live values.
   */
  liveUntil: number | null;
}

const isLive = (s: Pick<LiveSnapshot, 'connection' | 'qbittorrent'>) => s.connection === 'open' && s.qbittorrent === 'ok';

/** The part of the browser's WebSocket the client uses (tests pass a fake). */
export interface SocketLike {
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  close(code?: number, reason?: string): void;
}

export interface LiveClientOptions {
  url: string;
  onMessage: (msg: LiveMessage) => void;
  /** Frames that are none of the messages above (e.g. `notification`, handled by features/notifications). */
  onOtherFrame?: (data: unknown) => void;
  createSocket?: (url: string) => SocketLike;
}

/**
 * The live connection: opens the socket, hands parsed messages over, and
 * reconnects with backoff when it closes. Its state is readable with
 * `subscribe`/`getSnapshot` (for `useSyncExternalStore`).
 */
export class LiveClient {
  private readonly opts: LiveClientOptions;
  private socket: SocketLike | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private running = false;
  private snapshot: LiveSnapshot = { connection: 'connecting', qbittorrent: null, error: null, liveUntil: null };
  private readonly listeners = new Set<() => void>();

  constructor(opts: LiveClientOptions) {
    this.opts = opts;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    this.clearTimer();
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onopen = s.onmessage = s.onerror = null;
      s.onclose = null;
      s.close(1000);
    }
  }

  /** Reconnects at once instead of waiting (e.g. when the browser comes back online); never after a 4001. */
  retryNow(): void {
    if (!this.running || this.socket || this.snapshot.connection === 'replaced') return;
    this.clearTimer();
    this.connect();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LiveSnapshot => this.snapshot;

  private set(next: Partial<LiveSnapshot>): void {
    const merged = { ...this.snapshot, ...next };
    if (
      merged.connection === this.snapshot.connection &&
      merged.qbittorrent === this.snapshot.qbittorrent &&
      merged.error === this.snapshot.error &&
      merged.serversDown === this.snapshot.serversDown
    ) {
      return;
    }
    if (isLive(merged)) merged.liveUntil = null;
    else if (isLive(this.snapshot)) merged.liveUntil = Date.now();
    this.snapshot = merged;
    for (const l of this.listeners) l();
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private connect(): void {
    this.timer = null;
    let socket: SocketLike;
    try {
      socket = (this.opts.createSocket ?? ((url) => new WebSocket(url)))(this.opts.url);
    } catch {
      this.lost();
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.set({ connection: 'open' });
    socket.onmessage = (ev) => {
      const msg = parseLiveMessage(ev.data);
      if (!msg) {
        this.opts.onOtherFrame?.(ev.data);
        return;
      }
      // Only a connection that delivers resets the backoff (not one closed right after opening).
      this.failures = 0;
      if (msg.type === 'status') this.set({ qbittorrent: msg.qbittorrent, error: msg.error, serversDown: msg.servers_down });
      this.opts.onMessage(msg);
    };
    socket.onerror = () => {
      // A close event follows; nothing to do here.
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (ev?.code === REPLACED_CLOSE) {
        this.clearTimer();
        this.set({ connection: 'replaced', qbittorrent: null, error: null, serversDown: undefined });
        return;
      }
      this.lost();
    };
  }

  private lost(): void {
    this.set({ connection: 'lost', qbittorrent: null, error: null, serversDown: undefined });
    if (!this.running) return;
    const delay = backoffDelay(this.failures);
    this.failures += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }
}
