import { AD_PIVOTS, REPORT_METRICS, TIME_GRANULARITIES, type TimeGranularity } from '../catalog/ad-analytics';
import { findStream } from '../catalog/streams';
import type { PagesGranularity } from '../connectors/pages';
import { columnsFor, type FieldSpec, periodRefusal, type StreamSpec } from '../catalog/types';
import { type AdAnalyticsQuery, analyticsColumns, validateAnalyticsQuery } from '../connectors/ads-analytics';
import { DAY_MS, dayNumber, dayToIso, isoDate, periodStartDay } from '../dates';
import { type OtherSpreadsheet, writeToProblems } from './destination';
import { DEFAULT_PERIOD, periodField } from './tab-changes';

export const DATE_PRESETS = [
  'yesterday',
  'last_7_days',
  'last_14_days',
  'last_30_days',
  'last_90_days',
  'this_month',
  'last_month',
  'this_year',
  'custom',
  'incremental',
] as const;
export type DatePreset = (typeof DATE_PRESETS)[number];

export interface DateRangeConfig {
  preset: DatePreset;
  /** YYYY-MM-DD, for custom. */
  start?: string;
  end?: string;
  /** Incremental: days re-read before the last covered day, for conversions LinkedIn restates. */
  lookbackDays?: number;
  /** Incremental: how far back the first run reaches. */
  initialDays?: number;
}

export const SCHEDULE_KINDS = ['none', 'hourly', 'daily', 'weekly'] as const;
export type Schedule =
  | { kind: 'none' }
  | { kind: 'hourly' }
  | { kind: 'daily'; hour: number }
  | { kind: 'weekly'; weekDay: number; hour: number };

export interface ReportConfig {
  id: string;
  name: string;
  owner: string;
  source: 'ads' | 'pages';
  stream: string;
  /** Ads: the ad accounts read. */
  accountIds: string[];
  /** Pages: the company pages read. */
  organizationIds?: string[];
  /** Entity or page fields, or analytics metrics. */
  fields: string[];
  pivot?: string;
  /** Ads analytics rows per day, month, year or the whole date range. */
  granularity?: TimeGranularity;
  /** Pages statistics rows per day, week or month. */
  timeGranularity?: PagesGranularity;
  /** Dated streams: the days each run covers. Entity lists have none. */
  dateRange?: DateRangeConfig;
  sheetName: string;
  /** The spreadsheet the report writes to, when not the one it is saved in. */
  spreadsheet?: OtherSpreadsheet;
  schedule: Schedule;
  /** Update rows by key (the default), or make the tab hold exactly what the last run read. */
  writeMode?: WriteMode;
  /** New at every save: a scheduled run compares its copy's with the spreadsheet's (reports/saved-schedules.ts). */
  revision?: string;
}

export const WRITE_MODES = ['upsert', 'replace'] as const;
export type WriteMode = (typeof WRITE_MODES)[number];

export const DEFAULT_LOOKBACK_DAYS = 7;
export const DEFAULT_INITIAL_DAYS = 30;
const MAX_SHEET_NAME = 100;

/** The days a run covers, inclusive, in UTC (LinkedIn's reporting days). */
export function resolveDates(
  range: DateRangeConfig,
  today: string,
  lastCoveredEnd: string | null,
  throughToday = false,
): { startDate: string; endDate: string } {
  const todayDay = dayNumber(today);
  const [year, month] = today.split('-').map(Number);
  const lastDays = (count: number) => ({
    startDate: dayToIso(todayDay - count),
    endDate: dayToIso(todayDay - 1),
  });
  switch (range.preset) {
    case 'yesterday':
      return lastDays(1);
    case 'last_7_days':
      return lastDays(7);
    case 'last_14_days':
      return lastDays(14);
    case 'last_30_days':
      return lastDays(30);
    case 'last_90_days':
      return lastDays(90);
    case 'this_month':
      return { startDate: `${today.slice(0, 7)}-01`, endDate: today };
    case 'last_month': {
      const start = new Date(Date.UTC(year, month - 2, 1)).toISOString().slice(0, 10);
      const end = new Date(Date.UTC(year, month - 1, 0)).toISOString().slice(0, 10);
      return { startDate: start, endDate: end };
    }
    case 'this_year':
      return { startDate: `${year}-01-01`, endDate: today };
    case 'custom':
      return { startDate: range.start!, endDate: range.end! };
    case 'incremental': {
      // A run through today read its last day only up to its moment: that day is read again.
      const lookback = Math.max(range.lookbackDays ?? DEFAULT_LOOKBACK_DAYS, throughToday ? 1 : 0);
      const start = lastCoveredEnd
        ? Math.min(dayNumber(lastCoveredEnd) - lookback + 1, todayDay - 1)
        : todayDay - (range.initialDays ?? DEFAULT_INITIAL_DAYS);
      return { startDate: dayToIso(start), endDate: dayToIso(throughToday ? todayDay : todayDay - 1) };
    }
  }
}

