import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import type { DownloadsInfo, TorrentFile } from '../../api/types';
import { formatDate } from '../../lib/format';
import { errorResponse, jsonResponse, mockFetch, renderWithProviders } from '../../test/utils';
import { browser } from './download';
import { TorrentFiles } from './TorrentFiles';

const hash = 'c0ffee'.padEnd(40, '0');
const base = `/api/torrents/${hash}`;
const EXPIRES = 1_795_700_000;
const signed = (path: string) => `https://dl.exemple.fr/f/${encodeURI(path)}?md5=sig&expires=${EXPIRES}`;

const on: DownloadsInfo = { available: true, reason: null, direct: true, zip: true, ttl: 21_600 };
const external: DownloadsInfo = { ...on, direct: false, zip: false };

function f(index: number, path: string, size: number, progress = 1, extra: Partial<TorrentFile> = {}): TorrentFile {
  return { index, path, size, progress, priority: 1, downloadable: progress >= 1, ...extra };
}

const seriesFiles = [
  f(0, 'Ma série/Saison 1/épisode 01.mkv', 1.5 * 1024 ** 3),
  f(1, 'Ma série/Saison 1/épisode 02.mkv', 1024 ** 3, 0.42, { downloadable: false }),
  f(2, 'Ma série/Saison 2/épisode 01.mkv', 2048),
  f(3, 'Ma série/Saison 2/générique.flac', 1024),
  f(4, 'Ma série/lisez-moi.txt', 512),
];

/** Shows where the router is, to check folder navigation. */
function Where() {
  const { pathname, search, hash: anchor } = useLocation();
  return <output data-testid="where">{`${pathname}${search}${anchor}`}</output>;
}

interface Setup {
  files?: TorrentFile[];
  downloads?: DownloadsInfo;
  name?: string;
  route?: string;
  links?: (init: RequestInit) => Response;
  zip?: (init: RequestInit) => Response;
}

function setup({ files = seriesFiles, downloads = on, name = 'Ma série', route, links, zip }: Setup = {}) {
  const fetch = mockFetch((url, init) => {
    if (url === `${base}/files`) return jsonResponse(200, { files, downloads });
    if (url === `${base}/links` && init.method === 'POST') {
      if (links) return links(init);
      const body = JSON.parse(String(init.body)) as { paths: string[] };
      return jsonResponse(200, {
        links: body.paths.map((p) => ({ path: p, url: signed(p), expires: EXPIRES, size: 1 })),
        expires: EXPIRES,
      });
    }
    if (url === `${base}/zip` && init.method === 'POST' && zip) return zip(init);
    return errorResponse(404, 'not_found', 'Introuvable.');
  });
  const utils = renderWithProviders(
    <Routes>
      <Route
        path="/torrents/:hash"
        element={
          <>
            <h2 id="fichiers">Fichiers</h2>
            <TorrentFiles torrent={{ hash, name, progress: 0.9 }} headingId="fichiers" />
            <Where />
          </>
        }
      />
    </Routes>,
    { route: route ?? `/torrents/${hash}` },
  );
  return { ...utils, fetch };
}

const callsTo = (fetch: ReturnType<typeof mockFetch>, path: string) =>
  fetch.mock.calls.filter(([u]) => u === `${base}${path}`).map(([, init]) => init as RequestInit);
const bodyOf = (init: RequestInit) => JSON.parse(String(init.body)) as unknown;
const rowOf = (name: string) => screen.getByRole('rowheader', { name: new RegExp(`^${name}`) }).closest('tr')!;

