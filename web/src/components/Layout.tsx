import { Suspense, useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import * as Dialog from '@radix-ui/react-dialog';
import { CircleUserRound, Globe, HardDriveDownload, LayoutDashboard, LogOut, Menu, Search, X } from 'lucide-react';
import { api } from '../api/endpoints';
import { ApiError, errorMessage } from '../api/client';
import { useInstance, useMe } from '../api/queries';
import { endSession } from '../features/auth/session';
import { ADMIN_PATH, AdminMenuItem, AdminNav, isAdmin } from '../features/admin/AdminNav';
import { maySearch } from '../features/search/permissions';
import { canSeeAll } from '../features/torrents/permissions';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { Alert } from './Alert';
import { Button } from './Button';
import { Loading } from './Loading';
import { Logo } from './Logo';
import { NavSectionContext } from './navSection';
import { cx } from '../lib/cx';

/** `needs`: shown only with "Tous les torrents" rights (`seeAll`) or the search permission (`search`). */
const links = [
  { to: '/', key: 'nav.dashboard', icon: LayoutDashboard, end: true, needs: null },
  { to: '/torrents', key: 'nav.myTorrents', icon: HardDriveDownload, end: false, needs: null },
  { to: '/tous', key: 'nav.allTorrents', icon: Globe, end: false, needs: 'seeAll' },
  { to: '/recherche', key: 'nav.search', icon: Search, end: false, needs: 'search' },
  { to: '/compte', key: 'nav.account', icon: CircleUserRound, end: false, needs: null },
] as const;

/** Pages whose content uses the whole width: the torrent lists (not the detail pages), the search. */
const WIDE_PAGES = /^\/(torrents|tous|recherche)\/?$/;

/** The content's width: wide lists, one width for every administration page (tables and forms alike), else 5xl. */
function pageWidth(pathname: string): string {
  if (ADMIN_PATH.test(pathname)) return 'max-w-7xl';
  return WIDE_PAGES.test(pathname) ? 'max-w-[96rem]' : 'max-w-5xl';
}

function useLogout() {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: async () => {
      try {
        return await api.logout();
      } catch (e) {
        // An already-ended session is as good as a logout.
        if (!(e instanceof ApiError && e.status === 401)) throw e;
        return undefined;
      }
    },
    onSuccess: (result) => {
      // Signed in through the provider: its session ends on its own page, which sends the
      // browser back to /connexion (the page is left as it is meanwhile, not shown signed out).
      if (result?.end_session_url) window.location.assign(result.end_session_url);
      else endSession(client, 'loggedOut');
    },
  });
  return {
    logout: () => mutation.mutate(),
    busy: mutation.isPending,
    error: mutation.isError ? errorMessage(mutation.error) : null,
  };
}

/**
 * The entries of the main navigation. The current one is highlighted and has `aria-current`:
 * "page" on the entry's own page, "true" below it (a torrent's page under its list). `section`
 * (set by the page, see navSection.ts) overrides what the address says.
 */
function NavItems({ onNavigate, mobile, section }: { onNavigate?: () => void; mobile?: boolean; section: string | null }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const { pathname } = useLocation();
  const path = pathname.replace(/(.)\/$/, '$1');
  const granted = { seeAll: canSeeAll(me), search: maySearch(me) };
  return (
    <ul className={mobile ? 'flex flex-col gap-1' : 'flex items-center gap-1 lg:max-xl:gap-0.5'}>
      {links.filter((l) => l.needs === null || granted[l.needs]).map(({ to, key, icon: Icon, end }) => {
        const current = section ? section === to : path === to || (!end && path.startsWith(`${to}/`));
        return (
          <li key={to}>
            <Link
              to={to}
              onClick={onNavigate}
              aria-current={current ? (path === to ? 'page' : 'true') : undefined}
              className={cx(
                'flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap lg:px-1.5 xl:px-2.5 2xl:px-3',
                mobile && 'text-base',
                current
                  ? 'bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-200'
                  : 'text-stone-700 hover:bg-stone-200/70 dark:text-stone-300 dark:hover:bg-stone-800',
              )}
            >
              {/* From lg to xl the bar is short of room: the names stay, the icons go. */}
              <Icon aria-hidden="true" className={cx('size-4 shrink-0', !mobile && 'lg:max-xl:hidden')} />
              {t(key)}
            </Link>
          </li>
        );
      })}
      {isAdmin(me) && <AdminMenuItem mobile={mobile} onNavigate={onNavigate} />}
    </ul>
  );
}