/** The period each of a report's rows covers, by LinkedIn's name for it; undefined for streams without periods. */
export const reportPeriod = (config: Pick<ReportConfig, 'source' | 'granularity' | 'timeGranularity'>) =>
  config[periodField(config.source)];

/**
 * The days a run covers: a stream without dates (an entity list) reads things as they are today.
 * A range that moves with the day (all but a custom one) starts on the first day of its first
 * month, year or week, so each row covers a whole period under the same first day run after run:
 * a row that began mid-month would get a new key every day and sit beside, and count twice with,
 * the rows of earlier runs.
 */
export function runDates(
  config: Pick<ReportConfig, 'dateRange' | 'source' | 'stream' | 'granularity' | 'timeGranularity'>,
  today: string,
  lastCoveredEnd: string | null,
): { startDate: string; endDate: string } {
  if (!config.dateRange) return { startDate: today, endDate: today };
  const dates = resolveDates(config.dateRange, today, lastCoveredEnd, streamSpecOf(config)?.throughToday);
  if (config.dateRange.preset === 'custom') return dates;
  return { ...dates, startDate: dayToIso(periodStartDay(dayNumber(dates.startDate), reportPeriod(config))) };
}

/**
 * What a run's rows are made of: what it reads, by what, over which days, and how it writes them.
 * A run keeps it from its start and starts again when the report is saved otherwise while it
 * imports (`continueRun`), since the rows it wrote stand for the old settings. A digest, as a job
 * must fit a property value (9 KB): two settings with one digest only miss that new start.
 */
export function runSettingsOf(config: ReportConfig): string {
  const text = JSON.stringify([
    config.source,
    config.stream,
    config.accountIds,
    config.organizationIds ?? null,
    config.fields,
    config.pivot ?? null,
    config.granularity ?? null,
    config.timeGranularity ?? null,
    config.dateRange ?? null,
    config.writeMode ?? 'upsert',
  ]);
  // FNV-1a.
  let hash = 0x811c9dc5;
  for (let at = 0; at < text.length; at++) hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
  return `${text.length}.${(hash >>> 0).toString(36)}`;
}

export function analyticsQuery(
  config: ReportConfig,
  dates: { startDate: string; endDate: string },
): AdAnalyticsQuery {
  return {
    accountIds: config.accountIds,
    pivot: config.pivot ?? 'CAMPAIGN',
    granularity: config.granularity ?? DEFAULT_PERIOD.granularity,
    startDate: dates.startDate,
    endDate: dates.endDate,
    metrics: config.fields,
  };
}

export function streamSpecOf(config: Pick<ReportConfig, 'source' | 'stream'>): StreamSpec | undefined {
  return findStream(config.source, config.stream);
}

/** Every column the report could have written, whatever its fields, breakdown or granularity were at the time. */
function everyColumn(config: Pick<ReportConfig, 'source' | 'stream'>): FieldSpec[] {
  const stream = streamSpecOf(config);
  if (!stream) return [];
  const everyField = stream.fields.map((field) => field.key);
  if (stream.id !== 'ad_analytics')
    return (stream.granularities ?? [undefined]).flatMap((granularity) =>
      columnsFor(stream, everyField, granularity),
    );
  const metrics = REPORT_METRICS.map((field) => field.key);
  // One account and several: the account and currency columns show only over several.
  return [['1'], ['1', '2']].flatMap((accountIds) =>
    AD_PIVOTS.flatMap((pivot) =>
      TIME_GRANULARITIES.flatMap((granularity) =>
        analyticsColumns({ accountIds, pivot: pivot.id, granularity, startDate: '', endDate: '', metrics }),
      ),
    ),
  );
}

