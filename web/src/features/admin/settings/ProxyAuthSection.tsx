import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../../components/Alert';
import { TextField } from '../../../components/TextField';
import type { ProxyAuthSettings } from './api';
import { SectionFooter, useSectionSave } from './fields';

const FIELDS = ['proxy_auth.header', 'proxy_auth.trusted_proxies'] as const;

/**
 * "Proxy d'authentification": the header a signing-in reverse proxy names the user in, and the
 * addresses it is believed from. Stored only: this version does not honour it yet.
 */
export function ProxyAuthSection({ initial, titleId }: { initial: ProxyAuthSettings; titleId: string }) {
  const { t } = useTranslation();
  const [header, setHeader] = useState(initial.header);
  const [proxies, setProxies] = useState(initial.trusted_proxies);
  const form = useSectionSave(FIELDS);
  const { fieldErrors, formError, fieldRef, alertRef, edited } = form;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (form.busy) return;
    form.save({}, { proxy_auth: { header: header.trim(), trusted_proxies: proxies.trim() } }, (s) => {
      if (!s.proxy_auth) return;
      setHeader(s.proxy_auth.header);
      setProxies(s.proxy_auth.trusted_proxies);
    });
  }

  return (
    <form noValidate onSubmit={submit} aria-labelledby={titleId} className="flex flex-col gap-4">
      <Alert tone="info">{t('adminSettings.proxyAuth.notActive')}</Alert>
      {formError && <Alert alertRef={alertRef}>{formError}</Alert>}
      <TextField
        label={t('adminSettings.proxyAuth.header')}
        hint={t('adminSettings.proxyAuth.headerHint')}
        name="proxy-auth-header"
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="none"
        className="sm:max-w-sm"
        value={header}
        onChange={(e) => {
          setHeader(e.target.value);
          edited();
        }}
        error={fieldErrors['proxy_auth.header']}
        inputRef={fieldRef('proxy_auth.header')}
      />
      <TextField
        label={t('adminSettings.proxyAuth.trustedProxies')}
        hint={t('adminSettings.proxyAuth.trustedProxiesHint')}
        name="proxy-auth-trusted-proxies"
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="none"
        value={proxies}
        onChange={(e) => {
          setProxies(e.target.value);
          edited();
        }}
        error={fieldErrors['proxy_auth.trusted_proxies']}
        inputRef={fieldRef('proxy_auth.trusted_proxies')}
      />
      <SectionFooter busy={form.busy} saved={form.saved} savedText={t('adminSettings.proxyAuth.saved')} />
    </form>
  );
}
