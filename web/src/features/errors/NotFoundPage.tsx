import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/queries';
import { AuthShell } from '../../components/AuthShell';
import { Layout } from '../../components/Layout';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';

function NotFoundContent({ loggedIn }: { loggedIn: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-col gap-3">
      <p className="text-5xl font-bold text-amber-700 dark:text-amber-400" aria-hidden="true">
        404
      </p>
      <h1 className="text-2xl font-bold">{t('errors.notFoundTitle')}</h1>
      <p className="text-stone-600 dark:text-stone-400">{t('errors.notFoundText')}</p>
      <p>
        <Link to={loggedIn ? '/' : '/connexion'} className="font-semibold text-amber-800 underline dark:text-amber-300">
          {loggedIn ? t('errors.home') : t('auth.register.loginLink')}
        </Link>
      </p>
    </div>
  );
}

/** Inside the app's layout when logged in, as a lone card otherwise. */
export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('errors.notFoundTitle'));
  const me = useMe();
  if (me.isPending) return <Loading fullPage />;
  return me.data ? (
    <Layout>
      <NotFoundContent loggedIn />
    </Layout>
  ) : (
    <AuthShell>
      <NotFoundContent loggedIn={false} />
    </AuthShell>
  );
}