/** Every header label the report could have written: a tab headed only by these holds the report's own rows. */
export function reportLabels(config: Pick<ReportConfig, 'source' | 'stream'>): Set<string> {
  return new Set(everyColumn(config).map((column) => column.label));
}

/**
 * Every label a key column of the report could have had (“Date”, “Month start”, “Campaign ID”,
 * “Account ID”…): a tab whose key columns are the new header's keeps its rows when only the other
 * columns change (`reshapePlan`).
 */
export function reportKeyLabels(config: Pick<ReportConfig, 'source' | 'stream'>): Set<string> {
  const key = streamSpecOf(config)?.key ?? [];
  return new Set(
    everyColumn(config)
      .filter((column) => key.includes(column.key))
      .map((column) => column.label),
  );
}

/** The header a report writes: its columns follow from its stream, fields, breakdown, accounts and period alone. */
export function reportHeader(config: ReportConfig): string[] {
  const spec = streamSpecOf(config)!;
  const columns =
    spec.fetch === 'ad-analytics'
      ? analyticsColumns(analyticsQuery(config, { startDate: '', endDate: '' }))
      : columnsFor(spec, config.fields, config.timeGranularity);
  return columns.map((column) => column.label);
}

/** The first day LinkedIn reporting reaches back to, as far as we can tell (unconfirmed: no documented retention). */
export const EARLIEST_REPORT_DAY = '2010-01-01';
const MAX_INITIAL_DAYS = 3_650;

/** A real calendar day, YYYY-MM-DD: 2026-02-31 is not one. */
export function isCalendarDay(text: unknown): text is string {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  return isoDate(Date.parse(`${text}T00:00:00Z`)) === text;
}

function dateRangeProblems(range: DateRangeConfig | undefined, today: string): string[] {
  if (!range || typeof range !== 'object' || !DATE_PRESETS.includes(range.preset))
    return ['Choose a date range.'];
  if (range.preset === 'custom') {
    if (!isCalendarDay(range.start) || !isCalendarDay(range.end)) {
      return ['Enter the custom range as two real dates, YYYY-MM-DD.'];
    }
    if (range.start > range.end) return ['The start date is after the end date.'];
    if (range.end > today) return ['The custom range ends in the future: LinkedIn has no data there yet.'];
    if (range.start < EARLIEST_REPORT_DAY)
      return [`Start on ${EARLIEST_REPORT_DAY} or later: LinkedIn keeps no reporting data from before then.`];
  }
  if (range.preset !== 'incremental') return [];
  const lookback = range.lookbackDays ?? DEFAULT_LOOKBACK_DAYS;
  if (!Number.isInteger(lookback) || lookback < 0 || lookback > 90) {
    return ['The lookback window must be 0 to 90 days.'];
  }
  const initial = range.initialDays ?? DEFAULT_INITIAL_DAYS;
  if (!Number.isInteger(initial) || initial < 1 || initial > MAX_INITIAL_DAYS) {
    return [`The first run reaches back 1 to ${MAX_INITIAL_DAYS.toLocaleString('en-US')} days.`];
  }
  return [];
}

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number');

/**
 * What the sidebar sent, checked for shape before anything reads it: a report from
 * google.script.run can be anything, and a wrong shape gets a sentence, not a TypeError.
 */
export function reportInputProblems(input: unknown): string[] {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    return ['The report could not be read: reopen the sidebar and build it again.'];
  const report = input as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof report.name !== 'string') problems.push('Give the report a name.');
  if (typeof report.stream !== 'string') problems.push('Choose what to import.');
  if (!isStringList(report.fields)) problems.push('Choose the fields to import.');
  if (report.accountIds !== undefined && !isStringList(report.accountIds))
    problems.push('Pick ad accounts from the list.');
  if (report.organizationIds !== undefined && !isStringList(report.organizationIds))
    problems.push('Pick pages from the list.');
  if (typeof report.sheetName !== 'string') problems.push('Choose the tab the report writes to.');
  problems.push(...writeToProblems(report.writeTo));
  if (report.writeMode !== undefined && !WRITE_MODES.includes(report.writeMode as WriteMode))
    problems.push('Choose whether runs update rows by key or replace the table.');
  const schedule = report.schedule as { kind?: unknown } | undefined;
  if (
    schedule !== undefined &&
    (!schedule || typeof schedule !== 'object' || !SCHEDULE_KINDS.includes(schedule.kind as Schedule['kind']))
  )
    problems.push('Choose no schedule, hourly, daily or weekly.');
  return problems;
}

