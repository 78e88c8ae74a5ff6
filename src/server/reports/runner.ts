import {
  type ActivitySpan,
  type AdAnalyticsQuery,
  analyticsColumns,
  analyticsNote,
  expectedRows,
  fieldGroupsOf,
  type RowContext,
  MAX_ELEMENTS,
  pivotSpec,
  replanWindows,
  requestsFor,
  rowsOver,
  servedShare,
  windowBetween,
  windowCalls,
  type Window,
} from '../connectors/ads-analytics';
import type { EntityStream } from '../catalog/ad-entities';
import type { PivotSpec } from '../catalog/ad-analytics';
import { lookedUpNames } from '../connectors/facet-names';
import {
  entityTable,
  fetchAnalyticsWindows,
  fetchEntities,
  lookUpRowContext,
  NAMES_REFUSED,
  openingWindows,
  prepareAdAnalytics,
  runRowsAtMost,
  type Table,
  type WindowsFetched,
} from '../connectors/ads';
import { fetchLeads } from '../connectors/leads';
import { fetchPagesStream, type PagesQuery, type PagesStream, type PagesTable } from '../connectors/pages';
import { type LinkedInClient, PARALLEL_REQUESTS } from '../linkedin/client';
import { LinkedInError, OutOfTimeError, UrlFetchQuotaError } from '../linkedin/errors';
import type { Clock } from '../platform';
import type { FetchStrategy, FieldSpec, StreamSpec } from '../catalog/types';
import { dayNumber, isoDate } from '../dates';
import type { Cell } from '../rows';
import { ReportWriteError, type WriteResult, writeTable } from '../sheets/writer';
import type { Reshape } from '../sheets/reshape';
import { METADATA_CHARACTERS } from '../sheets/metadata-room';
import { claimTab, marksFor, recordPlacing, recordTableHeaders, reportTab } from '../sheets/tab-owner';
import { NEW_SPREADSHEET } from './destination';
import {
  analyticsQuery,
  type ReportConfig,
  reportKeyLabels,
  reportLabels,
  runDates,
  runSettingsOf,
  streamSpecOf,
} from './config';
import { cannotFit, roomFor, type Spreadsheet, spreadsheetCells } from './room';
import {
  CACHE_SECONDS,
  lookupRemembered,
  MAX_CACHE_VALUE,
  rememberLookup,
  type RunCache,
} from './lookup-memo';
import { type Job, type ReportState, type ReportStore, StorageFullError } from './store';
import { quotedLabels } from './tab-changes';

export interface RunServices {
  client: LinkedInClient;
  /**
   * The spreadsheet a report writes to, opened when a step first needs it: one that cannot be
   * opened (deleted, or no longer shared) fails the run with the reason.
   */
  destination(config: ReportConfig): Spreadsheet;
  /** The id of the spreadsheet the reports are saved in (listed in `store`). */
  homeId: string;
  store: ReportStore;
  clock: Clock;
  /** Serialises lease changes in `store` between executions: the lock of whatever holds it. */
  lock: ReportLock;
  /**
   * Where the same report's other runs are held too, when they keep their jobs elsewhere: a
   * sidebar run of a report its user schedules is held in their copy, where their hourly runs
   * hold it, so neither writes the tab while the other does.
   */
  alsoHeldIn?: { store: ReportStore; lock: ReportLock };
  cache: RunCache;
  /** When a step stops starting new batches (it always does at least one): keeps the sidebar's progress moving. */
  stepDeadline: number;
  /** The calendar day a Date read from a spreadsheet in `timeZone` stands for (Utilities.formatDate). */
  dayOf(date: Date, timeZone: string): string;
  /** Identifies this execution: a report is worked on by one execution at a time. */
  executionId: string;
  /** The scopes LinkedIn granted the connection, as its token says; empty when it did not say. */
  linkedInScopes: readonly string[];
  newId(): string;
}

export type ReportLock = Pick<GoogleAppsScript.Lock.Lock, 'waitLock' | 'releaseLock'>;

export interface Progress {
  reportId: string;
  /** The run this is about: the sidebar hands it back, so an answer never speaks for another run. */
  runId: string | null;
  status: 'running' | 'done' | 'failed' | 'busy';
  requestsDone: number;
  requestsPlanned: number;
  rowsWritten: number;
  message: string | null;
}

/** A step holds its report at most this long: a step killed by Apps Script frees it by itself. */
const LEASE_MS = 7 * 60_000;

/** What the sidebar shows of a run; without a job (none started, or another's), its counts are zero. */
export function progressOf(
  reportId: string,
  job: Job | null,
  status: Progress['status'],
  message: string | null = null,
): Progress {
  return {
    reportId,
    runId: job?.runId ?? null,
    status,
    requestsDone: job?.requestsDone ?? 0,
    requestsPlanned: job?.requestsPlanned ?? 0,
    rowsWritten: job?.rowsWritten ?? 0,
    message,
  };
}

const BUSY =
  'This report is being imported by another editor or a schedule right now. Try again in a few minutes.';

