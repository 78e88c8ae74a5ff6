import { ExecutionTimeExceeded } from '../../sandbox/apps-script/execution';
import type { OfflineWorld } from '../../sandbox/offline-world';
import type { Progress } from '../../src/server/reports/runner';

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type { Progress };

export interface Summary {
  config: { id: string; name: string; sheetName: string; owner: string };
  state: {
    lastRows: number | null;
    lastSuccessAt: number | null;
    lastError: string | null;
    nextRunAt: number | null;
    lastCoveredEnd: string | null;
  };
  running: Progress | null;
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

export function saveReport(offline: OfflineWorld, user: string, report: Record<string, unknown>): Summary {
  const reports = offline.world.callFromSidebar(user, 'saveReport', report) as Summary[];
  return reports.find((summary) => summary.config.name === report.name)!;
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
      const progress = (
        status === 'failed'
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
