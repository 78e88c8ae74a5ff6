import { ExecutionTimeExceeded } from '../../sandbox/apps-script/execution';
import type { OfflineWorld } from '../../sandbox/offline-world';
import { AD_METRICS } from '../../src/server/catalog/ad-analytics';
import { PAGES_STREAMS } from '../../src/server/catalog/pages';
import type { Progress } from '../../src/server/reports/runner';

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type { Progress };

export interface Summary {
  config: { id: string; name: string; sheetName: string; owner: string; schedule: { kind: string } };
  state: {
    lastRows: number | null;
    lastSuccessAt: number | null;
    lastError: string | null;
    nextRunAt: number | null;
    lastCoveredEnd: string | null;
    lastNote?: string | null;
  };
  running: Progress | null;
  scheduledByOther: string | null;
  scheduleHeld: string | null;
  notice?: string;
}

export const analyticsReport = (overrides: Record<string, unknown> = {}) => ({
  name: 'Campaign performance',
  source: 'ads',
  stream: 'ad_analytics',
  accountIds: ['500000001'],
  fields: ['impressions', 'clicks', 'costInLocalCurrency'],
  pivot: 'CAMPAIGN',
  granularity: 'DAILY',
  dateRange: { preset: 'last_30_days' },
  sheetName: 'LinkedIn Ads',
  schedule: { kind: 'none' },
  ...overrides,
});

/** A lifetime Pages snapshot of both simulated pages, its tab named after the stream: every field unless `fields` says. */
export const lifetimeReport = (stream: string, fields?: string[]) =>
  analyticsReport({
    name: stream,
    source: 'pages',
    stream,
    organizationIds: ['10000001', '10000002'],
    fields: fields ?? PAGES_STREAMS.find((spec) => spec.id === stream)!.fields.map((field) => field.key),
    sheetName: stream,
  });

/** Ads impressions and clicks by `pivot`, per month over September and October 2026, its tab named after the pivot. */
export const monthlyBreakdown = (pivot: string) =>
  analyticsReport({
    name: pivot,
    sheetName: pivot,
    pivot,
    granularity: 'MONTHLY',
    fields: ['impressions', 'clicks'],
    dateRange: { preset: 'custom', start: '2026-09-01', end: '2026-10-31' },
  });

/** Saves and runs a report as the sidebar does: its last progress, the API traffic after saving, and its tab. */
export function saveAndRunCounted(offline: OfflineWorld, user: string, report: Record<string, unknown>) {
  const saved = saveReport(offline, user, report);
  const from = trafficMark(offline);
  const done = runNow(offline, user, saved.config.id).at(-1)!;
  return { done, traffic: apiTraffic(offline, from), rows: tableOf(offline, report.sheetName as string) };
}

/** Every metric LinkedIn offers by the breakdown: “all metrics” as the builder lets a user pick them. */
export const metricsOfferedBy = (pivot: string) =>
  AD_METRICS.filter((metric) => !metric.notWithPivots?.[pivot]).map((metric) => metric.key);

/** The header `analyticsReport()` writes: rows per day by campaign, its three metrics. */
export const ANALYTICS_REPORT_HEADER = [
  'Date',
  'Campaign ID',
  'Campaign',
  'Impressions',
  'Clicks',
  'Cost (account currency)',
];

export function saveReport(offline: OfflineWorld, user: string, report: Record<string, unknown>): Summary {
  const reports = offline.world.callFromSidebar(user, 'saveReport', report) as Summary[];
  return reports.find((summary) => summary.config.name === report.name)!;
}

/** Saves a report and runs it once, as a user does before acting on its tab. */
/** Two hourly reports of `user`'s: one reading an ad account LinkedIn refuses them, one that works. */
export function failingAndWorkingSchedules(offline: OfflineWorld, user: string) {
  return {
    failing: saveReport(
      offline,
      user,
      analyticsReport({ name: 'Lost account', accountIds: ['500000004'], schedule: { kind: 'hourly' } }),
    ),
    working: saveReport(
      offline,
      user,
      analyticsReport({ sheetName: 'Working', schedule: { kind: 'hourly' } }),
    ),
  };
}