/**
 * Runs `work` holding the report wherever its runs are held, unless another execution holds it
 * there; then says so. The locks are taken in one order, and each other execution takes one.
 */
function withLease(services: RunServices, reportId: string, work: () => Progress): Progress {
  const holders = [
    { store: services.store, lock: services.lock },
    ...(services.alsoHeldIn ? [services.alsoHeldIn] : []),
  ];
  const held: ReportLock[] = [];
  try {
    for (const { lock } of holders) {
      lock.waitLock(10_000);
      held.push(lock);
    }
    const now = services.clock.now();
    const busy = holders.some(({ store }) => {
      const lease = store.lease(reportId);
      return lease && lease.runId !== services.executionId && lease.expiresAt > now;
    });
    if (busy) return progressOf(reportId, services.store.job(reportId), 'busy', BUSY);
    for (const { store } of holders)
      store.saveLease(reportId, { runId: services.executionId, expiresAt: now + LEASE_MS });
  } finally {
    for (const lock of held.reverse()) lock.releaseLock();
  }
  try {
    return work();
  } finally {
    for (const { store } of holders) store.deleteLease(reportId);
  }
}

function requireReport(store: ReportStore, reportId: string): ReportConfig {
  const config = store.get(reportId);
  if (!config)
    throw new ReportWriteError('That report no longer exists: it may have been deleted by another editor.');
  return config;
}

/** Starts a run: fixes the dates it covers. The work, planning included, happens in its steps. */
export function startRun(services: RunServices, reportId: string, scheduled: boolean): Progress {
  const config = requireReport(services.store, reportId);
  return withLease(services, reportId, () => {
    const existing = services.store.job(reportId);
    if (existing) return progressOf(reportId, existing, 'running');
    const job = newJob(services, config, services.newId(), scheduled);
    services.store.saveJob(reportId, job);
    return progressOf(reportId, job, 'running');
  });
}

/** A run as it starts: the days it covers, fixed now, and nothing fetched yet. */
function newJob(services: RunServices, config: ReportConfig, runId: string, scheduled: boolean): Job {
  const state = services.store.state(config.id);
  const lastCoveredEnd = state.lastCoveredEnd && historyKept(services, config) ? state.lastCoveredEnd : null;
  return {
    runId,
    startedAt: services.clock.now(),
    ...runDates(config, isoDate(services.clock.now()), lastCoveredEnd),
    windows: null,
    requestsPlanned: 0,
    requestsDone: 0,
    rowsWritten: 0,
    scheduled,
    settings: runSettingsOf(config),
  };
}

const STARTED_AGAIN =
  'The report was saved with other settings while this run imported, so the run started again with them.';

/**
 * The run's job, started again (under the same run id) when the report was saved with other
 * settings since the run began: the rows it wrote stand for the old ones (blank under an added
 * metric, or under another breakdown, which the next write would rebuild away), and its plan
 * for the rest was made for them too.
 */
function jobFor(services: RunServices, config: ReportConfig, job: Job): Job {
  if (job.settings === undefined || job.settings === runSettingsOf(config)) return job;
  const again = newJob(services, config, job.runId, job.scheduled);
  sayOnce(again, STARTED_AGAIN);
  return again;
}

/**
 * Whether the days a report read since its last run are still in its tab: a run “since the last
 * one” into a tab the user deleted reads its first reach again instead of only its lookback.
 */
function historyKept(services: RunServices, config: ReportConfig): boolean {
  try {
    return reportTab(services.destination(config), config.sheetName, config.id) !== null;
  } catch {
    // A spreadsheet that cannot be opened fails the run's first step, saying why.
    return true;
  }
}

interface OpenedAnalytics {
  context: RowContext;
  /** The opening windows fetched with the lookup in this step, their rows not yet written. */
  opening: WindowsFetched | null;
  /** The windows still to fetch once the opening's rows are written. */
  left: Window[];
  /** When the pivot's entities could serve (null: not an entity pivot); undefined when the cache lost it. */
  activity?: ActivitySpan[] | null;
}

function rowContextFrom(json: string): RowContext {
  const [names, accounts, currencies] = JSON.parse(json) as Array<Array<[string, string]>>;
  return { names: new Map(names), accounts: new Map(accounts), currencies: new Map(currencies) };
}

/**
 * Pivot names of a run, kept in the cache between its steps (looked up again if the cache
 * lost them). The first step also plans the run into `job`, fetching the opening windows
 * `firstBatch` picks with its lookup, and keeps the plan before their rows are written.
 */
