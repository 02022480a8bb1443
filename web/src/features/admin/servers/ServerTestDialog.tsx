import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { PlugZap } from 'lucide-react';
import { api } from '../../../api/endpoints';
import type { AdminServer } from '../../../api/types';
import { Button } from '../../../components/Button';
import { DialogButtons, ItemDialog } from '../../../components/ItemDialog';
import { useConnectionTest } from '../settings/fields';
import { ServerTestOutcome } from './ServerTestOutcome';

/**
 * "Tester" on a row: connects to the server with its saved address, user name and password
 * (`POST /api/admin/servers/test` with its `id`) as soon as the dialog opens, and says in French
 * how it went; "Tester à nouveau" asks again.
 */
export function ServerTestDialog({ server, onClose }: { server: AdminServer | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <ItemDialog
      item={server}
      itemKey={(s) => s.id}
      onClose={onClose}
      title={(s) => t('adminServers.test.title', { name: s.name })}
    >
      {(s) => <ServerTestBody server={s} onClose={onClose} />}
    </ItemDialog>
  );
}

function ServerTestBody({ server, onClose }: { server: AdminServer; onClose: () => void }) {
  const { t } = useTranslation();
  const test = useConnectionTest(() => api.testServer({ url: server.url, username: server.username, id: server.id }));
  const started = useRef(false);
  const { start } = test;
  useEffect(() => {
    // Once per opening (not twice under StrictMode).
    if (started.current) return;
    started.current = true;
    start();
  }, [start]);

  return (
    <div className="flex flex-col gap-4">
      {/* The outcome is an alert (failure) or a status (success) of its own. */}
      <div data-testid="server-test">
        {test.busy ? (
          <p role="status" className="text-sm text-stone-600 dark:text-stone-400">
            {t('adminSettings.testing')}
          </p>
        ) : (
          <ServerTestOutcome state={test.state} />
        )}
      </div>
      <DialogButtons>
        <Button variant="secondary" onClick={onClose}>
          {t('adminServers.test.close')}
        </Button>
        <Button
          onClick={start}
          busy={test.busy}
          busyLabel={t('adminSettings.testing')}
          icon={<PlugZap aria-hidden="true" className="size-4" />}
        >
          {t('adminServers.test.again')}
        </Button>
      </DialogButtons>
    </div>
  );
}
