import { createOfflineWorld, type OfflineWorld } from '../../sandbox/offline-world';
import { signIn, connectedWorld } from '../helpers/connect';
import {
  analyticsReport,
  apiTraffic,
  metricsOfferedBy,
  runNow,
  runThroughStops,
  saveReport,
  sheetValues,
  type Summary,
  trafficMark,
} from '../helpers/reports';

const ANN = 'ann@example.com';
const BOB = 'bob@example.com';
const DAY = 86_400_000;
type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const connected = (options: Parameters<typeof createOfflineWorld>[0] = {}) =>
  connectedWorld(ANN, options, ['ads', 'pages']);

const campaignsReport = () =>
  analyticsReport({
    name: 'Campaigns',
    stream: 'campaigns',
    fields: ['campaign_name', 'status'],
    sheetName: 'Campaigns',
    accountIds: ['500000001', '500000002'],
  });
const followerGainsReport = () =>
  analyticsReport({
    name: 'Follower gains',
    source: 'pages',
    stream: 'follower_gains',
    organizationIds: ['10000001', '10000002'],
    fields: ['page_name', 'organic_follower_gain', 'paid_follower_gain'],
    dateRange: { preset: 'last_30_days' },
    sheetName: 'Followers',
  });

/** Keys (the first `width` columns) of every data row, with the number of times each is there. */
function keyCounts(values: unknown[][], width: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of values.slice(1)) {
    const key = row.slice(0, width).join('|');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe('a run stopped between writing rows and saving its state', () => {
  it.each([
    ['Ads analytics', () => analyticsReport({ dateRange: { preset: 'last_14_days' } }), 2],
    ['Ads campaigns', campaignsReport, 1],
    ['Pages follower gains', followerGainsReport, 2],
  ])('never duplicates a row: %s', (_, report, keyWidth) => {
    const reference = connected();
    runNow(reference, ANN, saveReport(reference, ANN, report()).config.id);
    const expected = sheetValues(reference, report().sheetName as string);
    expect(expected.length).toBeGreaterThan(2);

    for (const stopAfter of [1, 2, 3]) {
      const offline = connected();
      const saved = saveReport(offline, ANN, report());
      let writes = 0;
      offline.world.stopAt = (point) => point === 'after setValues' && ++writes === stopAfter;
      expect(runThroughStops(offline, ANN, saved.config.id).status).toBe('done');
      offline.world.stopAt = () => false;
      // Run again as a user would: nothing may change.
      expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
      const values = sheetValues(offline, report().sheetName as string);
      expect(values).toEqual(expected);
      expect([...keyCounts(values, keyWidth).values()].every((count) => count === 1)).toBe(true);
      const [summary] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
      expect(summary.state.lastError).toBeNull();
    }
  });
});

describe('a first run stopped at any call, then run again', () => {
  /** The report's tab as the user sees it: its cells, how many rows are frozen, and its grid's width (cells Sheets counts). */
  const tab = (offline: OfflineWorld) =>
    offline.world.execute(ANN, (scope: Scope) => {
      const sheet = scope.SpreadsheetApp.getActive().getSheetByName('LinkedIn Ads');
      return {
        values: sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getDisplayValues(),
        frozenRows: sheet.getFrozenRows(),
        gridColumns: sheet.getMaxColumns(),
      };
    });

  it('leaves the tab an uninterrupted run leaves, its header frozen and its grid cut to the table', () => {
    const report = analyticsReport({ dateRange: { preset: 'last_14_days' } });
    const reference = connected();
    runNow(reference, ANN, saveReport(reference, ANN, report).config.id);
    const expected = tab(reference);
    expect(expected.frozenRows).toBe(1);
    const problems: string[] = [];
    for (let stopAt = 0; ; stopAt++) {
      const offline = connected();
      const saved = saveReport(offline, ANN, report);
      let calls = 0;
      offline.world.stopAt = () => calls++ === stopAt;
      // Run again after the stop, as the user would, until done.
      const stopped = runThroughStops(offline, ANN, saved.config.id).kills > 0;
      offline.world.stopAt = () => false;
      if (JSON.stringify(tab(offline)) !== JSON.stringify(expected))
        problems.push(`stopped at call ${stopAt}: ${JSON.stringify({ ...tab(offline), values: undefined })}`);
      if (!stopped) break;
    }
    // One stop is left: between making the tab and cutting its grid, the tab looks like a blank
    // one the user made, whose grid a run leaves alone (“leaves a prepared empty tab’s columns alone”).
    expect(problems).toEqual([expect.stringMatching(/: \{"frozenRows":1,"gridColumns":26\}$/)]);
  });
});

describe('a run stopped writing the windows it fetched with its lookup', () => {
  it('keeps its plan first: the next step fetches those windows again without looking up again', () => {
    const report = analyticsReport({ dateRange: { preset: 'last_14_days' } });
    const reference = connected();
    runNow(reference, ANN, saveReport(reference, ANN, report).config.id);
    const expected = sheetValues(reference, 'LinkedIn Ads');
    const offline = connected();
    const saved = saveReport(offline, ANN, report);
    const since = trafficMark(offline);
    let writes = 0;
    offline.world.stopAt = (point) => point === 'after setValues' && ++writes === 1;
    const run = runThroughStops(offline, ANN, saved.config.id);
    offline.world.stopAt = () => false;
    expect(run).toMatchObject({ status: 'done', kills: 1 });
    const { paths } = apiTraffic(offline, since);
    // One lookup of the campaigns; the window fetched with it, then again after the stop.
    expect(paths.filter((path) => path.endsWith('/adCampaigns'))).toHaveLength(1);
    expect(paths.filter((path) => path === '/rest/adAnalytics')).toHaveLength(2);
    expect(sheetValues(offline, 'LinkedIn Ads')).toEqual(expected);
  });
});

describe('a tab the user changed', () => {
  const ready = (report = analyticsReport({ dateRange: { preset: 'last_7_days' } })) => {
    const offline = connected();
    const saved = saveReport(offline, ANN, report);
    runNow(offline, ANN, saved.config.id);
    return { offline, saved, before: sheetValues(offline, 'LinkedIn Ads') };
  };

  it('with an empty row inserted inside the table, re-runs without a duplicate key', () => {
    const { offline, saved, before } = ready();
    offline.world.execute(ANN, (scope: Scope) =>
      scope.SpreadsheetApp.getActive().getSheetByName('LinkedIn Ads').insertRowsAfter(3, 1),
    );
    runNow(offline, ANN, saved.config.id);
    const after = sheetValues(offline, 'LinkedIn Ads').filter((row) => row.some((cell) => cell !== ''));
    expect(after.length).toBe(before.length);
    expect([...keyCounts(after, 2).values()].every((count) => count === 1)).toBe(true);
  });

  it('sorted by the user, is updated in place', () => {
    const { offline, saved, before } = ready();
    offline.world.execute(ANN, (scope: Scope) => {
      const sheet = scope.SpreadsheetApp.getActive().getSheetByName('LinkedIn Ads');
      const range = sheet.getRange(2, 1, sheet.getLastRow() - 1, sheet.getLastColumn());
      range.setValues([...range.getValues()].reverse());
    });
    runNow(offline, ANN, saved.config.id);
    const after = sheetValues(offline, 'LinkedIn Ads');
    expect(after.length).toBe(before.length);
    expect(new Set(after.slice(1).map((row) => `${row[0]}|${row[1]}`))).toEqual(
      new Set(before.slice(1).map((row) => `${row[0]}|${row[1]}`)),
    );
  });

  it('deleted by the user, is made again on the next run', () => {
    const { offline, saved, before } = ready();
    offline.world.execute(ANN, (scope: Scope) => {
      const spreadsheet = scope.SpreadsheetApp.getActive();
      spreadsheet.deleteSheet(spreadsheet.getSheetByName('LinkedIn Ads'));
    });
    expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
    expect(sheetValues(offline, 'LinkedIn Ads')).toEqual(before);
  });

  it("that held a deleted report's rows, takes them over by key instead of adding them again", () => {
    const { offline, saved, before } = ready();
    offline.world.callFromSidebar(ANN, 'deleteReport', saved.config.id);
    const again = saveReport(
      offline,
      ANN,
      analyticsReport({ name: 'Again', dateRange: { preset: 'last_7_days' } }),
    );
    runNow(offline, ANN, again.config.id);
    expect(sheetValues(offline, 'LinkedIn Ads')).toEqual(before);
  });
});

describe('a report whose columns change', () => {
  it('rebuilds its tab under the new breakdown, never leaving rows with blank keys', () => {
    const offline = connected();
    const saved = saveReport(offline, ANN, analyticsReport({ dateRange: { preset: 'last_7_days' } }));
    runNow(offline, ANN, saved.config.id);
    saveReport(offline, ANN, { ...saved.config, pivot: 'ACCOUNT' });
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    expect(done.message).toContain('its tab was rebuilt');
    const values = sheetValues(offline, 'LinkedIn Ads');
    expect(values[0]).toEqual([
      'Date',
      'Account ID',
      'Account',
      'Impressions',
      'Clicks',
      'Cost (account currency)',
    ]);
    expect(values.slice(1).every((row) => row[0] !== '' && row[1] === '500000001')).toBe(true);
    expect(values.length - 1).toBe(7);
  });
});

describe('replace mode', () => {
  it('keeps exactly the last run’s window in the tab', () => {
    const offline = connected();
    const saved = saveReport(
      offline,
      ANN,
      analyticsReport({ pivot: 'ACCOUNT', dateRange: { preset: 'last_7_days' }, writeMode: 'replace' }),
    );
    runNow(offline, ANN, saved.config.id);
    offline.clock.advance(3 * DAY);
    runNow(offline, ANN, saved.config.id);
    const days = sheetValues(offline, 'LinkedIn Ads')
      .slice(1)
      .map((row) => row[0]);
    expect(days).toHaveLength(7);
    expect([...days].sort()).toEqual([
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
    ]);
  });

  it('in update mode keeps earlier days', () => {
    const offline = connected();
    const saved = saveReport(
      offline,
      ANN,
      analyticsReport({ pivot: 'ACCOUNT', dateRange: { preset: 'last_7_days' } }),
    );
    runNow(offline, ANN, saved.config.id);
    offline.clock.advance(3 * DAY);
    runNow(offline, ANN, saved.config.id);
    expect(sheetValues(offline, 'LinkedIn Ads').length - 1).toBe(10);
  });
});

describe('schedules that heal themselves', () => {
  it.each([
    ['without', false],
    ['with', true],
  ])('a scheduled import runs and upserts %s a document in the trigger', (_, withDocument) => {
    const offline = connected();
    offline.world.triggerDocumentContext = withDocument;
    saveReport(
      offline,
      ANN,
      analyticsReport({ schedule: { kind: 'hourly' }, dateRange: { preset: 'last_7_days' } }),
    );
    offline.world.advanceTimeTo(Date.UTC(2026, 10, 20, 10, 1));
    const first = sheetValues(offline, 'LinkedIn Ads');
    expect(first.length).toBeGreaterThan(1);
    offline.world.advanceTimeTo(Date.UTC(2026, 10, 20, 11, 1));
    expect(offline.world.triggerRuns.map((run) => run.error ?? 'ok')).toEqual(['ok', 'ok']);
    expect(sheetValues(offline, 'LinkedIn Ads')).toEqual(first);
    const [summary] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
    expect(summary.state).toMatchObject({ lastError: null, lastRows: first.length - 1 });
    expect(summary.state.nextRunAt).toBe(Date.UTC(2026, 10, 20, 12));
  });

  it.each([
    ['per document', 'document' as const, 2],
    ['per script', 'script' as const, 1],
  ])(
    'serves schedules in two spreadsheets with triggers counted %s, without a document in the trigger',
    (_, limitPer, triggers) => {
      const offline = connected();
      offline.world.triggerLimitPer = limitPer;
      const first = offline.world.spreadsheet.id;
      saveReport(
        offline,
        ANN,
        analyticsReport({ schedule: { kind: 'hourly' }, dateRange: { preset: 'last_7_days' } }),
      );
      offline.world.openDocument('sim-spreadsheet-2', 'Second report');
      saveReport(
        offline,
        ANN,
        analyticsReport({
          name: 'Second',
          schedule: { kind: 'hourly' },
          dateRange: { preset: 'last_7_days' },
        }),
      );
      expect(offline.world.triggers.filter((trigger) => trigger.user === ANN)).toHaveLength(triggers);
      offline.world.advanceTimeTo(Date.UTC(2026, 10, 20, 10, 1));
      expect(offline.world.triggerRuns.every((run) => !run.error)).toBe(true);
      const second = sheetValues(offline, 'LinkedIn Ads');
      offline.world.openDocument(first);
      const firstValues = sheetValues(offline, 'LinkedIn Ads');
      expect(second.length).toBeGreaterThan(1);
      expect(firstValues).toEqual(second);
      // Removing the first spreadsheet's schedule keeps a trigger while the second has one.
      const [summary] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
      saveReport(offline, ANN, { ...summary.config, schedule: { kind: 'none' } });
      expect(offline.world.triggers.filter((trigger) => trigger.user === ANN).length).toBeGreaterThan(0);
      const before = offline.world.triggerRuns.length;
      offline.world.advanceTimeTo(Date.UTC(2026, 10, 20, 11, 1));
      expect(offline.world.triggerRuns.length).toBeGreaterThan(before);
    },
  );

  it('keeps its hourly trigger when a scheduled run is killed mid-write, and the next run finishes', () => {
    const offline = connected();
    saveReport(
      offline,
      ANN,
      analyticsReport({ schedule: { kind: 'hourly' }, dateRange: { preset: 'last_7_days' } }),
    );
    let writes = 0;
    offline.world.stopAt = (point) => point === 'after setValues' && ++writes === 2;
    offline.world.advanceTimeTo(Date.UTC(2026, 10, 20, 10, 1));
    expect(offline.world.triggerRuns[0].error).toBe('Exceeded maximum execution time');
    expect(offline.world.triggers.map((trigger) => trigger.schedule)).toEqual([
      { kind: 'hourly', everyHours: 1 },
    ]);
    offline.world.advanceTimeTo(Date.UTC(2026, 10, 20, 11, 1));
    const values = sheetValues(offline, 'LinkedIn Ads');
    expect([...keyCounts(values, 2).values()].every((count) => count === 1)).toBe(true);
    const [summary] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
    expect(summary.running).toBeNull();
    expect(summary.state.lastRows).toBe(values.length - 1);
  });

  /**
   * A report scheduled daily at 12:00, its trigger's run of that hour stopped at each call in
   * turn; `problem` says what is wrong once the world goes on after it.
   */
  function stoppedWhereItFallsDue(
    report: Record<string, unknown>,
    problem: (offline: OfflineWorld) => string | null,
  ) {
    const problems: string[] = [];
    for (let stopAt = 0; ; stopAt++) {
      const offline = connected();
      // Saved just before it falls due: its trigger's first run is the one stopped.
      offline.world.advanceTimeTo(Date.UTC(2026, 10, 20, 11, 58));
      saveReport(offline, ANN, analyticsReport({ ...report, schedule: { kind: 'daily', hour: 12 } }));
      let calls = 0;
      offline.world.stopAt = () => calls++ === stopAt;
      offline.world.advanceTimeTo(Date.UTC(2026, 10, 20, 12, 59));
      offline.world.stopAt = () => false;
      const stopped = offline.world.triggerRuns.some((run) => run.error);
      const wrong = problem(offline);
      if (wrong) problems.push(`stopped at call ${stopAt}: ${wrong}`);
      if (!stopped) return problems;
    }
  }

  it('runs a daily import that day wherever Apps Script stopped the trigger run it fell due in', () => {
    const problems = stoppedWhereItFallsDue({ dateRange: { preset: 'last_7_days' } }, (offline) => {
      // The next hourly runs of the trigger, as the user would wait for them.
      offline.world.advanceTimeTo(Date.UTC(2026, 10, 20, 15, 59));
      const [summary] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
      return summary.state.lastSuccessAt! >= Date.UTC(2026, 10, 20, 12)
        ? null
        : `not run on the day, next run ${summary.state.nextRunAt}`;
    });
    expect(problems).toEqual([]);
  });

  it('emails the owner of a failing scheduled import wherever Apps Script stopped the run that first failed', () => {
    // An account the user lost access to: every run fails.
    const problems = stoppedWhereItFallsDue(
      { name: 'Lost account', accountIds: ['500000004'] },
      (offline) => {
        // It fails again the next day.
        offline.world.advanceTimeTo(Date.UTC(2026, 10, 21, 12, 59));
        const emails = offline.world.outbox.filter((mail) =>
          mail.subject.includes('“Lost account” did not refresh'),
        );
        // At least once: a stop right after sending, before noting it, sends it again the next day.
        return emails.length < 1 || emails.length > 2 ? `${emails.length} emails` : null;
      },
    );
    expect(problems).toEqual([]);
  });

  it('runs on schedule although a "Run now" was abandoned mid-way', () => {
    const offline = connected({ latency: { baseMs: 30_000, perElementMs: 0 } });
    const saved = saveReport(
      offline,
      ANN,
      analyticsReport({ schedule: { kind: 'daily', hour: 12 }, dateRange: { preset: 'last_7_days' } }),
    );
    offline.world.callFromSidebar(ANN, 'runReportNow', saved.config.id);
    offline.world.advanceTimeTo(Date.UTC(2026, 10, 20, 12, 30));
    const [summary] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
    expect(summary.state.lastSuccessAt).toBeGreaterThan(Date.UTC(2026, 10, 20, 12));
    expect(summary.state.lastSuccessAt).toBeLessThan(Date.UTC(2026, 10, 20, 12, 5));
    expect(sheetValues(offline, 'LinkedIn Ads').length).toBeGreaterThan(1);
  });

  it('refuses to save a schedule when Google refuses its trigger, and says why', () => {
    const offline = connected();
    // Another trigger of this add-on for Ann in this document (the limit is one per user per document).
    offline.world.triggers.push({
      id: 'other',
      handler: 'somethingElse',
      user: ANN,
      documentId: offline.world.spreadsheet.id,
      schedule: { kind: 'hourly', everyHours: 1 },
      nextRunAt: Date.UTC(2026, 10, 21),
    });
    expect(() =>
      offline.world.callFromSidebar(ANN, 'saveReport', analyticsReport({ schedule: { kind: 'hourly' } })),
    ).toThrow('Google did not let the add-on set up its hourly trigger');
    expect(offline.world.callFromSidebar(ANN, 'listReports')).toEqual([]);
  });
});

describe('limits of Apps Script storage', () => {
  it('saves a failure whose LinkedIn text is longer than a property value holds', () => {
    const offline = connected();
    const saved = saveReport(offline, ANN, analyticsReport());
    offline.world.router = (requests) =>
      requests.map(() => ({
        status: 400,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ status: 400, code: 'ILLEGAL_ARGUMENT', message: 'x'.repeat(20_000) }),
      }));
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    expect(done.status).toBe('failed');
    const [summary] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
    expect(summary.running).toBeNull();
    expect(summary.state.lastError!.length).toBeLessThanOrEqual(1_000);
    expect(summary.state.lastError).toMatch(/…$/);
  });

  it('says the storage is full instead of Apps Script’s raw error', () => {
    const offline = connected();
    offline.world.execute(ANN, (scope: Scope) => {
      const properties = scope.PropertiesService.getDocumentProperties();
      let index = 0;
      // Fill the store to its last few bytes.
      for (const size of [8_000, 1_000, 100, 10])
        for (;;) {
          try {
            properties.setProperty(`f${index++}`, 'x'.repeat(size));
          } catch {
            break;
          }
        }
    });
    expect(() => offline.world.callFromSidebar(ANN, 'saveReport', analyticsReport())).toThrow(
      'The add-on’s storage for this spreadsheet is full',
    );
  });
});

