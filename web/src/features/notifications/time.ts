import { formatDate } from '../../lib/format';

const relative = new Intl.RelativeTimeFormat('fr-FR', { numeric: 'auto' });

/**
 * When a notification came: `justNow` under a minute, then "il y a 5 minutes",
 * "il y a 3 heures", "hier", "il y a 4 jours", and the date itself
 * (`24 nov. 2026 à 14:05`) from a week on. `now` in Unix seconds.
 */
export function formatWhen(unixSeconds: number, now: number, justNow: string): string {
  if (!Number.isFinite(unixSeconds) || unixSeconds <= 0) return formatDate(unixSeconds);
  const ago = now - unixSeconds;
  if (ago < 60) return justNow;
  if (ago < 3600) return relative.format(-Math.floor(ago / 60), 'minute');
  if (ago < 86400) return relative.format(-Math.floor(ago / 3600), 'hour');
  if (ago < 7 * 86400) return relative.format(-Math.floor(ago / 86400), 'day');
  return formatDate(unixSeconds);
}
