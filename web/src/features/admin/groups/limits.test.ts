import { describe, expect, it } from 'vitest';
import '../../../i18n';
import { EMPTY_LIMITS_FORM, GIB, formToLimits, formatMinutes, limitsSummary, limitsToForm, parseDecimal } from './limits';

describe('parseDecimal', () => {
  it('reads French and English decimals, and empty as null', () => {
    expect(parseDecimal('')).toBeNull();
    expect(parseDecimal('   ')).toBeNull();
    expect(parseDecimal('1,5')).toBe(1.5);
    expect(parseDecimal('1.5')).toBe(1.5);
    expect(parseDecimal('1 024')).toBe(1024);
    expect(parseDecimal('12')).toBe(12);
    expect(parseDecimal('-1')).toBeNaN();
    expect(parseDecimal('1e3')).toBeNaN();
    expect(parseDecimal('abc')).toBeNaN();
  });
});

describe('formToLimits', () => {
  it('sends every field, null where empty', () => {
    expect(formToLimits(EMPTY_LIMITS_FORM)).toEqual({
      ok: true,
      limits: {
        max_torrents: null,
        max_active: null,
        active_policy: 'queue',
        max_torrent_size: null,
        quota_bytes: null,
        download_limit: null,
        upload_limit: null,
        ratio_limit: null,
        seeding_time_limit: null,
      },
    });
  });

  it('converts Go to bytes, Ko/s to bytes/s and hours to minutes', () => {
    const res = formToLimits({
      max_torrents: '50',
      max_active: '3',
      active_policy: 'refuse',
      max_torrent_size: '10',
      quota: '1,5',
      download: '1024',
      upload: '512',
      ratio: '2,5',
      seeding_time: '24',
      seeding_unit: 'h',
    });
    expect(res).toEqual({
      ok: true,
      limits: {
        max_torrents: 50,
        max_active: 3,
        active_policy: 'refuse',
        max_torrent_size: 10737418240,
        quota_bytes: 1610612736,
        download_limit: 1048576,
        upload_limit: 524288,
        ratio_limit: 2.5,
        seeding_time_limit: 1440,
      },
    });
    expect(formToLimits({ ...EMPTY_LIMITS_FORM, seeding_time: '90', seeding_unit: 'min' })).toMatchObject({
      limits: { seeding_time_limit: 90 },
    });
    expect(formToLimits({ ...EMPTY_LIMITS_FORM, seeding_time: '1,5' })).toMatchObject({
      limits: { seeding_time_limit: 90 },
    });
  });

  it('says what is wrong with each field, in French', () => {
    const res = formToLimits({
      ...EMPTY_LIMITS_FORM,
      max_torrents: '2,5',
      quota: '0',
      download: 'vite',
      seeding_time: '1,5',
      seeding_unit: 'min',
    });
    expect(res).toEqual({
      ok: false,
      errors: {
        max_torrents: 'Saisissez un nombre entier, ou laissez vide.',
        quota: 'Saisissez un nombre supérieur à 0, ou laissez vide.',
        download: 'Saisissez un nombre, ou laissez vide.',
        seeding_time: 'Saisissez un nombre entier, ou laissez vide.',
      },
    });
  });

  it('keeps the exact value of a field the admin did not touch', () => {
    const initial = { quota_bytes: 1_000_000_000, max_torrents: 5, seeding_time_limit: 100 };
    const form = limitsToForm(initial);
    expect(form.quota).toBe('0,93');
    expect(form.seeding_time).toBe('100');
    expect(form.seeding_unit).toBe('min');
    const res = formToLimits({ ...form, max_torrents: '6' }, initial);
    expect(res).toMatchObject({ ok: true, limits: { quota_bytes: 1_000_000_000, max_torrents: 6, seeding_time_limit: 100 } });
    // Typed again, it is what was typed.
    expect(formToLimits({ ...form, quota: '1' }, initial)).toMatchObject({ limits: { quota_bytes: GIB } });
  });
});

describe('limitsToForm', () => {
  it('shows bytes in Go, bytes/s in Ko/s, whole hours in hours', () => {
    expect(
      limitsToForm({
        max_torrents: 50,
        max_active: 3,
        active_policy: 'refuse',
        max_torrent_size: 10737418240,
        quota_bytes: 1610612736,
        download_limit: 1048576,
        upload_limit: null,
        ratio_limit: 1.5,
        seeding_time_limit: 1440,
      }),
    ).toEqual({
      max_torrents: '50',
      max_active: '3',
      active_policy: 'refuse',
      max_torrent_size: '10',
      quota: '1,5',
      download: '1024',
      upload: '',
      ratio: '1,5',
      seeding_time: '24',
      seeding_unit: 'h',
    });
    expect(limitsToForm(undefined)).toEqual(EMPTY_LIMITS_FORM);
  });
});

describe('limitsSummary', () => {
  it('says each limit in a few French words', () => {
    expect(limitsSummary({})).toEqual([]);
    expect(limitsSummary({ max_torrents: null })).toEqual([]);
    expect(
      limitsSummary({
        max_torrents: 2,
        max_active: 1,
        active_policy: 'queue',
        max_torrent_size: 10 * GIB,
        quota_bytes: 50 * GIB,
        download_limit: 1048576,
        upload_limit: 524288,
        ratio_limit: 2,
        seeding_time_limit: 90,
      }),
    ).toEqual([
      '2 torrents au plus',
      "1 actif (les autres en file d'attente)",
      '10 Go par torrent',
      'quota de 50 Go',
      'réception 1 Mo/s',
      'envoi 512 Ko/s',
      'ratio 2',
      'partage 1 h 30 min',
    ]);
    expect(limitsSummary({ max_active: 3, active_policy: 'refuse' })).toEqual(['3 actifs (au-delà refusés)']);
  });

  it('formats minutes', () => {
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(1440)).toBe('24 h');
    expect(formatMinutes(61)).toBe('1 h 1 min');
  });
});
