import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Ban } from 'lucide-react';
import { Button } from '../../components/Button';
import { DataTable, type Column } from '../../components/DataTable';
import { formatDate } from '../../lib/format';
import { WIDE_SCREEN, useMediaQuery } from '../../lib/useMediaQuery';
import type { ApiToken } from './api';

const muted = 'text-stone-500 dark:text-stone-400';

function When({ unix }: { unix: number }) {
  return <time dateTime={new Date(unix * 1000).toISOString()}>{formatDate(unix)}</time>;
}

/**
 * API tokens in a DataTable: name, access, dates, last use, and "Révoquer" (the caller confirms).
 * The one table of tokens: the account's own ("Mon compte") and, with `showOwner`, everyone's
 * (administration), each owner a link to their account.
 */
export function TokenTable({
  tokens,
  showOwner = false,
  onRevoke,
  now = Date.now(),
}: {
  tokens: readonly ApiToken[];
  showOwner?: boolean;
  onRevoke: (token: ApiToken) => void;
  /** Milliseconds: what counts as expired (tests). */
  now?: number;
}) {
  const { t } = useTranslation();
  const wide = useMediaQuery(WIDE_SCREEN);
  const columns: Column<ApiToken>[] = [
    ...(showOwner
      ? [
          {
            key: 'owner',
            header: t('tokens.columns.owner'),
            cellClassName: 'whitespace-nowrap',
            cell: (tk: ApiToken) => (
              <Link
                to={`/admin/utilisateurs?utilisateur=${tk.user.id}`}
                className="font-medium underline-offset-2 hover:underline"
              >
                {tk.user.username}
              </Link>
            ),
          },
        ]
      : []),
    {
      key: 'name',
      header: t('tokens.columns.name'),
      rowHeader: true,
      emphasis: true,
      className: 'min-w-32',
      cellClassName: '[overflow-wrap:anywhere]',
      cell: (tk) => tk.name,
    },
    {
      key: 'access',
      header: t('tokens.columns.access'),
      cellClassName: 'whitespace-nowrap',
      cell: (tk) =>
        tk.read_only ? (
          <span className="inline-flex rounded-full bg-sky-100 px-2 py-0.5 text-xs font-semibold text-sky-900 dark:bg-sky-950 dark:text-sky-100">
            {t('tokens.access.readOnly')}
          </span>
        ) : (
          <span className="inline-flex rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900 dark:bg-amber-950 dark:text-amber-100">
            {t('tokens.access.full')}
          </span>
        ),
    },
    {
      key: 'created',
      header: t('tokens.columns.createdAt'),
      cellClassName: 'whitespace-nowrap',
      cell: (tk) => <When unix={tk.created_at} />,
    },
    {
      key: 'expires',
      header: t('tokens.columns.expiresAt'),
      cellClassName: 'whitespace-nowrap',
      cell: (tk) =>
        tk.expires_at === null ? (
          <span className={muted}>{t('tokens.never')}</span>
        ) : tk.expires_at * 1000 <= now ? (
          <span className="font-medium text-red-700 dark:text-red-300">
            {t('tokens.expired', { date: formatDate(tk.expires_at) })}
          </span>
        ) : (
          <When unix={tk.expires_at} />
        ),
    },
    {
      key: 'lastUsed',
      header: t('tokens.columns.lastUsed'),
      cell: (tk) =>
        tk.last_used_at === null ? (
          <span className={muted}>{t('tokens.neverUsed')}</span>
        ) : (
          <>
            <span className="block whitespace-nowrap">
              <When unix={tk.last_used_at} />
            </span>
            {tk.last_used_ip && (
              <span className={`block text-xs ${muted} [overflow-wrap:anywhere]`}>
                {t('tokens.usedFrom', { ip: tk.last_used_ip })}
              </span>
            )}
          </>
        ),
    },
    {
      key: 'actions',
      name: t('tokens.columns.actions'),
      sticky: 'end',
      tight: true,
      end: true,
      cell: (tk) => (
        <Button
          variant="secondary"
          aria-label={
            showOwner
              ? t('tokens.revokeLabelOwner', { name: tk.name, owner: tk.user.username })
              : t('tokens.revokeLabel', { name: tk.name })
          }
          icon={<Ban aria-hidden="true" className="size-4" />}
          onClick={() => onRevoke(tk)}
        >
          {t('tokens.revoke')}
        </Button>
      ),
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={tokens}
      rowKey={(tk) => tk.id}
      caption={showOwner ? t('tokens.adminCaption') : t('tokens.caption')}
      empty={showOwner ? t('tokens.adminEmpty') : t('tokens.empty')}
      rowProps={(tk) => ({ 'data-token-id': tk.id })}
      testId={showOwner ? 'admin-token-table' : 'token-table'}
      variant="plain"
      layout={wide ? 'table' : 'cards'}
    />
  );
}