export function Layout({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  const { data: instance } = useInstance();
  const { data: me } = useMe();
  const { logout, busy, error } = useLogout();
  const [menuOpen, setMenuOpen] = useState(false);
  const [section, setSection] = useState<string | null>(null);
  const { pathname } = useLocation();
  const width = pageWidth(pathname);
  const siteName = instance?.site_name || t('app.defaultSiteName');
  const displayName = me?.display_name || me?.username || '';

  return (
    <NavSectionContext.Provider value={setSection}>
      <div className="flex min-h-screen flex-col">
        <a
          href="#contenu"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-stone-900 focus:shadow"
        >
          {t('app.skipToContent')}
        </a>
        <header className="sticky top-0 z-30 border-b border-stone-200 bg-white/90 backdrop-blur dark:border-stone-800 dark:bg-stone-900/90">
          <div className="mx-auto flex h-14 max-w-[96rem] items-center gap-4 px-4 lg:gap-3 xl:gap-4">
            <Link to="/" className="flex min-w-0 items-center gap-2 rounded-md text-lg font-bold tracking-tight">
              <Logo className="size-7 shrink-0" />
              <span className="truncate">{siteName}</span>
            </Link>

            <nav aria-label={t('nav.label')} className="hidden shrink-0 lg:block">
              <NavItems section={section} />
            </nav>

            {/* The bell stays in the bar on phones too, beside the menu button. */}
            <NotificationBell className="ml-auto shrink-0 lg:-mr-2" />

            <div className="hidden shrink-0 items-center lg:flex 2xl:gap-3">
              <span className="max-w-48 truncate text-sm text-stone-600 dark:text-stone-300" data-testid="nav-user">
                <span className="sr-only">{t('nav.signedInAs', { name: displayName })}</span>
                {/* Short of room below 2xl: the name is only read out (and shown in the account page). */}
                <span aria-hidden="true" className="hidden 2xl:inline">
                  {displayName}
                </span>
              </span>
              <Button
                variant="secondary"
                className="shrink-0 whitespace-nowrap px-3"
                onClick={logout}
                busy={busy}
                busyLabel={t('nav.loggingOut')}
                icon={<LogOut aria-hidden="true" className="size-4 lg:max-xl:hidden" />}
              >
                {t('nav.logout')}
              </Button>
            </div>

            <Dialog.Root open={menuOpen} onOpenChange={setMenuOpen}>
              <Dialog.Trigger asChild>
                <button
                  type="button"
                  className="-ml-2 inline-flex size-10 shrink-0 items-center justify-center rounded-md text-stone-700 hover:bg-stone-200/70 lg:hidden dark:text-stone-200 dark:hover:bg-stone-800"
                  aria-label={t('nav.openMenu')}
                >
                  <Menu aria-hidden="true" className="size-6" />
                </button>
              </Dialog.Trigger>
              <Dialog.Portal>
                <Dialog.Overlay className="fixed inset-0 z-40 bg-stone-950/40 lg:hidden" />
                <Dialog.Content
                  aria-describedby={undefined}
                  className="fixed inset-x-0 top-0 z-50 border-b border-stone-200 bg-white p-4 shadow-lg lg:hidden dark:border-stone-800 dark:bg-stone-900 dark:text-stone-100"
                >
                  <div className="flex items-center justify-between">
                    <Dialog.Title className="text-lg font-semibold">{t('nav.menuTitle')}</Dialog.Title>
                    <Dialog.Close asChild>
                      <button
                        type="button"
                        className="inline-flex size-10 items-center justify-center rounded-md hover:bg-stone-200/70 dark:hover:bg-stone-800"
                        aria-label={t('nav.closeMenu')}
                      >
                        <X aria-hidden="true" className="size-6" />
                      </button>
                    </Dialog.Close>
                  </div>
                  <nav aria-label={t('nav.label')} className="mt-3">
                    <NavItems mobile section={section} onNavigate={() => setMenuOpen(false)} />
                  </nav>
                  <div className="mt-4 flex flex-col gap-3 border-t border-stone-200 pt-4 dark:border-stone-800">
                    <p className="truncate text-sm text-stone-600 dark:text-stone-300">
                      {t('nav.signedInAs', { name: displayName })}
                    </p>
                    <Button
                      variant="secondary"
                      onClick={logout}
                      busy={busy}
                      busyLabel={t('nav.loggingOut')}
                      icon={<LogOut aria-hidden="true" className="size-4" />}
                    >
                      {t('nav.logout')}
                    </Button>
                  </div>
                </Dialog.Content>
              </Dialog.Portal>
            </Dialog.Root>
          </div>
        </header>

        {error && (
          <div className={cx('mx-auto w-full px-4 pt-4', width)}>
            <Alert>{error}</Alert>
          </div>
        )}

        <main
          id="contenu"
          tabIndex={-1}
          className={cx('mx-auto w-full flex-1 px-4 py-6 focus:outline-none sm:py-8', width)}
        >
          {ADMIN_PATH.test(pathname) && isAdmin(me) && <AdminNav />}
          <Suspense fallback={<Loading />}>{children ?? <Outlet />}</Suspense>
        </main>
      </div>
    </NavSectionContext.Provider>
  );
}