function openAnalytics(
  services: RunServices,
  config: ReportConfig,
  job: Job,
  query: AdAnalyticsQuery,
  width: number,
  firstBatch: (windows: Window[], activity: ActivitySpan[]) => Window[],
): OpenedAnalytics {
  const reportId = config.id;
  // A run started again with other settings keeps its id, not the names it looked up before.
  const key = `rowContext.${job.runId}.${job.settings ?? ''}`;
  const remember = (context: RowContext) => {
    const json = JSON.stringify([[...context.names], [...context.accounts], [...context.currencies]]);
    if (json.length < MAX_CACHE_VALUE) services.cache.put(key, json, CACHE_SECONDS);
    return context;
  };
  if (job.windows !== null) {
    const cached = services.cache.get(key);
    const context = cached ? rowContextFrom(cached) : remember(lookUpRowContext(services.client, query));
    return {
      context,
      opening: null,
      left: job.windows.map(([start, end]) => windowBetween(query, start, end)),
      activity: lookupRemembered(services.cache, reportId, query),
    };
  }
  let roomLeft: number | undefined;
  const room = () => (roomLeft ??= roomFor(services.destination(config), config.sheetName));
  const prior = lookupRemembered(services.cache, reportId, query);
  // A prior that could not fit leaves the judging to the lookup, before any analytics request.
  const priorBound = prior ? runRowsAtMost(query, prior) : null;
  const priorFits = priorBound === null || priorBound * width <= room();
  const {
    context,
    plan,
    opening,
    activity,
    rowsAtMost: bound,
    namesRefused,
  } = prepareAdAnalytics(services.client, query, priorFits ? openingWindows(query, prior, firstBatch) : []);
  // Before any planned window: what cannot fit even at the most rows its lookup allows.
  if (plan.windows.length > 0 && bound !== null) refuseWhatCannotFit(bound, width, room(), 'at most');
  rememberLookup(services.cache, reportId, query, activity);
  // Beside what the run said before planning (that it started again with new settings).
  sayOnce(job, analyticsNote(query));
  if (namesRefused) sayOnce(job, NAMES_REFUSED);
  // The plan is kept now, so a step stopped later does not plan again; the opening windows
  // stay in it until their rows are written, so a step stopped while writing fetches them again.
  const whole = opening?.whole ?? [];
  job.windows = spansOf([...whole, ...plan.windows].sort((a, b) => a.startDay - b.startDay));
  job.requestsPlanned = (opening?.requests ?? 0) + plan.requests;
  services.store.saveJob(reportId, job);
  return { context: remember(context), opening, left: plan.windows, activity };
}

/**
 * An import whose rows could not all fit in the spreadsheet stops before its first rows are
 * written, with the numbers, instead of failing at Sheets' limit after fetching everything:
 * before any analytics request when even the most rows the lookups allow cannot fit, and
 * again after the first batch, from what it really held, for the rows the lookups could not bound.
 */
function refuseWhatCannotFit(rows: number, width: number, room: number, judged: 'at most' | 'about'): void {
  const problem = cannotFit(rows, width, room, judged);
  if (problem) throw new ReportWriteError(`${problem} Nothing was imported.`);
}

/**
 * The report's tab, made when missing (its grid cut to the report's width, since Sheets counts
 * every cell), and whether the report wrote it before: only then are columns beside its table the user's.
 */
function targetSheet(services: RunServices, config: ReportConfig, job: Job, width: number) {
  const spreadsheet = services.destination(config);
  const existing = reportTab(spreadsheet, config.sheetName, config.id);
  if (existing) {
    const marks = marksFor(existing, config.id);
    return { sheet: claimed(services, existing, config), ...marks };
  }
  // A new tab would hold only what is left of the import, and the run would say it is done.
  if (job.rowsWritten > 0)
    throw new ReportWriteError(
      `The tab “${config.sheetName}” was deleted while this report was importing into it. Run the report again to import everything into a new tab.`,
    );
  try {
    const sheet = spreadsheet.insertSheet(config.sheetName);
    if (sheet.getMaxColumns() > width) sheet.deleteColumns(width + 1, sheet.getMaxColumns() - width);
    return { sheet: claimed(services, sheet, config), writtenBefore: false, tableHeaders: [], placing: null };
  } catch (error) {
    throw new ReportWriteError(
      `Could not add the tab “${config.sheetName}” (${error instanceof Error ? error.message : String(error)}). ` +
        'If you may only view the spreadsheet, ask its owner for edit access or edit the report to write elsewhere. ' +
        `If it is near Google Sheets’ 10 million cell limit, delete unused tabs or rows, or build the report in ${NEW_SPREADSHEET}.`,
    );
  }
}

/**
 * The report's tab, marked as its own so a rename is followed. A tab of another spreadsheet
 * marked as another report's is not written, nor a tab here marked by a report saved in another
 * spreadsheet (it took the tab over). In the report's own spreadsheet, whose reports the save
 * keeps apart by tab name, a tab another report writes is not written either (the user renamed
 * it to this report's tab name); the mark of one that does not (deleted, moved, or never saved)
 * is replaced. A scheduled run knows only its user's scheduled reports: it takes any other's mark.
 */
