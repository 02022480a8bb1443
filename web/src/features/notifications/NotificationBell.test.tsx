import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { LiveProvider } from '../torrents/LiveProvider';
import type { SocketLike } from '../torrents/live';
import type { AppNotification } from '../../api/types';
import { alice, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';
import { NotificationBell } from './NotificationBell';

class FakeSocket implements SocketLike {
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  constructor(readonly url: string) {}
  open() {
    act(() => this.onopen?.(new Event('open')));
  }
  send(msg: unknown) {
    act(() => this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(msg) })));
  }
  close() {}
}

/** The browser's Notification, as far as the app uses it. */
class FakeNotification {
  static permission: NotificationPermission = 'default';
  static requestPermission = vi.fn(async () => {
    FakeNotification.permission = 'granted';
    return 'granted' as NotificationPermission;
  });
  static created: Array<{ title: string; options?: NotificationOptions }> = [];
  onclick: (() => void) | null = null;
  constructor(title: string, options?: NotificationOptions) {
    FakeNotification.created.push({ title, options });
  }
  close() {}
}

function setVisibility(state: DocumentVisibilityState) {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

beforeEach(() => {
  FakeNotification.permission = 'default';
  FakeNotification.requestPermission.mockClear();
  FakeNotification.created = [];
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  // Back to jsdom's own getter ("visible").
  delete (document as { visibilityState?: unknown }).visibilityState;
});

const NOW = Math.floor(Date.now() / 1000);
const HASH = 'a'.repeat(40);

function note(id: number, over: Partial<AppNotification> = {}): AppNotification {
  return {
    id,
    kind: 'completed',
    torrent_hash: HASH,
    torrent_name: 'ubuntu.iso',
    message: `Message ${id}`,
    created_at: NOW - 120,
    read_at: null,
    ...over,
  };
}

const initial = () => ({
  notifications: [
    note(3, { message: 'Le téléchargement de « ubuntu.iso » est terminé.' }),
    note(2, { kind: 'removed', message: 'Un administrateur a supprimé « debian.iso ».', torrent_hash: 'b'.repeat(40) }),
    note(1, { kind: 'error', message: '« arch.iso » est en erreur.', read_at: NOW - 60, created_at: NOW - 30 * 86400 }),
  ],
  unread: 2,
});

function setup(list: { notifications: AppNotification[]; unread: number } = initial(), readAnswer = 0) {
  const sockets: FakeSocket[] = [];
  document.cookie = 'csrf_token=jeton';
  const fetch = mockFetch((url, init) => {
    const method = init.method ?? 'GET';
    if (url === '/api/notifications?limit=50' && method === 'GET') return jsonResponse(200, list);
    if (url === '/api/notifications/read' && method === 'POST') return jsonResponse(200, { unread: readAnswer });
    if (url === '/api/notifications' && method === 'DELETE') return new Response(null, { status: 204 });
    if (url === '/api/instance') return jsonResponse(200, { site_name: 'essaim', registration_open: true, version: '0.1.0' });
    return jsonResponse(404, { error: { code: 'not_found', message: 'Introuvable.' } });
  });
  const result = renderWithProviders(
    <LiveProvider
      createSocket={(url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      }}
    >
      <NotificationBell />
      <button type="button">Ailleurs</button>
    </LiveProvider>,
    { me: alice },
  );
  const calls = (method: string, path: string) =>
    fetch.mock.calls.filter(([u, init]) => (init?.method ?? 'GET') === method && u === path);
  return { ...result, sockets, fetch, calls };
}

const bell = () => screen.getByTestId('notifications-bell');
const badge = () => screen.queryByTestId('notifications-unread');

async function openPanel() {
  fireEvent.click(bell());
  return screen.findByRole('dialog', { name: 'Notifications' });
}

describe('notification bell', () => {
  it('shows the unread count from GET /api/notifications', async () => {
    setup();
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 2 non lues'));
    expect(badge()?.textContent).toBe('2');
    expect(bell().getAttribute('aria-expanded')).toBe('false');
  });

  it('says "1 non lue", and shows no badge without unread notifications', async () => {
    const { unmount } = setup({ notifications: [note(1)], unread: 1 });
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 1 non lue'));
    unmount();
    setup({ notifications: [], unread: 0 });
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications'));
    expect(badge()).toBeNull();
  });

  it('lists the notifications when opened, marks the unread ones read, and closes with Escape', async () => {
    const { calls } = setup();
    await waitFor(() => expect(badge()?.textContent).toBe('2'));

    const panel = await openPanel();
    expect(bell().getAttribute('aria-expanded')).toBe('true');
    expect(panel.contains(document.activeElement)).toBe(true);

    const items = within(panel).getAllByTestId('notification');
    expect(items.map((li) => li.textContent)).toEqual([
      'Non lue : Le téléchargement de « ubuntu.iso » est terminé.il y a 2 minutes',
      'Non lue : Un administrateur a supprimé « debian.iso ».il y a 2 minutes',
      expect.stringMatching(/^« arch\.iso » est en erreur\.\d+ [a-zéû.]+ \d{4} à \d\d:\d\d$/),
    ]);
    // A link to the torrent, except for one an administrator removed.
    const link = within(items[0]!).getByRole('link', { name: 'Le téléchargement de « ubuntu.iso » est terminé.' });
    expect(link.getAttribute('href')).toBe(`/torrents/${HASH}`);
    expect(within(items[1]!).queryByRole('link')).toBeNull();
    // Read ones are not highlighted; the ones read by opening stay highlighted while it is open.
    expect(items.map((li) => li.getAttribute('data-unread'))).toEqual(['true', 'true', null]);

    await waitFor(() => expect(calls('POST', '/api/notifications/read')).toHaveLength(1));
    const [, init] = calls('POST', '/api/notifications/read')[0]!;
    expect(JSON.parse(String(init!.body))).toEqual({ ids: [3, 2] });
    expect((init!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');
    await waitFor(() => expect(badge()).toBeNull());
    expect(bell().getAttribute('aria-label')).toBe('Notifications');

    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(bell().getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(bell());

    // Opened again: nothing left to mark, nothing highlighted.
    const again = await openPanel();
    expect(within(again).getAllByTestId('notification').map((li) => li.getAttribute('data-unread'))).toEqual([
      null,
      null,
      null,
    ]);
    expect(calls('POST', '/api/notifications/read')).toHaveLength(1);
  });

  it('marks everything read (POST {}) when more are unread than listed', async () => {
    const { calls } = setup({ notifications: [note(60)], unread: 7 });
    await waitFor(() => expect(badge()?.textContent).toBe('7'));
    await openPanel();
    await waitFor(() => expect(calls('POST', '/api/notifications/read')).toHaveLength(1));
    expect(JSON.parse(String(calls('POST', '/api/notifications/read')[0]![1]!.body))).toEqual({});
    await waitFor(() => expect(badge()).toBeNull());
  });

  it('"Tout marquer comme lu" sends POST {}', async () => {
    const { calls, sockets } = setup({ notifications: [note(1, { read_at: NOW })], unread: 0 }, 0);
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications'));
    const panel = await openPanel();
    expect(within(panel).queryByRole('button', { name: 'Tout marquer comme lu' })).toBeNull();

    // One arrives while the panel is open: unread until asked.
    sockets[0]!.open();
    sockets[0]!.send({ type: 'notification', notification: note(2, { message: 'Nouveau' }), unread: 1 });
    await waitFor(() => expect(badge()?.textContent).toBe('1'));
    fireEvent.click(within(panel).getByRole('button', { name: 'Tout marquer comme lu' }));
    await waitFor(() => expect(calls('POST', '/api/notifications/read')).toHaveLength(1));
    expect(JSON.parse(String(calls('POST', '/api/notifications/read')[0]![1]!.body))).toEqual({});
    await waitFor(() => expect(badge()).toBeNull());
  });

  it('clears the notifications after a confirmation (DELETE)', async () => {
    const { calls } = setup();
    const panel = await openPanel();
    await within(panel).findAllByTestId('notification');

    fireEvent.click(within(panel).getByRole('button', { name: 'Effacer' }));
    const question = within(panel).getByRole('group', { name: 'Effacer toutes les notifications ?' });
    expect(document.activeElement).toBe(within(question).getByRole('button', { name: 'Annuler' }));
    fireEvent.click(within(question).getByRole('button', { name: 'Annuler' }));
    expect(calls('DELETE', '/api/notifications')).toHaveLength(0);
    expect(document.activeElement).toBe(within(panel).getByRole('button', { name: 'Effacer' }));

    fireEvent.click(within(panel).getByRole('button', { name: 'Effacer' }));
    fireEvent.click(within(panel).getByRole('button', { name: 'Effacer' }));
    await waitFor(() => expect(calls('DELETE', '/api/notifications')).toHaveLength(1));
    expect((calls('DELETE', '/api/notifications')[0]![1]!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');
    expect(await within(panel).findByText('Aucune notification.')).toBeTruthy();
    expect(within(panel).queryByRole('button', { name: 'Effacer' })).toBeNull();
    expect(badge()).toBeNull();
  });

  it('shows "Aucune notification." when there are none', async () => {
    setup({ notifications: [], unread: 0 });
    const panel = await openPanel();
    expect(await within(panel).findByText('Aucune notification.')).toBeTruthy();
  });
});

const frame = (n: AppNotification, unread: number) => ({ type: 'notification', notification: n, unread });

describe('live notifications', () => {
  it('a WebSocket notification shows a toast, updates the badge and goes on top of the list', async () => {
    const { sockets } = setup();
    await waitFor(() => expect(badge()?.textContent).toBe('2'));
    sockets[0]!.open();
    sockets[0]!.send(frame(note(4, { message: '« fedora.iso » a été arrêté : limite du groupe atteinte.', kind: 'limit_stopped' }), 3));

    const toast = await screen.findByTestId('toast');
    expect(toast.textContent).toContain('« fedora.iso » a été arrêté : limite du groupe atteinte.');
    const region = toast.closest('[role="status"]')!;
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(within(toast).getByRole('link', { name: 'Voir le torrent' }).getAttribute('href')).toBe(`/torrents/${HASH}`);
    expect(badge()?.textContent).toBe('3');
    expect(bell().getAttribute('aria-label')).toBe('Notifications, 3 non lues');

    const panel = await openPanel();
    expect(within(panel).getAllByTestId('notification')[0]!.textContent).toContain('« fedora.iso » a été arrêté');

    fireEvent.click(within(toast).getByRole('button', { name: 'Fermer la notification' }));
    expect(screen.queryByTestId('toast')).toBeNull();
  });

  it('ignores other frames and malformed notifications', async () => {
    const { sockets } = setup();
    await waitFor(() => expect(badge()?.textContent).toBe('2'));
    sockets[0]!.open();
    sockets[0]!.send({ type: 'notification', notification: { id: 'x' }, unread: 9 });
    sockets[0]!.send({ type: 'autre', unread: 9 });
    expect(screen.queryByTestId('toast')).toBeNull();
    expect(badge()?.textContent).toBe('2');
  });

  it('dismisses toasts after 6 s (not while hovered) and shows at most 3', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { sockets } = setup();
    await waitFor(() => expect(badge()?.textContent).toBe('2'));
    sockets[0]!.open();
    for (let id = 10; id < 14; id++) sockets[0]!.send(frame(note(id, { message: `Toast ${id}` }), id));
    const texts = () => screen.queryAllByTestId('toast').map((t) => t.querySelector('p')!.textContent);
    expect(texts()).toEqual(['Toast 11', 'Toast 12', 'Toast 13']);
    await waitFor(() => expect(badge()?.textContent).toBe('13'));

    const region = screen.getByTestId('toasts');
    fireEvent.mouseEnter(region);
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(texts()).toHaveLength(3);
    fireEvent.mouseLeave(region);
    await act(() => vi.advanceTimersByTimeAsync(5_000));
    expect(texts()).toHaveLength(3);
    await act(() => vi.advanceTimersByTimeAsync(1_500));
    expect(texts()).toEqual([]);
  });
});

describe('browser notifications', () => {
  it('asks for the permission only when the button is clicked', async () => {
    vi.stubGlobal('Notification', FakeNotification);
    setup();
    await waitFor(() => expect(badge()?.textContent).toBe('2'));
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();

    const panel = await openPanel();
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
    fireEvent.click(within(panel).getByRole('button', { name: 'Activer les notifications du navigateur' }));
    expect(FakeNotification.requestPermission).toHaveBeenCalledTimes(1);
    expect(await within(panel).findByText(/^Notifications du navigateur activées/)).toBeTruthy();
    expect(within(panel).queryByRole('button', { name: 'Activer les notifications du navigateur' })).toBeNull();
  });

  it('says when they are blocked or not supported', async () => {
    vi.stubGlobal('Notification', FakeNotification);
    FakeNotification.permission = 'denied';
    const first = setup();
    let panel = await openPanel();
    expect(within(panel).getByText(/^Notifications du navigateur bloquées par le navigateur/)).toBeTruthy();
    first.unmount();

    vi.stubGlobal('Notification', undefined);
    setup();
    panel = await openPanel();
    expect(within(panel).getByText(/^Notifications du navigateur non prises en charge/)).toBeTruthy();
    expect(within(panel).queryByRole('button', { name: 'Activer les notifications du navigateur' })).toBeNull();
  });

  it('creates a system notification only when allowed and the tab is hidden', async () => {
    vi.stubGlobal('Notification', FakeNotification);
    FakeNotification.permission = 'granted';
    const { sockets } = setup();
    await waitFor(() => expect(badge()?.textContent).toBe('2'));
    sockets[0]!.open();

    sockets[0]!.send(frame(note(5, { message: 'Visible' }), 3));
    await screen.findByText('Visible');
    expect(FakeNotification.created).toEqual([]);

    setVisibility('hidden');
    sockets[0]!.send(frame(note(6, { message: 'Caché' }), 4));
    await screen.findByText('Caché');
    expect(FakeNotification.created).toEqual([{ title: 'essaim', options: { body: 'Caché', tag: 'essaim-6' } }]);

    // Not allowed: nothing, even hidden.
    FakeNotification.permission = 'default';
    sockets[0]!.send(frame(note(7, { message: 'Refusé' }), 5));
    await screen.findByText('Refusé');
    expect(FakeNotification.created).toHaveLength(1);
  });
});
