import { AD_STREAMS } from '../catalog/ads';
import {
  type AdAnalyticsQuery,
  analyticsColumns,
  fieldGroupsOf,
  windowBetween,
  windowCalls,
} from '../connectors/ads-analytics';
import {
  type EntityStream,
  entityTable,
  fetchAnalyticsWindows,
  fetchEntities,
  lookUpPivotNames,
  prepareAdAnalytics,
} from '../connectors/ads';
import { fetchPagesStream, type PagesStream } from '../connectors/pages';
import type { LinkedInClient } from '../linkedin/client';
import { LinkedInError, OutOfTimeError } from '../linkedin/errors';
import type { Clock } from '../platform';
import { type Cell, isoDate } from '../rows';
import { ReportWriteError, upsertRows } from '../sheets/writer';
import { analyticsQuery, type ReportConfig, resolveDates, streamSpecOf } from './config';
import type { Job, ReportStore } from './store';

type Spreadsheet = Pick<
  GoogleAppsScript.Spreadsheet.Spreadsheet,
  'getSheetByName' | 'insertSheet' | 'getSheets'
>;

export interface RunServices {
  client: LinkedInClient;
  spreadsheet: Spreadsheet;
  store: ReportStore;
  clock: Clock;
  /** Serialises lease changes between executions (LockService's document lock). */
  lock: Pick<GoogleAppsScript.Lock.Lock, 'waitLock' | 'releaseLock'>;
  cache: Pick<GoogleAppsScript.Cache.Cache, 'get' | 'put'>;
  /** When a step stops starting new batches (it always does at least one): keeps the sidebar's progress moving. */
  stepDeadline: number;
  /** Identifies this execution: a report is worked on by one execution at a time. */
  executionId: string;
  newId(): string;
}

export interface Progress {
  reportId: string;
  status: 'running' | 'done' | 'failed' | 'busy';
  requestsDone: number;
  requestsPlanned: number;
  rowsWritten: number;
  message: string | null;
}

/** A step holds its report at most this long: a step killed by Apps Script frees it by itself. */
const LEASE_MS = 7 * 60_000;
/** CacheService holds values up to 100 KB; pivot names past that are refetched each step. */
const MAX_CACHE_VALUE = 90_000;
const NAMES_CACHE_SECONDS = 6 * 3600;
/** Requests in flight at once; windows are batched to fill it. */
const PARALLEL_REQUESTS = 8;

function progressOf(
  reportId: string,
  job: Job,
  status: Progress['status'],
  message: string | null = null,
): Progress {
  return {
    reportId,
    status,
    requestsDone: job.requestsDone,
    requestsPlanned: job.requestsPlanned,
    rowsWritten: job.rowsWritten,
    message,
  };
}

const BUSY =
  'This report is being imported by another editor or a schedule right now. Try again in a few minutes.';

/** Runs `work` holding the report, unless another execution holds it; then says so. */
function withLease(services: RunServices, reportId: string, work: () => Progress): Progress {
  services.lock.waitLock(10_000);
  try {
    const lease = services.store.lease(reportId);
    if (lease && lease.runId !== services.executionId && lease.expiresAt > services.clock.now()) {
      const job = services.store.job(reportId);
      return {
        reportId,
        status: 'busy',
        requestsDone: job?.requestsDone ?? 0,
        requestsPlanned: job?.requestsPlanned ?? 0,
        rowsWritten: job?.rowsWritten ?? 0,
        message: BUSY,
      };
    }
    services.store.saveLease(reportId, {
      runId: services.executionId,
      expiresAt: services.clock.now() + LEASE_MS,
    });
  } finally {
    services.lock.releaseLock();
  }
  try {
    return work();
  } finally {
    services.store.deleteLease(reportId);
  }
}

function requireReport(store: ReportStore, reportId: string): ReportConfig {
  const config = store.get(reportId);
  if (!config)
    throw new ReportWriteError('That report no longer exists: it may have been deleted by another editor.');
  return config;
}

export function isEntityStream(stream: string): stream is EntityStream {
  return stream !== 'ad_analytics' && AD_STREAMS.some((candidate) => candidate.id === stream);
}