function claimed(services: RunServices, sheet: GoogleAppsScript.Spreadsheet.Sheet, config: ReportConfig) {
  const spreadsheet = services.destination(config);
  let writer: ReportConfig | undefined;
  const writesHere = (reportId: string) => {
    // The list, not `get`: a save stopped before listing the report leaves its settings unlisted.
    const other = services.store.list().find((report) => report.id === reportId);
    if (
      !other ||
      other.spreadsheet ||
      reportTab(spreadsheet, other.sheetName, other.id)?.getSheetId() !== sheet.getSheetId()
    )
      return false;
    writer = other;
    return true;
  };
  if (claimTab(sheet, config.id, services.homeId, (markedBy) => !config.spreadsheet && !writesHere(markedBy)))
    return sheet;
  if (config.spreadsheet)
    throw new ReportWriteError(
      `The tab “${config.sheetName}” of “${config.spreadsheet.name}” is written by another report now (saved in another spreadsheet, or one that took the tab over). Edit this report to choose another tab. Nothing was written.`,
    );
  // The save keeps this spreadsheet's reports apart by tab name, but the user may rename a
  // report's tab to another's name: its rows and columns stay that report's.
  if (writer)
    throw new ReportWriteError(
      `The tab “${sheet.getName()}” is the report “${writer.name}”’s tab, renamed “${sheet.getName()}” since. Edit this report to choose another tab, or give that tab another name. Nothing was written.`,
    );
  throw new ReportWriteError(
    `The tab “${config.sheetName}” is written by a report saved in another spreadsheet now (it took the tab over). Edit this report to choose another tab. Nothing was written.`,
  );
}

/**
 * Works on a started run until `deadline`: fetches what is left, writes each batch of
 * complete rows, then saves the cursor. A run stopped anywhere (even by Apps Script's
 * own limit) leaves only complete rows, and the next step fetches the rest again.
 */
export function continueRun(services: RunServices, reportId: string, runId: string | null = null): Progress {
  const config = requireReport(services.store, reportId);
  return withLease(services, reportId, () => {
    const job = services.store.job(reportId);
    return job
      ? step(services, config, jobFor(services, config, job))
      : settledRun(reportId, services.store.state(reportId), runId);
  });
}

const INTERRUPTED = 'This run was stopped before it finished (Apps Script ended it). Run the report again.';

/**
 * What became of a run that has no job left: finished or failed (as its state says), or
 * stopped before it could say either. Never "done" for a run that did not finish.
 */
function settledRun(reportId: string, state: ReportState, runId: string | null): Progress {
  const settled = state.lastRunId !== null && (runId === null || state.lastRunId === runId);
  return {
    reportId,
    runId: settled ? state.lastRunId : runId,
    status: settled && !state.lastError ? 'done' : 'failed',
    requestsDone: 0,
    requestsPlanned: 0,
    rowsWritten: settled ? (state.lastRows ?? 0) : 0,
    message: settled ? state.lastError : INTERRUPTED,
  };
}

const REBUILT_NOTE =
  'The report’s rows stand for another period, breakdown or set of accounts since its last run, so its tab was rebuilt from this run: rows of earlier runs were removed.';

const tabMetadataFullMessage = (tab: string) =>
  `The tab “${tab}” has no room left for the report's note of which of its columns are the report's: Google Sheets keeps at most ${METADATA_CHARACTERS.toLocaleString('en-US')} characters of add-on data on a tab, and other add-ons' data fill it. ` +
  'Send the report to a new tab, or remove the add-ons that keep data on this one, then run it again. No rows were written.';

/** Adds a sentence to what the run says (its message, and the card's note), once however many steps say it. */
function sayOnce(job: Job, note: string | null | undefined): void {
  if (note && !job.note?.includes(note)) job.note = [job.note, note].filter(Boolean).join(' ');
}

/** Rows listed by number in a note, at most this many. */
const ROWS_NAMED = 5;
/** Rows with an incomplete key a run keeps by number, to follow them through its later writes. */
const UNKEYED_ROWS_KEPT = 50;

/**
 * Adds the rows a write found with an incomplete key to those the run's earlier writes found,
 * which this write may have moved: every number where its row is now.
 */
function keepUnkeyedRows(
  job: Job,
  { unkeyedRows, rowAfter }: Pick<WriteResult, 'unkeyedRows' | 'rowAfter'>,
): void {
  const rows = [...new Set([...(job.unkeyedRows ?? []).map(rowAfter), ...unkeyedRows])].sort((a, b) => a - b);
  if (rows.length === 0) return;
  job.unkeyedRows = rows.slice(0, UNKEYED_ROWS_KEPT);
  // Writes mostly find the same rows again: the most any write left beyond those kept, not their sum.
  job.unkeyedRowsMore = Math.max(job.unkeyedRowsMore ?? 0, rows.length - UNKEYED_ROWS_KEPT, 0);
}

/**
 * What a run says of rows whose key the user left incomplete: runs that read their days write
 * them again. Putting the cell back is safe: a key found twice keeps its first row.
 */
