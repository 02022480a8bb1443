import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useInstance } from '../api/queries';

/** Sets `<title>` to "Page · Site". */
export function useDocumentTitle(page: string) {
  const { t } = useTranslation();
  const { data } = useInstance();
  const site = data?.site_name || t('app.defaultSiteName');
  useEffect(() => {
    document.title = `${page}${t('app.titleSeparator')}${site}`;
  }, [page, site, t]);
}
