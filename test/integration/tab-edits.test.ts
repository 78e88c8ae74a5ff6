// What the user does in a report's tab between runs, and days read back in any time zone.
import { connectedWorld } from '../helpers/connect';
import {
  ANALYTICS_REPORT_HEADER,
  analyticsReport,
  runNow,
  runThroughStops,
  saveAndRun,
  saveReport,
  sheetValues,
  tableOf,
} from '../helpers/reports';

const ANN = 'ann@example.com';
const DAY = 86_400_000;

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const connected = () => connectedWorld(ANN, {}, ['ads', 'pages']);
/** The report most scenarios start from: the last 7 days by campaign, saved and run once. */
const weekOfRows = () => {
  const offline = connected();
  return {
    offline,
    report: saveAndRun(offline, ANN, analyticsReport({ dateRange: { preset: 'last_7_days' } })),
  };
};
type Offline = ReturnType<typeof connected>;

/** The user's "Total" row, as a sort by impressions (descending) puts it: row 2, above the report's rows. */
function totalOnTop(offline: Offline, tab: string, impressionsColumn: number) {
  offline.world.execute(ANN, (scope: Scope) => {
    const sheet = scope.SpreadsheetApp.getActive().getSheetByName(tab);
    sheet.insertRowsAfter(1, 1);
    sheet.getRange(2, 1).setValue('Total');
    sheet.getRange(2, impressionsColumn).setValue(999999999);
  });
}

describe('a row of the user’s a sort put above the report’s rows', () => {
  it('ALL totals of a moving range: the earlier totals are still removed after a sort put "Total" on top', () => {
    const offline = connected();
    const report = saveAndRun(
      offline,
      ANN,
      analyticsReport({ granularity: 'ALL', dateRange: { preset: 'last_30_days' } }),
    );
    const first = tableOf(offline, 'LinkedIn Ads');
    totalOnTop(offline, 'LinkedIn Ads', 5);
    offline.clock.advance(5 * DAY);
    expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
    const rows = tableOf(offline, 'LinkedIn Ads').filter((row) => row['Start date'] !== 'Total');
    // One total per campaign, of the newer range: nothing counted twice.
    expect(rows.map((row) => row['Start date'])).toEqual(first.map(() => '2026-10-26'));
  });

  it('replace mode: days outside the window are still removed after a sort put "Total" on top', () => {
    const offline = connected();
    const report = saveAndRun(
      offline,
      ANN,
      analyticsReport({ dateRange: { preset: 'last_7_days' }, writeMode: 'replace' }),
    );
    totalOnTop(offline, 'LinkedIn Ads', 4);
    offline.clock.advance(3 * DAY);
    expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
    const days = new Set(tableOf(offline, 'LinkedIn Ads').map((row) => row.Date));
    days.delete('Total');
    expect([...days].sort()[0]).toBe('2026-11-16');
  });
});

describe('days read back in the spreadsheet’s time zone', () => {
  it.each([
    // Beirut's clocks go from 00:00 to 01:00 on 2026-03-29: which of the two the day reads back as is not documented.
    ['whose midnight the zone skips', 'Asia/Beirut', '2026-03-29', '2026-04-04'],
    ['when the clocks change after midnight', 'Australia/Sydney', '2026-10-04', '2026-10-10'],
  ])('a daily range starting on a day %s does not duplicate rows (%s)', (_, timeZone, start, end) => {
    const offline = connected();
    offline.world.spreadsheet.timeZone = timeZone;
    const report = saveAndRun(offline, ANN, analyticsReport({ dateRange: { preset: 'custom', start, end } }));
    const first = sheetValues(offline, 'LinkedIn Ads').length;
    expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
    runNow(offline, ANN, report.config.id);
    expect(sheetValues(offline, 'LinkedIn Ads').length).toBe(first);
  });
});

