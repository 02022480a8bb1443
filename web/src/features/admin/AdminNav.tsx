import { useId } from 'react';
import { Link, NavLink, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ScrollText, Settings, Shield, Users, UsersRound } from 'lucide-react';
import type { User } from '../../api/types';
import { cx } from '../../lib/cx';

/** Administration pages: server settings, accounts, groups and the audit log. */
export function isAdmin(u: Pick<User, 'role'> | null | undefined): boolean {
  return u?.role === 'admin';
}

/** Every administration page, in the order the menus show them. */
export const ADMIN_LINKS = [
  { to: '/admin/reglages', key: 'admin.nav.settings', icon: Settings },
  { to: '/admin/utilisateurs', key: 'admin.nav.users', icon: Users },
  { to: '/admin/groupes', key: 'admin.nav.groups', icon: UsersRound },
  { to: '/admin/journal', key: 'admin.nav.audit', icon: ScrollText },
] as const;

/** Pages under `/admin/`: Layout shows the sub-navigation above them (administrators only). */
export const ADMIN_PATH = /^\/admin(\/|$)/;

/** Sub-navigation between the administration pages (the current one has `aria-current="page"`). */
export function AdminNav() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('admin.nav.label')} className="mb-6 border-b border-stone-200 dark:border-stone-800">
      {/* Phones: four equal columns, icon above the name (all visible); wider: a row. */}
      <ul className="-mb-px grid grid-cols-4 gap-1 sm:flex">
        {ADMIN_LINKS.map(({ to, key, icon: Icon }) => (
          <li key={to} className="min-w-0 sm:shrink-0">
            <NavLink
              to={to}
              className={({ isActive }) =>
                cx(
                  'flex min-h-10 flex-col items-center justify-center gap-1 border-b-2 px-1 py-2 text-center text-xs leading-tight font-medium',
                  'sm:flex-row sm:gap-2 sm:px-3 sm:text-sm sm:whitespace-nowrap',
                  isActive
                    ? 'border-amber-600 text-amber-900 dark:border-amber-400 dark:text-amber-200'
                    : 'border-transparent text-stone-600 hover:text-stone-900 dark:text-stone-400 dark:hover:text-stone-100',
                )
              }
            >
              <Icon aria-hidden="true" className="size-4" />
              {t(key)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

const menuItemClass = (active: boolean, mobile?: boolean) =>
  cx(
    'flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap',
    mobile && 'text-base',
    active
      ? 'bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-200'
      : 'text-stone-700 hover:bg-stone-200/70 dark:text-stone-300 dark:hover:bg-stone-800',
  );

/**
 * The "Administration" entry of the main navigation (a `<li>`), for administrators.
 * Wide screens: one link, highlighted on every administration page, its name always shown
 * (its icon only from `xl` on, like the other entries). Menu on small screens: a group
 * heading with the four pages under it.
 */
export function AdminMenuItem({ mobile, onNavigate }: { mobile?: boolean; onNavigate?: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const { pathname } = useLocation();
  const inAdmin = ADMIN_PATH.test(pathname);
  const home = ADMIN_LINKS[0].to;

  if (mobile) {
    return (
      <li className="mt-2 border-t border-stone-200 pt-2 dark:border-stone-800">
        <span id={`${id}-admin`} className="flex items-center gap-2 px-3 py-1 text-sm font-semibold text-stone-500 dark:text-stone-400">
          <Shield aria-hidden="true" className="size-4" />
          {t('admin.nav.entry')}
        </span>
        <ul aria-labelledby={`${id}-admin`} className="flex flex-col gap-1 pl-4">
          {ADMIN_LINKS.map(({ to, key, icon: Icon }) => (
            <li key={to}>
              <NavLink to={to} onClick={onNavigate} className={({ isActive }) => menuItemClass(isActive, true)}>
                <Icon aria-hidden="true" className="size-4" />
                {t(key)}
              </NavLink>
            </li>
          ))}
        </ul>
      </li>
    );
  }

  return (
    <li>
      <Link
        to={home}
        onClick={onNavigate}
        // The whole section is current, the link's own page only on "Réglages".
        aria-current={inAdmin ? (pathname.replace(/\/$/, '') === home ? 'page' : 'true') : undefined}
        className={cx(menuItemClass(inAdmin), 'lg:px-1.5 xl:px-2.5 2xl:px-3')}
      >
        <Shield aria-hidden="true" className="size-4 shrink-0 lg:max-xl:hidden" />
        {t('admin.nav.entry')}
      </Link>
    </li>
  );
}