export function saveAndRun(offline: OfflineWorld, user: string, report: Record<string, unknown>): Summary {
  const saved = saveReport(offline, user, report);
  runNow(offline, user, saved.config.id);
  return saved;
}

/** What the sidebar does on "Run now": start, then step until done, collecting the progress it shows. */
export function runNow(offline: OfflineWorld, user: string, reportId: string): Progress[] {
  const seen = [offline.world.callFromSidebar(user, 'runReportNow', reportId) as Progress];
  while (seen.at(-1)!.status === 'running')
    seen.push(
      offline.world.callFromSidebar(user, 'continueReport', reportId, seen.at(-1)!.runId) as Progress,
    );
  return seen;
}

/** A report's state as its card shows it. */
export function stateOf(offline: OfflineWorld, user: string, reportId: string): Summary['state'] {
  const reports = offline.world.callFromSidebar(user, 'listReports') as Summary[];
  return reports.find((summary) => summary.config.id === reportId)!.state;
}

/** A tab's data rows as objects, by header label, as displayed. */
export function tableOf(offline: OfflineWorld, sheetName: string): Array<Record<string, string>> {
  const [header, ...rows] = sheetValues(offline, sheetName) as string[][];
  return rows.map((row) => Object.fromEntries(header.map((label, at) => [label, row[at]])));
}

export function sheetValues(offline: OfflineWorld, sheetName: string, user = 'ann@example.com'): unknown[][] {
  return offline.world.execute(user, (scope: Scope) => {
    const sheet = scope.SpreadsheetApp.getActive().getSheetByName(sheetName);
    if (!sheet || sheet.getLastRow() === 0) return [];
    return sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getDisplayValues();
  });
}

/**
 * What a user at the sidebar does while Apps Script stops executions at random: starts
 * the run, steps it with the run's id from the last answer, waits out another execution's
 * lease, and starts again after a failure. Returns how it ended, the stops and the failures seen.
 */
export function runThroughStops(
  offline: OfflineWorld,
  user: string,
  reportId: string,
  maxCalls = 300,
): { status: Progress['status'] | 'killed'; kills: number; failures: string[] } {
  let status: Progress['status'] | 'killed' = 'failed';
  let runId: string | null = null;
  let kills = 0;
  const failures: string[] = [];
  for (let call = 0; call < maxCalls && status !== 'done'; call++) {
    try {
      // As the sidebar: Run now again after a failure, or after a start that never answered.
      const progress = (
        status === 'failed' || runId === null
          ? offline.world.callFromSidebar(user, 'runReportNow', reportId)
          : offline.world.callFromSidebar(user, 'continueReport', reportId, runId)
      ) as Progress;
      status = progress.status;
      runId = progress.runId ?? runId;
      if (status === 'failed') failures.push(progress.message ?? '');
      if (status === 'busy') offline.clock.advance(7 * 60_000 + 1);
    } catch (error) {
      if (!(error instanceof ExecutionTimeExceeded)) throw error;
      kills++;
      status = 'killed';
    }
  }
  return { status, kills, failures };
}

/** An analytics import as a user sets it up in the sidebar: accounts, metrics, breakdown, granularity, dates. */
export interface AnalyticsImport {
  accountIds: string[];
  pivot: string;
  granularity: string;
  startDate: string;
  endDate: string;
  metrics: string[];
}

export interface Imported {
  /** The tab's header row. */
  labels: string[];
  /** The tab's rows by date then ID, dates as YYYY-MM-DD and blank cells as null. */
  rows: unknown[][];
  /** The sidebar's last progress: the run's outcome, request counts and message. */
  done: Progress;
  /** Where the run's fetches and LinkedIn calls start in the world's logs (the save's lookups come before). */
  since: { fetches: number; calls: number };
}

let imports = 0;

/**
 * Saves an analytics report for `query` and runs it as the sidebar does, through the built
 * add-on's own loop; `change` edits the saved report first, as an older version might have
 * saved it, and `hoursBeforeRun` lets time pass after saving (past 6 hours the cache forgets
 * what saving looked up).
 */
