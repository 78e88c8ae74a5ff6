// What the sidebar does besides runs (save, unschedule, take a tab over, disconnect), stopped by
// Apps Script at each of its service calls in turn, then what the user sees and does next.
// Runs stopped anywhere are in crash-safety.test.ts and fault-and-kill.test.ts.
import type { OfflineWorld } from '../../sandbox/offline-world';
import { connectedWorld, signIn, status } from '../helpers/connect';
import { analyticsReport, runNow, saveReport, sheetValues, type Summary } from '../helpers/reports';

const ANN = 'ann@example.com';
const HOUR = 3_600_000;

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * For k = 0, 1, …: a fresh world, `act` stopped at its k-th service call, then `check`
 * (told whether the stop came); until `act` runs to its end. The problems `check` returns,
 * each with its k.
 */
function stoppedAtEachCall<W>(
  make: () => W & { offline: OfflineWorld },
  act: (world: W & { offline: OfflineWorld }) => unknown,
  check: (world: W & { offline: OfflineWorld }, stopped: boolean) => string[],
): string[] {
  const problems: string[] = [];
  for (let k = 0; ; k++) {
    const world = make();
    let calls = 0;
    world.offline.world.stopAt = () => calls++ === k;
    let stopped = false;
    try {
      act(world);
    } catch (error) {
      if (!(error instanceof Error && error.message === 'Exceeded maximum execution time')) throw error;
      stopped = true;
    } finally {
      world.offline.world.stopAt = () => false;
    }
    problems.push(...check(world, stopped).map((problem) => `stopped at call ${k}: ${problem}`));
    if (!stopped) return problems;
    if (k > 300) throw new Error('still stopped after 300 calls');
  }
}

const listed = (offline: OfflineWorld) =>
  offline.world.callFromSidebar(ANN, 'listReports') as Array<
    Summary & { config: { schedule: { kind: string } } }
  >;
/** The builder's Save: a new report carries the id the builder made when it opened. */
const save = (offline: OfflineWorld, report: Record<string, unknown>) =>
  offline.world.callFromSidebar(ANN, 'saveReport', report) as Summary[];
const triggersOf = (offline: OfflineWorld) =>
  offline.world.triggers.filter((trigger) => trigger.user === ANN);

const WEEK = analyticsReport({ dateRange: { preset: 'last_7_days' } });
const NEW_REPORT = { ...WEEK, newId: 'builder-made-0001-4a5b-8c9d' };

describe('Save clicked again after Apps Script stopped the save', () => {
  it('saves one report, whatever call the stop came at, and it runs into its tab', () => {
    const control = connectedWorld(ANN);
    runNow(control, ANN, saveReport(control, ANN, NEW_REPORT).config.id);
    const expected = sheetValues(control, 'LinkedIn Ads');
    const problems = stoppedAtEachCall(
      () => ({ offline: connectedWorld(ANN) }),
      ({ offline }) => save(offline, NEW_REPORT),
      ({ offline }, stopped) => {
        if (stopped) save(offline, NEW_REPORT);
        const reports = listed(offline);
        if (reports.length !== 1) return [`${reports.length} reports listed`];
        const done = runNow(offline, ANN, reports[0].config.id).at(-1)!;
        return JSON.stringify(sheetValues(offline, 'LinkedIn Ads')) === JSON.stringify(expected)
          ? []
          : [`the tab after the run (${done.status}) is not the one an uninterrupted save gives`];
      },
    );
    expect(problems).toEqual([]);
  });

  it('makes the new spreadsheet once, unless the stop came between making it and noting it', () => {
    const toNewSpreadsheet = { ...NEW_REPORT, writeTo: { kind: 'new' } };
    const problems = stoppedAtEachCall(
      () => ({ offline: connectedWorld(ANN) }),
      ({ offline }) => save(offline, toNewSpreadsheet),
      ({ offline }, stopped) => {
        if (stopped) save(offline, toNewSpreadsheet);
        const made = offline.world.spreadsheetIds().length - 1;
        return [
          ...(listed(offline).length === 1 ? [] : [`${listed(offline).length} reports listed`]),
          ...(made === 1 ? [] : [`${made} spreadsheets made`]),
        ];
      },
    );
    // Without Drive access a spreadsheet made by a stopped execution cannot be found again: the
    // one call between SpreadsheetApp.create and noting its id leaves one behind.
    expect(problems).toEqual([expect.stringMatching(/^stopped at call \d+: 2 spreadsheets made$/)]);
  });
});

