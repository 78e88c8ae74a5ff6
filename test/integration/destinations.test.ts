import type { OfflineWorld } from '../../sandbox/offline-world';
import { SCOPES } from '../../sandbox/apps-script/scopes';
import { connectedWorld, signIn } from '../helpers/connect';
import {
  ANALYTICS_REPORT_HEADER,
  analyticsReport,
  metricsOfferedBy,
  runNow,
  saveReport,
  sheetValues,
  type Summary,
} from '../helpers/reports';

const ANN = 'ann@example.com';
const BOB = 'bob@example.com';
/** A real-looking spreadsheet id: 44 letters, digits, - and _. */
const OTHER_ID = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';
const OTHER_LINK = `https://docs.google.com/spreadsheets/d/${OTHER_ID}/edit#gid=0`;

/** openById's failure for a spreadsheet the user cannot open comes at the call or at its first use: both are run. */
const READINGS = ['at-once', 'on-first-use'] as const;

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Destination = Summary & {
  config: Summary['config'] & { spreadsheet?: { id: string; name: string; url: string } };
  tabExists: boolean | null;
};

/** A world where Ann is connected and can edit the spreadsheet “Ads archive”. */
function withArchive(): OfflineWorld {
  const offline = connectedWorld(ANN);
  offline.world.addSpreadsheet(OTHER_ID, 'Ads archive', [ANN]);
  return offline;
}

/** An analytics report that writes to “Ads archive”, by its link. */
const toArchive = (overrides: Record<string, unknown> = {}) => ({
  ...analyticsReport(overrides),
  writeTo: { kind: 'link', link: OTHER_LINK },
});

/** A tab's displayed values in any spreadsheet of the world, read as the data behind it. */
function valuesIn(offline: OfflineWorld, spreadsheetId: string, sheetName: string): string[][] {
  const data = offline.world.spreadsheetData(spreadsheetId)!;
  return offline.world.execute(ANN, (scope: Scope) => {
    const sheet = scope.SpreadsheetApp.openById(data.id).getSheetByName(sheetName);
    if (!sheet || sheet.getLastRow() === 0) return [];
    return sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getDisplayValues();
  });
}

const tabNames = (offline: OfflineWorld, spreadsheetId: string) =>
  offline.world.spreadsheetData(spreadsheetId)!.sheets.map((sheet) => sheet.name);

