import { firstPeriodStartFrom, periodStartDay, dayNumber, dayToIso } from '../../src/server/dates';
import { connectedWorld } from '../helpers/connect';
import { analyticsReport, runNow, saveAndRun, saveReport, tableOf } from '../helpers/reports';

const ANN = 'ann@example.com';
const DAY = 86_400_000;

const connected = () => connectedWorld(ANN, {}, ['ads', 'pages']);
type Offline = ReturnType<typeof connected>;

/** The tab's rows as objects by header label. */
const impressionsBy = (
  rows: Array<Record<string, string>>,
  keyOf: (row: Record<string, string>) => string,
) => {
  const totals = new Map<string, number>();
  for (const row of rows)
    totals.set(keyOf(row), (totals.get(keyOf(row)) ?? 0) + Number(row.Impressions.replace(/,/g, '')));
  return totals;
};

const analyticsStarts = (offline: Offline) =>
  offline.linkedin.calls
    .filter((call) => call.path === '/rest/adAnalytics')
    .map((call) => {
      const start = (call.query!.get('dateRange') as { start: Record<string, string> }).start;
      return `${start.year}-${start.month.padStart(2, '0')}-${start.day.padStart(2, '0')}`;
    });

describe('periods LinkedIn counts on the calendar', () => {
  it('start on the first day of their month, year or (Monday) week', () => {
    const day = dayNumber('2026-11-19'); // a Thursday
    expect(dayToIso(periodStartDay(day, 'MONTHLY'))).toBe('2026-11-01');
    expect(dayToIso(periodStartDay(day, 'MONTH'))).toBe('2026-11-01');
    expect(dayToIso(periodStartDay(day, 'YEARLY'))).toBe('2026-01-01');
    expect(dayToIso(periodStartDay(day, 'WEEK'))).toBe('2026-11-16');
    expect(dayToIso(periodStartDay(day, 'DAILY'))).toBe('2026-11-19');
    expect(dayToIso(periodStartDay(day, 'ALL'))).toBe('2026-11-19');
    expect(dayToIso(firstPeriodStartFrom(day, 'MONTH'))).toBe('2026-12-01');
    expect(dayToIso(firstPeriodStartFrom(day, 'WEEK'))).toBe('2026-11-23');
    expect(dayToIso(firstPeriodStartFrom(dayNumber('2026-11-01'), 'MONTH'))).toBe('2026-11-01');
    expect(dayToIso(firstPeriodStartFrom(day, 'DAY'))).toBe('2026-11-19');
  });
});