describe('cells of the user’s beside the table', () => {
  it('a rebuild keeps the user’s unlabelled cells right of the table', () => {
    const { offline, report } = weekOfRows();
    offline.world.execute(ANN, (scope: Scope) => {
      const sheet = scope.SpreadsheetApp.getActive().getSheetByName('LinkedIn Ads');
      sheet.insertColumnsAfter(sheet.getMaxColumns(), 1);
      sheet.getRange(2, 7, 2, 1).setValues([['my note'], ['another note']]);
    });
    saveReport(offline, ANN, { ...report.config, granularity: 'MONTHLY' });
    expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
    const flat = sheetValues(offline, 'LinkedIn Ads').flat();
    expect(flat).toContain('my note');
  });
});

describe('a Pages posts table with a row of the user’s below', () => {
  it('does not tell the user to delete their own “Notes” row below the posts', () => {
    const offline = connected();
    const pages = offline.world.callFromSidebar(ANN, 'listLinkedInPages') as Array<{ id: string }>;
    const report = saveReport(offline, ANN, {
      ...analyticsReport(),
      name: 'Posts',
      source: 'pages',
      stream: 'posts',
      organizationIds: [pages[0].id],
      fields: ['post_id', 'text'],
      granularity: undefined,
      dateRange: undefined,
      sheetName: 'Posts',
    });
    const first = runNow(offline, ANN, report.config.id).at(-1)!;
    expect(first.status).toBe('done');
    offline.world.execute(ANN, (scope: Scope) => {
      const sheet = scope.SpreadsheetApp.getActive().getSheetByName('Posts');
      sheet.getRange(sheet.getLastRow() + 2, 1).setValue('Notes: posts boosted in Q4');
    });
    const done = runNow(offline, ANN, report.config.id).at(-1)!;
    expect(done.message).not.toContain('empty date or ID cell');
    const values = sheetValues(offline, 'Posts');
    expect(values.filter((row) => String(row[0]).startsWith('Notes'))).toHaveLength(1);
  });
});

describe('another spreadsheet in another time zone', () => {
  const OTHER_ID = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';
  it.each([
    ['UTC', 'Asia/Tokyo'],
    ['Asia/Tokyo', 'America/Los_Angeles'],
  ])('host in %s, destination in %s: re-runs do not duplicate', (hostZone, otherZone) => {
    const offline = connectedWorld(ANN);
    offline.world.spreadsheet.timeZone = hostZone;
    offline.world.addSpreadsheet(OTHER_ID, 'Ads archive', [ANN]);
    offline.world.spreadsheetData(OTHER_ID)!.timeZone = otherZone;
    const report = saveReport(offline, ANN, {
      ...analyticsReport({ dateRange: { preset: 'last_7_days' } }),
      writeTo: { kind: 'link', link: `https://docs.google.com/spreadsheets/d/${OTHER_ID}/edit#gid=0` },
    });
    runNow(offline, ANN, report.config.id);
    const rows = () =>
      offline.world.execute(ANN, (scope: Scope) =>
        scope.SpreadsheetApp.openById(OTHER_ID).getSheetByName('LinkedIn Ads').getLastRow(),
      );
    const first = rows();
    offline.clock.advance(DAY);
    runNow(offline, ANN, report.config.id);
    expect(rows()).toBe(first + (first - 1) / 7);
  });
});