describe('two editors at once', () => {
  it('never drops a report when both save at the same moment: the second is told to try again', () => {
    const offline = connected();
    signIn(offline, BOB, 'sim1Person');
    let bobSaw: string | null = null;
    // Bob saves while Ann's save is writing the report list.
    offline.world.stopAt = (point) => {
      if (point === 'setProperties' && bobSaw === null) {
        bobSaw = 'saving';
        try {
          offline.world.callFromSidebar(
            BOB,
            'saveReport',
            analyticsReport({ name: 'Bob', sheetName: 'Bob' }),
          );
          bobSaw = 'saved';
        } catch (error) {
          bobSaw = (error as Error).message;
        }
      }
      return false;
    };
    offline.world.callFromSidebar(ANN, 'saveReport', analyticsReport({ name: 'Ann', sheetName: 'Ann' }));
    offline.world.stopAt = () => false;
    expect(bobSaw).toBe(
      'Another editor is changing this spreadsheet’s reports right now. Try again in a moment.',
    );
    const names = (offline.world.callFromSidebar(ANN, 'listReports') as Summary[]).map(
      (summary) => summary.config.name,
    );
    expect(names).toEqual(['Ann']);
    saveReport(offline, BOB, analyticsReport({ name: 'Bob', sheetName: 'Bob' }));
    expect(
      (offline.world.callFromSidebar(ANN, 'listReports') as Summary[]).map((summary) => summary.config.name),
    ).toEqual(['Ann', 'Bob']);
  });
});

