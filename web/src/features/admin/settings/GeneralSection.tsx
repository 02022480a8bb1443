import { useId, useState, type FormEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../../api/client';
import { queryKeys } from '../../../api/queries';
import { Alert } from '../../../components/Alert';
import { CheckboxField } from '../../../components/CheckboxField';
import { TextField } from '../../../components/TextField';
import { cx } from '../../../lib/cx';
import { allowPrivateTargets, useGroupChoices, type GeneralSettings } from './api';
import { SectionFooter, useSectionSave } from './fields';

const FIELDS = [
  'general.registration_open',
  'general.default_group_id',
  'general.site_name',
  'general.allow_private_targets',
  'general.api_password_login',
] as const;

/**
 * "Général": registration, the default group, the site's name, and whether essaim may reach
 * local and private addresses (add by URL, webhooks). `initial.allow_private_targets` is
 * already resolved (see `allowPrivateTargets`). Also whether tools (the qBittorrent-compatible
 * API) may sign in with the account's password rather than a token.
 */
export function GeneralSection({ initial, titleId }: { initial: GeneralSettings; titleId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const client = useQueryClient();
  const groups = useGroupChoices(true);
  const [registrationOpen, setRegistrationOpen] = useState(initial.registration_open);
  const [groupId, setGroupId] = useState(initial.default_group_id === null ? '' : String(initial.default_group_id));
  const [siteName, setSiteName] = useState(initial.site_name);
  const [allowPrivate, setAllowPrivate] = useState(initial.allow_private_targets ?? false);
  const [apiPassword, setApiPassword] = useState(initial.api_password_login ?? false);
  const form = useSectionSave(FIELDS);
  const { fieldErrors, formError, fieldRef, alertRef, edited } = form;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (form.busy) return;
    form.save(
      {},
      {
        general: {
          registration_open: registrationOpen,
          ...(groupId !== '' ? { default_group_id: Number(groupId) } : {}),
          site_name: siteName.trim(),
          allow_private_targets: allowPrivate,
          ...(initial.api_password_login !== undefined ? { api_password_login: apiPassword } : {}),
        },
      },
      (s) => {
        setRegistrationOpen(s.general.registration_open);
        setGroupId(s.general.default_group_id === null ? '' : String(s.general.default_group_id));
        setSiteName(s.general.site_name);
        setAllowPrivate(allowPrivateTargets(s));
        setApiPassword(s.general.api_password_login ?? false);
        // The header, the titles and the registration page read these.
        void client.invalidateQueries({ queryKey: queryKeys.instance });
      },
    );
  }

  const list = groups.data?.groups ?? [];
  // The stored group may be missing from the list (not loaded yet, or failed): keep it selectable.
  const storedMissing = groupId !== '' && !list.some((g) => String(g.id) === groupId);
  const groupError = fieldErrors['general.default_group_id'];
  const groupHintId = `${id}-group-hint`;
  const groupErrorId = `${id}-group-error`;

  return (
    <form noValidate onSubmit={submit} aria-labelledby={titleId} className="flex flex-col gap-4">
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <CheckboxField
        label={t('adminSettings.general.registrationOpen')}
        hint={t('adminSettings.general.registrationOpenHint')}
        name="general-registration-open"
        checked={registrationOpen}
        onChange={(v) => {
          setRegistrationOpen(v);
          edited();
        }}
        error={fieldErrors['general.registration_open']}
        inputRef={fieldRef('general.registration_open')}
      />
      <div className="flex flex-col gap-1 sm:max-w-sm">
        <label htmlFor={`${id}-group`} className="text-sm font-medium text-stone-800 dark:text-stone-200">
          {t('adminSettings.general.defaultGroup')}
        </label>
        <select
          id={`${id}-group`}
          name="general-default-group"
          ref={fieldRef('general.default_group_id') as unknown as Ref<HTMLSelectElement>}
          value={groupId}
          onChange={(e) => {
            setGroupId(e.target.value);
            edited();
          }}
          aria-invalid={groupError ? true : undefined}
          aria-describedby={[groupError && groupErrorId, groupHintId].filter(Boolean).join(' ')}
          className={cx(
            'min-h-10 w-full rounded-md border bg-white px-3 py-2 text-base text-stone-900 shadow-sm sm:text-sm dark:bg-stone-900 dark:text-stone-100',
            groupError ? 'border-red-600 dark:border-red-400' : 'border-stone-300 dark:border-stone-600',
          )}
        >
          {groupId === '' && <option value="">{t('adminSettings.general.noGroup')}</option>}
          {storedMissing && (
            <option value={groupId}>
              {groups.isPending
                ? t('adminSettings.general.groupsLoading')
                : t('adminSettings.general.unknownGroup', { id: groupId })}
            </option>
          )}
          {list.map((g) => (
            <option key={g.id} value={String(g.id)}>
              {g.name}
            </option>
          ))}
        </select>
        {groupError && (
          <p id={groupErrorId} className="text-sm font-medium text-red-700 dark:text-red-300">
            {groupError}
          </p>
        )}
        <p id={groupHintId} className="text-sm text-stone-600 dark:text-stone-400">
          {groups.isError
            ? t('adminSettings.general.groupsFailed', { message: errorMessage(groups.error) })
            : t('adminSettings.general.defaultGroupHint')}
        </p>
      </div>
      <TextField
        label={t('adminSettings.general.siteName')}
        hint={t('adminSettings.general.siteNameHint')}
        name="general-site-name"
        autoComplete="off"
        className="sm:max-w-sm"
        value={siteName}
        onChange={(e) => {
          setSiteName(e.target.value);
          edited();
        }}
        error={fieldErrors['general.site_name']}
        inputRef={fieldRef('general.site_name')}
      />
      <CheckboxField
        label={t('adminSettings.general.allowPrivate')}
        hint={t('adminSettings.general.allowPrivateHint')}
        name="general-allow-private-targets"
        checked={allowPrivate}
        onChange={(v) => {
          setAllowPrivate(v);
          edited();
        }}
        error={fieldErrors['general.allow_private_targets']}
        inputRef={fieldRef('general.allow_private_targets')}
      />
      {initial.api_password_login !== undefined && (
        <CheckboxField
          label={t('adminSettings.general.apiPasswordLogin')}
          hint={t('adminSettings.general.apiPasswordLoginHint')}
          name="general-api-password-login"
          checked={apiPassword}
          onChange={(v) => {
            setApiPassword(v);
            edited();
          }}
          error={fieldErrors['general.api_password_login']}
          inputRef={fieldRef('general.api_password_login')}
        />
      )}
      <SectionFooter busy={form.busy} saved={form.saved} savedText={t('adminSettings.general.saved')} />
    </form>
  );
}
