import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Save } from 'lucide-react';
import { ApiError } from '../../../api/client';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { CheckboxField } from '../../../components/CheckboxField';
import { controlBorder, controlClass } from '../../../components/Field';
import { DialogButtons } from '../../../components/ItemDialog';
import { Modal } from '../../../components/Modal';
import { TextField } from '../../../components/TextField';
import { cx } from '../../../lib/cx';
import { useFormErrors } from '../../../lib/useFormErrors';
import { useAdminServers } from '../servers/queries';
import { serverStateLabel } from '../servers/serversView';
import { isKnownPermission, type Group } from './api';
import {
  EMPTY_LIMITS_FORM,
  LIMIT_FIELDS,
  formToLimits,
  limitsToForm,
  type LimitField,
  type LimitsForm,
  type TimeUnit,
} from './limits';
import { useSaveGroup } from './queries';

type Field = 'name' | LimitField;
const FIELDS: readonly Field[] = ['name', ...LIMIT_FIELDS];

/** The server's `field` ("name", "limits.quota_bytes"…) as one of the form's fields. */
const SERVER_FIELDS: Record<string, Field> = {
  name: 'name',
  'limits.max_torrents': 'max_torrents',
  'limits.max_active': 'max_active',
  'limits.max_torrent_size': 'max_torrent_size',
  'limits.quota_bytes': 'quota',
  'limits.download_limit': 'download',
  'limits.upload_limit': 'upload',
  'limits.ratio_limit': 'ratio',
  'limits.seeding_time_limit': 'seeding_time',
};