describe('what the sidebar sends is checked before it is read', () => {
  it.each([
    [null, 'The report could not be read'],
    [{ ...analyticsReport(), fields: undefined }, 'Choose the fields to import.'],
    [{ ...analyticsReport(), accountIds: 'abc' }, 'Pick ad accounts from the list.'],
    [{ ...analyticsReport(), name: 42 }, 'Give the report a name.'],
    [
      { ...analyticsReport(), schedule: { kind: 'sometimes' } },
      'Choose no schedule, hourly, daily or weekly.',
    ],
    [
      { ...analyticsReport(), dateRange: { preset: 'custom', start: '2026-02-31', end: '2026-03-05' } },
      'Enter the custom range as two real dates',
    ],
    [
      { ...analyticsReport(), dateRange: { preset: 'custom', start: '0001-01-01', end: '0001-01-31' } },
      'Start on 2010-01-01 or later',
    ],
    [
      { ...analyticsReport(), dateRange: { preset: 'incremental', initialDays: 1e9 } },
      'The first run reaches back 1 to 3,650 days.',
    ],
    [
      { ...analyticsReport(), writeMode: 'merge' },
      'Choose whether runs update rows by key or replace the table.',
    ],
  ])('%j', (input, message) => {
    const offline = connected();
    expect(() => offline.world.callFromSidebar(ANN, 'saveReport', input)).toThrow(message);
    expect(offline.world.callFromSidebar(ANN, 'listReports')).toEqual([]);
  });
});

