import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/queries';
import { Card } from '../../components/Card';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { ApplicationsSection } from '../tokens/ApplicationsSection';
import { AccountSummary } from './AccountSummary';
import { DeliveriesList } from './DeliveriesList';
import { NotificationsForm } from './NotificationsForm';
import { PasswordForm } from './PasswordForm';
import { ProfileForm } from './ProfileForm';
import { UsageCard } from './UsageSummary';

export function AccountPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('account.title'));
  const { data: user } = useMe();
  if (!user) return <Loading />;

  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">{t('account.title')}</h1>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={t('account.profile.title')} titleId="profil" description={t('account.profile.intro')}>
          <ProfileForm user={user} />
        </Card>
        <Card title={t('account.password.title')} titleId="mot-de-passe" description={t('account.password.intro')}>
          <PasswordForm />
        </Card>
      </div>
      <Card
        title={t('account.notifications.title')}
        titleId="notifications"
        description={t('account.notifications.intro')}
      >
        <div className="flex flex-col gap-6">
          <NotificationsForm user={user} />
          <DeliveriesList />
        </div>
      </Card>
      <Card title={t('tokens.title')} titleId="applications" description={t('tokens.intro')}>
        <ApplicationsSection user={user} />
      </Card>
      <UsageCard title={t('usage.title')} titleId="utilisation" description={t('usage.intro')} />
      <Card title={t('dashboard.accountTitle')} titleId="resume">
        <AccountSummary user={user} />
      </Card>
    </div>
  );
}