function unkeyedNote(rows: number[], more: number, tab: string): string {
  const beyond = rows.length - ROWS_NAMED + more;
  const named = rows.slice(0, ROWS_NAMED).join(', ') + (beyond > 0 ? ` and ${beyond} more` : '');
  return rows.length > 1
    ? `Rows ${named} of the tab “${tab}” have an empty date or ID cell, so runs cannot tell which rows they are and write them again when they read their days: put the dates or IDs back, or delete those rows.`
    : `Row ${named} of the tab “${tab}” has an empty date or ID cell, so runs cannot tell which row it is and write it again when they read its day: put the date or ID back, or delete that row.`;
}

/** What a run that reshaped the tab says: rows of earlier runs stay, blank under what was added before `firstDay`. */
function reshapedNote(
  { added, removed, reordered }: Reshape,
  firstDay: string,
  tableFrom: string | null,
): string {
  // Blank only where the tab has days this run does not read (unknown for tables not keyed by day).
  const blankBefore = tableFrom === null || tableFrom < firstDay;
  return [
    added.length > 0 &&
      `Columns added: ${quotedLabels(added)}${blankBefore ? `, blank in rows before ${firstDay} (earlier runs)` : ''}.`,
    removed.length > 0 && `Columns removed: ${quotedLabels(removed)}.`,
    reordered && 'Columns put in their new order.',
  ]
    .filter(Boolean)
    .join(' ');
}

function step(services: RunServices, config: ReportConfig, job: Job): Progress {
  const spec = streamSpecOf(config)!;
  const labels = reportLabels(config);
  const keyLabels = reportKeyLabels(config);
  const write = (columns: FieldSpec[], rows: Cell[][], scope: ReplaceScope) => {
    const { sheet, writtenBefore, tableHeaders, placing } = targetSheet(
      services,
      config,
      job,
      columns.length,
    );
    const timeZone = services.destination(config).getSpreadsheetTimeZone();
    if (sheet.getName() !== config.sheetName) followRenamedTab(services, config, job, sheet.getName());
    const result = writeTable(
      sheet,
      {
        columns,
        // The catalog's key fields this report's columns hold: an account column only over several accounts.
        keyFields: spec.key.filter((key) => columns.some((column) => column.key === key)),
        rows,
        ownLabels: new Set([...labels, ...columns.map((column) => column.label)]),
        keyLabels,
        replaceWhere: config.writeMode === 'replace' ? replaceWhere(spec, job, scope) : undefined,
        periodEnd: spec.periodEnd,
        dayOf: (date) => services.dayOf(date, timeZone),
        writtenBefore,
        tableHeaders,
        recordTableHeaders: (headers) => {
          if (!recordTableHeaders(sheet, headers))
            throw new ReportWriteError(tabMetadataFullMessage(sheet.getName()));
        },
        placing,
        recordPlacing: (order) => recordPlacing(sheet, order),
      },
      spreadsheetCells(services.destination(config)),
    );
    sayOnce(
      job,
      result.rebuilt
        ? REBUILT_NOTE
        : result.reshaped && reshapedNote(result.reshaped, job.startDate, result.firstDay),
    );
    keepUnkeyedRows(job, result);
    job.tableRows = result.tableRows;
    job.rowsWritten += rows.length;
  };
  try {
    // The catalog names how each stream is fetched.
    if (STEP_BY_FETCH[spec.fetch]({ services, config, job, write }))
      return progressOf(config.id, job, 'running');
  } catch (error) {
    if (!(error instanceof OutOfTimeError)) return failRun(services, config.id, job, error);
    services.store.saveJob(config.id, job);
    return progressOf(config.id, job, 'running');
  }
  return finishRun(services, config, job);
}

/**
 * The user renamed the report's tab: the report keeps writing there, under its new name, and
 * says so once on its card.
 */
function followRenamedTab(services: RunServices, config: ReportConfig, job: Job, name: string): void {
  const note = `Its tab “${config.sheetName}” was renamed “${name}”: the report writes there now.`;
  services.store.save({ ...services.store.get(config.id)!, sheetName: name });
  // This step's later writes, and its message, name the tab as it is now.
  config.sheetName = name;
  sayOnce(job, note);
}

/** What a step of any fetch strategy works with: `write` puts rows in the report's tab by key. */
interface StepWork {
  services: RunServices;
  config: ReportConfig;
  job: Job;
  write(columns: FieldSpec[], rows: Cell[][], scope: ReplaceScope): void;
}