export function importAnalytics(
  offline: OfflineWorld,
  user: string,
  query: AnalyticsImport,
  {
    change = () => undefined,
    hoursBeforeRun = 0,
  }: { change?: (saved: Record<string, unknown>) => void; hoursBeforeRun?: number } = {},
): Imported {
  const sheetName = `Analytics ${++imports}`;
  const { config } = saveReport(offline, user, {
    name: sheetName,
    source: 'ads',
    stream: 'ad_analytics',
    accountIds: query.accountIds,
    fields: query.metrics,
    pivot: query.pivot,
    granularity: query.granularity,
    dateRange: { preset: 'custom', start: query.startDate, end: query.endDate },
    sheetName,
    schedule: { kind: 'none' },
  });
  // Where the import's traffic starts: saving judged whether the report fits, from lookups the run repeats.
  const since = trafficMark(offline);
  const properties = offline.world.documentProperties.entries;
  const saved = JSON.parse(properties.get(`report.${config.id}`)!) as Record<string, unknown>;
  change(saved);
  properties.set(`report.${config.id}`, JSON.stringify(saved));
  offline.clock.advance(hoursBeforeRun * 3_600_000);
  const done = runNow(offline, user, config.id).at(-1)!;
  const values = offline.world.execute(user, (scope: Scope) => {
    const sheet = scope.SpreadsheetApp.getActive().getSheetByName(sheetName);
    if (!sheet || sheet.getLastRow() === 0) return [];
    return sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getValues() as unknown[][];
  });
  const cell = (value: unknown) =>
    value instanceof Date ? value.toISOString().slice(0, 10) : value === '' ? null : value;
  const rows = values.slice(1).map((row) => row.map(cell));
  const text = (value: unknown) => String(value);
  rows.sort((a, b) => text(a[0]).localeCompare(text(b[0])) || text(a[1]).localeCompare(text(b[1])));
  return { labels: (values[0] ?? []).map(text), rows, done, since };
}

/** Rows of earlier years in a report's tab, below what its runs wrote: each a copy of its first row, keyed by an old day and an ID no run returns. */
export function appendOldRows(offline: OfflineWorld, user: string, sheetName: string, count: number): void {
  offline.world.execute(user, (scope: Scope) => {
    const sheet = scope.SpreadsheetApp.getActive().getSheetByName(sheetName);
    const [sample] = sheet.getRange(2, 1, 1, sheet.getLastColumn()).getValues();
    const ids = 500;
    const rows = Array.from({ length: count }, (_, index) => {
      const row = [...sample];
      row[0] = new Date(Date.UTC(2015, 0, 1 + Math.floor(index / ids)));
      row[1] = String(800_000_000 + (index % ids));
      return row;
    });
    // As a user pasting them would: Sheets adds the rows a paste needs past the grid.
    const missing = sheet.getLastRow() + rows.length - sheet.getMaxRows();
    if (missing > 0) sheet.insertRowsAfter(sheet.getMaxRows(), missing);
    sheet.getRange(sheet.getLastRow() + 1, 1, rows.length, rows[0].length).setValues(rows);
  });
}

/**
 * LinkedIn API traffic since a point of the world's logs: the paths the simulator answered, the
 * requests sent, and the fetchAll calls (round trips) that carried them.
 */
export function apiTraffic(offline: OfflineWorld, since: Imported['since'] = { fetches: 0, calls: 0 }) {
  // The versioned API (/rest/) and the unversioned one (/v2/, where the Geo API is): not OAuth.
  const api = (path: string) => path.startsWith('/rest/') || path.startsWith('/v2/');
  const sent = offline.world.fetchLog
    .slice(since.fetches)
    .filter((fetch) => new URL(fetch.url).host === 'api.linkedin.com' && api(new URL(fetch.url).pathname));
  const paths = offline.linkedin.calls
    .slice(since.calls)
    .filter((call) => call.host === 'api.linkedin.com' && api(call.path))
    .map((call) => call.path);
  return { paths, requests: sent.length, roundTrips: new Set(sent.map((fetch) => fetch.batch)).size };
}

/** Where the world's logs stand now: what `apiTraffic` counts from. */
export const trafficMark = (offline: OfflineWorld): Imported['since'] => ({
  fetches: offline.world.fetchLog.length,
  calls: offline.linkedin.calls.length,
});
