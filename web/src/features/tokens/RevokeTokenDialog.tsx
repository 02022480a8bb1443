import { useTranslation } from 'react-i18next';
import { Ban } from 'lucide-react';
import { DialogForm, ItemDialog } from '../../components/ItemDialog';
import { useRevokeToken, type ApiToken, type TokenScope } from './api';

/**
 * "Révoquer le jeton « name » ?", then `DELETE` (the user's own route, or the administrators'
 * for `scope="all"`). A refusal shows the server's message in the dialog.
 */
export function RevokeTokenDialog({
  token,
  scope,
  onClose,
  onRevoked,
}: {
  token: ApiToken | null;
  scope: TokenScope;
  onClose: () => void;
  onRevoked: (token: ApiToken) => void;
}) {
  const { t } = useTranslation();
  return (
    <ItemDialog
      item={token}
      itemKey={(tk) => tk.id}
      onClose={onClose}
      title={(tk) => t('tokens.revokeDialog.title', { name: tk.name })}
      description={(tk) =>
        scope === 'all'
          ? t('tokens.revokeDialog.ownerText', { owner: tk.user.username })
          : t('tokens.revokeDialog.text')
      }
    >
      {(tk) => <RevokeForm token={tk} scope={scope} onClose={onClose} onRevoked={onRevoked} />}
    </ItemDialog>
  );
}

function RevokeForm({
  token,
  scope,
  onClose,
  onRevoked,
}: {
  token: ApiToken;
  scope: TokenScope;
  onClose: () => void;
  onRevoked: (token: ApiToken) => void;
}) {
  const { t } = useTranslation();
  const revoke = useRevokeToken(scope);
  return (
    <DialogForm
      onSubmit={() => revoke.mutate(token.id, { onSuccess: () => onRevoked(token) })}
      busy={revoke.isPending}
      error={revoke.error}
      cancelLabel={t('tokens.revokeDialog.cancel')}
      onCancel={onClose}
      submit={{
        variant: 'danger',
        children: t('tokens.revokeDialog.submit'),
        busyLabel: t('tokens.revokeDialog.submitting'),
        icon: <Ban aria-hidden="true" className="size-4" />,
      }}
    />
  );
}
