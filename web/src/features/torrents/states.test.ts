import { describe, expect, it } from 'vitest';
import { makeTorrent } from '../../test/torrents';
import {
  TORRENT_STATES,
  canPause,
  canResume,
  effectiveState,
  stateLabel,
  stateTone,
  trackerStatusLabel,
} from './states';
import { canSeeAll, mayAdd, mayAddFiles, mayAddMagnets, mayDelete, mayDeleteData, mayPause } from './permissions';

describe('state labels', () => {
  it.each([
    ['metadata', 'Métadonnées'],
    ['downloading', 'Téléchargement'],
    ['stalled', 'En attente de sources'],
    ['seeding', 'Partage'],
    ['paused', 'En pause'],
    ['completed', 'Terminé'],
    ['queued', "En file d'attente"],
    ['checking', 'Vérification'],
    ['moving', 'Déplacement'],
    ['error', 'Erreur'],
    ['removed', 'Supprimé'],
  ])('%s → %s', (state, label) => {
    expect(stateLabel(state)).toBe(label);
  });

  it('covers every state, each with a colour', () => {
    expect(TORRENT_STATES).toHaveLength(11);
    for (const s of TORRENT_STATES) {
      expect(stateLabel(s)).not.toMatch(/^torrents\./);
      expect(stateTone(s)).toBeTruthy();
    }
  });

  it('says "État inconnu" for a state it does not know, never the raw key', () => {
    expect(stateLabel('frobnicating')).toBe('État inconnu');
    expect(stateTone('frobnicating')).toBe('stone');
  });

  it('shows a torrent qBittorrent no longer has as Supprimé whatever its last state', () => {
    expect(effectiveState(makeTorrent({ state: 'seeding', removed: true }))).toBe('removed');
    expect(effectiveState(makeTorrent({ state: 'seeding' }))).toBe('seeding');
  });
});

describe('pause or resume', () => {
  it.each([
    ['downloading', true, false],
    ['seeding', true, false],
    ['stalled', true, false],
    ['metadata', true, false],
    ['queued', true, false],
    ['checking', true, false],
    ['paused', false, true],
    ['completed', false, true],
    ['error', false, true],
    ['removed', false, false],
  ] as const)('%s: pause %s, resume %s', (state, pause, resume) => {
    const t = makeTorrent({ state, removed: state === 'removed' });
    expect(canPause(t)).toBe(pause);
    expect(canResume(t)).toBe(resume);
  });
});

describe('tracker statuses', () => {
  it.each([
    ['working', 'Fonctionne'],
    ['not_working', 'Ne fonctionne pas'],
    ['updating', 'Mise à jour'],
    ['not_contacted', 'Non contacté'],
    ['disabled', 'Désactivé'],
    ['bizarre', 'État inconnu'],
  ])('%s → %s', (status, label) => {
    expect(trackerStatusLabel(status)).toBe(label);
  });
});

describe('permissions', () => {
  const user = (...permissions: string[]) => ({ role: 'user' as const, permissions });

  it('needs see_all or the admin role for Tous les torrents', () => {
    expect(canSeeAll(user('see_all'))).toBe(true);
    expect(canSeeAll({ role: 'admin', permissions: [] })).toBe(true);
    expect(canSeeAll(user('add_torrents'))).toBe(false);
    expect(canSeeAll(null)).toBe(false);
  });

  it('follows the server: add_torrents plus the kind, pause_own, delete_own(_data) or act_all', () => {
    expect(mayAddMagnets(user('add_torrents', 'add_magnets'))).toBe(true);
    expect(mayAddMagnets(user('add_magnets'))).toBe(false);
    expect(mayAddFiles(user('add_torrents', 'add_magnets'))).toBe(false);
    expect(mayAddFiles(user('add_torrents', 'add_torrent_files'))).toBe(true);
    expect(mayPause(user('pause_own'))).toBe(true);
    expect(mayPause(user('act_all'))).toBe(true);
    expect(mayPause(user('delete_own'))).toBe(false);
    expect(mayDelete(user('delete_own'))).toBe(true);
    expect(mayDeleteData(user('delete_own'))).toBe(false);
    expect(mayDeleteData(user('act_all'))).toBe(true);
    expect(mayDeleteData({ role: 'admin', permissions: [] })).toBe(true);
    expect(mayAdd(user())).toBe(false);
  });

  it('shows everything while the user is not known yet (the server decides)', () => {
    expect(mayAdd(undefined)).toBe(true);
    expect(mayDeleteData(null)).toBe(true);
  });
});
