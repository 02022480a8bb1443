import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import fr from './fr.json';

export const defaultNS = 'translation';
export const resources = { fr: { translation: fr } } as const;

void i18n.use(initReactI18next).init({
  lng: 'fr',
  fallbackLng: 'fr',
  supportedLngs: ['fr'],
  resources,
  defaultNS,
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  react: { useSuspense: false },
});

export default i18n;