describe('months for several accounts', () => {
  it('a moving monthly range for two accounts keeps one row per month, account and campaign', () => {
    const offline = connected();
    const accounts = ['500000001', '500000002'];
    const report = saveAndRun(
      offline,
      ANN,
      analyticsReport({
        accountIds: accounts.slice(0, 2),
        granularity: 'MONTHLY',
        dateRange: { preset: 'custom', start: '2026-09-15', end: '2026-11-10' },
      }),
    );
    saveReport(offline, ANN, {
      ...report.config,
      dateRange: { preset: 'custom', start: '2026-09-01', end: '2026-11-10' },
    });
    runNow(offline, ANN, report.config.id);
    const rows = tableOf(offline, 'LinkedIn Ads');
    const keys = rows.map(
      (row) => `${row['Month start'].slice(0, 7)}|${row['Account ID']}|${row['Campaign ID']}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    expect(rows.every((row) => row['Month start'].endsWith('-01'))).toBe(true);
  });
});

const TAB = 'LinkedIn Ads';
/** The report's tab, to act on as the user does. */
const onTab = <T>(offline: Offline, act: (sheet: Scope) => T): T =>
  offline.world.execute(ANN, (scope: Scope) => act(scope.SpreadsheetApp.getActive().getSheetByName(TAB)));
/** A column of the user's right of the last one, headed `label`, its cells from row 2. */
const addUserColumn = (offline: Offline, label: string, cells: string[]) =>
  onTab(offline, (sheet) => {
    const column = sheet.getLastColumn() + 1;
    sheet.insertColumnsAfter(sheet.getMaxColumns(), 1);
    sheet.getRange(1, column).setValue(label);
    sheet.getRange(2, column, cells.length, 1).setValues(cells.map((cell) => [cell]));
  });
const headerOf = (offline: Offline) => sheetValues(offline, TAB)[0];
/** Every formula of the tab, row by row: the user's columns are formulas here. */
const formulasOf = (offline: Offline) =>
  onTab(offline, (sheet) =>
    (sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getFormulas() as string[][]).flat(),
  ).filter((formula) => formula !== '');
const LEADS = ['=D2*0.01', '=D3*0.01'];
/** The user's “Total” row right under the table, in its columns. */
const addTotalRow = (offline: Offline) =>
  onTab(offline, (sheet) => {
    const row = sheet.getLastRow() + 1;
    sheet.getRange(row, 1, 1, 2).setValues([['Total', `=SUM(E2:E${row - 1})`]]);
  });
/** The report's header once it no longer reads cost. */
const WITHOUT_COST = ANALYTICS_REPORT_HEADER.slice(0, 5);

describe('a column of the user’s beside the table, headed like a column the report could have', () => {
  it('is kept when the report loses a metric and gains another', () => {
    const { offline, report } = weekOfRows();
    addUserColumn(offline, 'Leads', LEADS);
    const fewer = saveReport(offline, ANN, { ...report.config, fields: ['impressions', 'clicks'] });
    expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
    expect(headerOf(offline)).toEqual([...WITHOUT_COST, 'Leads']);
    saveReport(offline, ANN, { ...fewer.config, fields: ['impressions', 'clicks', 'landingPageClicks'] });
    expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
    expect(headerOf(offline)).toEqual([...WITHOUT_COST, 'Landing page clicks', 'Leads']);
    expect(formulasOf(offline)).toEqual(LEADS);
  });

  describe('on a tab the report wrote before its marks held its header', () => {
    const written = () => {
      const { offline, report } = weekOfRows();
      onTab(offline, (sheet) =>
        sheet
          .getDeveloperMetadata()
          .find((entry: Scope) => entry.getKey() === 'linkedin-data.table-headers')
          .setValue('[]'),
      );
      return { offline, report };
    };

    it('keeps the user’s column through a change of metrics', () => {
      const { offline, report } = written();
      addUserColumn(offline, 'Leads', LEADS);
      expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
      saveReport(offline, ANN, { ...report.config, fields: ['impressions', 'clicks'] });
      expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
      expect(headerOf(offline)).toEqual([...WITHOUT_COST, 'Leads']);
      expect(formulasOf(offline)).toEqual(LEADS);
    });

    it('still removes its own last column when the report drops that metric', () => {
      const { offline, report } = written();
      saveReport(offline, ANN, { ...report.config, fields: ['impressions', 'clicks'] });
      const done = runNow(offline, ANN, report.config.id).at(-1)!;
      expect(done.message).toContain('Columns removed: “Cost (account currency)”.');
      expect(headerOf(offline)).toEqual(WITHOUT_COST);
    });
  });

  it('named like a column the report now adds, stops the run, writing nothing, and says to rename it', () => {
    const { offline, report } = weekOfRows();
    addUserColumn(offline, 'Leads', LEADS);
    const saved = saveReport(offline, ANN, {
      ...report.config,
      fields: ['impressions', 'clicks', 'costInLocalCurrency', 'oneClickLeads'],
    });
    // Saving says so first, for a scheduled run no one watches.
    expect(saved.notice).toBe(
      "Its next run adds “Leads” in the tab “LinkedIn Ads”; rows of earlier runs stay, blank under new columns for the days that run does not read. Column G (“Leads”) of the tab “LinkedIn Ads” is yours, beside the report's table, and the report now adds a column of that name: give yours another name (“Leads (mine)”, say) before its next run, which otherwise stops without writing.",
    );
    const before = sheetValues(offline, TAB);
    const failed = runNow(offline, ANN, report.config.id).at(-1)!;
    expect(failed.status).toBe('failed');
    expect(failed.message).toBe(
      "Column G (“Leads”) of the tab “LinkedIn Ads” is yours, beside the report's table, and the report now adds a column of that name. Give yours another name (“Leads (mine)”, say) so the two are never confused, then run the report again. Nothing was written.",
    );
    expect(sheetValues(offline, TAB)).toEqual(before);
  });

  describe('after a change of columns that did not happen', () => {
    /** The report, saved to lose its cost and gain leads, refused: the user's note sits below the table in the cost column. */
    const refusedChange = () => {
      const { offline, report } = weekOfRows();
      const noteRow = sheetValues(offline, TAB).length + 2;
      onTab(offline, (sheet) => sheet.getRange(noteRow, 6).setValue('budget note'));
      saveReport(offline, ANN, { ...report.config, fields: ['impressions', 'clicks', 'oneClickLeads'] });
      expect(runNow(offline, ANN, report.config.id).at(-1)!.message).toContain('holds your cells below');
      return { offline, report, noteRow };
    };

    it('keeps the “Leads” the user then adds, once the report is back to its columns', () => {
      const { offline, report } = refusedChange();
      saveReport(offline, ANN, report.config);
      addUserColumn(offline, 'Leads', LEADS);
      expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
      expect(headerOf(offline)).toEqual([...ANALYTICS_REPORT_HEADER, 'Leads']);
      expect(formulasOf(offline)).toEqual(LEADS);
    });

    it('asks to rename the “Leads” the user then adds, while the report still adds its own', () => {
      const { offline, report, noteRow } = refusedChange();
      onTab(offline, (sheet) => sheet.getRange(noteRow, 6).clearContent());
      addUserColumn(offline, 'Leads', LEADS);
      const failed = runNow(offline, ANN, report.config.id).at(-1)!;
      expect(failed.message).toContain('Column G (“Leads”) of the tab “LinkedIn Ads” is yours');
      expect(formulasOf(offline)).toEqual(LEADS);
    });

    it('keeps the “Leads” the user adds after a run stopped just before the change, then cancelled', () => {
      const { offline, report } = weekOfRows();
      const withLeads = [...(report.config as unknown as { fields: string[] }).fields, 'oneClickLeads'];
      saveReport(offline, ANN, { ...report.config, fields: withLeads });
      // Stopped right after the tab's mark named the columns before and after the change.
      offline.world.stopAt = (point) => point === 'after metadata setValue';
      expect(() => runNow(offline, ANN, report.config.id)).toThrow();
      offline.world.stopAt = () => false;
      offline.world.callFromSidebar(ANN, 'cancelReport', report.config.id);
      saveReport(offline, ANN, report.config);
      addUserColumn(offline, 'Leads', LEADS);
      expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
      expect(headerOf(offline)).toEqual([...ANALYTICS_REPORT_HEADER, 'Leads']);
      expect(formulasOf(offline)).toEqual(LEADS);
    });
  });

  it('a rebuild keeps a blank-headed column of notes between the table and a headed column', () => {
    const { offline, report } = weekOfRows();
    addUserColumn(offline, '', ['note A', 'note B']);
    addUserColumn(offline, 'Leads', LEADS);
    saveReport(offline, ANN, { ...report.config, granularity: 'MONTHLY' });
    expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
    const values = sheetValues(offline, TAB);
    // The monthly table has one more column (the end date): both of the user's moved right by one.
    expect(values[0].slice(-3)).toEqual(['Cost (account currency)', '', 'Leads']);
    expect(values.slice(1, 3).map((row) => row[7])).toEqual(['note A', 'note B']);
    expect(formulasOf(offline)).toEqual(LEADS);
  });

  it('names both columns when the user renamed a header of the report to the name of another', () => {
    const { offline, report } = weekOfRows();
    onTab(offline, (sheet) => sheet.getRange(1, 4).setValue('Clicks'));
    expect(runNow(offline, ANN, report.config.id).at(-1)!.message).toBe(
      "Columns D and E of the tab “LinkedIn Ads” are both headed “Clicks”, among the report's columns. If you renamed a header of the report to that, give it back its name; if you added one of them, move it right of the report’s last column. Then run the report again. Nothing was written.",
    );
  });

  it('says what to do when other add-ons’ data leave the tab no room for the report’s mark', () => {
    const { offline, report } = weekOfRows();
    onTab(offline, (sheet) => {
      const used = (sheet.getDeveloperMetadata() as Scope[]).reduce(
        (sum, entry) => sum + entry.getKey().length + (entry.getValue() ?? '').length,
        0,
      );
      sheet.addDeveloperMetadata('other-add-on', 'x'.repeat(30_000 - used - 'other-add-on'.length));
    });
    saveReport(offline, ANN, { ...report.config, fields: ['impressions', 'clicks'] });
    const before = sheetValues(offline, TAB);
    expect(runNow(offline, ANN, report.config.id).at(-1)!.message).toBe(
      "The tab “LinkedIn Ads” has no room left for the report's note of which of its columns are the report's: Google Sheets keeps at most 30,000 characters of add-on data on a tab, and other add-ons' data fill it. Send the report to a new tab, or remove the add-ons that keep data on this one, then run it again. No rows were written.",
    );
    expect(sheetValues(offline, TAB)).toEqual(before);
  });

  it('is kept by another report that took over the tab of a deleted one', () => {
    const { offline, report: first } = weekOfRows();
    offline.world.callFromSidebar(ANN, 'deleteReport', first.config.id);
    const campaigns = saveAndRun(
      offline,
      ANN,
      analyticsReport({
        name: 'Campaigns',
        stream: 'campaigns',
        fields: ['campaign_name', 'status', 'objective'],
        takeOverTab: true,
      }),
    );
    addUserColumn(offline, 'Notes', ['=B2']);
    saveReport(offline, ANN, { ...campaigns.config, fields: ['campaign_name', 'objective'] });
    expect(runNow(offline, ANN, campaigns.config.id).at(-1)!.status).toBe('done');
    expect(headerOf(offline)).toEqual(['Campaign ID', 'Campaign', 'Objective', 'Notes']);
    expect(formulasOf(offline)).toEqual(['=B2']);
  });

  it('ends as an uninterrupted run does, wherever a stop came in a rebuild, the user’s columns beside', () => {
    /** The tab after a rebuild to months stopped at its `stopAt`-th Sheets call (null: never) and run again. */
    const finalTab = (stopAt: number | null) => {
      const { offline, report } = weekOfRows();
      addUserColumn(offline, 'Leads', LEADS);
      addUserColumn(offline, '', ['', 'note']);
      addUserColumn(offline, 'Mine', ['=E2']);
      addTotalRow(offline);
      saveReport(offline, ANN, {
        ...report.config,
        granularity: 'MONTHLY',
        fields: ['impressions', 'landingPageClicks'],
      });
      let calls = 0;
      offline.world.stopAt = (point) => point.startsWith('after ') && calls++ === stopAt;
      const { status } = runThroughStops(offline, ANN, report.config.id);
      offline.world.stopAt = () => false;
      return {
        stopped: stopAt !== null && calls > stopAt,
        status,
        values: sheetValues(offline, TAB),
        formulas: formulasOf(offline),
      };
    };
    const uninterrupted = finalTab(null);
    expect(uninterrupted.values[0].slice(-4)).toEqual(['Landing page clicks', 'Leads', '', 'Mine']);
    let stops = 0;
    for (let stopAt = 0; ; stopAt++) {
      const { stopped, status, values, formulas } = finalTab(stopAt);
      if (!stopped) break;
      stops++;
      expect([stopAt, status, values, formulas]).toEqual([
        stopAt,
        'done',
        uninterrupted.values,
        uninterrupted.formulas,
      ]);
    }
    expect(stops).toBeGreaterThan(5);
  });

  it('a day’s run stopped anywhere leaves no blank rows above the user’s “Total” row', () => {
    const finalTab = (stopAt: number | null) => {
      const { offline, report } = weekOfRows();
      addTotalRow(offline);
      offline.clock.advance(DAY);
      let calls = 0;
      offline.world.stopAt = (point) => point.startsWith('after ') && calls++ === stopAt;
      runThroughStops(offline, ANN, report.config.id);
      offline.world.stopAt = () => false;
      return { stopped: stopAt !== null && calls > stopAt, values: sheetValues(offline, TAB) };
    };
    const uninterrupted = finalTab(null).values;
    expect(uninterrupted.at(-1)![0]).toBe('Total');
    for (let stopAt = 0; ; stopAt++) {
      const { stopped, values } = finalTab(stopAt);
      if (!stopped) break;
      expect([stopAt, values]).toEqual([stopAt, uninterrupted]);
    }
  });

  it('keeps a total the user put under the table, right of its columns, through runs that add and remove days', () => {
    const offline = connected();
    const report = saveAndRun(
      offline,
      ANN,
      analyticsReport({ dateRange: { preset: 'last_7_days' }, writeMode: 'replace' }),
    );
    const totalRow = sheetValues(offline, TAB).length + 1;
    onTab(offline, (sheet) => {
      sheet.insertColumnsAfter(sheet.getMaxColumns(), 2);
      sheet.getRange(totalRow, 7, 1, 2).setValues([['Total clicks', `=SUM(E2:E${totalRow - 1})`]]);
    });
    for (let day = 1; day <= 8; day++) {
      offline.clock.advance(DAY);
      expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
    }
    const values = sheetValues(offline, TAB);
    const at = values.findIndex((row) => row[6] === 'Total clicks');
    // Below every row of the table, and alone in its row.
    expect(at).toBe(values.length - 1);
    expect(values[at].slice(0, 6)).toEqual(['', '', '', '', '', '']);
  });
});

describe('a tab the report left and came back to, or another report wrote', () => {
  it('keeps the user’s columns beside when the report moves to another tab and back', () => {
    const { offline, report } = weekOfRows();
    addUserColumn(offline, 'Leads', LEADS);
    addUserColumn(offline, 'Notes', ['first']);
    saveReport(offline, ANN, { ...report.config, sheetName: 'Other' });
    expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
    saveReport(offline, ANN, { ...report.config, fields: ['impressions', 'clicks'] });
    expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
    expect(headerOf(offline)).toEqual([...WITHOUT_COST, 'Leads', 'Notes']);
    expect(formulasOf(offline)).toEqual(LEADS);
  });

  it('is the tab of the report that writes it now, once the report that marked it was deleted', () => {
    const { offline, report: deleted } = weekOfRows();
    offline.world.callFromSidebar(ANN, 'deleteReport', deleted.config.id);
    // The same columns: the tab needs no taking over.
    const report = saveAndRun(
      offline,
      ANN,
      analyticsReport({ name: 'Again', dateRange: { preset: 'last_7_days' } }),
    );
    addUserColumn(offline, 'Notes', ['first']);
    saveReport(offline, ANN, { ...report.config, fields: ['impressions', 'clicks'] });
    expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
    expect(headerOf(offline)).toEqual([...WITHOUT_COST, 'Notes']);
    const markedBy = onTab(offline, (sheet) =>
      (sheet.getDeveloperMetadata() as Scope[])
        .find((entry) => entry.getKey() === 'linkedin-data.report')!
        .getValue(),
    );
    // The report, and the spreadsheet it is saved in, in one value.
    expect(markedBy).toBe(`${report.config.id}@${offline.world.spreadsheet.id}`);
  });
});

describe('what a run of a Pages snapshot says about its tab', () => {
  it('names the columns it removed, beside what LinkedIn’s answers made it say', () => {
    const offline = connected();
    offline.linkedin.refuseLookup('geo');
    const pages = offline.world.callFromSidebar(ANN, 'listLinkedInPages') as Array<{ id: string }>;
    const snapshot = {
      name: 'Followers by audience',
      source: 'pages',
      stream: 'follower_lifetime',
      organizationIds: [pages[0].id],
      fields: ['page_name', 'breakdown', 'value', 'value_name', 'followers'],
      sheetName: 'Audience',
      schedule: { kind: 'none' },
    };
    const report = saveAndRun(offline, ANN, snapshot);
    saveReport(offline, ANN, { ...report.config, fields: ['breakdown', 'value', 'value_name', 'followers'] });
    const done = runNow(offline, ANN, report.config.id).at(-1)!;
    expect(done.message).toContain('Columns removed: “Page”.');
    expect(done.message).toContain('LinkedIn did not give the names of countries and regions');
    // Every request the run sent: the pages' names, the statistics, the refused places' request
    // and the industries' one.
    expect(done).toMatchObject({ requestsDone: 4, requestsPlanned: 4 });
  });
});

describe('a date range widened to earlier days', () => {
  /** The week's report widened to 30 days and run, stopped after its `stopAt`-th Sheets call (null: never). */
  const widened = (stopAt: number | null) => {
    const { offline, report } = weekOfRows();
    addUserColumn(offline, 'Leads', LEADS);
    addTotalRow(offline);
    saveReport(offline, ANN, { ...report.config, dateRange: { preset: 'last_30_days' } });
    let calls = 0;
    let stoppedAfter = '';
    offline.world.stopAt = (point) => {
      const stops = point.startsWith('after ') && calls++ === stopAt;
      if (stops) stoppedAfter = point;
      return stops;
    };
    const { status } = runThroughStops(offline, ANN, report.config.id);
    offline.world.stopAt = () => false;
    return { status, stoppedAfter, values: sheetValues(offline, TAB), formulas: formulasOf(offline) };
  };

  it('puts the earlier days above the table, in date order, the user’s cells beside still on their rows', () => {
    const { offline } = weekOfRows();
    const week = sheetValues(offline, TAB);
    const { status, values, formulas } = widened(null);
    expect(status).toBe('done');
    // The same rows as a 30-day report written into an empty tab, in its order, then the total.
    const fresh = connected();
    saveAndRun(fresh, ANN, analyticsReport({ dateRange: { preset: 'last_30_days' } }));
    const thirtyDays = sheetValues(fresh, TAB);
    const width = thirtyDays[0].length;
    expect(values.slice(0, thirtyDays.length).map((row) => row.slice(0, width))).toEqual(thirtyDays);
    expect(values[thirtyDays.length][0]).toBe('Total');
    // The week's first two rows keep their Leads formulas, moved down with them.
    const weekStart = values.findIndex((row) => row.slice(0, width).join() === week[1].join());
    expect(weekStart).toBe(thirtyDays.length - week.length + 1);
    const withLeads = values.flatMap((row, at) => (at > 0 && row[width] !== '' ? [at] : []));
    expect(withLeads).toEqual([weekStart, weekStart + 1]);
    // The two Leads formulas and the total, each still on its row (the emulation keeps a formula's
    // text where Sheets would adjust its references).
    expect(formulas).toHaveLength(3);
  });

  it('ends as an uninterrupted run does wherever a stop came, even between its last write and the move up', () => {
    const uninterrupted = widened(null);
    const stoppedAfter = new Set<string>();
    for (let stopAt = 0; ; stopAt++) {
      const stopped = widened(stopAt);
      if (stopped.stoppedAfter === '') break;
      stoppedAfter.add(stopped.stoppedAfter);
      expect([stopAt, stopped.status, stopped.values, stopped.formulas.length]).toEqual([
        stopAt,
        'done',
        uninterrupted.values,
        uninterrupted.formulas.length,
      ]);
    }
    // Among them the stop that left the earlier days at the end, and the marks around it.
    expect([...stoppedAfter]).toEqual(expect.arrayContaining(['after setValues', 'after moveRows']));
  });
});

describe('a day’s table widened to the day before', () => {
  /** Oct 20's table widened to Oct 19–20 and run, stopped after its `stopAt`-th Sheets call (null: never). */
  const widened = (stopAt: number | null) => {
    const offline = connected();
    const day = (start: string) => ({ dateRange: { preset: 'custom', start, end: '2026-10-20' } });
    const report = saveAndRun(offline, ANN, analyticsReport(day('2026-10-20')));
    saveReport(offline, ANN, { ...report.config, ...day('2026-10-19') });
    let calls = 0;
    let stopped = false;
    offline.world.stopAt = (point) => {
      const stops = point.startsWith('after ') && calls++ === stopAt;
      stopped ||= stops;
      return stops;
    };
    const { status } = runThroughStops(offline, ANN, report.config.id);
    offline.world.stopAt = () => false;
    return { stopped, status, days: sheetValues(offline, TAB).map(([date]) => date) };
  };

  it('ends oldest first wherever a stop came, though its rows left waiting read as newest first', () => {
    const uninterrupted = widened(null);
    expect(uninterrupted.days.slice(1)).toEqual([...uninterrupted.days.slice(1)].sort());
    let stops = 0;
    for (let stopAt = 0; ; stopAt++) {
      const { stopped, status, days } = widened(stopAt);
      if (!stopped) break;
      stops++;
      expect([stopAt, status, days]).toEqual([stopAt, 'done', uninterrupted.days]);
    }
    expect(stops).toBeGreaterThan(5);
  });
});

describe('days the user cleared in the table', () => {
  it('names their rows, writes them again, and takes the rows back without duplicates once the days are put back', () => {
    const { offline, report } = weekOfRows();
    const before = sheetValues(offline, TAB);
    const lastRow = before.length;
    onTab(offline, (sheet) => {
      // The first day of a campaign, and the table's last row.
      sheet.getRange(5, 1).clearContent();
      sheet.getRange(lastRow, 1).clearContent();
      // Under the table, a total headed in the Campaign ID column: not a row of the report's.
      sheet.getRange(lastRow + 2, 2, 1, 3).setValues([['Total', '', `=SUM(D2:D${lastRow})`]]);
      // A blank row and a note of the user's inside the table hold no IDs: not rows of the report's either.
      sheet.insertRowsAfter(8, 2);
      sheet.getRange(10, 3).setValue('paused for the launch');
    });
    const done = runNow(offline, ANN, report.config.id).at(-1)!;
    // Numbered as the tab is after the run: the two days written again went above the last row cleared.
    expect(done.message).toContain(
      `Rows 5, ${lastRow + 4} of the tab “${TAB}” have an empty date or ID cell, so runs cannot tell which rows they are and write them again when they read their days: put the dates or IDs back, or delete those rows.`,
    );
    const after = sheetValues(offline, TAB);
    // Both days written again; the cleared rows, the blank row, the note and the total stay.
    expect(after).toHaveLength(lastRow + 6);
    expect(after).toContainEqual(before[4]);
    expect(after).toContainEqual(before[lastRow - 1]);
    onTab(offline, (sheet) => {
      sheet.getRange(5, 1).setValue(before[4][0]);
      sheet.getRange(lastRow + 4, 1).setValue(before[lastRow - 1][0]);
    });
    const again = runNow(offline, ANN, report.config.id).at(-1)!;
    expect(again.message).not.toContain('empty date or ID cell');
    const restored = sheetValues(offline, TAB);
    expect(restored.filter((row) => row[0] !== '')).toEqual(before);
  });
});