let assign: ReturnType<typeof vi.spyOn>;
let save: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  assign = vi.spyOn(browser, 'assign').mockImplementation(() => {});
  save = vi.spyOn(browser, 'save').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('TorrentFiles: browsing', () => {
  it('opens the top folder with breadcrumbs, sub-folders (size, progress) then files', async () => {
    setup();
    const crumbs = await screen.findByRole('navigation', { name: 'Emplacement dans le torrent' });
    expect(within(crumbs).getByText('Ma série').getAttribute('aria-current')).toBe('location');
    const table = screen.getByRole('table', { name: 'Contenu du dossier « Ma série »' });
    const rows = within(table).getAllByRole('rowheader').map((r) => r.textContent);
    expect(rows).toEqual(['Saison 12 fichiers · 76,8\u00a0%', 'Saison 22 fichiers', 'lisez-moi.txt']);
    const s1 = rowOf('Saison 1');
    expect(within(s1).getByText('2,5 Go')).toBeTruthy();
    expect(within(s1).getByRole('progressbar', { name: 'Progression de « Saison 1 »' }).getAttribute('aria-valuenow')).toBe(
      '76.8',
    );
    expect(within(rowOf('lisez-moi.txt')).getByText('512 o')).toBeTruthy();
  });

  it('opens folders as links and goes back up through the breadcrumbs', async () => {
    setup();
    const link = await screen.findByRole('link', { name: 'Saison 2' });
    expect(link.getAttribute('href')).toBe(`/torrents/${hash}?dossier=Ma+s%C3%A9rie/Saison+2`);
    fireEvent.click(link);

    const crumbs = screen.getByRole('navigation', { name: 'Emplacement dans le torrent' });
    expect(crumbs.textContent).toBe('Ma sérieSaison 2');
    const current = within(crumbs).getByText('Saison 2');
    expect(current.getAttribute('aria-current')).toBe('location');
    await waitFor(() => expect(document.activeElement).toBe(current));
    expect(screen.getByTestId('where').textContent).toBe(`/torrents/${hash}?dossier=Ma+s%C3%A9rie/Saison+2`);
    expect(screen.getByRole('table', { name: 'Contenu du dossier « Saison 2 »' })).toBeTruthy();
    expect(screen.getByRole('rowheader', { name: 'générique.flac' })).toBeTruthy();
    expect(screen.queryByRole('rowheader', { name: 'lisez-moi.txt' })).toBeNull();

    fireEvent.click(within(crumbs).getByRole('link', { name: 'Ma série' }));
    expect(screen.getByTestId('where').textContent).toBe(`/torrents/${hash}`);
    expect(screen.getByRole('rowheader', { name: 'lisez-moi.txt' })).toBeTruthy();
  });

  it('opens the folder given in the address, and names a root without top folder after the torrent', async () => {
    setup({
      files: [f(0, 'a.txt', 1), f(1, 'b/c/d.txt', 2)],
      name: 'Mon torrent',
      route: `/torrents/${hash}?dossier=b/c`,
    });
    const crumbs = await screen.findByRole('navigation', { name: 'Emplacement dans le torrent' });
    expect(within(crumbs).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Mon torrent', 'b', 'c']);
    expect(screen.getByRole('rowheader', { name: 'd.txt' })).toBeTruthy();
  });

  it('says when the list is not known yet', async () => {
    setup({ files: [] });
    expect(await screen.findByText('La liste des fichiers apparaîtra une fois les métadonnées reçues.')).toBeTruthy();
  });
});

describe('TorrentFiles: downloading', () => {
  it('asks a link for the exact path of a file, then follows it as a download', async () => {
    document.cookie = 'csrf_token=jeton; path=/';
    const { fetch } = setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Télécharger « lisez-moi.txt »' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith(`${signed('Ma série/lisez-moi.txt')}&dl=1`));
    const [init] = callsTo(fetch, '/links');
    expect(bodyOf(init!)).toEqual({ paths: ['Ma série/lisez-moi.txt'], format: 'json' });
    expect((init!.headers as Record<string, string>)['X-CSRF-Token']).toBe('jeton');
  });

  it('shows an incomplete file without any download, with its progress in words', async () => {
    setup({ route: `/torrents/${hash}?dossier=Ma série/Saison 1` });
    await screen.findByRole('table');
    const row = rowOf('épisode 02.mkv');
    // (Testing Library compares with spaces collapsed: the no-break space before % reads as a space.)
    expect(within(row).getByText('En cours – 42 %')).toBeTruthy();
    expect(within(row).queryByRole('button')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Télécharger « épisode 02.mkv »' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Télécharger « épisode 01.mkv »' })).toBeTruthy();
    expect(screen.getByText('Seuls les fichiers terminés peuvent être téléchargés.').closest('[role="status"]')).toBeTruthy();
  });

  it("shows the server's French message when a link is refused", async () => {
    setup({
      links: () => errorResponse(409, 'file_incomplete', '« Ma série/lisez-moi.txt » n\'est pas encore entièrement téléchargé.'),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Télécharger « lisez-moi.txt »' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      '« Ma série/lisez-moi.txt » n\'est pas encore entièrement téléchargé.',
    );
    expect(assign).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Masquer' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('"Liste des liens" lists the links of every complete file below the folder', async () => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: vi.fn(async () => {}) }, configurable: true });
    const { fetch } = setup();
    fireEvent.click(await screen.findByRole('button', { name: /^Liste des liens — dossier « / }));
    const dialog = await screen.findByRole('dialog', { name: 'Liens de téléchargement' });
    const paths = ['Ma série/Saison 1/épisode 01.mkv', 'Ma série/Saison 2/épisode 01.mkv', 'Ma série/Saison 2/générique.flac', 'Ma série/lisez-moi.txt'];
    expect(bodyOf(callsTo(fetch, '/links')[0]!)).toEqual({ paths, format: 'json' });
    expect(within(dialog).getByText('4 fichiers de « Ma série » · 4 o')).toBeTruthy();
    expect(within(dialog).getByText(`Ces liens expirent le ${formatDate(EXPIRES)}.`)).toBeTruthy();
    const list = within(dialog).getByRole('list', { name: 'Liens des fichiers' });
    const first = within(list).getByRole('link', { name: 'Saison 1/épisode 01.mkv' });
    expect(first.getAttribute('href')).toBe(`${signed(paths[0]!)}&dl=1`);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Copier les liens' }));
    expect(await within(dialog).findByText('Copié !')).toBeTruthy();
    expect(navigator.clipboard.writeText).toHaveBeenCalledWith(paths.map(signed).join('\n'));
  });

  it('"Liste des liens" in a sub-folder only sends what is below it', async () => {
    const { fetch } = setup({ route: `/torrents/${hash}?dossier=Ma série/Saison 1` });
    fireEvent.click(await screen.findByRole('button', { name: /^Liste des liens — dossier « / }));
    await screen.findByRole('dialog');
    expect(bodyOf(callsTo(fetch, '/links')[0]!)).toEqual({
      paths: ['Ma série/Saison 1/épisode 01.mkv'],
      format: 'json',
    });
  });

  it('saves the Metalink and the address list with the name the server gives', async () => {
    const { fetch } = setup({
      links: (init) => {
        const body = bodyOf(init) as { paths: string[]; format: string };
        if (body.format === 'meta4')
          return new Response('<metalink/>', {
            status: 200,
            headers: {
              'Content-Type': 'application/metalink4+xml',
              'Content-Disposition': 'attachment; filename="Ma s_rie.meta4"',
            },
          });
        if (body.format === 'txt') return errorResponse(403, 'forbidden', 'Votre groupe ne vous autorise pas à télécharger les fichiers de ce torrent.');
        return jsonResponse(200, {
          links: body.paths.map((p) => ({ path: p, url: signed(p), expires: EXPIRES, size: 1 })),
          expires: EXPIRES,
        });
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: /^Liste des liens — dossier « / }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Fichier Metalink (.meta4)' }));
    await waitFor(() => expect(save).toHaveBeenCalledTimes(1));
    const [blob, filename] = save.mock.calls[0]! as [Blob, string];
    expect(filename).toBe('Ma s_rie.meta4');
    expect(await blob.text()).toBe('<metalink/>');
    const meta = callsTo(fetch, '/links')[1]!;
    expect((bodyOf(meta) as { format: string; paths: string[] }).format).toBe('meta4');
    expect((bodyOf(meta) as { paths: string[] }).paths).toHaveLength(4);

    fireEvent.click(within(dialog).getByRole('button', { name: "Liste d'adresses (.txt)" }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'Votre groupe ne vous autorise pas à télécharger les fichiers de ce torrent.',
    );
    expect(save).toHaveBeenCalledTimes(1);
  });
});

describe('TorrentFiles: .zip', () => {
  const zipOk = (init: RequestInit) => {
    const { folder } = bodyOf(init) as { folder: string };
    const name = `${folder.split('/').pop()}.zip`;
    return jsonResponse(200, { url: `https://essaim.exemple.fr/zip/${name}?md5=z&expires=${EXPIRES}`, expires: EXPIRES, name, size: 4096 });
  };

  it('offers a folder as .zip only in zip mode and when all its files are complete', async () => {
    const { fetch } = setup({ zip: zipOk });
    const zip2 = await screen.findByRole('button', { name: 'Télécharger le dossier « Saison 2 » (.zip)' });
    expect(screen.queryByRole('button', { name: 'Télécharger le dossier « Saison 1 » (.zip)' })).toBeNull();
    // The top folder holds an incomplete file.
    expect(screen.queryByRole('button', { name: /^Tout en \.zip/ })).toBeNull();
    fireEvent.click(zip2);
    await waitFor(() => expect(assign).toHaveBeenCalledWith(`https://essaim.exemple.fr/zip/Saison 2.zip?md5=z&expires=${EXPIRES}`));
    expect(bodyOf(callsTo(fetch, '/zip')[0]!)).toEqual({ folder: 'Ma série/Saison 2' });
  });

  it('offers the current folder as .zip too', async () => {
    setup({ zip: zipOk, route: `/torrents/${hash}?dossier=Ma série/Saison 2` });
    const button = await screen.findByRole('button', { name: 'Tout en .zip — dossier « Saison 2 »' });
    expect(button.textContent).toBe('Tout en .zip');
  });

  it('never offers a .zip when the files are served by another server', async () => {
    setup({ downloads: external, files: seriesFiles.filter((x) => x.progress >= 1) });
    await screen.findByRole('button', { name: /^Liste des liens — dossier « / });
    expect(screen.queryByRole('button', { name: /\.zip/ })).toBeNull();
  });
});

describe('TorrentFiles: when downloads are unavailable', () => {
  it.each([
    ['forbidden', 'Votre groupe ne vous autorise pas à télécharger les fichiers de ce torrent.'],
    ['not_configured', 'Les téléchargements ne sont pas encore configurés par un administrateur.'],
    ['outside_folder', 'Les fichiers de ce torrent sont hors du dossier de son propriétaire : un administrateur doit déplacer ce torrent.'],
    // Older servers.
    ['outside_root', 'Les fichiers de ce torrent sont hors du dossier servi : un administrateur doit vérifier le réglage.'],
  ] as const)('%s: explains why and offers no download', async (reason, text) => {
    setup({
      downloads: { ...on, available: false, reason },
      files: seriesFiles.map((x) => ({ ...x, downloadable: false })),
    });
    expect((await screen.findByText(text)).closest('[role="status"]')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Télécharger/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Lire/ })).toBeNull();
    expect(screen.queryByText('Seuls les fichiers terminés peuvent être téléchargés.')).toBeNull();
    // The files stay browsable.
    expect(screen.getByRole('link', { name: 'Saison 1' })).toBeTruthy();
    expect(within(rowOf('lisez-moi.txt')).getByText('Terminé')).toBeTruthy();
  });

  it("says why a complete file is not served: empty, outside its owner's folder", async () => {
    setup({
      route: `/torrents/${hash}?dossier=Ma série/Saison 2`,
      files: [
        f(0, 'Ma série/Saison 2/épisode 01.mkv', 2048),
        f(1, 'Ma série/Saison 2/vide.txt', 0, 1, { downloadable: false, unavailable: 'empty' }),
        f(2, 'Ma série/Saison 2/ailleurs.mkv', 4096, 1, { downloadable: false, unavailable: 'outside_folder' }),
        f(3, 'Ma série/Saison 2/presque.mkv', 4096, 1, { downloadable: false, unavailable: 'incomplete' }),
        f(4, 'Ma série/Saison 2/vide-aussi.txt', 0, 0, { downloadable: false, unavailable: 'empty' }),
      ],
    });
    await screen.findByRole('button', { name: 'Télécharger « épisode 01.mkv »' });
    expect(within(rowOf('vide.txt')).getByText('Fichier vide')).toBeTruthy();
    expect(within(rowOf('vide-aussi.txt')).getByText('Fichier vide')).toBeTruthy();
    expect(within(rowOf('presque.mkv')).getByText('Pas encore téléchargé')).toBeTruthy();
    const outside = within(rowOf('ailleurs.mkv')).getByText('Hors du dossier du propriétaire');
    const hint = 'Hors du dossier du propriétaire : un administrateur doit déplacer ce torrent.';
    expect(outside.getAttribute('title')).toBe(hint);
    // Screen readers hear the explanation too.
    expect(outside.textContent).toBe(`Hors du dossier du propriétaire (${hint})`);
    for (const name of ['vide.txt', 'ailleurs.mkv', 'presque.mkv']) {
      expect(within(rowOf(name)).queryByRole('button')).toBeNull();
    }
  });

  it('says "Fichier vide" for a single empty file', async () => {
    setup({ files: [f(0, 'vide.txt', 0, 1, { downloadable: false, unavailable: 'empty' })], name: 'vide.txt' });
    expect((await screen.findByText(/^0 o/)).textContent).toBe('0 o · Fichier vide');
  });

  it('says so when the server tells nothing about downloads', async () => {
    mockFetch(() => jsonResponse(200, { files: [{ index: 0, path: 'x/a.bin', size: 1, progress: 1, priority: 1 }] }));
    renderWithProviders(<TorrentFiles torrent={{ hash, name: 'x', progress: 1 }} headingId="fichiers" />);
    expect(await screen.findByText("Le téléchargement des fichiers n'est pas disponible pour ce torrent.")).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Télécharger/ })).toBeNull();
  });
});