describe('a token endpoint that fails in passing', () => {
  const failures: Array<
    [string, { status: number; headers: Record<string, string>; body: string; timedOut?: boolean }]
  > = [
    ['a timeout', { status: 0, headers: {}, body: '', timedOut: true }],
    [
      'a 503',
      {
        status: 503,
        headers: { 'Content-Type': 'application/json' },
        body: '{"message":"Service Unavailable"}',
      },
    ],
    [
      'an HTML page with 200',
      {
        status: 200,
        headers: { 'Content-Type': 'text/html' },
        body: '<html><body>Down for maintenance</body></html>',
      },
    ],
    [
      'a cut-off body',
      { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"access_token":"AQ' },
    ],
  ];

  /** The next `count` token requests get `failure`; everything else reaches the simulator. */
  function failTokenRequests(offline: OfflineWorld, failure: (typeof failures)[number][1], count: number) {
    const route = offline.world.router;
    let left = count;
    offline.world.router = (requests) =>
      route(requests).map((response, index) =>
        requests[index].url.endsWith('/oauth/v2/accessToken') && left-- > 0
          ? { ...failure, latencyMs: 100 }
          : response,
      );
  }

  it.each(failures)('renews on a later attempt after %s, never asking to reconnect', (_, failure) => {
    const offline = connected();
    const saved = saveReport(offline, ANN, analyticsReport({ dateRange: { preset: 'last_7_days' } }));
    offline.clock.advance(60 * DAY);
    failTokenRequests(offline, failure, 1);
    expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
    expect(offline.world.callFromSidebar(ANN, 'getConnection')).toMatchObject({
      connected: true,
      problem: null,
    });
  });

  it('fails the run, not the connection, when every attempt fails; the next run works', () => {
    const offline = connected();
    const saved = saveReport(offline, ANN, analyticsReport({ dateRange: { preset: 'last_7_days' } }));
    offline.clock.advance(60 * DAY);
    failTokenRequests(offline, failures[1][1], 3);
    const failed = runNow(offline, ANN, saved.config.id).at(-1)!;
    expect(failed).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('Nothing needs reconnecting'),
    });
    expect(offline.world.callFromSidebar(ANN, 'getConnection')).toMatchObject({
      connected: true,
      problem: null,
    });
    expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
  });

  it('still asks to reconnect when LinkedIn refuses the refresh token', () => {
    const offline = connected();
    const saved = saveReport(offline, ANN, analyticsReport({ dateRange: { preset: 'last_7_days' } }));
    offline.clock.advance(60 * DAY);
    failTokenRequests(
      offline,
      {
        status: 400,
        headers: { 'Content-Type': 'application/json' },
        body: '{"error":"invalid_grant","error_description":"The token has been revoked"}',
      },
      1,
    );
    expect(runNow(offline, ANN, saved.config.id).at(-1)).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('Sign in with LinkedIn again'),
    });
    expect(offline.world.callFromSidebar(ANN, 'getConnection')).toMatchObject({
      connected: false,
      needsReconnect: true,
    });
  });
});

