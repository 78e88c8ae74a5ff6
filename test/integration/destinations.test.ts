import type { OfflineWorld } from '../../sandbox/offline-world';
import { AD_METRICS } from '../../src/server/catalog/ad-analytics';
import { connectedWorld } from '../helpers/connect';
import { analyticsReport, runNow, saveReport, sheetValues, type Summary } from '../helpers/reports';

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
    const offline = connectedWorld(ANN);
    offline.world.addSpreadsheet(OTHER_ID, 'Ads archive', [ANN]);
    const saved = saveReport(offline, ANN, {
      ...analyticsReport(),
      writeTo: { kind: 'link', link: OTHER_LINK },
    }) as Destination;
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
    expect(written[0]).toEqual([
      'Date',
      'Campaign ID',
      'Campaign',
      'Impressions',
      'Clicks',
      'Cost (account currency)',
    ]);
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
        'Paste the link of a Google Sheets spreadsheet: it looks like https://docs.google.com/spreadsheets/d/…/edit.',
      );
      expect(save(OTHER_LINK)).toThrow(
        'Could not open the spreadsheet at that link (You do not have permission to access the requested document.). Check the link, and that the spreadsheet is shared with your Google account as an editor.',
      );
      expect(
        save('https://docs.google.com/spreadsheets/d/1NoSuchSpreadsheetAnywhere000000000000000000/edit'),
      ).toThrow(
        'Could not open the spreadsheet at that link (Unexpected error while getting the method or property openById on object SpreadsheetApp.).',
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
          fields: AD_METRICS.map((field) => field.key),
          dateRange: { preset: 'custom', start: '2025-11-01', end: '2026-10-31' },
        }),
        writeTo: { kind: 'new' },
      }),
    ).toThrow(
      /^The report could need up to [\d,]+ rows of 107 columns \([\d,]+ cells\), but the spreadsheet it writes to has room for 10,000,000 more .* The report was not saved\.$/,
    );
    expect(offline.world.spreadsheetIds()).toEqual([offline.world.spreadsheet.id]);
    expect(offline.world.callFromSidebar(ANN, 'listReports')).toEqual([]);
  });

  it('lets two reports use one tab name in different spreadsheets, but not in the same one', () => {
    const offline = connectedWorld(ANN);
    offline.world.addSpreadsheet(OTHER_ID, 'Ads archive', [ANN]);
    saveReport(offline, ANN, analyticsReport());
    const elsewhere = saveReport(offline, ANN, {
      ...analyticsReport({ name: 'Archive copy' }),
      writeTo: { kind: 'link', link: OTHER_LINK },
    });
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
    ).toEqual({ exists: true, holdsOtherData: true, spreadsheetName: 'Budgets' });
    expect(offline.world.callFromSidebar(ANN, 'checkDestination', 'Plan', null, { kind: 'this' })).toEqual({
      exists: false,
      holdsOtherData: false,
      spreadsheetName: null,
    });
    expect(() =>
      offline.world.callFromSidebar(ANN, 'saveReport', {
        ...analyticsReport({ sheetName: 'Plan' }),
        writeTo: { kind: 'link', link: OTHER_LINK },
      }),
    ).toThrow('The tab “Plan” already holds other data.');
    expect(valuesIn(offline, OTHER_ID, 'Plan')).toEqual([['Q1']]);
  });

  it.each(READINGS)(
    'fails a run clearly when the other spreadsheet was deleted (openById failing %s), keeping what this spreadsheet holds',
    (reading) => {
      const offline = connectedWorld(ANN);
      offline.world.openByIdFails = reading;
      offline.world.addSpreadsheet(OTHER_ID, 'Ads archive', [ANN]);
      const saved = saveReport(offline, ANN, {
        ...analyticsReport(),
        writeTo: { kind: 'link', link: OTHER_LINK },
      });
      offline.world.deleteSpreadsheet(OTHER_ID);
      const failed = runNow(offline, ANN, saved.config.id).at(-1)!;
      expect(failed.status).toBe('failed');
      expect(failed.message).toBe(
        'Could not open the spreadsheet “Ads archive” this report writes to (Unexpected error while getting the method or property openById on object SpreadsheetApp.). If it was deleted or is no longer shared with you, edit the report and choose where it writes.',
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
    const save = () =>
      saveReport(offline, ANN, { ...analyticsReport(), writeTo: { kind: 'link', link: OTHER_LINK } });
    if (!viewersMayOpen) {
      expect(save).toThrow(
        'Could not open the spreadsheet at that link (You do not have permission to access the requested document.).',
      );
      expect(offline.world.callFromSidebar(ANN, 'listReports')).toEqual([]);
      return;
    }
    // Edit rights cannot be read without changing something, so the save takes it; the run says what to do.
    const failed = runNow(offline, ANN, save().config.id).at(-1)!;
    expect(failed.status).toBe('failed');
    expect(failed.message).toBe(
      'Could not add the tab “LinkedIn Ads” (You do not have permission to edit this spreadsheet.). If you may only view the spreadsheet, ask its owner for edit access or edit the report to write elsewhere. ' +
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
    saveReport(offline, ANN, {
      ...analyticsReport({ schedule: { kind: 'hourly' }, dateRange: { preset: 'last_7_days' } }),
      writeTo: { kind: 'link', link: OTHER_LINK },
    });
    offline.world.advanceTimeTo(Date.UTC(2026, 10, 20, 10, 1));
    offline.world.advanceTimeTo(Date.UTC(2026, 10, 20, 11, 1));
    expect(offline.world.triggerRuns.map((run) => run.error ?? 'ok')).toEqual(['ok', 'ok']);
    const written = valuesIn(offline, OTHER_ID, 'LinkedIn Ads');
    const [summary] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
    expect(summary.state).toMatchObject({ lastError: null, lastRows: written.length - 1 });
    expect(written.length).toBeGreaterThan(1);
    expect(sheetValues(offline, 'LinkedIn Ads')).toEqual([]);
  });

  it('duplicates a report into the same other spreadsheet', () => {
    const offline = connectedWorld(ANN);
    offline.world.addSpreadsheet(OTHER_ID, 'Ads archive', [ANN]);
    const saved = saveReport(offline, ANN, {
      ...analyticsReport(),
      writeTo: { kind: 'link', link: OTHER_LINK },
    });
    const reports = offline.world.callFromSidebar(ANN, 'duplicateReport', saved.config.id) as Destination[];
    const copy = reports.find((report) => report.config.name === 'Campaign performance (copy)')!;
    expect(copy.config.spreadsheet?.id).toBe(OTHER_ID);
    expect(copy.config.sheetName).toBe('LinkedIn Ads (copy)');
  });
});
