import { useTranslation } from 'react-i18next';
import { formatSize } from '../../../lib/format';
import type { ServerTest } from '../../../api/types';
import { TestOutcome, type TestState } from '../settings/fields';

/** A server connection test's result: the version and free space, or what failed (in French). */
export function ServerTestOutcome({ state }: { state: TestState<ServerTest> }) {
  const { t } = useTranslation();
  return (
    <TestOutcome
      state={state}
      success={(r) => (
        <>
          <p>{t('adminServers.test.ok', { version: r.version })}</p>
          {typeof r.free_space === 'number' && r.free_space >= 0 && (
            <p>{t('adminServers.test.freeSpace', { size: formatSize(r.free_space) })}</p>
          )}
        </>
      )}
    />
  );
}
