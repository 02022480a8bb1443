import { useState, type ChangeEvent, type FormEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/queries';
import { Alert } from '../../../components/Alert';
import { CheckboxField } from '../../../components/CheckboxField';
import { CopyButton } from '../../../components/CopyButton';
import { TextAreaField } from '../../../components/TextAreaField';
import { TextField } from '../../../components/TextField';
import { settingsApi, type OidcSettings, type OidcTest, type SettingsUpdate } from './api';
import {
  SecretField,
  SectionFooter,
  TestButton,
  TestOutcome,
  useConnectionTest,
  useSectionSave,
  type TestState,
} from './fields';

const FIELDS = [
  'oidc.issuer',
  'oidc.client_id',
  'oidc.client_secret',
  'oidc.scopes',
  'oidc.group_claim',
  'oidc.group_map',
  'oidc.auto_create',
  'oidc.display_name',
  'oidc.local_login',
  'oidc.break_glass_admin',
] as const;

/** The path of the address the provider sends the browser back to (docs/api-auth.md). */
export const CALLBACK_PATH = '/api/auth/oidc/callback';

/**
 * The redirect URI to register at the provider: the one the last successful test gave (built
 * from essaim's public address), else this page's own origin.
 */
export function redirectUri(test: TestState<OidcTest>, origin: string): string {
  if (test.status === 'done' && test.result.ok && /^https?:\/\//.test(test.result.redirect_uri)) {
    return test.result.redirect_uri;
  }
  return `${origin}${CALLBACK_PATH}`;
}

/** Where the provider sends the browser after its logout: essaim's sign-in page, beside the callback. */
export function postLogoutUri(redirect: string): string {
  return `${redirect.endsWith(CALLBACK_PATH) ? redirect.slice(0, -CALLBACK_PATH.length) : redirect}/connexion`;
}

type Text = 'issuer' | 'client_id' | 'scopes' | 'group_claim' | 'group_map' | 'display_name' | 'break_glass_admin';

const textsOf = (s: OidcSettings): Record<Text, string> => ({
  issuer: s.issuer,
  client_id: s.client_id,
  scopes: s.scopes,
  group_claim: s.group_claim,
  group_map: s.group_map,
  display_name: s.display_name,
  break_glass_admin: s.break_glass_admin,
});

/**
 * "Authentification unique (OpenID Connect)": the provider, how its accounts become essaim's,
 * whether passwords still sign in; "Tester" fetches the provider's discovery document and keys
 * with the values being typed; the redirect URI to register at the provider.
 */
export function OidcSection({ initial, titleId }: { initial: OidcSettings; titleId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [texts, setTexts] = useState(() => textsOf(initial));
  // Empty = keep the stored secret.
  const [secret, setSecret] = useState('');
  const [secretSet, setSecretSet] = useState(initial.client_secret_set);
  const [autoCreate, setAutoCreate] = useState(initial.auto_create);
  const [localLogin, setLocalLogin] = useState(initial.local_login);
  const form = useSectionSave(FIELDS);
  const { fieldErrors, formError, fieldRef, alertRef, edited } = form;
  const test = useConnectionTest(() =>
    settingsApi.testOidc({ issuer: texts.issuer.trim(), client_id: texts.client_id.trim() }),
  );

  const text = (key: Text) => ({
    name: `oidc-${key.replace(/_/g, '-')}`,
    value: texts[key],
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      const v = e.target.value;
      setTexts((old) => ({ ...old, [key]: v }));
      edited();
    },
    error: fieldErrors[`oidc.${key}`],
  });
  const plain = { autoComplete: 'off', spellCheck: false, autoCapitalize: 'none' } as const;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (form.busy) return;
    const body: SettingsUpdate = {
      oidc: {
        issuer: texts.issuer.trim(),
        client_id: texts.client_id.trim(),
        ...(secret !== '' ? { client_secret: secret } : {}),
        scopes: texts.scopes.trim(),
        group_claim: texts.group_claim.trim(),
        // Lines as typed, without the blank ones at the end.
        group_map: texts.group_map.trimEnd(),
        auto_create: autoCreate,
        display_name: texts.display_name.trim(),
        local_login: localLogin,
        break_glass_admin: texts.break_glass_admin.trim(),
      },
    };
    form.save({}, body, (s) => {
      if (s.oidc) {
        setTexts(textsOf(s.oidc));
        setSecretSet(s.oidc.client_secret_set);
        setAutoCreate(s.oidc.auto_create);
        setLocalLogin(s.oidc.local_login);
      }
      setSecret('');
      // The sign-in page's button and password form follow these.
      void client.invalidateQueries({ queryKey: queryKeys.instance });
    });
  }

  const uri = redirectUri(test.state, window.location.origin);

  return (
    <form noValidate onSubmit={submit} aria-labelledby={titleId} className="flex flex-col gap-4">
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <TextField
        label={t('adminSettings.oidc.issuer')}
        hint={t('adminSettings.oidc.issuerHint')}
        type="url"
        inputMode="url"
        {...plain}
        {...text('issuer')}
        inputRef={fieldRef('oidc.issuer')}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label={t('adminSettings.oidc.clientId')}
          {...plain}
          {...text('client_id')}
          inputRef={fieldRef('oidc.client_id')}
        />
        <SecretField
          label={t('adminSettings.oidc.clientSecret')}
          name="oidc-client-secret"
          isSet={secretSet}
          value={secret}
          onChange={(e) => {
            setSecret(e.target.value);
            edited();
          }}
          error={fieldErrors['oidc.client_secret']}
          inputRef={fieldRef('oidc.client_secret')}
        />
      </div>
      <TextField
        label={t('adminSettings.oidc.displayName')}
        hint={t('adminSettings.oidc.displayNameHint')}
        className="sm:max-w-md"
        autoComplete="off"
        {...text('display_name')}
        inputRef={fieldRef('oidc.display_name')}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label={t('adminSettings.oidc.scopes')}
          hint={t('adminSettings.oidc.scopesHint')}
          {...plain}
          {...text('scopes')}
          inputRef={fieldRef('oidc.scopes')}
        />
        <TextField
          label={t('adminSettings.oidc.groupClaim')}
          hint={t('adminSettings.oidc.groupClaimHint')}
          {...plain}
          {...text('group_claim')}
          inputRef={fieldRef('oidc.group_claim')}
        />
      </div>
      <TextAreaField
        label={t('adminSettings.oidc.groupMap')}
        hint={t('adminSettings.oidc.groupMapHint')}
        placeholder={t('adminSettings.oidc.groupMapPlaceholder')}
        rows={4}
        {...plain}
        {...text('group_map')}
        // useFormErrors only needs `focus()`, which a <textarea> has too.
        textareaRef={fieldRef('oidc.group_map') as unknown as Ref<HTMLTextAreaElement>}
      />
      <CheckboxField
        label={t('adminSettings.oidc.autoCreate')}
        hint={t('adminSettings.oidc.autoCreateHint')}
        name="oidc-auto-create"
        checked={autoCreate}
        onChange={(v) => {
          setAutoCreate(v);
          edited();
        }}
        error={fieldErrors['oidc.auto_create']}
        inputRef={fieldRef('oidc.auto_create')}
      />
      <CheckboxField
        label={t('adminSettings.oidc.localLogin')}
        hint={t('adminSettings.oidc.localLoginHint')}
        name="oidc-local-login"
        checked={localLogin}
        onChange={(v) => {
          setLocalLogin(v);
          edited();
        }}
        error={fieldErrors['oidc.local_login']}
        inputRef={fieldRef('oidc.local_login')}
      />
      <TextField
        label={t('adminSettings.oidc.breakGlass')}
        hint={t('adminSettings.oidc.breakGlassHint')}
        className="sm:max-w-sm"
        {...plain}
        {...text('break_glass_admin')}
        inputRef={fieldRef('oidc.break_glass_admin')}
      />
      {!localLogin && texts.break_glass_admin.trim() === '' && (
        <Alert tone="warning">{t('adminSettings.oidc.noBreakGlass')}</Alert>
      )}
      <SectionFooter busy={form.busy} saved={form.saved} savedText={t('adminSettings.oidc.saved')}>
        <TestButton test={test}>{t('adminSettings.oidc.test')}</TestButton>
      </SectionFooter>
      <p className="text-sm text-stone-600 dark:text-stone-400">{t('adminSettings.oidc.testHint')}</p>
      <TestOutcome
        state={test.state}
        success={(r) => (
          <>
            <p>{t('adminSettings.oidc.testOk', { count: r.keys })}</p>
            <p>{r.end_session ? t('adminSettings.oidc.testEndSession') : t('adminSettings.oidc.testNoEndSession')}</p>
          </>
        )}
      />
      <div className="flex flex-col gap-4 border-t border-stone-200 pt-4 dark:border-stone-800">
        <UriToCopy
          testId="oidc-redirect-uri"
          uri={uri}
          title={t('adminSettings.oidc.redirectUri')}
          copy={t('adminSettings.oidc.redirectUriCopy')}
          hint={t('adminSettings.oidc.redirectUriHint')}
        />
        <UriToCopy
          testId="oidc-post-logout-uri"
          uri={postLogoutUri(uri)}
          title={t('adminSettings.oidc.postLogoutUri')}
          copy={t('adminSettings.oidc.postLogoutUriCopy')}
          hint={t('adminSettings.oidc.postLogoutUriHint')}
        />
      </div>
    </form>
  );
}

/** An address the administrator registers at the provider, with a copy button. */
function UriToCopy({ testId, uri, title, copy, hint }: { testId: string; uri: string; title: string; copy: string; hint: string }) {
  return (
    <div className="flex flex-col gap-1">
      <h3 className="text-sm font-medium text-stone-800 dark:text-stone-200">{title}</h3>
      <div className="flex items-center gap-2">
        <code
          data-testid={testId}
          className="min-w-0 flex-1 rounded-md border border-stone-200 bg-stone-50 px-3 py-2 font-mono text-xs [overflow-wrap:anywhere] dark:border-stone-700 dark:bg-stone-950"
        >
          {uri}
        </code>
        <CopyButton text={uri} label={copy} />
      </div>
      <p className="text-sm text-stone-600 dark:text-stone-400">{hint}</p>
    </div>
  );
}
