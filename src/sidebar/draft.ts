import type { getCatalog, ReportInput } from '../server/main';
import type { DateRangeConfig, ReportConfig, Schedule, WriteMode } from '../server/reports/config';
import type { WriteTo } from '../server/reports/destination';
import {
  DEFAULT_PERIOD,
  periodField,
  rebuildCause,
  rebuildSentence,
  removesColumns,
  rowsStandFor,
} from '../server/reports/tab-changes';
import { sameTabName } from '../server/sheets/tab-owner';
import type { BuilderField } from './messages';

export type Catalog = ReturnType<typeof getCatalog>;
export type Stream = Catalog['streams'][number];

/**
 * The builder's state: every input's text exactly as the user left it, so a render, a
 * refusal or a background update never changes what was typed. `base` keeps what the
 * builder does not show (id, owner, incremental's first reach).
 */
export interface Draft {
  base: Partial<ReportConfig>;
  name: string;
  /** Whether the user typed the name (or tab): until then it follows the chosen source. */
  nameEdited: boolean;
  stream: string;
  chosen: string[];
  accountSearch: string;
  fields: string[];
  fieldSearch: string;
  pivot: string;
  granularity: string;
  timeGranularity: string;
  preset: string;
  start: string;
  end: string;
  lookback: string;
  sheetName: string;
  sheetEdited: boolean;
  /** Where the report writes: this spreadsheet, the one `spreadsheetLink` names, or a new one. */
  writeTo: WriteTo['kind'];
  spreadsheetLink: string;
  /** The name of the spreadsheet the link opened, once the server has checked it. */
  spreadsheetName: string;
  scheduleKind: Schedule['kind'];
  hour: string;
  weekDay: string;
  problems: Partial<Record<BuilderField, string>>;
  sheetWarning: string;
  writeMode: WriteMode;
  /** The user agreed to clear a tab holding other data for this report. */
  takeOverTab: boolean;
  /** Another user whose schedule runs the report being edited, or ''. */
  scheduledBy: string;
  /** Rows the edited report's tab holds (its card's count): what a rebuild would remove. */
  rowsInTab: number | null;
  /** A new report's id, made once per builder: saving again after a stopped save saves the same report. '' when editing. */
  newId: string;
}

/**
 * Said above Save when the edit removes something from the rows already in the same tab: the
 * rows, when they come to stand for something else (another period, breakdown or accounts
 * split) and the next run rebuilds the tab; the values of columns the report no longer has.
 * The server says the same after saving (`rebuildNotice`); this says it before.
 */
export function rebuildWarning(catalog: Catalog, draft: Draft): string | null {
  const { base } = draft;
  if (!base.id || !draft.rowsInTab || draft.sheetName.trim() !== base.sheetName) return null;
  if (streamKey({ source: base.source ?? 'ads', id: base.stream ?? '' }) !== draft.stream) return null;
  const stream = streamOf(catalog, draft.stream);
  const cause = rebuildCause(
    rowsStandFor(base),
    rowsStandFor({ ...draft, source: stream.source, stream: stream.id, accountIds: draft.chosen }),
    catalog.periodWords,
  );
  if (cause) return rebuildSentence('Saving this gives it', cause, base.sheetName, draft.rowsInTab);
  const removed = stream.fields.filter(
    (field) => base.fields?.includes(field.key) && !draft.fields.includes(field.key),
  );
  return removed.length > 0
    ? `Saving this ${removesColumns(removed.map((field) => field.label))} from the tab “${base.sheetName}” at its next run; its ${draft.rowsInTab.toLocaleString('en-US')} rows stay.`
    : null;
}

export const streamKey = (stream: Pick<Stream, 'source' | 'id'>) => `${stream.source}:${stream.id}`;

export const streamOf = (catalog: Catalog, key: string) =>
  catalog.streams.find((stream) => streamKey(stream) === key) ?? catalog.streams[0];

export const sourceLabel = (source: 'ads' | 'pages') =>
  source === 'pages' ? 'LinkedIn Pages' : 'LinkedIn Ads';

/** The name and tab a new report gets from its source; the tab avoids tabs other reports write. */
export function defaultNames(stream: Stream, takenTabs: string[]): { name: string; sheetName: string } {
  return {
    name: `${sourceLabel(stream.source)}: ${stream.label}`,
    sheetName: freeTabName(`${sourceLabel(stream.source)} - ${stream.label}`, takenTabs),
  };
}

/** `base`, or “base 2”, “base 3”…: the first no report writes to, in any case (Sheets' tab names ignore case). */
function freeTabName(base: string, takenTabs: string[]): string {
  let sheetName = base;
  for (let copy = 2; takenTabs.some((tab) => sameTabName(tab, sheetName)); copy++)
    sheetName = `${base} ${copy}`;
  return sheetName;
}