describe("Sheets' 10 million cells, planned for", () => {
  const yearOfCreatives = (overrides: Record<string, unknown> = {}) =>
    analyticsReport({
      pivot: 'CREATIVE',
      accountIds: ['500000001', '500000002', '500000003'],
      fields: metricsOfferedBy('CREATIVE'),
      dateRange: { preset: 'custom', start: '2025-11-01', end: '2026-10-31' },
      ...overrides,
    });
  const busyAccounts = {
    size: { campaignGroupsPerAccount: 6, campaignsPerGroup: 6, creativesPerCampaign: 5 },
  };
  const reportsOf = (offline: OfflineWorld) =>
    (offline.world.callFromSidebar(ANN, 'listReports') as Summary[]).map((summary) => summary.config);

  it('refuses to save, from its lookups alone, an import that cannot fit even within its campaigns’ schedules', () => {
    const offline = connected(busyAccounts);
    expect(() => saveReport(offline, ANN, yearOfCreatives())).toThrow(
      /^The report could need up to [\d,]+ rows of 106 columns \([\d,]+ cells\), but the spreadsheet it writes to has room for [\d,]+ more .*: choose fewer metrics, .* The report was not saved\.$/,
    );
    const paths = offline.linkedin.calls.map((call) => call.path);
    expect(paths.filter((path) => path === '/rest/adAnalytics')).toEqual([]);
    // The creatives alone bound it too loosely to tell: the campaigns' schedules were read.
    expect(paths.filter((path) => path.endsWith('/adCampaigns'))).toHaveLength(3);
    expect(reportsOf(offline)).toEqual([]);
  });

  it('refuses an edit that would outgrow the spreadsheet and keeps the report as it was', () => {
    const offline = connected(busyAccounts);
    const saved = saveReport(offline, ANN, yearOfCreatives({ fields: ['impressions'] }));
    expect(() => saveReport(offline, ANN, { ...saved.config, fields: metricsOfferedBy('CREATIVE') })).toThrow(
      /could need up to [\d,]+ rows of 106 columns .* Your changes were not saved\.$/,
    );
    expect(reportsOf(offline).map((config) => (config as unknown as { fields: string[] }).fields)).toEqual([
      ['impressions'],
    ]);
  });

  it('still saves a new schedule or name for a report that no longer fits, without a request', () => {
    const offline = connected(busyAccounts);
    const saved = saveReport(offline, ANN, yearOfCreatives({ fields: ['impressions'] }));
    // The spreadsheet filled up since: at its size the report cannot fit any more.
    offline.world.execute(ANN, (scope: Scope) =>
      scope.SpreadsheetApp.getActive()
        .getSheets()[0]
        .insertRowsAfter(1000, 9_900_000 / 26),
    );
    const calls = offline.linkedin.calls.length;
    const renamed = saveReport(offline, ANN, {
      ...saved.config,
      name: 'Old creatives',
      schedule: { kind: 'none' },
    });
    expect(renamed.config.name).toBe('Old creatives');
    expect(offline.linkedin.calls.length).toBe(calls);
    expect(() => saveReport(offline, ANN, { ...renamed.config, fields: ['impressions', 'clicks'] })).toThrow(
      /could need up to .* Your changes were not saved\.$/,
    );
  });

  it('refuses a run before any analytics request when the spreadsheet filled up since the report was saved', () => {
    const offline = connected(busyAccounts);
    // By campaign: the campaigns' schedules, read to name them, bound the rows closely.
    const saved = saveReport(offline, ANN, yearOfCreatives({ pivot: 'CAMPAIGN' }));
    offline.world.execute(ANN, (scope: Scope) =>
      scope.SpreadsheetApp.getActive()
        .getSheets()[0]
        .insertRowsAfter(1000, Math.floor(9_972_000 / 26)),
    );
    const calls = offline.linkedin.calls.length;
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    expect(done.status).toBe('failed');
    expect(done.message).toMatch(
      /^The report could need up to [\d,]+ rows of 106 columns .* Nothing was imported\.$/,
    );
    const paths = offline.linkedin.calls.slice(calls).map((call) => call.path);
    expect(paths.filter((path) => path.endsWith('/adCampaigns'))).toHaveLength(3);
    expect(paths.filter((path) => path === '/rest/adAnalytics')).toEqual([]);
  });

  /** A run reads no campaigns: what its first batch held tells it, and it refuses before writing a row. */
  const expectRefusedByFirstBatch = (offline: OfflineWorld, reportId: string) => {
    const done = runNow(offline, ANN, reportId).at(-1)!;
    expect(done.status).toBe('failed');
    expect(done.message).toMatch(
      /^The report needs about [\d,]+ rows of 106 columns .* Nothing was imported\.$/,
    );
    const paths = offline.linkedin.calls.map((call) => call.path);
    expect(paths.filter((path) => path.endsWith('/adCampaigns'))).toEqual([]);
    expect(paths.filter((path) => path === '/rest/adAnalytics').length).toBeGreaterThan(0);
    expect(sheetValues(offline, 'LinkedIn Ads')).toEqual([]);
  };

  it('saves without judging when the lookups would keep the user waiting; the run judges from its first batch, before writing a row', () => {
    // 15 s a request: the creatives take two rounds (180 an account, 100 a page), and the
    // campaigns would start past the 20 s saving may take.
    const offline = connected({ ...busyAccounts, latency: { baseMs: 15_000, perElementMs: 0 } });
    const saved = saveReport(offline, ANN, yearOfCreatives());
    expect(saved.config.name).toBe('Campaign performance');
    const atSave = offline.linkedin.calls.map((call) => call.path);
    expect(atSave.filter((path) => path.endsWith('/creatives'))).toHaveLength(6);
    expect(atSave.filter((path) => path.endsWith('/adCampaigns'))).toEqual([]);
    expectRefusedByFirstBatch(offline, saved.config.id);
  });

  it('saves without judging while LinkedIn is not connected; the run judges from its first batch, before writing a row', () => {
    const offline = createOfflineWorld(busyAccounts);
    const saved = saveReport(offline, ANN, yearOfCreatives());
    expect(saved.config.name).toBe('Campaign performance');
    expect(offline.linkedin.calls).toEqual([]);
    signIn(offline, ANN, 'sim1Person', ['ads']);
    expectRefusedByFirstBatch(offline, saved.config.id);
  });

  it('saving reads the campaigns’ schedules only when the creatives alone cannot show an import fits; the run reads none, and imports it', () => {
    const START = '2025-11-01';
    const END = '2026-10-31';
    const metrics = metricsOfferedBy('CREATIVE');
    // One account: a row is Date, Creative ID, Creative and the metrics.
    const width = 3 + metrics.length;
    const run = (fill: (offline: OfflineWorld) => void) => {
      const offline = connected();
      fill(offline);
      const saved = saveReport(
        offline,
        ANN,
        analyticsReport({
          pivot: 'CREATIVE',
          accountIds: ['500000001'],
          fields: metrics,
          dateRange: { preset: 'custom', start: START, end: END },
        }),
      );
      // Saving judged it; the run's own lookup is the creatives, and its first batch tells the rest.
      const judgedAtSave = offline.linkedin.calls.map((call) => call.path);
      const done = runNow(offline, ANN, saved.config.id).at(-1)!;
      const paths = offline.linkedin.calls.map((call) => call.path).slice(judgedAtSave.length);
      return { done, judgedAtSave, paths };
    };
    // The simulator's own truth: days each creative could serve, from its creation alone and within its campaign's run.
    const probe = connected();
    const first = Date.parse(`${START}T00:00:00Z`) / DAY;
    const last = Date.parse(`${END}T00:00:00Z`) / DAY;
    const days = (from: number, to: number) => Math.max(0, Math.min(to, last) - Math.max(from, first) + 1);
    let loose = 0;
    let tight = 0;
    for (const creative of probe.linkedin.data.creatives.values()) {
      if (creative.accountId !== 500000001) continue;
      const campaign = probe.linkedin.data.campaigns.get(creative.campaignId)!;
      const created = Math.floor(creative.createdAt / DAY);
      loose += days(created, last);
      tight += days(
        Math.max(created, Math.floor(campaign.runStart / DAY)),
        campaign.runEnd === null ? last : Math.floor(campaign.runEnd / DAY),
      );
    }
    expect(loose * width - tight * width).toBeGreaterThan(100_000);
    // Fill the spreadsheet so what is left lies between the two bounds (the new tab's 26,000 cells spared).
    const room = Math.round(((loose + tight) / 2) * width) + 26_000;
    const filled = run((offline) =>
      offline.world.execute(ANN, (scope: Scope) =>
        scope.SpreadsheetApp.getActive()
          .getSheets()[0]
          .insertRowsAfter(1000, Math.floor((10_000_000 - 26_000 - room) / 26)),
      ),
    );
    expect(filled.done.status).toBe('done');
    expect(filled.judgedAtSave.filter((path) => path.endsWith('/adCampaigns'))).toHaveLength(1);
    expect(filled.judgedAtSave.filter((path) => path === '/rest/adAnalytics')).toEqual([]);
    expect(filled.paths.filter((path) => path.endsWith('/adCampaigns'))).toEqual([]);
    expect(filled.paths.filter((path) => path === '/rest/adAnalytics').length).toBeGreaterThan(0);
    // With room to spare, the creatives alone show it fits: saving reads no campaign either.
    const roomy = run(() => undefined);
    expect(roomy.done.status).toBe('done');
    expect(roomy.judgedAtSave.filter((path) => path.endsWith('/adCampaigns'))).toEqual([]);
    expect(roomy.paths.filter((path) => path.endsWith('/adCampaigns'))).toEqual([]);
    expect(roomy.done.rowsWritten).toBe(filled.done.rowsWritten);
  });

  it('counts the report’s own tab as room: a re-run into a tab that fills the spreadsheet updates it', () => {
    const offline = connected();
    // Two years: too long to bet on one window, so the run is planned (and judged) from the lookup.
    const saved = saveReport(
      offline,
      ANN,
      analyticsReport({ dateRange: { preset: 'custom', start: '2024-11-01', end: '2026-10-31' } }),
    );
    expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
    const before = sheetValues(offline, 'LinkedIn Ads');
    // The user grows the report's own tab until the spreadsheet is 60 cells short of Sheets' limit.
    offline.world.execute(ANN, (scope: Scope) => {
      const spreadsheet = scope.SpreadsheetApp.getActive();
      const cells = spreadsheet
        .getSheets()
        .reduce(
          (total: number, sheet: { getMaxRows(): number; getMaxColumns(): number }) =>
            total + sheet.getMaxRows() * sheet.getMaxColumns(),
          0,
        );
      const sheet = spreadsheet.getSheetByName('LinkedIn Ads');
      sheet.insertRowsAfter(
        sheet.getMaxRows(),
        Math.floor((10_000_000 - 60 - cells) / sheet.getMaxColumns()),
      );
    });
    const again = runNow(offline, ANN, saved.config.id).at(-1)!;
    expect(again).toMatchObject({ status: 'done', message: expect.stringContaining('rows written') });
    expect(sheetValues(offline, 'LinkedIn Ads')).toEqual(before);
  });

  it('cuts a new tab to the width of its table', () => {
    const offline = connected();
    runNow(offline, ANN, saveReport(offline, ANN, analyticsReport()).config.id);
    const grid = offline.world.execute(ANN, (scope: Scope) => {
      const sheet = scope.SpreadsheetApp.getActive().getSheetByName('LinkedIn Ads');
      return [sheet.getMaxColumns(), sheet.getLastColumn()];
    });
    expect(grid).toEqual([6, 6]);
  });
});

