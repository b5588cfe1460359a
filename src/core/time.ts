// A record's time as people read it: `2026-11-23 14:05:09 UTC`, the same on every machine.

/** ISO 8601 with a date, a time to the second (a fraction optional) and a zone. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * @param time a record's time as written (approvals write `Date.toISOString()`)
 * @returns an ISO time with a zone in UTC, to the second (`2026-11-23 14:05:09 UTC`); any
 *   other text (no zone, so its meaning depends on the reader's machine, or not ISO) quoted
 *   as written; no text at all is `an unknown time`
 */
export function shownTime(time: string): string {
  if (time === '') return 'an unknown time';
  const ms = ISO_WITH_ZONE.test(time) ? Date.parse(time) : NaN;
  if (Number.isNaN(ms)) return `"${time}"`;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