/** Create a group (`group` null) or edit one: name, permissions, limits. */
export function GroupFormDialog({
  group,
  open,
  permissions,
  onClose,
  onSaved,
}: {
  group: Group | null;
  open: boolean;
  /** Every permission, in the server's order. */
  permissions: readonly string[];
  onClose: () => void;
  onSaved: (g: Group, created: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      onOpenChange={(o) => {
        if (!o) onClose();
      }}
      title={group ? t('adminGroups.form.editTitle', { name: group.name }) : t('adminGroups.form.createTitle')}
      wide
    >
      {open && (
        <GroupForm
          key={group?.id ?? 'new'}
          group={group}
          permissions={permissions}
          onClose={onClose}
          onSaved={onSaved}
        />
      )}
    </Modal>
  );
}

function GroupForm({
  group,
  permissions,
  onClose,
  onSaved,
}: {
  group: Group | null;
  permissions: readonly string[];
  onClose: () => void;
  onSaved: (g: Group, created: boolean) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const save = useSaveGroup();
  const [name, setName] = useState(group?.name ?? '');
  const [granted, setGranted] = useState<ReadonlySet<string>>(() => new Set(group?.permissions ?? []));
  const [limits, setLimits] = useState<LimitsForm>(() => (group ? limitsToForm(group.limits) : EMPTY_LIMITS_FORM));
  // The servers its members' new torrents may go to; none ticked = every server. Only offered
  // (and sent) once the list of servers is known.
  const servers = useAdminServers();
  const [allowed, setAllowed] = useState<ReadonlySet<number>>(() => new Set(group?.servers ?? []));
  const { fieldErrors, formError, fieldRef, alertRef, show, showApiError, clear } = useFormErrors(FIELDS);

  const setLimit = (patch: Partial<LimitsForm>) => setLimits((l) => ({ ...l, ...patch }));

  function toggleServer(id: number, on: boolean) {
    setAllowed((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function toggle(p: string, on: boolean) {
    setGranted((prev) => {
      const next = new Set(prev);
      if (on) next.add(p);
      else next.delete(p);
      return next;
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (save.isPending) return;
    const errors: Partial<Record<Field, string>> = {};
    const trimmed = name.trim();
    if (trimmed === '') errors.name = t('adminGroups.form.nameRequired');
    else if ([...trimmed].length > 64) errors.name = t('adminGroups.form.nameTooLong');
    const converted = formToLimits(limits, group?.limits);
    if (!converted.ok) Object.assign(errors, converted.errors);
    if (Object.keys(errors).length > 0 || !converted.ok) return show(errors);
    clear();
    // Server order; a permission the server no longer lists but the group had is kept.
    const list = [...permissions.filter((p) => granted.has(p)), ...[...granted].filter((p) => !permissions.includes(p))];
    // In the list's order; a server that no longer exists is dropped.
    const serverIds = servers.data?.filter((s) => allowed.has(s.id)).map((s) => s.id);
    save.mutate(
      {
        id: group?.id ?? null,
        input: {
          name: trimmed,
          permissions: list,
          limits: converted.limits,
          ...(serverIds ? { servers: serverIds } : {}),
        },
      },
      {
        onSuccess: (saved) => onSaved(saved ?? { ...group!, name: trimmed }, group === null),
        onError: (err) => {
          const field = err instanceof ApiError && err.field ? SERVER_FIELDS[err.field] : undefined;
          if (field) show({ [field]: err.message });
          else showApiError(err);
        },
      },
    );
  }

  const limitInput = (field: LimitField, label: string, integer: boolean) => (
    <TextField
      label={label}
      name={field}
      inputMode={integer ? 'numeric' : 'decimal'}
      autoComplete="off"
      placeholder={t('adminGroups.form.unlimited')}
      value={limits[field]}
      onChange={(e) => setLimit({ [field]: e.target.value })}
      error={fieldErrors[field]}
      inputRef={fieldRef(field)}
    />
  );

  const seedingError = fieldErrors.seeding_time;

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-5">
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <TextField
        label={t('adminGroups.form.name')}
        name="name"
        required
        autoComplete="off"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fieldErrors.name}
        inputRef={fieldRef('name')}
      />

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 text-base font-semibold">{t('adminGroups.form.permissions')}</legend>
        <div className="grid gap-x-4 gap-y-2 sm:grid-cols-2">
          {permissions.map((p) => (
            <div key={p} className="flex items-start gap-2">
              <input
                id={`${id}-perm-${p}`}
                type="checkbox"
                checked={granted.has(p)}
                onChange={(e) => toggle(p, e.target.checked)}
                className="mt-0.5 size-5 shrink-0 accent-amber-700 dark:accent-amber-500"
              />
              <label htmlFor={`${id}-perm-${p}`} className="text-sm">
                {isKnownPermission(p) ? t(`adminGroups.permissions.${p}`) : p}
              </label>
            </div>
          ))}
        </div>
      </fieldset>

      {servers.data && servers.data.length > 0 && (
        <fieldset className="flex flex-col gap-2" aria-describedby={`${id}-servers-hint`}>
          <legend className="text-base font-semibold">{t('adminGroups.form.servers')}</legend>
          <p id={`${id}-servers-hint`} className="-mt-1 mb-1 text-sm text-stone-600 dark:text-stone-400">
            {t('adminGroups.form.serversHint')}
          </p>
          <div className="grid gap-x-4 gap-y-2 sm:grid-cols-2" data-testid="group-servers">
            {servers.data.map((s) => (
              <CheckboxField
                key={s.id}
                name={`server-${s.id}`}
                label={s.name}
                hint={s.state === 'active' ? undefined : serverStateLabel(s.state)}
                checked={allowed.has(s.id)}
                onChange={(on) => toggleServer(s.id, on)}
              />
            ))}
          </div>
        </fieldset>
      )}

      <fieldset className="flex flex-col gap-4">
        <legend className="text-base font-semibold">{t('adminGroups.form.limits')}</legend>
        <p className="-mt-2 text-sm text-stone-600 dark:text-stone-400">{t('adminGroups.form.limitsHint')}</p>
        <div className="grid gap-4 sm:grid-cols-2">
          {limitInput('max_torrents', t('adminGroups.form.maxTorrents'), true)}
          <div className="flex flex-col gap-2">
            {limitInput('max_active', t('adminGroups.form.maxActive'), true)}
            <fieldset>
              <legend className="text-sm text-stone-700 dark:text-stone-300">{t('adminGroups.form.activePolicy')}</legend>
              <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
                {(['queue', 'refuse'] as const).map((policy) => (
                  <label key={policy} className="flex items-center gap-2 text-sm">
                    <input
                      type="radio"
                      name={`${id}-policy`}
                      value={policy}
                      checked={limits.active_policy === policy}
                      onChange={() => setLimit({ active_policy: policy })}
                      className="size-4 accent-amber-700 dark:accent-amber-500"
                    />
                    {policy === 'queue' ? t('adminGroups.form.policyQueue') : t('adminGroups.form.policyRefuse')}
                  </label>
                ))}
              </div>
            </fieldset>
          </div>
          {limitInput('max_torrent_size', t('adminGroups.form.maxTorrentSize'), false)}
          {limitInput('quota', t('adminGroups.form.quota'), false)}
          {limitInput('download', t('adminGroups.form.download'), false)}
          {limitInput('upload', t('adminGroups.form.upload'), false)}
          {limitInput('ratio', t('adminGroups.form.ratio'), false)}
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-seeding`} className="text-sm font-medium text-stone-800 dark:text-stone-200">
              {t('adminGroups.form.seedingTime')}
            </label>
            <div className="flex gap-2">
              <input
                id={`${id}-seeding`}
                ref={fieldRef('seeding_time')}
                name="seeding_time"
                inputMode="decimal"
                autoComplete="off"
                placeholder={t('adminGroups.form.unlimited')}
                value={limits.seeding_time}
                onChange={(e) => setLimit({ seeding_time: e.target.value })}
                aria-invalid={seedingError ? true : undefined}
                aria-describedby={seedingError ? `${id}-seeding-error` : undefined}
                className={cx(
                  controlClass,
                  'min-w-0 flex-1',
                  controlBorder(seedingError),
                )}
              />
              <select
                aria-label={t('adminGroups.form.seedingUnit')}
                value={limits.seeding_unit}
                onChange={(e) => setLimit({ seeding_unit: e.target.value as TimeUnit })}
                className={cx(controlClass.replace('w-full', 'w-32 shrink-0'), controlBorder())}
              >
                <option value="h">{t('adminGroups.form.hours')}</option>
                <option value="min">{t('adminGroups.form.minutes')}</option>
              </select>
            </div>
            {seedingError && (
              <p id={`${id}-seeding-error`} className="text-sm font-medium text-red-700 dark:text-red-300">
                {seedingError}
              </p>
            )}
          </div>
        </div>
      </fieldset>

      <DialogButtons>
        <Button variant="secondary" onClick={onClose}>
          {t('adminGroups.form.cancel')}
        </Button>
        <Button
          type="submit"
          busy={save.isPending}
          busyLabel={t('adminGroups.form.submitting')}
          icon={<Save aria-hidden="true" className="size-4" />}
        >
          {group ? t('adminGroups.form.submitEdit') : t('adminGroups.form.submitCreate')}
        </Button>
      </DialogButtons>
    </form>
  );
}