/** Starts a run: fixes the dates it covers. The work, planning included, happens in its steps. */
export function startRun(services: RunServices, reportId: string, scheduled: boolean): Progress {
  const config = requireReport(services.store, reportId);
  return withLease(services, reportId, () => {
    const existing = services.store.job(reportId);
    if (existing) return progressOf(reportId, existing, 'running');
    const state = services.store.state(reportId);
    const dates = resolveDates(config.dateRange, isoDate(services.clock.now()), state.lastCoveredEnd);
    const job: Job = {
      runId: services.newId(),
      startedAt: services.clock.now(),
      ...dates,
      windows: null,
      requestsPlanned: 0,
      requestsDone: 0,
      rowsWritten: 0,
      scheduled,
    };
    services.store.saveJob(reportId, job);
    return progressOf(reportId, job, 'running');
  });
}

interface OpenedAnalytics {
  names: Map<string, string>;
  /** Rows fetched while planning, not yet written. */
  rows: Cell[][];
  /** Whether planning already spent a round of analytics requests in this step. */
  fetchedWhilePlanning: boolean;
}

/**
 * Pivot names of a run, kept in the cache between its steps (looked up again if the cache
 * lost them). The first step also plans the run into `job` and returns the rows fetched
 * while planning; with rows to write, the step saves the plan only after writing them.
 */
function openAnalytics(
  services: RunServices,
  reportId: string,
  job: Job,
  query: AdAnalyticsQuery,
): OpenedAnalytics {
  const key = `names.${job.runId}`;
  const remember = (names: Map<string, string>) => {
    const json = JSON.stringify([...names]);
    if (json.length < MAX_CACHE_VALUE) services.cache.put(key, json, NAMES_CACHE_SECONDS);
    return names;
  };
  if (job.windows !== null) {
    const cached = services.cache.get(key);
    const names = cached
      ? new Map(JSON.parse(cached) as Array<[string, string]>)
      : remember(lookUpPivotNames(services.client, query));
    return { names, rows: [], fetchedWhilePlanning: false };
  }
  const { names, plan, fetched, requestsDone } = prepareAdAnalytics(services.client, query);
  job.windows = plan.windows.map((window) => [window.startDay, window.endDay]);
  job.requestsPlanned = plan.requests;
  job.requestsDone = requestsDone;
  const rows = fetched.toRows(query, names);
  // Nothing to write first: keep the plan now, so a step stopped later does not plan again.
  if (rows.length === 0) services.store.saveJob(reportId, job);
  return { names: remember(names), rows, fetchedWhilePlanning: requestsDone > 0 };
}

function targetSheet(services: RunServices, config: ReportConfig) {
  const existing = services.spreadsheet.getSheetByName(config.sheetName);
  if (existing) return existing;
  try {
    return services.spreadsheet.insertSheet(config.sheetName);
  } catch (error) {
    throw new ReportWriteError(
      `Could not add the tab “${config.sheetName}” (${error instanceof Error ? error.message : String(error)}). ` +
        'If the spreadsheet is near Google Sheets’ 10 million cell limit, delete unused tabs or rows, or use a new spreadsheet.',
    );
  }
}

function spreadsheetCells(spreadsheet: Spreadsheet): number {
  return spreadsheet
    .getSheets()
    .reduce((total, sheet) => total + sheet.getMaxRows() * sheet.getMaxColumns(), 0);
}

/**
 * Works on a started run until `deadline`: fetches what is left, writes each batch of
 * complete rows, then saves the cursor. A run stopped anywhere (even by Apps Script's
 * own limit) leaves only complete rows, and the next step fetches the rest again.
 */
export function continueRun(services: RunServices, reportId: string): Progress {
  const config = requireReport(services.store, reportId);
  return withLease(services, reportId, () => {
    const job = services.store.job(reportId);
    if (!job)
      return { reportId, status: 'done', requestsDone: 0, requestsPlanned: 0, rowsWritten: 0, message: null };
    return step(services, config, job);
  });
}

