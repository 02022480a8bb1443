import i18n from '../../../i18n';
import type { AdminServer, ServerInput, ServerLink, ServerState } from '../../../api/types';

/** The id of the "Serveurs qBittorrent" heading in Réglages (the journal links to it). */
export const SERVERS_ANCHOR = 'reglages-serveurs';

/** Server 1: the one of the "qBittorrent" and "Téléchargements" sections; it cannot be deleted. */
export const DEFAULT_SERVER_ID = 1;

export const SERVER_STATES: readonly ServerState[] = ['active', 'draining', 'disabled'];

/** The longest name the server accepts (in characters). */
export const NAME_MAX = 60;

/** "Actif", "En vidange", "Désactivé" (a state of a newer server: as sent). */
export function serverStateLabel(state: ServerState | string): string {
  return (SERVER_STATES as readonly string[]).includes(state) ? i18n.t(`adminServers.states.${state as ServerState}`) : state;
}

const LINKS: readonly ServerLink[] = ['ok', 'down', 'unconfigured', 'disabled'];

/** "Connecté", "Injoignable", "Non configuré", "Désactivé". */
export function serverLinkLabel(link: ServerLink | string): string {
  return (LINKS as readonly string[]).includes(link) ? i18n.t(`adminServers.links.${link as ServerLink}`) : link;
}

/** The colour of a link's dot: green when connected, red when unreachable, grey otherwise. */
export function linkTone(link: ServerLink | string): 'ok' | 'bad' | 'neutral' {
  return link === 'ok' ? 'ok' : link === 'down' ? 'bad' : 'neutral';
}

/**
 * Why "Supprimer" is not available for this server (server 1, or one still holding torrents),
 * in French; null when it may be deleted.
 */
export function deleteBlockedReason(s: Pick<AdminServer, 'id' | 'torrents'>): string | null {
  if (s.id === DEFAULT_SERVER_ID) return i18n.t('adminServers.actions.deleteDefault');
  if (s.torrents > 0) return i18n.t('adminServers.actions.deleteNotEmpty', { count: s.torrents });
  return null;
}

/** What the add/edit form holds (every field as typed). */
export interface ServerForm {
  name: string;
  url: string;
  username: string;
  /** '' = keep the stored one (never prefilled). */
  password: string;
  download_root: string;
  download_base_url: string;
  state: ServerState;
}

export const EMPTY_SERVER_FORM: ServerForm = {
  name: '',
  url: '',
  username: '',
  password: '',
  download_root: '',
  download_base_url: '',
  state: 'active',
};

export function serverToForm(s: AdminServer): ServerForm {
  return {
    name: s.name,
    url: s.url,
    username: s.username,
    password: '',
    download_root: s.download_root,
    download_base_url: s.download_base_url,
    state: s.state,
  };
}

/** The fields of the form the server's errors may name (in the order the form shows them). */
export const SERVER_FIELDS = ['name', 'url', 'username', 'password', 'download_root', 'download_base_url'] as const;
export type ServerField = (typeof SERVER_FIELDS)[number];

/** The form's own checks: a French message per field that is wrong. */
export function validateServerForm(f: ServerForm): Partial<Record<ServerField, string>> {
  const errors: Partial<Record<ServerField, string>> = {};
  const name = f.name.trim();
  if (name === '') errors.name = i18n.t('adminServers.form.nameRequired');
  else if ([...name].length > NAME_MAX) errors.name = i18n.t('adminServers.form.nameTooLong');
  if (f.url.trim() === '') errors.url = i18n.t('adminServers.form.urlRequired');
  return errors;
}

/**
 * What `POST`/`PATCH /api/admin/servers` get: text trimmed (the user name and the password as
 * typed), the password only when one was typed (absent = the stored one is kept).
 */
export function formToInput(f: ServerForm): ServerInput {
  return {
    name: f.name.trim(),
    url: f.url.trim(),
    username: f.username,
    ...(f.password !== '' ? { password: f.password } : {}),
    download_root: f.download_root.trim(),
    download_base_url: f.download_base_url.trim(),
    state: f.state,
  };
}

/**
 * The field of the form a refusal is about, from the server's `field` or else its code
 * (`name_taken`…); undefined when it is about none (the message then goes at the top).
 */
export function fieldOfError(code: string, field?: string): ServerField | undefined {
  if (field) return (SERVER_FIELDS as readonly string[]).includes(field) ? (field as ServerField) : undefined;
  if (code === 'invalid_name' || code === 'name_taken') return 'name';
  if (code === 'invalid_url') return 'url';
  return undefined;
}