describe('a report that writes to another spreadsheet', () => {
  it('writes to the spreadsheet a pasted link names, and lists the report where it was saved', () => {
    const offline = withArchive();
    const saved = saveReport(offline, ANN, toArchive()) as Destination;
    expect(saved.config.spreadsheet).toEqual({
      id: OTHER_ID,
      name: 'Ads archive',
      url: `https://docs.google.com/spreadsheets/d/${OTHER_ID}/edit`,
    });
    expect(saved.tabExists).toBeNull();
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    expect(done.status).toBe('done');
    expect(done.message).toBe(`${done.rowsWritten} rows written to “LinkedIn Ads” in “Ads archive”.`);
    const written = valuesIn(offline, OTHER_ID, 'LinkedIn Ads');
    expect(written[0]).toEqual(ANALYTICS_REPORT_HEADER);
    expect(written.length - 1).toBe(done.rowsWritten);
    expect(done.rowsWritten).toBeGreaterThan(0);
    // Nothing lands in the spreadsheet the report was saved in.
    expect(sheetValues(offline, 'LinkedIn Ads')).toEqual([]);
    expect(() => offline.world.callFromSidebar(ANN, 'openReportTab', saved.config.id)).toThrow(
      "The report writes to the spreadsheet “Ads archive”: open it from the report's card.",
    );
    // Running again updates by key in the other spreadsheet: no duplicates.
    runNow(offline, ANN, saved.config.id);
    expect(valuesIn(offline, OTHER_ID, 'LinkedIn Ads')).toEqual(written);
  });

  it.each(READINGS)(
    'refuses a link that is not a spreadsheet, or one this user cannot open (failing %s), saving nothing',
    (reading) => {
      const offline = connectedWorld(ANN);
      offline.world.openByIdFails = reading;
      offline.world.addSpreadsheet(OTHER_ID, 'Bob only', [BOB]);
      const save = (link: string) => () =>
        offline.world.callFromSidebar(ANN, 'saveReport', {
          ...analyticsReport(),
          writeTo: { kind: 'link', link },
        });
      expect(save('https://example.com/sheet')).toThrow(
        'Paste the link of a Google Sheets spreadsheet, copied from its address bar (it holds /spreadsheets/d/ and the spreadsheet’s id).',
      );
      expect(save(OTHER_LINK)).toThrow(
        'Could not open the spreadsheet at that link (your Google account has no access to it). Check the link, and that the spreadsheet is shared with your Google account as an editor.',
      );
      expect(
        save('https://docs.google.com/spreadsheets/d/1NoSuchSpreadsheetAnywhere000000000000000000/edit'),
      ).toThrow(
        'Could not open the spreadsheet at that link (no spreadsheet is there: it was deleted, or the link is incomplete).',
      );
      expect(offline.world.callFromSidebar(ANN, 'listReports')).toEqual([]);
    },
  );

  it('makes a new spreadsheet named after the report on save, its one tab the report’s', () => {
    const offline = connectedWorld(ANN);
    const saved = saveReport(offline, ANN, {
      ...analyticsReport({ name: 'Creative year', sheetName: 'Creatives' }),
      writeTo: { kind: 'new' },
    }) as Destination;
    const created = saved.config.spreadsheet!;
    expect(created.name).toBe('Creative year');
    expect(created.url).toBe(`https://docs.google.com/spreadsheets/d/${created.id}/edit`);
    expect(tabNames(offline, created.id)).toEqual(['Creatives']);
    expect(offline.world.spreadsheetData(created.id)!.sharedWith).toEqual([ANN]);
    expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
    expect(valuesIn(offline, created.id, 'Creatives')[0][0]).toBe('Date');
    // Saving again (a rename) keeps writing there; no second spreadsheet is made.
    const renamed = saveReport(offline, ANN, {
      ...saved.config,
      name: 'Creative year (all accounts)',
    }) as Destination;
    expect(renamed.config.spreadsheet).toEqual(created);
  });

  it('refuses a report too big even for a new spreadsheet before making one', () => {
    const offline = connectedWorld(ANN, {
      size: { campaignGroupsPerAccount: 6, campaignsPerGroup: 6, creativesPerCampaign: 5 },
    });
    expect(() =>
      offline.world.callFromSidebar(ANN, 'saveReport', {
        ...analyticsReport({
          pivot: 'CREATIVE',
          accountIds: ['500000001', '500000002', '500000003'],
          fields: metricsOfferedBy('CREATIVE'),
          dateRange: { preset: 'custom', start: '2025-11-01', end: '2026-10-31' },
        }),
        writeTo: { kind: 'new' },
      }),
    ).toThrow(
      /^The report could need up to [\d,]+ rows of 106 columns \([\d,]+ cells\), but the spreadsheet it writes to has room for 10,000,000 more .* The report was not saved\.$/,
    );
    expect(offline.world.spreadsheetIds()).toEqual([offline.world.spreadsheet.id]);
    expect(offline.world.callFromSidebar(ANN, 'listReports')).toEqual([]);
  });

  it('lets two reports use one tab name in different spreadsheets, but not in the same one', () => {
    const offline = withArchive();
    saveReport(offline, ANN, analyticsReport());
    const elsewhere = saveReport(offline, ANN, toArchive({ name: 'Archive copy' }));
    expect(elsewhere.config.sheetName).toBe('LinkedIn Ads');
    expect(() =>
      offline.world.callFromSidebar(ANN, 'saveReport', {
        ...analyticsReport({ name: 'Third' }),
        writeTo: { kind: 'link', link: OTHER_ID },
      }),
    ).toThrow('The report “Archive copy” already writes to the tab “LinkedIn Ads”. Choose another tab.');
  });

  it('checks the other spreadsheet’s tab before saving, and names the spreadsheet', () => {
    const offline = connectedWorld(ANN);
    const other = offline.world.addSpreadsheet(OTHER_ID, 'Budgets', [ANN]);
    offline.world.execute(ANN, (scope: Scope) =>
      scope.SpreadsheetApp.openById(other.id).getSheets()[0].setName('Plan').getRange(1, 1).setValue('Q1'),
    );
    expect(
      offline.world.callFromSidebar(ANN, 'checkDestination', 'Plan', null, {
        kind: 'link',
        link: OTHER_LINK,
      }),
    ).toEqual({ exists: true, holdsOtherData: true, spreadsheetName: 'Budgets', tabTaken: null });
    expect(offline.world.callFromSidebar(ANN, 'checkDestination', 'Plan', null, { kind: 'this' })).toEqual({
      exists: false,
      holdsOtherData: false,
      spreadsheetName: null,
      tabTaken: null,
    });
    expect(() => offline.world.callFromSidebar(ANN, 'saveReport', toArchive({ sheetName: 'Plan' }))).toThrow(
      'The tab “Plan” already holds other data.',
    );
    expect(valuesIn(offline, OTHER_ID, 'Plan')).toEqual([['Q1']]);
  });

  it.each(READINGS)(
    'fails a run clearly when the other spreadsheet was deleted (openById failing %s), keeping what this spreadsheet holds',
    (reading) => {
      const offline = connectedWorld(ANN);
      offline.world.openByIdFails = reading;
      offline.world.addSpreadsheet(OTHER_ID, 'Ads archive', [ANN]);
      const saved = saveReport(offline, ANN, toArchive());
      offline.world.deleteSpreadsheet(OTHER_ID);
      const failed = runNow(offline, ANN, saved.config.id).at(-1)!;
      expect(failed.status).toBe('failed');
      expect(failed.message).toBe(
        'Could not open the spreadsheet “Ads archive” this report writes to (no spreadsheet is there: it was deleted, or the link is incomplete). If it was deleted or is no longer shared with you, edit the report and choose where it writes.',
      );
      const [summary] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
      expect(summary.state.lastError).toBe(failed.message);
      // Pointing it back here works: the edit opens nothing else.
      const back = saveReport(offline, ANN, { ...summary.config, writeTo: { kind: 'this' } }) as Destination;
      expect(back.config.spreadsheet).toBeUndefined();
      expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
      expect(sheetValues(offline, 'LinkedIn Ads')[0][0]).toBe('Date');
    },
  );

  it.each([
    ['opens it and refuses its first change', true],
    ['refuses to open it', false],
  ])('writes nothing to a spreadsheet shared view-only, when Apps Script %s', (_, viewersMayOpen) => {
    const offline = connectedWorld(ANN);
    offline.world.viewersMayOpen = viewersMayOpen;
    offline.world.addSpreadsheet(OTHER_ID, 'Team dashboard', [BOB], [ANN]);
    const save = () => saveReport(offline, ANN, toArchive());
    if (!viewersMayOpen) {
      expect(save).toThrow(
        'Could not open the spreadsheet at that link (your Google account has no access to it).',
      );
      expect(offline.world.callFromSidebar(ANN, 'listReports')).toEqual([]);
      return;
    }
    // Edit rights cannot be read without changing something, so the save takes it; the run says what to do.
    const failed = runNow(offline, ANN, save().config.id).at(-1)!;
    expect(failed.status).toBe('failed');
    expect(failed.message).toBe(
      'Could not add the tab “LinkedIn Ads” (You do not have permission to perform that action.). If you may only view the spreadsheet, ask its owner for edit access or edit the report to write elsewhere. ' +
        'If it is near Google Sheets’ 10 million cell limit, delete unused tabs or rows, or build the report in a new spreadsheet (choose “A new spreadsheet” under “Spreadsheet”).',
    );
    expect(tabNames(offline, OTHER_ID)).toEqual(['Sheet1']);
  });

  it.each([
    ['without', false],
    ['with', true],
  ])('runs on schedule into the other spreadsheet %s a document in the trigger', (_, withDocument) => {
    const offline = connectedWorld(ANN);
    offline.world.triggerDocumentContext = withDocument;
    offline.world.addSpreadsheet(OTHER_ID, 'Ads archive', [ANN]);
    saveReport(
      offline,
      ANN,
      toArchive({ schedule: { kind: 'hourly' }, dateRange: { preset: 'last_7_days' } }),
    );
    offline.world.advanceTimeTo(Date.UTC(2026, 10, 20, 10, 1));
    offline.world.advanceTimeTo(Date.UTC(2026, 10, 20, 11, 1));
    expect(offline.world.triggerRuns.map((run) => run.error ?? 'ok')).toEqual(['ok', 'ok']);
    const written = valuesIn(offline, OTHER_ID, 'LinkedIn Ads');
    const [summary] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
    expect(summary.state).toMatchObject({ lastError: null, lastRows: written.length - 1 });
    expect(written.length).toBeGreaterThan(1);
    expect(sheetValues(offline, 'LinkedIn Ads')).toEqual([]);
  });

  it('emails the owner which spreadsheet a failed scheduled import writes to, and which to open', () => {
    const offline = withArchive();
    saveReport(offline, ANN, toArchive({ schedule: { kind: 'hourly' } }));
    offline.world.deleteSpreadsheet(OTHER_ID);
    offline.world.advanceTimeTo(offline.clock.now() + 3_600_000 + 60_000);
    const [email] = offline.world.outbox.filter((mail) => mail.subject.includes('did not refresh'));
    expect(email.body).toContain(
      'The scheduled import “Campaign performance” into the tab “LinkedIn Ads” of “Ads archive” failed:\n\nCould not open the spreadsheet “Ads archive” this report writes to',
    );
    expect(email.body).toContain(
      'Open “Marketing report” (https://docs.google.com/spreadsheets/d/sim-spreadsheet-1/edit)',
    );
  });

  it('duplicates a report into the same other spreadsheet', () => {
    const offline = withArchive();
    const saved = saveReport(offline, ANN, toArchive());
    const reports = offline.world.callFromSidebar(ANN, 'duplicateReport', saved.config.id) as Destination[];
    const copy = reports.find((report) => report.config.name === 'Campaign performance (copy)')!;
    expect(copy.config.spreadsheet?.id).toBe(OTHER_ID);
    expect(copy.config.sheetName).toBe('LinkedIn Ads (copy)');
  });

  it('names each further copy so it can be saved: “(copy 2)” once “(copy)” is taken, also by a tab', () => {
    const offline = withArchive();
    const saved = saveReport(offline, ANN, toArchive());
    const names = () =>
      (offline.world.callFromSidebar(ANN, 'listReports') as Destination[]).map((report) => [
        report.config.name,
        report.config.sheetName,
      ]);
    offline.world.callFromSidebar(ANN, 'duplicateReport', saved.config.id);
    // A tab of that name in the archive, made by hand: the next copy passes it by too.
    offline.world.execute(ANN, (scope: Scope) =>
      scope.SpreadsheetApp.openById(OTHER_ID).insertSheet('LinkedIn Ads (copy 2)'),
    );
    offline.world.callFromSidebar(ANN, 'duplicateReport', saved.config.id);
    expect(names().sort(([a], [b]) => a.localeCompare(b))).toEqual([
      ['Campaign performance', 'LinkedIn Ads'],
      ['Campaign performance (copy 3)', 'LinkedIn Ads (copy 3)'],
      ['Campaign performance (copy)', 'LinkedIn Ads (copy)'],
    ]);
  });

  it.each([
    ['grows the tab', true],
    ['is refused', false],
  ])(
    'cuts the new spreadsheet’s tab to the report’s width, and writes past its grid when setValues there %s',
    (_, grows) => {
      const offline = connectedWorld(ANN);
      offline.world.gridGrowsOnWrite = grows;
      const saved = saveReport(offline, ANN, {
        ...analyticsReport({
          sheetName: 'Narrow',
          dateRange: { preset: 'custom', start: '2025-01-01', end: '2025-12-31' },
        }),
        writeTo: { kind: 'new' },
      }) as Destination;
      const done = runNow(offline, ANN, saved.config.id).at(-1)!;
      expect(done.status).toBe('done');
      const tab = offline.world.spreadsheetData(saved.config.spreadsheet!.id)!.sheets[0];
      // More rows than a new tab's 1,000, all written.
      expect(done.rowsWritten).toBeGreaterThan(1_000);
      expect([tab.name, tab.maxColumns, tab.values.length]).toEqual(['Narrow', 6, done.rowsWritten + 1]);
    },
  );

  it('starts an incremental report’s history again where it moves to, and refuses a move while it imports', () => {
    const offline = withArchive();
    const incremental = { ...analyticsReport(), dateRange: { preset: 'incremental', initialDays: 30 } };
    const saved = saveReport(offline, ANN, incremental);
    const first = runNow(offline, ANN, saved.config.id).at(-1)!;
    offline.clock.advance(86_400_000);
    // A run under way: its rows would be split between two spreadsheets.
    const started = offline.world.callFromSidebar(ANN, 'runReportNow', saved.config.id) as { status: string };
    expect(started.status).toBe('running');
    const move = { ...incremental, id: saved.config.id, writeTo: { kind: 'link', link: OTHER_LINK } };
    expect(() => offline.world.callFromSidebar(ANN, 'saveReport', move)).toThrow(
      'The report is importing right now: let the run finish, or cancel it, before changing where it writes.',
    );
    offline.world.callFromSidebar(ANN, 'cancelReport', saved.config.id);
    const moved = saveReport(offline, ANN, move);
    expect(moved.state).toMatchObject({ lastCoveredEnd: null, lastRows: null });
    const there = runNow(offline, ANN, saved.config.id).at(-1)!;
    // The whole first reach again (30 days, one day later), not just the lookback.
    expect(there.rowsWritten).toBeGreaterThanOrEqual(first.rowsWritten - 8);
    expect(valuesIn(offline, OTHER_ID, 'LinkedIn Ads').length - 1).toBe(there.rowsWritten);
    // Back here, then into a new spreadsheet under the same tab name: a move too.
    saveReport(offline, ANN, { ...move, writeTo: { kind: 'this' } });
    runNow(offline, ANN, saved.config.id);
    const anew = saveReport(offline, ANN, { ...move, writeTo: { kind: 'new' } }) as Destination;
    expect(anew.state).toMatchObject({ lastCoveredEnd: null, lastRows: null });
    expect(anew.config.spreadsheet!.id).not.toBe(OTHER_ID);
  });

  it('lets another editor rename a report writing where only its owner can open, keeping where it writes', () => {
    const offline = connectedWorld(ANN);
    signIn(offline, BOB, 'sim1Person');
    offline.world.addSpreadsheet(OTHER_ID, 'Ann’s archive', [ANN]);
    const saved = saveReport(offline, ANN, toArchive()) as Destination;
    // As the builder sends an edit: the saved link back.
    const renamed = saveReport(offline, BOB, {
      ...saved.config,
      name: 'Campaigns (Q4)',
      writeTo: { kind: 'link', link: saved.config.spreadsheet!.url },
    }) as Destination;
    expect(renamed.config.spreadsheet).toEqual(saved.config.spreadsheet);
    expect(renamed.config.owner).toBe(ANN);
    // His run cannot open it, and says so; Ann's can.
    expect(runNow(offline, BOB, saved.config.id).at(-1)!.message).toContain(
      'Could not open the spreadsheet “Ann’s archive” this report writes to (your Google account has no access to it).',
    );
    expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
  });

  it('keeps reports saved in two spreadsheets off one tab of a third, unless one takes it over', () => {
    const offline = withArchive();
    const shared = toArchive({ sheetName: 'Shared' });
    const first = saveReport(offline, ANN, shared);
    runNow(offline, ANN, first.config.id);
    const before = valuesIn(offline, OTHER_ID, 'Shared');
    // The same report, saved in a second spreadsheet: same columns, another report.
    offline.world.openDocument('sim-spreadsheet-2', 'Second report');
    expect(offline.world.callFromSidebar(ANN, 'checkDestination', 'Shared', null, shared.writeTo)).toEqual({
      exists: true,
      holdsOtherData: true,
      spreadsheetName: 'Ads archive',
      tabTaken: null,
    });
    expect(() => offline.world.callFromSidebar(ANN, 'saveReport', shared)).toThrow(
      'The tab “Shared” already holds other data. Choose another tab, or tick “take over this tab”',
    );
    expect(valuesIn(offline, OTHER_ID, 'Shared')).toEqual(before);
    const second = saveReport(offline, ANN, { ...shared, takeOverTab: true });
    expect(runNow(offline, ANN, second.config.id).at(-1)!.status).toBe('done');
    // Back in the first spreadsheet, its report no longer writes there.
    offline.world.openDocument('sim-spreadsheet-1');
    const refused = runNow(offline, ANN, first.config.id).at(-1)!;
    expect(refused.message).toBe(
      'The tab “Shared” of “Ads archive” is written by another report now (saved in another spreadsheet, or one that took the tab over). Edit this report to choose another tab. Nothing was written.',
    );
  });

  it('keeps a report saved in the spreadsheet itself off a tab another spreadsheet’s report writes there, unless it takes it over', () => {
    const offline = withArchive();
    const shared = toArchive({ sheetName: 'Shared' });
    const away = saveReport(offline, ANN, shared);
    runNow(offline, ANN, away.config.id);
    const before = valuesIn(offline, OTHER_ID, 'Shared');
    // In “Ads archive” itself, a report of the same columns is saved to that tab. Its list does
    // not hold the first report, saved in the first spreadsheet.
    offline.world.openDocument(OTHER_ID);
    const local = analyticsReport({ sheetName: 'Shared', accountIds: ['500000002'] });
    expect(offline.world.callFromSidebar(ANN, 'checkDestination', 'Shared', null)).toMatchObject({
      exists: true,
      holdsOtherData: true,
    });
    expect(() => offline.world.callFromSidebar(ANN, 'saveReport', local)).toThrow(
      'The tab “Shared” already holds other data. Choose another tab, or tick “take over this tab”',
    );
    expect(valuesIn(offline, OTHER_ID, 'Shared')).toEqual(before);
    const here = saveReport(offline, ANN, { ...local, takeOverTab: true });
    expect(runNow(offline, ANN, here.config.id).at(-1)!.status).toBe('done');
    // Taken back from the first spreadsheet, the tab is not retaken by the local report's next run.
    offline.world.openDocument('sim-spreadsheet-1');
    saveReport(offline, ANN, { ...away.config, writeTo: shared.writeTo, takeOverTab: true });
    expect(runNow(offline, ANN, away.config.id).at(-1)!.status).toBe('done');
    const taken = valuesIn(offline, OTHER_ID, 'Shared');
    offline.world.openDocument(OTHER_ID);
    expect(runNow(offline, ANN, here.config.id).at(-1)!.message).toBe(
      'The tab “Shared” is written by a report saved in another spreadsheet now (it took the tab over). Edit this report to choose another tab. Nothing was written.',
    );
    expect(valuesIn(offline, OTHER_ID, 'Shared')).toEqual(taken);
  });

  it('completes a take-over of a tab from this spreadsheet’s report, stopped at any call and saved again', () => {
    let stops = 0;
    for (let stopAt = 0; ; stopAt++) {
      const offline = withArchive();
      offline.world.openDocument(OTHER_ID);
      const local = saveReport(
        offline,
        ANN,
        analyticsReport({ name: 'Local', sheetName: 'Shared', accountIds: ['500000002'] }),
      );
      runNow(offline, ANN, local.config.id);
      offline.world.openDocument('sim-spreadsheet-1');
      const away = {
        ...toArchive({ name: 'Away', sheetName: 'Shared', takeOverTab: true }),
        newId: 'a'.repeat(32),
      };
      let calls = 0;
      offline.world.stopAt = () => calls++ === stopAt;
      let stopped = false;
      try {
        saveReport(offline, ANN, away);
      } catch {
        stopped = true;
      }
      offline.world.stopAt = () => false;
      if (!stopped) break;
      stops++;
      // The user saves again, then both reports run: the tab is the one taking it over.
      saveReport(offline, ANN, away);
      offline.world.openDocument(OTHER_ID);
      const localRun = runNow(offline, ANN, local.config.id).at(-1)!;
      offline.world.openDocument('sim-spreadsheet-1');
      const awayRun = runNow(offline, ANN, away.newId).at(-1)!;
      const campaignIds = valuesIn(offline, OTHER_ID, 'Shared')
        .slice(1)
        .map((row) => row[1]);
      expect([stopAt, localRun.status, awayRun.status]).toEqual([stopAt, 'failed', 'done']);
      // Campaigns of account 500000001 only (7000100xx), none of the local report's 500000002 (7000200xx).
      expect([stopAt, campaignIds.length > 0 && campaignIds.every((id) => id.startsWith('70001'))]).toEqual([
        stopAt,
        true,
      ]);
    }
    expect(stops).toBeGreaterThan(10);
  });

  it('answers a malformed choice of spreadsheet with a sentence', () => {
    const offline = connectedWorld(ANN);
    expect(() =>
      offline.world.callFromSidebar(ANN, 'checkDestination', 'Tab', null, { kind: 'link' }),
    ).toThrow(
      'Paste the link of a Google Sheets spreadsheet, copied from its address bar (it holds /spreadsheets/d/ and the spreadsheet’s id).',
    );
    expect(() => offline.world.callFromSidebar(ANN, 'checkDestination', 'Tab', null, 'new')).toThrow(
      'Choose the spreadsheet the report writes to.',
    );
  });

  it('fails with Apps Script’s reason, writing nothing, once the tab’s spreadsheet becomes view-only', () => {
    const offline = connectedWorld(ANN);
    const other = offline.world.addSpreadsheet(OTHER_ID, 'Ads archive', [ANN]);
    const saved = saveReport(offline, ANN, toArchive());
    runNow(offline, ANN, saved.config.id);
    const before = valuesIn(offline, OTHER_ID, 'LinkedIn Ads');
    other.sharedWith = [BOB];
    other.viewers = [ANN];
    offline.clock.advance(86_400_000);
    const failed = runNow(offline, ANN, saved.config.id).at(-1)!;
    expect(failed.message).toBe(
      'The import stopped unexpectedly: You do not have permission to perform that action.',
    );
    expect(valuesIn(offline, OTHER_ID, 'LinkedIn Ads')).toEqual(before);
  });
});

