/**
 * Days as LinkedIn reports them: UTC days, written `YYYY-MM-DD` or counted as day numbers
 * (days since 1970-01-01 UTC).
 */
export const DAY_MS = 86_400_000;

export function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

export function dayNumber(isoDay: string): number {
  const [year, month, day] = isoDay.split('-').map(Number);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export const dayToIso = (day: number) => isoDate(day * DAY_MS);

/**
 * The first day of the period holding `day`, for periods LinkedIn counts on the calendar:
 * months (`MONTHLY`, `MONTH`) and years (`YEARLY`) from their first day, weeks (`WEEK`) from
 * Monday. Days and the whole range (`ALL`) start where they are asked.
 */
export function periodStartDay(day: number, granularity: string | undefined): number {
  const date = new Date(day * DAY_MS);
  switch (granularity) {
    case 'MONTHLY':
    case 'MONTH':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS;
    case 'YEARLY':
      return Date.UTC(date.getUTCFullYear(), 0, 1) / DAY_MS;
    case 'WEEK':
      // Day 0, 1970-01-01, was a Thursday: three days after a Monday.
      return day - ((day + 3) % 7);
    default:
      return day;
  }
}

/** The first period start on or after `day`: where a range that may not begin earlier starts whole periods. */
export function firstPeriodStartFrom(day: number, granularity: string | undefined): number {
  let next = day;
  while (periodStartDay(next, granularity) !== next) next++;
  return next;
}
