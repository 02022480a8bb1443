import type { ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { CopyButton } from '../../components/CopyButton';

/** What a *arr tool's qBittorrent form needs to reach essaim (docs/api-qbittorrent.md). */
export interface ArrConnection {
  host: string;
  port: string;
  ssl: boolean;
}

/**
 * Where Sonarr or Radarr reach essaim: the host as this browser sees it, its port (or the
 * protocol's default, which `location.port` leaves empty), and SSL when the page is https.
 */
export function arrConnection(loc: Pick<Location, 'hostname' | 'port' | 'protocol'> = window.location): ArrConnection {
  const ssl = loc.protocol === 'https:';
  return { host: loc.hostname, port: loc.port || (ssl ? '443' : '80'), ssl };
}

function Value({ text, copyLabel }: { text: string; copyLabel: string }) {
  return (
    <span className="flex min-w-0 items-center gap-1">
      <code className="min-w-0 rounded bg-stone-100 px-1.5 py-0.5 font-mono text-xs [overflow-wrap:anywhere] dark:bg-stone-800">
        {text}
      </code>
      <CopyButton text={text} label={copyLabel} />
    </span>
  );
}

/**
 * "Dans Sonarr ou Radarr": the download client to add (qBittorrent, which essaim's /api/v2
 * speaks) and each field to fill. After a creation (`created`), the password is the token just
 * shown; in the card, a token made here.
 */
export function ArrSetup({
  username,
  created = false,
  readOnly = false,
  connection = arrConnection(),
  headingLevel = 3,
}: {
  username: string;
  /** Said right after a creation: the password is the token shown above. */
  created?: boolean;
  /** The token just made is read-only: the tools cannot add with it. */
  readOnly?: boolean;
  connection?: ArrConnection;
  headingLevel?: 3 | 4;
}) {
  const { t } = useTranslation();
  const Heading = `h${headingLevel}` as const;
  const rows: Array<[string, ReactNode]> = [
    [t('tokens.arr.host'), <Value key="host" text={connection.host} copyLabel={t('tokens.arr.copyHost')} />],
    [t('tokens.arr.port'), <Value key="port" text={connection.port} copyLabel={t('tokens.arr.copyPort')} />],
    [t('tokens.arr.ssl'), connection.ssl ? t('tokens.arr.sslOn') : t('tokens.arr.sslOff')],
    [t('tokens.arr.username'), <Value key="user" text={username} copyLabel={t('tokens.arr.copyUsername')} />],
    [t('tokens.arr.password'), created ? t('tokens.arr.passwordCreated') : t('tokens.arr.passwordHelp')],
    [
      t('tokens.arr.category'),
      <Trans
        key="category"
        i18nKey="tokens.arr.categoryValue"
        // The example whole: a line break at its hyphen would hide what to type.
        components={{ code: <code className="font-mono text-xs whitespace-nowrap" /> }}
      />,
    ],
  ];
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="arr-setup">
      <Heading className="text-base font-semibold">{t('tokens.arr.title')}</Heading>
      <p>{t('tokens.arr.where')}</p>
      {/* Two columns on phones too: each value is short, and the form reads like Sonarr's. */}
      <dl className="grid grid-cols-[max-content_minmax(0,1fr)] items-center gap-x-4 gap-y-1">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="font-medium text-stone-600 dark:text-stone-400">{label}</dt>
            <dd className="min-w-0">{value}</dd>
          </div>
        ))}
      </dl>
      <p>{t('tokens.arr.save')}</p>
      {readOnly && <p className="font-medium text-amber-800 dark:text-amber-200">{t('tokens.arr.readOnly')}</p>}
    </div>
  );
}