describe('what other editors can do', () => {
  it('duplicates, into this spreadsheet, a report of another editor’s schedule writing where only its owner can open', () => {
    const offline = connectedWorld(ANN);
    signIn(offline, BOB, 'sim1Person');
    offline.world.addSpreadsheet(OTHER_ID, 'Ann’s archive', [ANN]);
    const annual = saveReport(offline, ANN, toArchive({ schedule: { kind: 'daily', hour: 6 } }));
    const seen = offline.world.callFromSidebar(BOB, 'listReports') as Array<
      Destination & { scheduledByOther: string | null }
    >;
    expect(seen.map((summary) => summary.scheduledByOther)).toEqual([ANN]);
    // What the builder asks when Bob opens it: the saved spreadsheet, named, though he cannot open it.
    expect(
      offline.world.callFromSidebar(BOB, 'checkDestination', 'LinkedIn Ads', annual.config.id, {
        kind: 'link',
        link: `https://docs.google.com/spreadsheets/d/${OTHER_ID}/edit`,
      }),
    ).toEqual({ exists: false, holdsOtherData: false, spreadsheetName: 'Ann’s archive', tabTaken: null });
    const reports = offline.world.callFromSidebar(BOB, 'duplicateReport', annual.config.id) as Array<
      Destination & { scheduledByOther: string | null }
    >;
    const copy = reports.find((report) => report.config.name === 'Campaign performance (copy)')!;
    expect(copy.config).toMatchObject({
      owner: BOB,
      schedule: { kind: 'none' },
      sheetName: 'LinkedIn Ads (copy)',
    });
    expect(copy.config.spreadsheet).toBeUndefined();
    expect(copy.scheduledByOther).toBeNull();
  });

  it('refuses its owner a move while a scheduled import is unfinished', () => {
    const offline = withArchive();
    const saved = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    // The scheduled run is stopped after its first write: its job waits for the next hourly run.
    let writes = 0;
    offline.world.stopAt = (point) => point === 'after setValues' && ++writes === 1;
    offline.world.advanceTimeTo(offline.clock.now() + 3_600_000 + 60_000);
    offline.world.stopAt = () => false;
    expect(offline.world.triggerRuns.map((run) => run.error)).toEqual(['Exceeded maximum execution time']);
    expect(() =>
      offline.world.callFromSidebar(ANN, 'saveReport', {
        ...saved.config,
        writeTo: { kind: 'link', link: OTHER_LINK },
      }),
    ).toThrow(
      'The report is importing right now: let the run finish, or cancel it, before changing where it writes.',
    );
  });

  it('leaves a prepared empty tab’s columns alone', () => {
    const offline = connectedWorld(ANN);
    offline.world.execute(ANN, (scope: Scope) => scope.SpreadsheetApp.getActive().insertSheet('Prepared'));
    const saved = saveReport(offline, ANN, analyticsReport({ sheetName: 'Prepared' }));
    expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
    const tab = offline.world.spreadsheet.sheets.find((sheet) => sheet.name === 'Prepared')!;
    expect(tab.maxColumns).toBe(26);
  });
});