function sourceProblems(config: ReportConfig, stream: StreamSpec): string[] {
  if (config.source === 'pages') {
    const pages = config.organizationIds ?? [];
    if (stream.id !== 'pages' && pages.length === 0) return ['Choose at least one page.'];
    return pages.some((id) => !/^\d+$/.test(String(id))) ? ['Pick pages from the list.'] : [];
  }
  if (!Array.isArray(config.accountIds) || config.accountIds.length === 0)
    return ['Choose at least one ad account.'];
  return config.accountIds.some((id) => !/^\d+$/.test(String(id))) ? ['Pick ad accounts from the list.'] : [];
}

function scheduleProblems(schedule: Schedule): string[] {
  const problems: string[] = [];
  if (
    (schedule.kind === 'daily' || schedule.kind === 'weekly') &&
    !(Number.isInteger(schedule.hour) && schedule.hour >= 0 && schedule.hour <= 23)
  ) {
    problems.push('Pick an hour from 0 to 23.');
  }
  if (
    schedule.kind === 'weekly' &&
    !(Number.isInteger(schedule.weekDay) && schedule.weekDay >= 0 && schedule.weekDay <= 6)
  ) {
    problems.push('Pick a day of the week.');
  }
  return problems;
}

/** Everything wrong with a report, each in words that say what to change. Empty when it can run. */
export function validateReport(config: ReportConfig, today: string): string[] {
  const problems: string[] = [];
  if (!String(config.name ?? '').trim()) problems.push('Give the report a name.');
  if (config.source !== 'ads' && config.source !== 'pages') problems.push('Choose Ads or Pages.');
  const stream = streamSpecOf(config);
  if (!stream) return [...problems, 'Choose what to import.'];
  const sheetName = String(config.sheetName ?? '').trim();
  if (!sheetName) problems.push('Choose the tab the report writes to.');
  else if (sheetName.length > MAX_SHEET_NAME || /[[\]*?:/\\]/.test(sheetName)) {
    problems.push('Tab names cannot hold [ ] * ? : / \\ or pass 100 characters.');
  }
  problems.push(...sourceProblems(config, stream), ...scheduleProblems(config.schedule ?? { kind: 'none' }));
  const unknown = config.fields.filter(
    (field) => !stream.fields.some((candidate) => candidate.key === field),
  );
  if (unknown.length) problems.push(`${stream.label} has no field ${unknown.join(', ')}.`);
  if (stream.dated) problems.push(...dateRangeProblems(config.dateRange, today));
  const period = reportPeriod(config);
  if (stream.dated && period && !stream.granularities?.includes(period)) problems.push(periodRefusal(stream));
  if (stream.dated && period === 'ALL' && config.dateRange?.preset === 'incremental')
    problems.push(
      'Totals over the whole date range cannot be read since the last run: each run would add totals of other days beside the earlier ones. Choose rows per day, month or year, or a date range that is not “Since last run”.',
    );
  if (stream.id !== 'ad_analytics' || problems.length) return problems;
  if (!AD_PIVOTS.some((pivot) => pivot.id === config.pivot))
    problems.push('Choose what to break the numbers down by.');
  if (problems.length) return problems;
  return validateAnalyticsQuery(analyticsQuery(config, runDates(config, today, null)));
}

const HOUR_MS = 3_600_000;

/** When a schedule next falls due after `after`, reading hours on the spreadsheet's clock (`offsetMs` ahead of UTC). */
export function nextRunAfter(schedule: Schedule, after: number, offsetMs: number): number | null {
  if (schedule.kind === 'none') return null;
  if (schedule.kind === 'hourly') return (Math.floor(after / HOUR_MS) + 1) * HOUR_MS;
  const local = after + offsetMs;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  for (let offset = 0; offset <= 7; offset++) {
    const candidate = dayStart + offset * DAY_MS + schedule.hour * HOUR_MS;
    const weekDayMatches = schedule.kind === 'daily' || new Date(candidate).getUTCDay() === schedule.weekDay;
    if (candidate > local && weekDayMatches) return candidate - offsetMs;
  }
  return null;
}
