import { useEffect, useRef, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { Check, KeyRound, TriangleAlert } from 'lucide-react';
import { apiPaths } from '../../api/paths';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { CheckboxField } from '../../components/CheckboxField';
import { CopyButton } from '../../components/CopyButton';
import { DialogButtons, DialogForm } from '../../components/ItemDialog';
import { Modal, focusInitial } from '../../components/Modal';
import { SelectField } from '../../components/SelectField';
import { TextField } from '../../components/TextField';
import { useFormMutation } from '../../lib/useFormErrors';
import { ArrSetup } from './ArrSetup';
import { tokensApi, useRefreshTokens, type CreateTokenInput, type CreatedApiToken } from './api';

/** The expiry choices, in days ('' = never). */
const EXPIRIES = [
  { value: '30', label: 'tokens.createDialog.expiry30' },
  { value: '90', label: 'tokens.createDialog.expiry90' },
  { value: '365', label: 'tokens.createDialog.expiry365' },
  { value: '', label: 'tokens.createDialog.expiryNever' },
] as const;
const DEFAULT_EXPIRY = '365';

/** As the server checks it (1 to 64 characters once trimmed). */
export const MAX_NAME = 64;

const FIELDS = ['name', 'expires_in_days'] as const;

/**
 * "Créer un jeton" (name, read only, expiry), then the new token, shown this one time with how
 * to use it. Closing the dialog forgets the secret: the server never sends it again.
 */
export function CreateTokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  function close() {
    setCreated(null);
    onClose();
  }

  return (
    <Modal
      open={open}
      onOpenChange={(o) => {
        if (!o) close();
      }}
      title={created ? t('tokens.reveal.title', { name: created.name }) : t('tokens.createDialog.title')}
    >
      {created ? <TokenReveal token={created} onDone={close} /> : <CreateForm onCancel={close} onCreated={setCreated} />}
    </Modal>
  );
}

function CreateForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (token: CreatedApiToken) => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshTokens();
  const [name, setName] = useState('');
  const [readOnly, setReadOnly] = useState(false);
  const [expiry, setExpiry] = useState<string>(DEFAULT_EXPIRY);
  const { fieldErrors, formError, fieldRef, alertRef, validate, mutate, busy } = useFormMutation(FIELDS, {
    mutationFn: (input: CreateTokenInput) => tokensApi.create(input),
    onSuccess: (token) => {
      onCreated(token);
      return refresh();
    },
  });

  function submit() {
    const trimmed = name.trim();
    const valid = validate({
      name:
        trimmed === ''
          ? t('tokens.createDialog.nameRequired')
          : [...trimmed].length > MAX_NAME
            ? t('tokens.createDialog.nameTooLong')
            : undefined,
    });
    if (!valid) return;
    mutate({ name: trimmed, read_only: readOnly, expires_in_days: expiry === '' ? null : Number(expiry) });
  }

  return (
    <DialogForm
      onSubmit={submit}
      busy={busy}
      cancelLabel={t('tokens.createDialog.cancel')}
      onCancel={onCancel}
      submit={{
        children: t('tokens.createDialog.submit'),
        busyLabel: t('tokens.createDialog.submitting'),
        icon: <KeyRound aria-hidden="true" className="size-4" />,
      }}
    >
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <TextField
        label={t('tokens.createDialog.name')}
        hint={t('tokens.createDialog.nameHint')}
        name="name"
        autoComplete="off"
        required
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fieldErrors.name}
        inputRef={fieldRef('name')}
      />
      <CheckboxField
        name="read_only"
        label={t('tokens.createDialog.readOnly')}
        hint={t('tokens.createDialog.readOnlyHint')}
        checked={readOnly}
        onChange={setReadOnly}
      />
      <SelectField
        label={t('tokens.createDialog.expiry')}
        name="expires_in_days"
        value={expiry}
        onChange={(e) => setExpiry(e.target.value)}
        error={fieldErrors.expires_in_days}
        // useFormErrors only needs `focus()`, which a <select> has too.
        selectRef={fieldRef('expires_in_days') as unknown as Ref<HTMLSelectElement>}
      >
        {EXPIRIES.map((o) => (
          <option key={o.value} value={o.value}>
            {t(o.label)}
          </option>
        ))}
      </SelectField>
    </DialogForm>
  );
}

/** `curl` with the token on essaim's API at this page's address: what a tool sends. */
export function curlExample(secret: string, origin: string = window.location.origin): string {
  return `curl -H "Authorization: Bearer ${secret}" ${origin}${apiPaths.torrents}`;
}

/**
 * The secret, once: selectable, a copy button, the warning, the fields of Sonarr's or Radarr's
 * qBittorrent form (the likeliest use), and how any other tool sends it.
 */
function TokenReveal({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  const { t } = useTranslation();
  const example = curlExample(token.token);
  // The form that had the focus is gone: start on the token's copy button.
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    focusInitial(ref.current);
  }, []);
  const box =
    'flex items-center gap-2 rounded-md border border-stone-300 bg-stone-50 py-1 pl-3 pr-1 dark:border-stone-600 dark:bg-stone-800';
  return (
    <div ref={ref} className="flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <p className="text-sm font-medium">{t('tokens.reveal.label')}</p>
        <div className={box}>
          <code data-testid="new-token" className="min-w-0 flex-1 font-mono text-sm break-all select-all">
            {token.token}
          </code>
          <CopyButton text={token.token} label={t('tokens.reveal.copy')} />
        </div>
      </div>
      <p className="flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm font-medium text-amber-950 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100">
        <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span>{t('tokens.reveal.warning')}</span>
      </p>
      <ArrSetup username={token.user.username} created readOnly={token.read_only} />
      <div className="flex flex-col gap-2 text-sm">
        <h3 className="text-base font-semibold">{t('tokens.reveal.howTitle')}</h3>
        <p>{t('tokens.reveal.how')}</p>
        <code className="rounded-md bg-stone-100 px-3 py-2 font-mono text-xs break-all dark:bg-stone-800">
          Authorization: Bearer {token.token}
        </code>
        <p>{t('tokens.reveal.example')}</p>
        <div className={box}>
          <code data-testid="token-curl" className="min-w-0 flex-1 font-mono text-xs break-all select-all">
            {example}
          </code>
          <CopyButton text={example} label={t('tokens.reveal.copyExample')} />
        </div>
        {token.read_only && <p className="text-stone-600 dark:text-stone-400">{t('tokens.reveal.readOnlyNote')}</p>}
      </div>
      <DialogButtons>
        <Button onClick={onDone} icon={<Check aria-hidden="true" className="size-4" />}>
          {t('tokens.reveal.done')}
        </Button>
      </DialogButtons>
    </div>
  );
}
