import { type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../api/queries';
import { Alert } from '../../../components/Alert';
import { Loading } from '../../../components/Loading';
import { useDocumentTitle } from '../../../lib/useDocumentTitle';

/**
 * An administration page: its title, and for anyone but an administrator only
 * "Réservé aux administrateurs." (the server would answer 403 anyway). `children`
 * renders, and fetches, only for administrators.
 */
export function AdminGate({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  useDocumentTitle(title);
  const { data: me } = useMe();
  if (!me) return <Loading />;
  if (me.role !== 'admin') {
    return (
      <div className="flex flex-col gap-4">
        <h1 className="text-2xl font-bold">{title}</h1>
        <Alert tone="info">{t('adminUsers.adminOnly')}</Alert>
      </div>
    );
  }
  return <>{children}</>;
}
