import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KeyRound } from 'lucide-react';
import { errorMessage } from '../../api/client';
import type { User } from '../../api/types';
import { Alert, DismissibleAlert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { LoadError } from '../../components/LoadError';
import { Loading } from '../../components/Loading';
import { ArrSetup } from './ArrSetup';
import { mayUseApi, useTokens, type ApiToken } from './api';
import { CreateTokenDialog } from './CreateTokenDialog';
import { RevokeTokenDialog } from './RevokeTokenDialog';
import { TokenTable } from './TokenTable';

/**
 * "Mon compte" → Applications: the user's API tokens, "Créer un jeton" (or, without `use_api`,
 * why not), "Révoquer", and how to connect Sonarr or Radarr. A user whose group lost `use_api`
 * still sees and revokes the tokens made before.
 */
export function ApplicationsSection({ user }: { user: User }) {
  const { t } = useTranslation();
  const tokens = useTokens('mine');
  const allowed = mayUseApi(user);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  let list;
  if (tokens.isPending) {
    list = <Loading />;
  } else if (tokens.isError) {
    list = <LoadError query={tokens} message={t('tokens.loadFailed', { message: errorMessage(tokens.error) })} />;
  } else if (allowed || tokens.data.length > 0) {
    list = (
      <TokenTable
        tokens={tokens.data}
        onRevoke={(tk) => {
          setNotice(null);
          setRevoking(tk);
        }}
      />
    );
  }

  return (
    <div className="flex flex-col gap-4">
      {allowed ? (
        <div>
          <Button
            onClick={() => {
              setNotice(null);
              setCreating(true);
            }}
            icon={<KeyRound aria-hidden="true" className="size-4" />}
          >
            {t('tokens.create')}
          </Button>
        </div>
      ) : (
        <Alert tone="info">{t('tokens.noPermission')}</Alert>
      )}
      {notice && (
        <DismissibleAlert tone="success" dismissLabel={t('tokens.dismiss')} onDismiss={() => setNotice(null)}>
          {notice}
        </DismissibleAlert>
      )}
      {list}
      {allowed && <ArrSetup username={user.username} />}
      {allowed && <CreateTokenDialog open={creating} onClose={() => setCreating(false)} />}
      <RevokeTokenDialog
        token={revoking}
        scope="mine"
        onClose={() => setRevoking(null)}
        onRevoked={(tk) => {
          setRevoking(null);
          setNotice(t('tokens.revokeDialog.done', { name: tk.name }));
        }}
      />
    </div>
  );
}