/**
 * The tab a new report's typed name gives it, until the user types a tab: the name without the
 * characters Sheets refuses in tab names (`[ ] * ? : / \`), within its 100 characters.
 */
export function tabNameFor(name: string, fallback: string, takenTabs: string[]): string {
  const cleaned = name
    .replace(/[[\]*?:/\\]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 90)
    .trim();
  return cleaned ? freeTabName(cleaned, takenTabs) : fallback;
}

/** The keys the stream knows, in the order given: the order of a report's metric columns. */
const knownFields = (stream: Stream, keys: string[]) =>
  keys.filter((key) => stream.fields.some((field) => field.key === key));

/**
 * The chosen fields with `picked` added, whatever order they were ticked in: each goes right
 * after its nearest chosen predecessor in the catalog. A list never reordered stays in the
 * catalog's order; a reordered one keeps the user's order.
 */
export function withPicked(stream: Stream, chosen: string[], picked: string[]): string[] {
  const catalog = stream.fields.map((field) => field.key);
  const rank = (key: string) => catalog.indexOf(key);
  const result = [...chosen];
  for (const key of catalog.filter(
    (candidate) => picked.includes(candidate) && !result.includes(candidate),
  )) {
    const before = result.filter((other) => rank(other) < rank(key));
    const anchor = before.reduce<string | null>(
      (best, other) => (best === null || rank(other) > rank(best) ? other : best),
      null,
    );
    result.splice(anchor === null ? 0 : result.indexOf(anchor) + 1, 0, key);
  }
  return result;
}

/** The fields with `key` moved to `index`: the user's column order. */
export function movedField(fields: string[], key: string, index: number): string[] {
  const rest = fields.filter((other) => other !== key);
  const at = Math.max(0, Math.min(index, rest.length));
  return [...rest.slice(0, at), key, ...rest.slice(at)];
}

/**
 * 128 random bits in hex. `crypto.randomUUID` would need a secure context and a browser of 2022
 * or later, which HtmlService's frames are not documented to give; `getRandomValues` needs neither.
 */
const newReportId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join(
    '',
  );

export function newDraft(catalog: Catalog, takenTabs: string[]): Draft {
  const stream = streamOf(catalog, 'ads:ad_analytics');
  return {
    ...draftFromConfig(catalog, {
      source: stream.source,
      stream: stream.id,
      fields: stream.fields.filter((field) => field.byDefault).map((field) => field.key),
      pivot: 'CAMPAIGN',
      granularity: 'DAILY',
      dateRange: { preset: 'last_30_days' },
      schedule: { kind: 'none' },
    }),
    ...defaultNames(stream, takenTabs),
    newId: newReportId(),
    nameEdited: false,
    sheetEdited: false,
  };
}

export function draftFromConfig(catalog: Catalog, config: Partial<ReportConfig>): Draft {
  const stream = streamOf(catalog, streamKey({ source: config.source ?? 'ads', id: config.stream ?? '' }));
  const schedule = config.schedule ?? { kind: 'none' };
  const range: Partial<DateRangeConfig> = config.dateRange ?? {};
  return {
    base: config,
    name: config.name ?? '',
    nameEdited: true,
    stream: streamKey(stream),
    chosen: (stream.source === 'pages' ? config.organizationIds : config.accountIds) ?? [],
    accountSearch: '',
    fields: knownFields(stream, config.fields ?? []),
    fieldSearch: '',
    pivot: config.pivot ?? 'CAMPAIGN',
    granularity: config.granularity ?? DEFAULT_PERIOD.granularity,
    timeGranularity: config.timeGranularity ?? DEFAULT_PERIOD.timeGranularity,
    preset: range.preset ?? 'last_30_days',
    start: range.start ?? '',
    end: range.end ?? '',
    lookback: String(range.lookbackDays ?? 7),
    sheetName: config.sheetName ?? '',
    rowsInTab: null,
    newId: '',
    sheetEdited: true,
    writeTo: config.spreadsheet ? 'link' : 'this',
    spreadsheetLink: config.spreadsheet?.url ?? '',
    spreadsheetName: config.spreadsheet?.name ?? '',
    scheduleKind: schedule.kind,
    hour: 'hour' in schedule ? String(schedule.hour) : '6',
    weekDay: 'weekDay' in schedule ? String(schedule.weekDay) : '1',
    problems: {},
    sheetWarning: '',
    writeMode: config.writeMode ?? 'upsert',
    takeOverTab: false,
    scheduledBy: '',
  };
}

/** The period kept when the draft moves to `stream`: the same when the stream has it, else its first. */
const periodOf = (stream: Stream, period: string) =>
  !stream.granularities || stream.granularities.includes(period) ? period : stream.granularities[0];

