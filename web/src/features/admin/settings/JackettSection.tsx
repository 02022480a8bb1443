import { useTranslation } from 'react-i18next';
import { settingsApi, type JackettSettings } from './api';
import { ConnectionSection } from './ConnectionSection';

export const TIMEOUT_MIN = 1;
export const TIMEOUT_MAX = 300;

/** Whole seconds between 1 and 300, or null. */
export function parseTimeout(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= TIMEOUT_MIN && n <= TIMEOUT_MAX ? n : null;
}

export function JackettSection({ initial, titleId }: { initial: JackettSettings; titleId: string }) {
  const { t } = useTranslation();
  return (
    <ConnectionSection
      section="jackett"
      initial={initial}
      titleId={titleId}
      fields={[
        { key: 'url', kind: 'url', label: t('adminSettings.jackett.url'), hint: t('adminSettings.jackett.urlHint') },
        { key: 'api_key', kind: 'secret', label: t('adminSettings.jackett.apiKey') },
        {
          key: 'timeout',
          kind: 'number',
          label: t('adminSettings.jackett.timeout'),
          hint: t('adminSettings.jackett.timeoutHint'),
          parse: parseTimeout,
          invalid: t('adminSettings.jackett.timeoutInvalid'),
          input: { min: TIMEOUT_MIN, max: TIMEOUT_MAX, className: 'sm:max-w-xs' },
        },
      ]}
      test={settingsApi.testJackett}
      testSuccess={(r) =>
        r.indexers.length === 0 ? (
          <p>{t('adminSettings.jackett.testNone')}</p>
        ) : (
          <>
            <p>{t('adminSettings.jackett.testOk', { count: r.indexers.length })}</p>
            <ul className="mt-1 list-disc pl-5" aria-label={t('adminSettings.jackett.indexers')}>
              {r.indexers.map((i) => (
                <li key={i.id}>{i.name}</li>
              ))}
            </ul>
          </>
        )
      }
    />
  );
}
