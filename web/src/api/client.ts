import i18n from '../i18n';
import type { ErrorBody } from './types';

/** Code used when the server could not be reached at all. */
export const NETWORK_ERROR = 'network_error';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  /** Seconds to wait, from a `Retry-After` header (429). */
  readonly retryAfter?: number;

  constructor(status: number, code: string, message: string, field?: string, retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }

  get isNetwork(): boolean {
    return this.code === NETWORK_ERROR;
  }
}

/** Value of a cookie readable by scripts, or '' when absent. */
export function readCookie(name: string): string {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return part.slice(eq + 1).trim();
      }
    }
  }
  return '';
}

type Listener = () => void;
const expiredListeners = new Set<Listener>();

/** Called when the server answers 401 `unauthenticated` to a call that needed a session. */
export function onSessionExpired(listener: Listener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

export function notifySessionExpired(): void {
  for (const l of expiredListeners) l();
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON, except a `FormData`, sent as multipart (the browser writes its Content-Type and boundary). */
  body?: unknown;
  signal?: AbortSignal;
  /** Do not treat a 401 as an expired session (login, and the initial `GET /api/me`). */
  noSessionRedirect?: boolean;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function localMessage(status: number, code: string, retryAfter?: number): string {
  if (code === 'too_many_attempts' && retryAfter) {
    return i18n.t('errors.tooManyAttempts', { seconds: retryAfter });
  }
  const key = `errors.codes.${code}`;
  if (i18n.exists(key)) return i18n.t(key as 'errors.codes.invalid_credentials');
  return status >= 500 ? i18n.t('errors.server') : i18n.t('errors.unexpected');
}

async function toApiError(res: Response): Promise<ApiError> {
  const retryHeader = res.headers.get('Retry-After');
  const retryAfter = retryHeader && /^\d+$/.test(retryHeader) ? Number(retryHeader) : undefined;
  let body: Partial<ErrorBody> | undefined;
  try {
    body = (await res.json()) as Partial<ErrorBody>;
  } catch {
    body = undefined;
  }
  const err = body?.error;
  if (err && typeof err.code === 'string') {
    const message =
      typeof err.message === 'string' && err.message.trim() !== '' && !(err.code === 'too_many_attempts' && retryAfter)
        ? err.message
        : localMessage(res.status, err.code, retryAfter);
    return new ApiError(res.status, err.code, message, err.field || undefined, retryAfter);
  }
  // No JSON error body: a proxy page, a crash… never show a raw status.
  const code = res.status >= 500 ? 'http_error' : 'unexpected_response';
  return new ApiError(res.status, code, localMessage(res.status, code), undefined, retryAfter);
}

/** Sends the call (CSRF header on mutations, session cookie); throws an ApiError unless it succeeded. */
async function send(path: string, opts: RequestOptions, accept: string): Promise<Response> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { Accept: accept };
  const multipart = opts.body instanceof FormData;
  if (opts.body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
  if (MUTATING.has(method)) {
    const csrf = readCookie('csrf_token');
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : multipart ? (opts.body as FormData) : JSON.stringify(opts.body),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, NETWORK_ERROR, i18n.t('errors.network'));
  }

  if (!res.ok) {
    const error = await toApiError(res);
    if (error.status === 401 && error.code === 'unauthenticated' && !opts.noSessionRedirect) {
      notifySessionExpired();
    }
    throw error;
  }
  return res;
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(path, opts, 'application/json');
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(res.status, 'unexpected_response', i18n.t('errors.unexpected'));
  }
}

/**
 * The file name a `Content-Disposition` header gives (`filename*=UTF-8''…` first, then
 * `filename="…"`), without any folder part; null when there is none.
 */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  let name: string | null = null;
  const star = /filename\*\s*=\s*([^;]+)/i.exec(header);
  if (star) {
    const value = star[1]!.trim().replace(/^"(.*)"$/, '$1');
    const quote = value.indexOf("''");
    try {
      name = decodeURIComponent(quote >= 0 ? value.slice(quote + 2) : value);
    } catch {
      name = null;
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
    if (plain) name = (plain[1] ?? plain[2] ?? '').replace(/\\(.)/g, '$1').trim();
  }
  name = name?.split(/[\\/]/).pop()?.trim() ?? null;
  return name || null;
}

/** A download that is not JSON (a Metalink, a list of addresses): its body and its file name. */
export interface BlobDownload {
  blob: Blob;
  /** From `Content-Disposition`; null when the server gave none. */
  filename: string | null;
}

/** Like `request`, for answers that are files: same headers, cookies and errors. */
export async function requestBlob(path: string, opts: RequestOptions = {}): Promise<BlobDownload> {
  const res = await send(path, opts, '*/*');
  return { blob: await res.blob(), filename: filenameFromDisposition(res.headers.get('Content-Disposition')) };
}

/**
 * The French fallback for an error code of a per-item result (`{ ok: false, error }`) that came
 * without a message: `errors.codes.<code>`, else "unexpected".
 */
export function codeMessage(code: string): string {
  const key = `errors.codes.${code}`;
  return i18n.exists(key) ? i18n.t(key as 'errors.codes.invalid_credentials') : i18n.t('errors.unexpected');
}

/** A French message for anything caught while talking to the server. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return i18n.t('errors.unexpected');
}