describe('TorrentFiles: playing', () => {
  it('plays a video from its signed link, and suggests downloading when the browser cannot', async () => {
    const { fetch } = setup({ route: `/torrents/${hash}?dossier=Ma série/Saison 1` });
    fireEvent.click(await screen.findByRole('button', { name: 'Lire « épisode 01.mkv »' }));
    const dialog = await screen.findByRole('dialog', { name: 'épisode 01.mkv' });
    const video = dialog.querySelector('video')!;
    expect(video.getAttribute('src')).toBe(signed('Ma série/Saison 1/épisode 01.mkv'));
    expect(video.hasAttribute('controls')).toBe(true);
    expect(video.getAttribute('aria-label')).toBe('Lecture vidéo de « épisode 01.mkv »');
    expect(bodyOf(callsTo(fetch, '/links')[0]!)).toEqual({ paths: ['Ma série/Saison 1/épisode 01.mkv'], format: 'json' });
    expect(within(dialog).getByRole('link', { name: 'Télécharger le fichier' }).getAttribute('href')).toBe(
      `${signed('Ma série/Saison 1/épisode 01.mkv')}&dl=1`,
    );
    expect(within(dialog).queryByRole('alert')).toBeNull();
    fireEvent.error(video);
    expect(within(dialog).getByRole('alert').textContent).toMatch(/^Votre navigateur ne sait pas lire ce fichier/);
    expect(assign).not.toHaveBeenCalled();
  });

  it('plays audio in an <audio> element, and offers no player for other files', async () => {
    setup({ route: `/torrents/${hash}?dossier=Ma série/Saison 2` });
    fireEvent.click(await screen.findByRole('button', { name: 'Lire « générique.flac »' }));
    const dialog = await screen.findByRole('dialog', { name: 'générique.flac' });
    expect(dialog.querySelector('audio')!.getAttribute('src')).toBe(signed('Ma série/Saison 2/générique.flac'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Fermer' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    fireEvent.click(screen.getByRole('link', { name: 'Ma série' }));
    expect(screen.getByRole('button', { name: 'Télécharger « lisez-moi.txt »' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Lire « lisez-moi.txt »' })).toBeNull();
  });
});

describe('TorrentFiles: image preview', () => {
  const photos = [
    f(0, 'Photos/plage.JPG', 2048),
    f(1, 'Photos/carte.png', 1024),
    f(2, 'Photos/anim.gif', 512),
    f(3, 'Photos/fond.webp', 512),
    f(4, 'Photos/haute.avif', 512),
    f(5, 'Photos/brouillon.jpeg', 512, 0.5, { downloadable: false }),
    f(6, 'Photos/notes.txt', 10),
  ];

  it('shows an image from its signed link, "Voir" on each ready image only', async () => {
    const { fetch } = setup({ files: photos, name: 'Photos' });
    for (const name of ['plage.JPG', 'carte.png', 'anim.gif', 'fond.webp', 'haute.avif'])
      expect(await screen.findByRole('button', { name: `Voir l'image « ${name} »` })).toBeTruthy();
    // Not finished, or not an image: no preview.
    expect(screen.queryByRole('button', { name: "Voir l'image « brouillon.jpeg »" })).toBeNull();
    expect(screen.getByRole('button', { name: 'Télécharger « notes.txt »' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Voir.*notes\.txt/ })).toBeNull();

    const opener = screen.getByRole('button', { name: "Voir l'image « carte.png »" });
    opener.focus();
    fireEvent.click(opener);
    const dialog = await screen.findByRole('dialog', { name: 'carte.png' });
    const img = within(dialog).getByRole('img', { name: 'Aperçu de « carte.png »' });
    expect(img.getAttribute('src')).toBe(signed('Photos/carte.png'));
    expect(bodyOf(callsTo(fetch, '/links')[0]!)).toEqual({ paths: ['Photos/carte.png'], format: 'json' });
    expect(within(dialog).getByRole('link', { name: 'Télécharger le fichier' }).getAttribute('href')).toBe(
      `${signed('Photos/carte.png')}&dl=1`,
    );
    expect(within(dialog).queryByRole('alert')).toBeNull();
    fireEvent.error(img);
    expect(within(dialog).getByRole('alert').textContent).toMatch(/^Votre navigateur ne sait pas afficher cette image/);

    // Escape: closed, and the focus is back on "Voir".
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(opener));
    expect(assign).not.toHaveBeenCalled();
  });

  it('offers "Voir" for a single-image torrent', async () => {
    setup({ files: [f(0, 'affiche.webp', 4096)], name: 'affiche.webp' });
    const view = await screen.findByRole('button', { name: "Voir l'image « affiche.webp »" });
    expect(view.textContent).toBe('Voir');
    fireEvent.click(view);
    const dialog = await screen.findByRole('dialog', { name: 'affiche.webp' });
    expect(within(dialog).getByRole('img').getAttribute('src')).toBe(signed('affiche.webp'));
  });
});

describe('TorrentFiles: a single-file torrent', () => {
  it('offers "Télécharger" and "Lire" for the file', async () => {
    const { fetch } = setup({ files: [f(0, 'film.mp4', 700 * 1024 ** 2)], name: 'film.mp4' });
    const download = await screen.findByRole('button', { name: 'Télécharger « film.mp4 »' });
    expect(download.textContent).toBe('Télécharger');
    expect(screen.getByText('700 Mo')).toBeTruthy();
    expect(screen.queryByRole('navigation')).toBeNull();
    fireEvent.click(download);
    await waitFor(() => expect(assign).toHaveBeenCalledWith(`${signed('film.mp4')}&dl=1`));
    expect(bodyOf(callsTo(fetch, '/links')[0]!)).toEqual({ paths: ['film.mp4'], format: 'json' });

    fireEvent.click(screen.getByRole('button', { name: 'Lire « film.mp4 »' }));
    const dialog = await screen.findByRole('dialog', { name: 'film.mp4' });
    expect(dialog.querySelector('video')!.getAttribute('src')).toBe(signed('film.mp4'));
  });

  it('says it is not finished yet', async () => {
    setup({ files: [f(0, 'ubuntu.iso', 1024, 0.42, { downloadable: false })], name: 'ubuntu.iso' });
    expect((await screen.findByText(/^1 Ko/)).textContent).toBe('1 Ko · En cours – 42\u00a0%');
    expect(screen.getByText('Seuls les fichiers terminés peuvent être téléchargés.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Télécharger/ })).toBeNull();
  });
});

describe('TorrentFiles: #fichiers', () => {
  it('brings the section into view on arrival, and again once the list is there', async () => {
    const scroll = vi.fn();
    Object.assign(Element.prototype, { scrollIntoView: scroll });
    setup({ route: `/torrents/${hash}#fichiers` });
    await screen.findByRole('table');
    await waitFor(() => expect(scroll).toHaveBeenCalledTimes(2));
    expect(scroll.mock.contexts[0]).toBe(screen.getByRole('heading', { name: 'Fichiers' }));
    // The page the browser loaded: the focus is not moved (the detail page test checks it is after a click).
    expect(document.activeElement).toBe(document.body);
    delete (Element.prototype as Partial<Element>).scrollIntoView;
  });
});