function step(services: RunServices, config: ReportConfig, job: Job): Progress {
  const reportId = config.id;
  const state = services.store.state(reportId);
  const spec = streamSpecOf(config)!;
  const write = (columns: Parameters<typeof upsertRows>[1], rows: Cell[][]) => {
    const sheet = targetSheet(services, config);
    const result = upsertRows(
      sheet,
      columns,
      spec.key,
      rows,
      state.table,
      spreadsheetCells(services.spreadsheet),
    );
    state.table = result.table;
    services.store.saveState(reportId, state);
  };
  try {
    if (config.source === 'pages') {
      job.requestsPlanned = Math.max(1, job.requestsPlanned);
      const table = fetchPagesStream(
        services.client,
        {
          stream: config.stream as PagesStream,
          organizationIds: config.organizationIds ?? [],
          startDate: job.startDate,
          endDate: job.endDate,
          fields: config.fields,
          timeGranularity: config.timeGranularity,
        },
        services.clock.now(),
      );
      write(table.columns, table.rows);
      job.requestsDone = job.requestsPlanned;
      job.rowsWritten = table.rows.length;
      job.note = table.note;
    } else if (isEntityStream(config.stream)) {
      job.requestsPlanned = Math.max(1, job.requestsPlanned);
      const table = entityTable(
        config.stream,
        fetchEntities(services.client, config.stream, config.accountIds),
        config.fields,
      );
      write(table.columns, table.rows);
      job.requestsDone = job.requestsPlanned;
      job.rowsWritten = table.rows.length;
    } else {
      const query = analyticsQuery(config, job);
      const fieldGroups = fieldGroupsOf(query.metrics);
      const windowsPerBatch = Math.max(1, Math.floor(PARALLEL_REQUESTS / fieldGroups.length));
      const { names, rows: pending, fetchedWhilePlanning } = openAnalytics(services, reportId, job, query);
      let cursor = job.windows!;
      // A step always fetches one batch, unless planning already fetched one.
      let batches = fetchedWhilePlanning ? 1 : 0;
      try {
        while (cursor.length > 0 && (batches++ === 0 || services.clock.now() < services.stepDeadline)) {
          const batch = cursor
            .slice(0, windowsPerBatch)
            .map(([start, end]) => windowBetween(query, start, end));
          const fetched = fetchAnalyticsWindows(services.client, query, fieldGroups, batch);
          pending.push(...fetched.merge.toRows(query, names));
          cursor = [
            ...fetched.again.map((window): [number, number] => [window.startDay, window.endDay]),
            ...cursor.slice(batch.length),
          ];
          const callsOf = (windows: typeof batch) =>
            windows.reduce((total, window) => total + windowCalls(query, fieldGroups, window).length, 0);
          job.requestsDone += callsOf(batch);
          job.requestsPlanned += callsOf(fetched.again);
        }
      } finally {
        // Rows first, cursor second: a stop between the two refetches and rewrites the same keys.
        if (pending.length > 0) write(analyticsColumns(query), pending);
        job.rowsWritten += pending.length;
        job.windows = cursor;
      }
      if (cursor.length > 0) {
        services.store.saveJob(reportId, job);
        return progressOf(reportId, job, 'running');
      }
    }
  } catch (error) {
    if (!(error instanceof OutOfTimeError)) return failRun(services, reportId, job, error);
    services.store.saveJob(reportId, job);
    return progressOf(reportId, job, 'running');
  }
  return finishRun(services, config, job);
}

function finishRun(services: RunServices, config: ReportConfig, job: Job): Progress {
  const state = services.store.state(config.id);
  const now = services.clock.now();
  services.store.saveState(config.id, {
    ...state,
    lastRunAt: now,
    lastSuccessAt: now,
    lastRows: job.rowsWritten,
    lastError: null,
    lastCoveredEnd: config.dateRange.preset === 'incremental' ? job.endDate : state.lastCoveredEnd,
    failureStreak: 0,
  });
  services.store.deleteJob(config.id);
  return progressOf(
    config.id,
    job,
    'done',
    `${job.rowsWritten.toLocaleString('en-US')} rows written to “${config.sheetName}”.${job.note ? ` ${job.note}` : ''}`,
  );
}

function failRun(services: RunServices, reportId: string, job: Job, error: unknown): Progress {
  const known = error instanceof LinkedInError || error instanceof ReportWriteError;
  const message = known
    ? (error as Error).message
    : `The import stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
  const state = services.store.state(reportId);
  services.store.saveState(reportId, {
    ...state,
    lastRunAt: services.clock.now(),
    lastError: message,
    failureStreak: state.failureStreak + 1,
  });
  services.store.deleteJob(reportId);
  return progressOf(reportId, job, 'failed', message);
}

export function cancelRun(store: ReportStore, reportId: string): void {
  store.deleteJob(reportId);
  store.deleteLease(reportId);
}