/** Pages in batches, each written then saved as done: a step never repeats a batch a previous step finished. Says whether pages are left. */
function pagesInBatches({ services, config, job, write }: StepWork): boolean {
  const reportId = config.id;
  job.pagesLeft ??= [...(config.organizationIds ?? [])];
  let batches = 0;
  while (job.pagesLeft.length > 0 && (batches++ === 0 || services.clock.now() < services.stepDeadline)) {
    const names = job.pageNames ? new Map(Object.entries(job.pageNames)) : undefined;
    // A batch's first requests (one a page, and the names request until the run has the
    // names) fit one round trip. The names request names every page of the run.
    const batch = job.pagesLeft.slice(
      0,
      Math.min(job.pagesPerBatch ?? PARALLEL_REQUESTS, PARALLEL_REQUESTS - (names ? 0 : 1)),
    );
    // At least a request a page and the names; posts find out how many more as they list.
    job.requestsPlanned = Math.max(
      job.requestsPlanned,
      job.requestsDone + job.pagesLeft.length + (names ? 0 : 1),
    );
    const sent = services.client.requestsSent;
    let table: PagesTable;
    try {
      table = fetchPagesStream(
        services.client,
        { ...pagesQuery(config, job, batch), pageNames: names ?? config.organizationIds },
        services.clock.now(),
      );
    } catch (error) {
      // How long pages' posts take is known only once they are listed: a batch that outlasts
      // a step would be asked whole again every step, so the next takes half as many pages.
      if (error instanceof OutOfTimeError && batch.length > 1)
        job.pagesPerBatch = Math.ceil(batch.length / 2);
      throw error;
    }
    job.pageNames ??= Object.fromEntries(table.names);
    // Rows first, cursor second: a stop between the two refetches and rewrites the same keys.
    write(table.columns, table.rows, { days: 'all', organizationIds: batch });
    sayOnce(job, table.note);
    job.pagesLeft = job.pagesLeft.slice(batch.length);
    job.requestsDone += services.client.requestsSent - sent;
    job.requestsPlanned = Math.max(job.requestsPlanned, job.requestsDone + job.pagesLeft.length);
    if (job.pagesLeft.length > 0) services.store.saveJob(reportId, job);
  }
  return job.pagesLeft.length > 0;
}

/**
 * A stream fetched whole and written in one write: a stop before the write ends leaves the tab as
 * it was or rows written by key, so the next step writes the same keys. Requests are counted as
 * sent, names lookups included: how many is known only once the answers are in.
 */
function wholeTable(
  { services, job, write }: StepWork,
  fetch: () => Table & { note?: string | null },
): boolean {
  job.requestsPlanned = Math.max(1, job.requestsPlanned);
  const sent = services.client.requestsSent;
  const table = fetch();
  // What LinkedIn's answers made the run say, then what the write said of the tab.
  sayOnce(job, table.note ?? null);
  write(table.columns, table.rows, { days: 'all' });
  job.requestsDone += services.client.requestsSent - sent;
  job.requestsPlanned = Math.max(job.requestsPlanned, job.requestsDone);
  return false;
}

/** Every page in one go: lifetime snapshots and the page list are one request a page. */
const pagesTogether = (work: StepWork) =>
  wholeTable(work, () =>
    fetchPagesStream(
      work.services.client,
      pagesQuery(work.config, work.job, work.config.organizationIds ?? []),
      work.services.clock.now(),
    ),
  );

/** An entity stream of the ad accounts, all accounts paged side by side. */
const adEntities = (work: StepWork) =>
  wholeTable(work, () => {
    const { config, services } = work;
    const stream = config.stream as EntityStream;
    return entityTable(stream, fetchEntities(services.client, stream, config.accountIds), config.fields);
  });

/** The accounts' lead form responses of the run's range. */
const adLeads = (work: StepWork) =>
  wholeTable(work, () => {
    const { config, job, services } = work;
    const { accountIds, fields } = config;
    return fetchLeads(
      services.client,
      {
        accountIds,
        startDate: job.startDate,
        endDate: job.endDate,
        fields,
        grantedScopes: services.linkedInScopes,
      },
      services.clock.now(),
    );
  });

/**
 * Names the pivot's values that LinkedIn names only through a lookup (countries and regions)
 * and the run has not named yet, in one round trip after the batch that holds them; a lookup
 * LinkedIn refuses leaves them blank and says why once. The requests it took.
 */
function nameLookedUpValues(
  services: RunServices,
  job: Job,
  context: RowContext,
  pivot: PivotSpec,
  values: Set<string>,
): number {
  if (!pivot.names) return 0;
  const unnamed = [...values].filter((value) => !context.names.has(value));
  const lookedUp = lookedUpNames(
    services.client,
    unnamed.map((value) => ({ lookup: pivot.names, value })),
    pivot.label,
    services.linkedInScopes,
  );
  lookedUp.names.forEach((name, value) => context.names.set(value, name));
  sayOnce(job, lookedUp.note);
  return lookedUp.requests;
}