describe('a schedule whose own spreadsheet it cannot open', () => {
  it.each(READINGS)(
    'records why on its reports instead of failing the trigger (openById failing %s)',
    (reading) => {
      const offline = connectedWorld(ANN);
      offline.world.openByIdFails = reading;
      saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
      // Ann is no longer an editor of the spreadsheet her report is saved in.
      offline.world.spreadsheet.sharedWith = [BOB];
      offline.world.advanceTimeTo(offline.clock.now() + 3_600_000 + 60_000);
      expect(offline.world.triggerRuns.map((run) => run.error ?? 'ok')).toEqual(['ok']);
      delete offline.world.spreadsheet.sharedWith;
      const [summary] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
      expect(summary.state.lastError).toBe(
        'The scheduled run could not open the spreadsheet (your Google account has no access to it). Open it and save the report again, or delete it.',
      );
      expect(sheetValues(offline, 'LinkedIn Ads')).toEqual([]);
    },
  );
});

describe('reports another editor schedules', () => {
  it('are changed by any editor, whose save takes over the schedule; the old owner’s trigger leaves its copy', () => {
    const offline = connectedWorld(ANN);
    signIn(offline, BOB, 'sim1Person');
    const annual = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    // Bob moves it to his own tab; his save makes it run on his schedule.
    const taken = saveReport(offline, BOB, { ...annual.config, sheetName: 'Team tab' });
    expect(taken.config.owner).toBe(BOB);
    offline.world.advanceTimeTo(offline.clock.now() + 3_600_000 + 60_000);
    expect(offline.world.triggerRuns.map((run) => [run.user, run.error ?? 'ok']).sort()).toEqual([
      [ANN, 'ok'],
      [BOB, 'ok'],
    ]);
    // Ann's trigger ran her copy no more: nothing in her old tab, the rows in Bob's.
    expect(sheetValues(offline, 'LinkedIn Ads')).toEqual([]);
    expect(sheetValues(offline, 'Team tab').length).toBeGreaterThan(1);
    const [seenByAnn] = offline.world.callFromSidebar(ANN, 'listReports') as Array<
      Summary & { scheduledByOther: string | null }
    >;
    expect(seenByAnn.scheduledByOther).toBe(BOB);
    // Her last schedule is Bob's now: her trigger, with nothing left to run, is gone.
    expect(offline.world.triggers.map((trigger) => trigger.user)).toEqual([BOB]);
  });

  it('stop running once another editor deletes them', () => {
    const offline = connectedWorld(ANN);
    signIn(offline, BOB, 'sim1Person');
    const annual = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    offline.world.callFromSidebar(BOB, 'deleteReport', annual.config.id);
    offline.world.advanceTimeTo(offline.clock.now() + 3_600_000 + 60_000);
    expect(offline.world.triggerRuns.map((run) => [run.user, run.error ?? 'ok'])).toEqual([[ANN, 'ok']]);
    expect(sheetValues(offline, 'LinkedIn Ads')).toEqual([]);
    // Her copy waits, never run: the next hours do nothing either.
    offline.world.advanceTimeTo(offline.clock.now() + 2 * 3_600_000);
    expect(sheetValues(offline, 'LinkedIn Ads')).toEqual([]);
  });

  it('wait, never running a stale report, when a save stopped after the spreadsheet’s schedules, and run again once put right', () => {
    const offline = connectedWorld(ANN);
    const saved = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    offline.world.stopAt = (point) => point === 'after metadata setValue';
    expect(() =>
      offline.world.callFromSidebar(ANN, 'saveReport', { ...saved.config, sheetName: 'Moved' }),
    ).toThrow('Exceeded maximum execution time');
    offline.world.stopAt = () => false;
    // The spreadsheet says a newer revision than any copy holds: the trigger waits.
    offline.world.advanceTimeTo(offline.clock.now() + 3_600_000 + 60_000);
    expect([sheetValues(offline, 'LinkedIn Ads'), sheetValues(offline, 'Moved')]).toEqual([[], []]);
    // The sidebar puts the spreadsheet's schedules back in line with the report as saved.
    const [listed] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
    expect(listed.config.sheetName).toBe('LinkedIn Ads');
    offline.world.advanceTimeTo(offline.clock.now() + 3_600_000);
    expect(sheetValues(offline, 'LinkedIn Ads').length).toBeGreaterThan(1);
    expect(sheetValues(offline, 'Moved')).toEqual([]);
  });

  it('keep their owner and history when another editor’s takeover stops halfway, and run again once put right', () => {
    const offline = connectedWorld(ANN);
    signIn(offline, BOB, 'sim1Person');
    const annual = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    offline.world.advanceTimeTo(offline.clock.now() + 3_600_000 + 60_000);
    const [first] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
    expect(first.state.lastSuccessAt).not.toBeNull();
    // Bob's save is stopped once the spreadsheet's schedules name him, before the report does.
    offline.world.stopAt = (point) => point === 'after metadata setValue';
    expect(() =>
      offline.world.callFromSidebar(BOB, 'saveReport', { ...annual.config, sheetName: 'Bob’s tab' }),
    ).toThrow('Exceeded maximum execution time');
    offline.world.stopAt = () => false;
    // Ann's trigger waits (the schedules name Bob); her copy and its history stay.
    offline.world.advanceTimeTo(offline.clock.now() + 3_600_000);
    // Bob's sidebar lists the reports: the schedules are put back to the report as saved, Ann's.
    const [seenByBob] = offline.world.callFromSidebar(BOB, 'listReports') as Summary[];
    expect(seenByBob.config.owner).toBe(ANN);
    offline.world.advanceTimeTo(offline.clock.now() + 3_600_000);
    const [after] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
    expect(after.state.lastSuccessAt).toBeGreaterThan(first.state.lastSuccessAt!);
    expect(sheetValues(offline, 'Bob’s tab')).toEqual([]);
  });

  it('are not taken over by an editor whose connection cannot read the report’s ad accounts', () => {
    const offline = connectedWorld(ANN);
    signIn(offline, BOB, 'sim2Person');
    const annual = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    expect(() =>
      offline.world.callFromSidebar(BOB, 'saveReport', { ...annual.config, name: 'Bob’s' }),
    ).toThrow(
      'Your LinkedIn connection cannot read ad account 500000001, which “Bob’s” reads, and saving it scheduled would run it with your connection instead of ann@example.com’s: ask them to change it, or choose what your connection reads.',
    );
    const [listed] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
    expect(listed.config).toMatchObject({ owner: ANN, name: 'Campaign performance' });
  });

  it('are not taken over by an editor whose connection lacks the report’s access', () => {
    const offline = connectedWorld(ANN);
    signIn(offline, BOB, 'sim1Person', ['pages']);
    const annual = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    expect(() =>
      offline.world.callFromSidebar(BOB, 'saveReport', { ...annual.config, name: 'Bob’s' }),
    ).toThrow('This LinkedIn connection has no');
    const [listed] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
    expect(listed.config).toMatchObject({ owner: ANN, name: 'Campaign performance' });
  });

  it('stop running, on any trigger, once another editor unschedules them', () => {
    const offline = connectedWorld(ANN);
    signIn(offline, BOB, 'sim1Person');
    const annual = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    saveReport(offline, BOB, { ...annual.config, schedule: { kind: 'none' } });
    offline.world.advanceTimeTo(offline.clock.now() + 2 * 3_600_000 + 60_000);
    expect(sheetValues(offline, 'LinkedIn Ads')).toEqual([]);
  });

  it('are not taken over by an editor without a LinkedIn connection', () => {
    const offline = connectedWorld(ANN);
    const annual = saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    expect(() =>
      offline.world.callFromSidebar('carol@example.com', 'saveReport', { ...annual.config, name: 'Carol’s' }),
    ).toThrow(
      'Connect LinkedIn before saving “Campaign performance” scheduled: it would run on your schedule, with your LinkedIn connection, instead of ann@example.com’s.',
    );
    offline.world.advanceTimeTo(offline.clock.now() + 3_600_000 + 60_000);
    expect(sheetValues(offline, 'LinkedIn Ads').length).toBeGreaterThan(1);
  });

  it('are not taken over by an editor without a LinkedIn connection from a saver Google gave no address of', () => {
    const offline = connectedWorld(ANN);
    offline.world.withholdScopes(ANN, [SCOPES.userEmail]);
    const unscheduled = saveReport(offline, ANN, analyticsReport());
    expect(unscheduled.config.owner).toBe('');
    expect(() =>
      offline.world.callFromSidebar('carol@example.com', 'saveReport', {
        ...unscheduled.config,
        schedule: { kind: 'hourly' },
      }),
    ).toThrow(
      'Connect LinkedIn before saving “Campaign performance” scheduled: it would run on your schedule, with your LinkedIn connection, instead of that of whoever saved it before.',
    );
  });

  it('are refused, with what to do, when the spreadsheet cannot hold one more schedule beside other add-ons’ data', () => {
    const offline = connectedWorld(ANN);
    saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    // Another add-on keeps nearly all of the 30,000 characters Sheets allows: one schedule more passes it.
    offline.world.spreadsheet.developerMetadata!.push({
      key: 'other-add-on.settings',
      value: 'x'.repeat(29_800),
    });
    const second = analyticsReport({
      name: 'Second',
      sheetName: 'Second',
      schedule: { kind: 'daily', hour: 6 },
    });
    expect(() => offline.world.callFromSidebar(ANN, 'saveReport', second)).toThrow(
      /^Google Sheets keeps at most 30,000 characters of add-on data in a spreadsheet, and the schedules of its 2 scheduled reports would bring it to 30,\d{3}: save this report without a schedule, or unschedule or delete reports you no longer need\. The report was not saved\.$/,
    );
    const listed = () =>
      (offline.world.callFromSidebar(ANN, 'listReports') as Summary[]).map((summary) => summary.config.name);
    expect(listed()).toEqual(['Campaign performance']);
    expect(offline.world.spreadsheet.sheets.map((sheet) => sheet.name)).not.toContain('Second');
    saveReport(offline, ANN, { ...second, schedule: { kind: 'none' } });
    expect(listed().sort()).toEqual(['Campaign performance', 'Second']);
  });

  it('leave no trigger behind when the first schedule is refused for the spreadsheet’s metadata', () => {
    const offline = connectedWorld(ANN);
    offline.world.spreadsheet.developerMetadata = [
      { key: 'other-add-on.settings', value: 'x'.repeat(29_950) },
    ];
    expect(() =>
      offline.world.callFromSidebar(ANN, 'saveReport', analyticsReport({ schedule: { kind: 'hourly' } })),
    ).toThrow(/^Google Sheets keeps at most 30,000 characters/);
    expect(offline.world.triggers.filter((trigger) => trigger.user === ANN)).toEqual([]);
  });

  it('run as before in a spreadsheet whose reports were saved before revisions existed', () => {
    const offline = connectedWorld(ANN);
    saveReport(offline, ANN, analyticsReport({ schedule: { kind: 'hourly' } }));
    // As an earlier version left it: no schedules in the spreadsheet.
    delete offline.world.spreadsheet.developerMetadata;
    offline.world.advanceTimeTo(offline.clock.now() + 3_600_000 + 60_000);
    expect(sheetValues(offline, 'LinkedIn Ads').length).toBeGreaterThan(1);
  });
});