/** The draft switched to another stream: its default metrics, and the defaults' names unless typed. */
export function withStream(draft: Draft, catalog: Catalog, key: string, takenTabs: string[]): Draft {
  const stream = streamOf(catalog, key);
  const names = defaultNames(stream, takenTabs);
  const sameSource = streamOf(catalog, draft.stream).source === stream.source;
  const period = periodField(stream.source);
  return {
    ...draft,
    stream: key,
    chosen: sameSource ? draft.chosen : [],
    accountSearch: sameSource ? draft.accountSearch : '',
    fields: stream.fields.filter((field) => field.byDefault).map((field) => field.key),
    fieldSearch: '',
    // Weekly follower gains switched to page views, which LinkedIn gives per day or month only.
    [period]: periodOf(stream, draft[period]),
    name: draft.nameEdited ? draft.name : names.name,
    sheetName: draft.sheetEdited
      ? draft.sheetName
      : draft.nameEdited
        ? tabNameFor(draft.name, names.sheetName, takenTabs)
        : names.sheetName,
    problems: {},
  };
}

/** An hour the user left empty stays empty (and is refused), never midnight. */
const wholeNumber = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : NaN);

export function scheduleOf(draft: Draft): Schedule {
  const hour = wholeNumber(draft.hour);
  switch (draft.scheduleKind) {
    case 'hourly':
      return { kind: 'hourly' };
    case 'daily':
      return { kind: 'daily', hour };
    case 'weekly':
      return { kind: 'weekly', hour, weekDay: Number(draft.weekDay) };
    default:
      return { kind: 'none' };
  }
}

export const writeToOf = (draft: Draft): WriteTo =>
  draft.writeTo === 'link' ? { kind: 'link', link: draft.spreadsheetLink } : { kind: draft.writeTo };

export function configOf(draft: Draft, catalog: Catalog): ReportInput {
  const stream = streamOf(catalog, draft.stream);
  const forPages = stream.source === 'pages';
  const analytics = stream.id === 'ad_analytics';
  return {
    ...(draft.base as ReportConfig),
    name: draft.name,
    source: stream.source,
    stream: stream.id,
    accountIds: forPages ? [] : draft.chosen,
    organizationIds: forPages ? draft.chosen : undefined,
    fields: knownFields(stream, draft.fields),
    pivot: analytics ? draft.pivot : undefined,
    granularity: analytics ? (draft.granularity as ReportConfig['granularity']) : undefined,
    timeGranularity:
      forPages && stream.dated ? (draft.timeGranularity as ReportConfig['timeGranularity']) : undefined,
    dateRange: {
      ...draft.base.dateRange,
      preset: draft.preset as DateRangeConfig['preset'],
      start: draft.start || undefined,
      end: draft.end || undefined,
      lookbackDays: wholeNumber(draft.lookback),
    },
    sheetName: draft.sheetName,
    writeTo: writeToOf(draft),
    schedule: scheduleOf(draft),
    writeMode: draft.writeMode,
    ...(draft.takeOverTab ? { takeOverTab: true } : {}),
    ...(draft.newId ? { newId: draft.newId } : {}),
  };
}

/** What the builder can tell before asking the server, which checks everything again. */
export function draftProblems(draft: Draft, catalog: Catalog): Partial<Record<BuilderField, string>> {
  const stream = streamOf(catalog, draft.stream);
  const problems: Partial<Record<BuilderField, string>> = {};
  if (!draft.name.trim()) problems.name = 'Give the report a name.';
  if (stream.source === 'ads' && !draft.chosen.length) problems.accounts = 'Choose at least one ad account.';
  if (stream.source === 'pages' && stream.id !== 'pages' && !draft.chosen.length)
    problems.accounts = 'Choose at least one page.';
  if (stream.id === 'ad_analytics' && !draft.fields.length) problems.fields = 'Choose at least one metric.';
  if (!draft.sheetName.trim()) problems.sheet = 'Choose the tab the report writes to.';
  if (draft.writeTo === 'link' && !draft.spreadsheetLink.trim())
    problems.spreadsheet = 'Paste the link of the spreadsheet the report writes to.';
  if (stream.dated && draft.preset === 'custom') {
    if (!draft.start || !draft.end) problems.dates = 'Enter both dates of the custom range.';
    else if (draft.start > draft.end) problems.dates = 'The start date is after the end date.';
  }
  const lookback = wholeNumber(draft.lookback);
  if (stream.dated && draft.preset === 'incremental' && !(lookback >= 0 && lookback <= 90))
    problems.dates = 'The lookback window must be 0 to 90 days.';
  const schedule = scheduleOf(draft);
  if ('hour' in schedule && !(schedule.hour >= 0 && schedule.hour <= 23))
    problems.hour = 'Pick an hour from 0 to 23.';
  return problems;
}