describe('a schedule as the list shows it after a stopped save, saved no further', () => {
  /** Listed scheduled: it runs within the next hours. Listed unscheduled: nothing runs it. */
  const runsAsListed = (offline: OfflineWorld, name: string): string[] => {
    const report = listed(offline).find((summary) => summary.config.name === name);
    const before = report?.state.lastSuccessAt ?? null;
    offline.world.advanceTimeTo(offline.clock.now() + 2.5 * HOUR);
    const after = listed(offline).find((summary) => summary.config.name === name);
    const scheduled = after?.config.schedule.kind === 'hourly';
    const ran = (after?.state.lastSuccessAt ?? null) !== before;
    if (scheduled && !ran) return ['listed hourly, but it did not run in 2.5 hours'];
    if (!scheduled && ran) return ['listed unscheduled, but it ran on schedule'];
    return [];
  };

  it('a new report saved hourly runs when listed', () => {
    const hourly = { ...NEW_REPORT, schedule: { kind: 'hourly' } };
    const problems = stoppedAtEachCall(
      () => ({ offline: connectedWorld(ANN) }),
      ({ offline }) => save(offline, hourly),
      ({ offline }) => runsAsListed(offline, hourly.name),
    );
    expect(problems).toEqual([]);
  });

  it('an hourly report saved unscheduled runs only while still listed hourly, its trigger kept until then', () => {
    const problems = stoppedAtEachCall(
      () => {
        const offline = connectedWorld(ANN);
        const saved = saveReport(offline, ANN, { ...WEEK, schedule: { kind: 'hourly' } });
        return { offline, config: saved.config };
      },
      ({ offline, config }) => save(offline, { ...config, schedule: { kind: 'none' } }),
      ({ offline, config }) => {
        const hourly = listed(offline)[0].config.schedule.kind === 'hourly';
        return [
          ...(hourly && triggersOf(offline).length !== 1 ? ['listed hourly without a trigger'] : []),
          ...runsAsListed(offline, config.name),
        ];
      },
    );
    expect(problems).toEqual([]);
  });
});

describe('taking over a tab of the user’s data, stopped anywhere', () => {
  it('clears it only once the report it is cleared for is saved', () => {
    const takingOver = { ...NEW_REPORT, sheetName: 'Budget', takeOverTab: true };
    const problems = stoppedAtEachCall(
      () => {
        const offline = connectedWorld(ANN);
        offline.world.execute(ANN, (scope: Scope) =>
          scope.SpreadsheetApp.getActive()
            .insertSheet('Budget')
            .getRange(1, 1, 1, 2)
            .setValues([['Q1', 1200]]),
        );
        return { offline };
      },
      ({ offline }) => save(offline, takingOver),
      ({ offline }) => {
        const saved = listed(offline).length === 1;
        const kept = JSON.stringify(sheetValues(offline, 'Budget')) === JSON.stringify([['Q1', '1200']]);
        return saved || kept ? [] : ['the user’s “Budget” was cleared, and no report saved for it'];
      },
    );
    expect(problems).toEqual([]);
  });
});

describe('Disconnect stopped anywhere', () => {
  it('ends the connection when clicked again', () => {
    const problems = stoppedAtEachCall(
      () => ({ offline: connectedWorld(ANN) }),
      ({ offline }) => offline.world.callFromSidebar(ANN, 'disconnectLinkedIn'),
      ({ offline }, stopped) => {
        if (stopped) offline.world.callFromSidebar(ANN, 'disconnectLinkedIn');
        if (status(offline, ANN).connected) return ['still connected after Disconnect again'];
        signIn(offline, ANN);
        return status(offline, ANN).connected ? [] : ['signing in again did not connect'];
      },
    );
    expect(problems).toEqual([]);
  });
});
