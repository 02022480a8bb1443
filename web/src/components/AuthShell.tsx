import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useInstance } from '../api/queries';
import { Logo } from './Logo';

/** Centered page used by the public pages (Connexion, Inscription, 404 when logged out). */
export function AuthShell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { data: instance } = useInstance();
  return (
    <div className="flex min-h-screen flex-col items-center px-4 py-10 sm:justify-center sm:py-16">
      {/* A banner landmark: nothing of the page stands outside a landmark. */}
      <header className="mb-6">
        <Link to="/connexion" className="flex items-center gap-2 rounded-md text-2xl font-bold tracking-tight">
          <Logo className="size-9" />
          <span>{instance?.site_name || t('app.defaultSiteName')}</span>
        </Link>
      </header>
      <main
        id="contenu"
        className="w-full max-w-md rounded-lg border border-stone-200 bg-white p-6 shadow-sm sm:p-8 dark:border-stone-800 dark:bg-stone-900"
      >
        {children}
      </main>
    </div>
  );
}
