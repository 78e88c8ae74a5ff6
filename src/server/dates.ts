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