describe('rows of months, years or whole ranges, run after run', () => {
  it('keeps one row per month when reading since the last run: the month is read whole again, never beside its earlier row', () => {
    const offline = connected();
    const months = saveAndRun(
      offline,
      ANN,
      analyticsReport({
        name: 'Months',
        granularity: 'MONTHLY',
        dateRange: { preset: 'incremental', lookbackDays: 3, initialDays: 60 },
        sheetName: 'Months',
      }),
    );
    offline.clock.advance(5 * DAY);
    runNow(offline, ANN, months.config.id);
    // 60 days back from 2026-11-20 is 2026-09-21: the first run reads September whole; the second, November.
    expect(analyticsStarts(offline)).toEqual(['2026-09-01', '2026-11-01']);
    const rows = tableOf(offline, 'Months');
    expect([...new Set(rows.map((row) => `${row['Month start']}..${row['End date']}`))]).toEqual([
      '2026-09-01..2026-09-30',
      '2026-10-01..2026-10-31',
      '2026-11-01..2026-11-24',
    ]);
    // The month rows hold what the same days read per day hold: nothing counted twice.
    saveAndRun(
      offline,
      ANN,
      analyticsReport({
        name: 'Days',
        dateRange: { preset: 'custom', start: '2026-09-01', end: '2026-11-24' },
        sheetName: 'Days',
      }),
    );
    const byMonth = impressionsBy(
      tableOf(offline, 'Days'),
      (row) => `${row.Date.slice(0, 7)}|${row['Campaign ID']}`,
    );
    expect(impressionsBy(rows, (row) => `${row['Month start'].slice(0, 7)}|${row['Campaign ID']}`)).toEqual(
      byMonth,
    );
    expect(Math.min(...byMonth.values())).toBeGreaterThan(0);
  });

  it('reads a moving range of months from the first day of its first month', () => {
    const offline = connected();
    const report = saveAndRun(
      offline,
      ANN,
      analyticsReport({ granularity: 'MONTHLY', dateRange: { preset: 'last_30_days' } }),
    );
    offline.clock.advance(5 * DAY);
    runNow(offline, ANN, report.config.id);
    const rows = tableOf(offline, 'LinkedIn Ads');
    expect([...new Set(rows.map((row) => `${row['Month start']}..${row['End date']}`))]).toEqual([
      '2026-10-01..2026-10-31',
      '2026-11-01..2026-11-24',
    ]);
    expect(rows).toHaveLength(2 * new Set(rows.map((row) => row['Campaign ID'])).size);
  });

  it('replaces the totals of a moving range with the newer ones, one row per campaign', () => {
    const offline = connected();
    const report = saveAndRun(
      offline,
      ANN,
      analyticsReport({ granularity: 'ALL', dateRange: { preset: 'last_30_days' } }),
    );
    const first = tableOf(offline, 'LinkedIn Ads');
    offline.clock.advance(5 * DAY);
    const done = runNow(offline, ANN, report.config.id).at(-1)!;
    const rows = tableOf(offline, 'LinkedIn Ads');
    expect(rows.map((row) => [row['Start date'], row['End date']])).toEqual(
      first.map(() => ['2026-10-26', '2026-11-24']),
    );
    expect(rows.map((row) => row['Campaign ID'])).toEqual(first.map((row) => row['Campaign ID']));
    expect(done.message).toBe(`${first.length} rows written to “LinkedIn Ads”.`);
  });

  it('replaces a month row whose custom range was edited to start on another day, and keeps months the new range does not read', () => {
    const offline = connected();
    const custom = (start: string, end: string) =>
      analyticsReport({ granularity: 'MONTHLY', dateRange: { preset: 'custom', start, end } });
    const report = saveReport(offline, ANN, custom('2026-01-15', '2026-03-31'));
    runNow(offline, ANN, report.config.id);
    saveReport(offline, ANN, { ...custom('2026-01-01', '2026-02-28'), id: report.config.id });
    runNow(offline, ANN, report.config.id);
    saveReport(offline, ANN, { ...custom('2026-05-10', '2026-05-31'), id: report.config.id });
    runNow(offline, ANN, report.config.id);
    const periods = [
      ...new Set(tableOf(offline, 'LinkedIn Ads').map((row) => `${row['Month start']}..${row['End date']}`)),
    ];
    expect(periods.sort()).toEqual([
      '2026-01-01..2026-01-31',
      '2026-02-01..2026-02-28',
      '2026-03-01..2026-03-31',
      '2026-05-10..2026-05-31',
    ]);
  });

  it('refuses totals over the whole range read since the last run, saying what to choose', () => {
    const offline = connected();
    expect(() =>
      offline.world.callFromSidebar(
        ANN,
        'saveReport',
        analyticsReport({ granularity: 'ALL', dateRange: { preset: 'incremental' } }),
      ),
    ).toThrow('Totals over the whole date range cannot be read since the last run');
  });

  it('starts Pages weeks on a Monday and months past LinkedIn’s 12 months on the first whole month', () => {
    const offline = connected();
    const pages = offline.world.callFromSidebar(ANN, 'listLinkedInPages') as Array<{ id: string }>;
    const gains = (name: string, timeGranularity: string, dateRange: Record<string, string>) =>
      saveReport(offline, ANN, {
        ...analyticsReport(),
        name,
        source: 'pages',
        stream: 'follower_gains',
        organizationIds: [pages[0].id],
        fields: ['organic_follower_gain'],
        granularity: undefined,
        timeGranularity,
        dateRange,
        sheetName: name,
      });
    const weeks = gains('Weeks', 'WEEK', { preset: 'last_30_days' });
    runNow(offline, ANN, weeks.config.id);
    offline.clock.advance(2 * DAY);
    runNow(offline, ANN, weeks.config.id);
    // 30 days back from 2026-11-20 is Wednesday 2026-10-21; from 2026-11-22, Friday 2026-10-23.
    expect(tableOf(offline, 'Weeks').map((row) => row['Week start'])).toEqual([
      '2026-10-19',
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
    ]);
    const months = gains('Months', 'MONTH', { preset: 'custom', start: '2025-01-01', end: '2026-11-19' });
    const done = runNow(offline, ANN, months.config.id).at(-1)!;
    expect(done.message).toContain('rows start on 2025-12-01, not 2025-01-01');
    expect(tableOf(offline, 'Months').map((row) => row['Month start'])[0]).toBe('2025-12-01');
  });
});