/** Ad analytics in planned windows, a batch at a time, each written then saved as done. Says whether windows are left. */
function adAnalyticsWindows({ services, config, job, write }: StepWork): boolean {
  const reportId = config.id;
  const query = analyticsQuery(config, job);
  const fieldGroups = fieldGroupsOf(query.metrics);
  const columns = analyticsColumns(query);
  const pivot = pivotSpec(query.pivot);
  const width = columns.length;
  const cellsOf = (activity: ActivitySpan[] | null | undefined) => (window: Window) => {
    if (activity === undefined) return MAX_ELEMENTS * width;
    const rows = rowsOver(window.buckets, expectedRows(query, activity, job.servedShare));
    return Math.min(MAX_ELEMENTS, rows) * width;
  };
  const { context, opening, left, activity } = openAnalytics(
    services,
    config,
    job,
    query,
    width,
    (windows, prior) => batchOf(query, fieldGroups, windows, cellsOf(prior)),
  );
  /**
   * Learns from a fetched batch, plans the windows `rest` again (the halves `again` stay as
   * they are, so a window cut off is never packed back whole), then writes the rows before
   * keeping the cursor.
   */
  const absorb = (fetched: WindowsFetched, rest: Window[], again: Window[]): Window[] => {
    let next = [...again, ...rest];
    if (activity !== undefined) {
      // What this batch really held tells how much of the bound the windows left will hold. A
      // window cut off at the cap held at least its share: news once whole windows have set a
      // share, and before that only past the whole bound, which the windows were planned with.
      const shares = fetched.counted.map(({ window, rows }) => ({
        share: servedShare(query, activity, window, rows),
        whole: fetched.whole.includes(window),
      }));
      const known = [job.servedShare ?? 0, ...shares.filter(({ whole }) => whole).map(({ share }) => share)];
      const newsAbove = Math.max(...known) > 0 ? 0 : 1;
      const cutOff = shares
        .filter(({ whole, share }) => !whole && share > newsAbove)
        .map(({ share }) => share);
      const learned = Math.max(...known, ...cutOff);
      if (learned > 0) job.servedShare = learned;
      if (job.servedShare !== undefined)
        next = [...again, ...replanWindows(query, activity, rest, job.servedShare)];
      if (job.rowsWritten === 0) {
        const held = fetched.counted
          .filter(({ window }) => fetched.whole.includes(window))
          .reduce((total, { rows }) => total + rows, 0);
        const expectedLeft = rowsOver(
          next.flatMap((window) => window.buckets),
          expectedRows(query, activity, job.servedShare),
        );
        refuseWhatCannotFit(
          held + expectedLeft,
          width,
          roomFor(services.destination(config), config.sheetName),
          'about',
        );
      }
    }
    const namesAsked = nameLookedUpValues(services, job, context, pivot, fetched.merge.pivotValues());
    // Rows first, cursor second: a stop between the two (or a names lookup out of the step's
    // time, whose step saves the job as it is) refetches and rewrites the same keys.
    write(columns, fetched.merge.toRows(query, context), { days: spansOf(fetched.whole) });
    job.windows = spansOf(next);
    job.requestsDone += fetched.requests + namesAsked;
    job.requestsPlanned = job.requestsDone + requestsFor(query, fieldGroups, next);
    services.store.saveJob(reportId, job);
    return next;
  };
  // The opening windows were fetched in the lookup's round trip: they count as this step's batch.
  let windows = opening ? absorb(opening, left, []) : left;
  // A step always fetches one batch; another only if one more fits.
  let batches = opening ? 1 : 0;
  let lastBatchMs = 0;
  while (
    windows.length > 0 &&
    (batches++ === 0 || services.clock.now() + lastBatchMs < services.stepDeadline)
  ) {
    const batchStart = services.clock.now();
    const batch = batchOf(query, fieldGroups, windows, cellsOf(activity));
    const fetched = fetchAnalyticsWindows(services.client, query, fieldGroups, batch);
    windows = absorb(fetched, windows.slice(batch.length), fetched.again);
    lastBatchMs = services.clock.now() - batchStart;
  }
  return windows.length > 0;
}

const STEP_BY_FETCH: Record<FetchStrategy, (work: StepWork) => boolean> = {
  'pages-per-organization': pagesInBatches,
  'pages-together': pagesTogether,
  'ad-entities': adEntities,
  'ad-analytics': adAnalyticsWindows,
  'ad-leads': adLeads,
};

/** Windows as a job keeps them between steps: first and last day, their periods recomputed from the query. */
const spansOf = (windows: Window[]): Array<[number, number]> =>
  windows.map((window) => [window.startDay, window.endDay]);

/**
 * Cells a batch may write before its checkpoint. A batch's write must end inside the step: the
 * emulation (like our estimate of Sheets) writes about 50,000 cells a second, so this is about
 * 30 s of writing, what one full window of an all-metrics report (15,000 rows of 104 columns)
 * took before, within Apps Script's six minutes.
 */
const BATCH_CELLS = 1_600_000;

/**
 * The first windows whose requests fit one round trip and whose expected rows fit the batch's
 * cells. A batch is the unit of checkpointing.
 */
function batchOf(
  query: AdAnalyticsQuery,
  fieldGroups: string[][],
  windows: Window[],
  cellsOf: (window: Window) => number,
): Window[] {
  let calls = 0;
  let cells = 0;
  let taken = 0;
  for (const window of windows) {
    const more = { calls: windowCalls(query, fieldGroups, window).length, cells: cellsOf(window) };
    if (taken > 0 && (calls + more.calls > PARALLEL_REQUESTS || cells + more.cells > BATCH_CELLS)) break;
    calls += more.calls;
    cells += more.cells;
    taken++;
  }
  return windows.slice(0, taken);
}

