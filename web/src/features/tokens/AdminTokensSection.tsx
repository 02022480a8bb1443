import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { DismissibleAlert } from '../../components/Alert';
import { Card } from '../../components/Card';
import { LoadError } from '../../components/LoadError';
import { Loading } from '../../components/Loading';
import { useTokens, type ApiToken } from './api';
import { RevokeTokenDialog } from './RevokeTokenDialog';
import { TokenTable } from './TokenTable';

/**
 * Administration → Utilisateurs, "Jetons d'application": everyone's tokens with their owner,
 * and "Révoquer" (`DELETE /api/admin/tokens/{id}`). Administrators only (the page's gate).
 */
export function AdminTokensSection() {
  const { t } = useTranslation();
  const tokens = useTokens('all');
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  let list;
  if (tokens.isPending) list = <Loading />;
  else if (tokens.isError)
    list = <LoadError query={tokens} message={t('tokens.loadFailed', { message: errorMessage(tokens.error) })} />;
  else
    list = (
      <TokenTable
        tokens={tokens.data}
        showOwner
        onRevoke={(tk) => {
          setNotice(null);
          setRevoking(tk);
        }}
      />
    );

  return (
    <Card title={t('tokens.adminTitle')} titleId="jetons" description={t('tokens.adminIntro')}>
      <div className="flex flex-col gap-4">
        {notice && (
          <DismissibleAlert tone="success" dismissLabel={t('tokens.dismiss')} onDismiss={() => setNotice(null)}>
            {notice}
          </DismissibleAlert>
        )}
        {list}
      </div>
      <RevokeTokenDialog
        token={revoking}
        scope="all"
        onClose={() => setRevoking(null)}
        onRevoked={(tk) => {
          setRevoking(null);
          setNotice(t('tokens.revokeDialog.done', { name: tk.name }));
        }}
      />
    </Card>
  );
}
