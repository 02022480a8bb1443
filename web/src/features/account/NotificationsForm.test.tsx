import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AccountPage } from './AccountPage';
import { DELIVERIES_POLL_MS, type Delivery } from './api';
import { isWebhookUrl } from './NotificationsForm';
import { alice, errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';
import type { User } from '../../api/types';
import { formatDate } from '../../lib/format';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const withEmail: User = { ...alice, email: 'alice@example.org', notify_email: false, webhook_url: null };

function delivery(overrides: Partial<Delivery> = {}): Delivery {
  return {
    id: 1,
    channel: 'email',
    target: 'alice@example.org',
    status: 'sent',
    attempts: 1,
    last_error: null,
    updated_at: 1_795_700_000,
    notification: {
      id: 10,
      kind: 'completed',
      torrent_hash: 'a'.repeat(40),
      torrent_name: 'Big Buck Bunny',
      message: '« Big Buck Bunny » est entièrement téléchargé.',
      created_at: 1_795_699_990,
      read_at: null,
    },
    ...overrides,
  };
}

interface Answers {
  patch?: (body: Record<string, unknown>) => Response;
  deliveries?: () => Response;
}

function serve(me: User, answers: Answers = {}) {
  return mockFetch((url, init) => {
    const method = init.method ?? 'GET';
    if (url === '/api/me' && method === 'PATCH') {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      return answers.patch?.(body) ?? jsonResponse(200, { ...me, ...body });
    }
    if (url === '/api/me') return jsonResponse(200, me);
    if (url === '/api/me/deliveries') return answers.deliveries?.() ?? jsonResponse(200, { deliveries: [] });
    return errorResponse(404, 'not_found', 'Introuvable.');
  });
}

function renderPage(me: User) {
  return renderWithProviders(<AccountPage />, { route: '/compte', me });
}

const card = () => screen.getByRole('region', { name: 'Notifications' });
const emailBox = () => screen.getByLabelText('Recevoir un e-mail quand un torrent est terminé') as HTMLInputElement;
const webhook = () => screen.getByLabelText(/^Adresse du webhook/) as HTMLInputElement;
const save = () => fireEvent.click(within(card()).getByRole('button', { name: 'Enregistrer' }));

function patches(fetch: ReturnType<typeof serve>) {
  return fetch.mock.calls
    .filter(([url, init]) => url === '/api/me' && init?.method === 'PATCH')
    .map(([, init]) => JSON.parse(String(init!.body)));
}

function errorOf(el: HTMLElement): string | null {
  if (el.getAttribute('aria-invalid') !== 'true') return null;
  const ids = (el.getAttribute('aria-describedby') ?? '').split(' ');
  return ids.map((id) => document.getElementById(id)).find((n) => n?.id.endsWith('-error'))?.textContent ?? null;
}

function describedBy(el: HTMLElement): string {
  return (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

describe('Notifications (Mon compte)', () => {
  it('cannot turn e-mails on without an address, and says why', async () => {
    const fetch = serve({ ...alice, email: null, notify_email: false, webhook_url: null });
    renderPage({ ...alice, email: null, notify_email: false, webhook_url: null });
    const box = emailBox();
    expect(box.disabled).toBe(true);
    expect(box.checked).toBe(false);
    expect(describedBy(box)).toContain('Indisponible sans adresse e-mail');
    expect(describedBy(webhook())).toContain('au format Gotify');

    fireEvent.click(box);
    expect(box.checked).toBe(false);

    save();
    await waitFor(() => expect(patches(fetch)).toHaveLength(1));
    expect(patches(fetch)[0]).toEqual({ notify_email: false, webhook_url: null });
    expect(await within(card()).findByText('Vos préférences de notification ont été enregistrées.')).toBeTruthy();
  });

  it('saves the e-mail choice and the webhook, then shows what the server kept', async () => {
    const fetch = serve(withEmail);
    const { client } = renderPage(withEmail);
    const box = emailBox();
    expect(box.disabled).toBe(false);
    expect(describedBy(box)).toContain('Envoyé à alice@example.org.');

    fireEvent.click(box);
    fireEvent.change(webhook(), { target: { value: '  https://gotify.example/message?token=abc ' } });
    save();

    const ok = await within(card()).findByText('Vos préférences de notification ont été enregistrées.');
    expect(ok.closest('[role="status"]')).toBeTruthy();
    const [body] = patches(fetch);
    expect(body).toEqual({ notify_email: true, webhook_url: 'https://gotify.example/message?token=abc' });
    expect(emailBox().checked).toBe(true);
    expect(webhook().value).toBe('https://gotify.example/message?token=abc');
    expect(client.getQueryData<User>(['me'])?.notify_email).toBe(true);

    // Emptying the address removes the webhook.
    fireEvent.change(webhook(), { target: { value: '' } });
    save();
    await waitFor(() => expect(patches(fetch)).toHaveLength(2));
    expect(patches(fetch)[1]).toEqual({ notify_email: true, webhook_url: null });
  });

  it("puts the server's 422 webhook error at the field", async () => {
    serve(withEmail, {
      patch: () =>
        errorResponse(422, 'invalid_url', "Cette adresse de webhook n'est pas valide.", 'webhook_url'),
    });
    renderPage(withEmail);
    fireEvent.change(webhook(), { target: { value: 'https://exemple.invalid/hook' } });
    save();
    await waitFor(() => expect(errorOf(webhook())).toBe("Cette adresse de webhook n'est pas valide."));
    expect(document.activeElement).toBe(webhook());
    expect(within(card()).queryByText('Vos préférences de notification ont été enregistrées.')).toBeNull();
  });

  it('puts email_required next to the checkbox', async () => {
    serve(withEmail, {
      patch: () =>
        errorResponse(422, 'email_required', "Les notifications par e-mail demandent une adresse e-mail.", 'notify_email'),
    });
    renderPage(withEmail);
    fireEvent.click(emailBox());
    save();
    await waitFor(() => expect(errorOf(emailBox())).toBe('Les notifications par e-mail demandent une adresse e-mail.'));
  });

  it('refuses an address that is not http(s) without calling the server', () => {
    const fetch = serve(withEmail);
    renderPage(withEmail);
    fireEvent.change(webhook(), { target: { value: 'ftp://exemple.org/hook' } });
    save();
    expect(errorOf(webhook())).toBe('Saisissez une adresse commençant par http:// ou https://.');
    expect(document.activeElement).toBe(webhook());
    expect(patches(fetch)).toHaveLength(0);
  });
});

describe('Derniers envois', () => {
  it('says when nothing was sent yet', async () => {
    serve(withEmail);
    renderPage(withEmail);
    expect(await within(card()).findByText("Aucun envoi pour l'instant.")).toBeTruthy();
  });

  it('lists the deliveries with their state, a failure with its error, in French', async () => {
    serve(withEmail, {
      deliveries: () =>
        jsonResponse(200, {
          deliveries: [
            delivery({
              id: 3,
              channel: 'webhook',
              target: 'https://gotify.example/message?token=abc',
              status: 'failed',
              attempts: 5,
              last_error: 'Le webhook a répondu HTTP 500.',
              updated_at: 1_795_700_300,
            }),
            delivery({ id: 2, status: 'pending', attempts: 2, last_error: 'Serveur SMTP injoignable.' }),
            delivery({ id: 1 }),
          ],
        }),
    });
    renderPage(withEmail);
    const list = await within(card()).findByRole('list', { name: 'Derniers envois' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(3);

    const failed = items[0]!;
    expect(within(failed).getByText('Webhook')).toBeTruthy();
    expect(within(failed).getByText('https://gotify.example/message?token=abc')).toBeTruthy();
    expect(within(failed).getByText('Échec')).toBeTruthy();
    const error = within(failed).getByText('Le webhook a répondu HTTP 500.');
    expect(error.className).toContain('text-red-700');
    expect(within(failed).getByText(formatDate(1_795_700_300))).toBeTruthy();
    expect(formatDate(1_795_700_300)).toMatch(/^\d{1,2} [a-zéû]+\.? \d{4} à \d{2}:\d{2}$/);

    expect(within(items[1]!).getByText('En attente (tentative 2)')).toBeTruthy();
    expect(within(items[1]!).getByText('Dernière erreur : Serveur SMTP injoignable.').className).not.toContain('red');
    expect(within(items[2]!).getByText('E-mail')).toBeTruthy();
    expect(within(items[2]!).getByText('Envoyé')).toBeTruthy();
    expect(within(items[2]!).getByText('Big Buck Bunny')).toBeTruthy();
  });

  it('refreshes every 15 s while some delivery is pending, and stops after', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let pending = true;
    const fetch = serve(withEmail, {
      deliveries: () =>
        jsonResponse(200, {
          deliveries: [delivery(pending ? { status: 'pending', attempts: 1 } : { status: 'sent', attempts: 2 })],
        }),
    });
    const calls = () => fetch.mock.calls.filter(([url]) => url === '/api/me/deliveries').length;
    renderPage(withEmail);
    expect(await screen.findByText('En attente (tentative 1)')).toBeTruthy();
    expect(calls()).toBe(1);

    pending = false;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(DELIVERIES_POLL_MS);
    });
    expect(await screen.findByText('Envoyé')).toBeTruthy();
    expect(calls()).toBe(2);

    await act(async () => {
      await vi.advanceTimersByTimeAsync(DELIVERIES_POLL_MS * 3);
    });
    expect(calls()).toBe(2);
  });
});

describe('isWebhookUrl', () => {
  it('takes empty or http(s) addresses only', () => {
    expect(isWebhookUrl('')).toBe(true);
    expect(isWebhookUrl('  ')).toBe(true);
    expect(isWebhookUrl('https://ntfy.sh/essaim')).toBe(true);
    expect(isWebhookUrl('http://192.168.1.2:8080/message?token=x')).toBe(true);
    expect(isWebhookUrl('ftp://x')).toBe(false);
    expect(isWebhookUrl('gotify.example')).toBe(false);
    expect(isWebhookUrl('https://')).toBe(false);
  });
});