describe('a sidebar run and its user’s hourly run of the same report', () => {
  const HOUR = 3_600_000;
  /** A scheduled report, and the clock five seconds before its trigger's next run, where the report is due. */
  function dueSoon() {
    const offline = connected();
    const saved = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    offline.world.advanceTimeTo(offline.clock.now() + HOUR + 60_000);
    const [trigger] = offline.world.triggers;
    offline.world.advanceTimeTo(trigger.nextRunAt - 5_000);
    return { offline, reportId: saved.config.id, fires: trigger.nextRunAt };
  }
  /** Runs `during` once, nested, when the current execution first writes cells. */
  function atFirstWrite(offline: OfflineWorld, during: () => void) {
    let done = false;
    offline.world.stopAt = (point) => {
      if (point === 'after setValues' && !done) {
        done = true;
        during();
      }
      return false;
    };
    return () => {
      offline.world.stopAt = () => false;
      return done;
    };
  }
  const lastRunOnSchedule = (offline: OfflineWorld, reportId: string) =>
    offline.world.execute(ANN, (scope: Scope) => {
      const spreadsheetId = scope.SpreadsheetApp.getActive().getId();
      const raw = scope.PropertiesService.getUserProperties().getProperties() as Record<string, string>;
      const key = Object.keys(raw).find(
        (name) => name.includes(spreadsheetId) && name.endsWith(`report-state.${reportId}`),
      );
      return key ? (JSON.parse(raw[key]) as { lastRunAt: number | null }).lastRunAt : null;
    });

  it('the hourly run that comes while the sidebar writes the tab leaves the report to the next hour', () => {
    const { offline, reportId, fires } = dueSoon();
    const before = lastRunOnSchedule(offline, reportId);
    let fetchedByTrigger = -1;
    const stop = atFirstWrite(offline, () => {
      const mark = offline.world.fetchLog.length;
      const runs = offline.world.advanceTimeTo(fires);
      expect(runs.map((run) => run.error)).toEqual([undefined]);
      fetchedByTrigger = offline.world.fetchLog.length - mark;
    });
    expect(runNow(offline, ANN, reportId).at(-1)!.status).toBe('done');
    expect(stop()).toBe(true);
    expect(fetchedByTrigger).toBe(0);
    expect(lastRunOnSchedule(offline, reportId)).toBe(before);
    // Still due: the next hour runs it.
    offline.world.advanceTimeTo(fires + HOUR);
    expect(lastRunOnSchedule(offline, reportId)).toBeGreaterThan(fires);
  });

  it('Run now while the hourly run writes the tab is told the report is being imported', () => {
    const { offline, reportId, fires } = dueSoon();
    let answer: { status: string; message: string | null } | null = null;
    const stop = atFirstWrite(offline, () => {
      answer = offline.world.callFromSidebar(ANN, 'runReportNow', reportId) as typeof answer;
    });
    offline.world.advanceTimeTo(fires);
    expect(stop()).toBe(true);
    expect(answer).toEqual(
      expect.objectContaining({
        status: 'busy',
        message:
          'This report is being imported by another editor or a schedule right now. Try again in a few minutes.',
      }),
    );
  });

  it('Run now after cancelling a sidebar run Apps Script stopped is not told the report is being imported', () => {
    const { offline, reportId } = dueSoon();
    offline.world.stopAt = (point) => point === 'after setValues';
    expect(() => runNow(offline, ANN, reportId)).toThrow();
    offline.world.stopAt = () => false;
    offline.world.callFromSidebar(ANN, 'cancelReport', reportId);
    const again = runNow(offline, ANN, reportId);
    expect(again[0].status).toBe('running');
    expect(again.at(-1)!.status).toBe('done');
  });

  it('Cancel while the hourly run writes the tab leaves that run its hold', () => {
    const { offline, reportId, fires } = dueSoon();
    let answer: { status: string } | null = null;
    const stop = atFirstWrite(offline, () => {
      offline.world.callFromSidebar(ANN, 'cancelReport', reportId);
      answer = offline.world.callFromSidebar(ANN, 'runReportNow', reportId) as typeof answer;
    });
    offline.world.advanceTimeTo(fires);
    expect(stop()).toBe(true);
    expect(answer).toEqual(expect.objectContaining({ status: 'busy' }));
  });
});
