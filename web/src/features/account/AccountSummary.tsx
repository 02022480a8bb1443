import { useTranslation } from 'react-i18next';
import type { User } from '../../api/types';
import { formatDate } from '../../lib/format';

/** Read-only facts about an account, as a description list. */
export function AccountSummary({ user }: { user: User }) {
  const { t } = useTranslation();
  const rows: Array<[string, string]> = [
    [t('account.summary.username'), user.username],
    [t('account.summary.displayName'), user.display_name],
    [t('account.summary.email'), user.email || t('account.summary.noEmail')],
    [t('account.summary.role'), user.role === 'admin' ? t('account.roles.admin') : t('account.roles.user')],
    [t('account.summary.group'), user.group?.name ?? '—'],
    [t('account.summary.createdAt'), formatDate(user.created_at)],
    [
      t('account.summary.lastLogin'),
      user.last_login_at ? formatDate(user.last_login_at) : t('account.summary.never'),
    ],
  ];
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="font-medium text-stone-600 dark:text-stone-400">{label}</dt>
          <dd className="-mt-2 break-words sm:mt-0">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
