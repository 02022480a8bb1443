import i18n from '../i18n';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 1024;
const USERNAME_RE = /^[A-Za-z0-9._-]{3,32}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateUsername(v: string): string | undefined {
  if (v.trim() === '') return i18n.t('validation.usernameRequired');
  if (!USERNAME_RE.test(v)) return i18n.t('validation.usernameInvalid');
  return undefined;
}

export function validateNewPassword(v: string): string | undefined {
  if ([...v].length < PASSWORD_MIN) return i18n.t('validation.passwordTooShort');
  if ([...v].length > PASSWORD_MAX) return i18n.t('validation.passwordTooLong');
  return undefined;
}

/** `signUp`: the sign-up form's "Mot de passe" (else a change's "nouveau mot de passe"). */
export function validateConfirmation(password: string, confirmation: string, signUp = false): string | undefined {
  if (password === confirmation) return undefined;
  return i18n.t(signUp ? 'validation.confirmMismatchSignUp' : 'validation.confirmMismatch');
}

export function validateDisplayName(v: string, required: boolean): string | undefined {
  const len = [...v.trim()].length;
  if (len === 0) return required ? i18n.t('validation.displayNameRequired') : undefined;
  if (len > 64) return i18n.t('validation.displayNameTooLong');
  return undefined;
}

export function validateEmail(v: string): string | undefined {
  const s = v.trim();
  if (s === '') return undefined;
  if (s.length > 254 || !EMAIL_RE.test(s)) return i18n.t('validation.emailInvalid');
  return undefined;
}

/** Drops undefined entries so that `Object.keys(errors).length` counts real errors. */
export function compact<T extends Record<string, string | undefined>>(errors: T): Partial<Record<keyof T, string>> {
  const out: Partial<Record<keyof T, string>> = {};
  for (const [k, v] of Object.entries(errors)) if (v) out[k as keyof T] = v;
  return out;
}