function pagesQuery(config: ReportConfig, job: Job, organizationIds: string[]): PagesQuery {
  return {
    stream: config.stream as PagesStream,
    organizationIds,
    startDate: job.startDate,
    endDate: job.endDate,
    fields: config.fields,
    timeGranularity: config.timeGranularity,
  };
}

/** What a write in replace mode speaks for: the days it fetched in full (or all), of the pages it fetched (or every one). */
interface ReplaceScope {
  days: Array<[number, number]> | 'all';
  organizationIds?: string[];
}

/**
 * Replace mode's rule for the rows a write may remove: any row dated outside the run's
 * range, and rows inside what this write fetched in full that LinkedIn no longer returns.
 * A stream without dates speaks for every row of the pages it fetched (all of them, when
 * fetched together).
 */
function replaceWhere(spec: StreamSpec, job: Job, scope: ReplaceScope) {
  const dateField = spec.dated ? spec.key.find((key) => key === 'start_date' || key === 'date') : undefined;
  const ofThesePages = (key: Record<string, Cell>) =>
    scope.organizationIds === undefined || scope.organizationIds.some((id) => id === key.organization_id);
  if (!dateField) return ofThesePages;
  const first = dayNumber(job.startDate);
  const last = dayNumber(job.endDate);
  return (key: Record<string, Cell>) => {
    const day = dayNumber(String(key[dateField]));
    if (day < first || day > last) return true;
    if (!ofThesePages(key)) return false;
    return scope.days === 'all' || scope.days.some(([start, end]) => day >= start && day <= end);
  };
}

function finishRun(services: RunServices, config: ReportConfig, job: Job): Progress {
  const state = services.store.state(config.id);
  const now = services.clock.now();
  services.store.saveState(config.id, {
    ...state,
    lastRunAt: now,
    lastRunId: job.runId,
    lastSuccessAt: now,
    lastRows: job.rowsWritten,
    tableRows: job.tableRows ?? state.tableRows,
    lastError: null,
    lastNote: noteOf(job, config),
    lastCoveredEnd: config.dateRange?.preset === 'incremental' ? job.endDate : state.lastCoveredEnd,
    failureStreak: 0,
    failureEmailed: false,
  });
  services.store.deleteJob(config.id);
  return progressOf(
    config.id,
    job,
    'done',
    `${job.rowsWritten.toLocaleString('en-US')} row${job.rowsWritten === 1 ? '' : 's'} written to “${config.sheetName}”${config.spreadsheet ? ` in “${config.spreadsheet.name}”` : ''}.${job.rowsWritten === 0 ? ` ${nothingFound(config)}` : ''}${noteOf(job, config) ? ` ${noteOf(job, config)}` : ''}`,
  );
}

/** Why a run wrote no row: not a failure, so it says what it asked for. */
function nothingFound(config: ReportConfig): string {
  const dated = streamSpecOf(config)?.dated ? ' and dates' : '';
  return `LinkedIn had nothing for the ${config.source === 'pages' ? 'pages' : 'ad accounts'}${dated} chosen.`;
}

/** What a finished run says besides its rows: its notes, then the rows whose key the user left incomplete. */
function noteOf(job: Job, config: ReportConfig): string | null {
  const unkeyed = job.unkeyedRows?.length
    ? unkeyedNote(job.unkeyedRows, job.unkeyedRowsMore ?? 0, config.sheetName)
    : null;
  return [job.note, unkeyed].filter(Boolean).join(' ') || null;
}

/** A failure's text as saved: LinkedIn's answers can be long, and a property value holds 9 KB. */
const SAVED_ERROR_CHARS = 1_000;

function failRun(services: RunServices, reportId: string, job: Job, error: unknown): Progress {
  const known =
    error instanceof LinkedInError ||
    error instanceof ReportWriteError ||
    error instanceof StorageFullError ||
    error instanceof UrlFetchQuotaError;
  const full = known
    ? (error as Error).message
    : `The import stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
  const message = full.length > SAVED_ERROR_CHARS ? `${full.slice(0, SAVED_ERROR_CHARS - 1)}…` : full;
  // The job goes first: a report must never look "running" because saving its failure failed.
  services.store.deleteJob(reportId);
  const state = services.store.state(reportId);
  services.store.saveState(reportId, {
    ...state,
    lastRunAt: services.clock.now(),
    lastRunId: job.runId,
    lastError: message,
    failureStreak: state.failureStreak + 1,
  });
  return progressOf(reportId, job, 'failed', message);
}

/**
 * Ends the sidebar's run of a report, and its hold where the user's hourly runs hold the report
 * (`alsoHeldIn`): a step Apps Script stopped leaves both, and the one left would call Run now
 * busy for minutes. An hourly run's own hold there is not the cancelled run's, and stays.
 */
export function cancelRun(store: ReportStore, reportId: string, alsoHeldIn?: ReportStore): void {
  const lease = store.lease(reportId);
  if (lease && alsoHeldIn?.lease(reportId)?.runId === lease.runId) alsoHeldIn.deleteLease(reportId);
  store.deleteJob(reportId);
  store.deleteLease(reportId);
}
