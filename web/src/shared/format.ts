/** How values read on screen: times in a given IANA zone, rates, counts. */

/** An instant shown in `zone` (the lead's own zone for its plan), with the zone's short name. */
export function inZone(iso: string | null | undefined, zone?: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone: zone ?? undefined,
      weekday: 'short',
      year: 'numeric',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
      timeZoneName: 'short',
    }).format(d);
  } catch {
    return d.toISOString();
  }
}

/** The calendar day of an instant in `zone` (e.g. Thu, 10 Dec 2026). */
export function inDay(iso: string, zone?: string | null): string {
  try {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone: zone ?? undefined,
      weekday: 'short',
      year: 'numeric',
      month: 'short',
      day: '2-digit',
    }).format(new Date(iso));
  } catch {
    return iso.slice(0, 10);
  }
}

export const percent = (r: number | null | undefined, digits = 1) =>
  r === null || r === undefined ? '—' : `${(r * 100).toFixed(digits)}%`;

export const count = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));

/** YYYY-MM-DD of a date `days` before today (UTC). */
export function dayOffset(days: number, from = new Date()): string {
  return new Date(from.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

export const fullName = (l: { firstName?: string | null; lastName?: string | null; email?: string | null }) =>
  [l.firstName, l.lastName].filter(Boolean).join(' ') || l.email || '—';
