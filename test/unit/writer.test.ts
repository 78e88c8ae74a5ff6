import { ExecutionTimeExceeded } from '../../sandbox/apps-script/execution';
import { createOfflineWorld } from '../../sandbox/offline-world';
import type { FieldSpec } from '../../src/server/catalog/types';
import { dayToIso, dayNumber } from '../../src/server/dates';
import type { Cell } from '../../src/server/rows';
import { claimTab, marksFor, recordTableHeaders } from '../../src/server/sheets/tab-owner';
import { type TableWrite, writeTable } from '../../src/server/sheets/writer';

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const columns: FieldSpec[] = [
  { key: 'start_date', label: 'Date', type: 'date', group: 'Row', description: '' },
  { key: 'pivot_id', label: 'Campaign ID', type: 'text', group: 'Row', description: '' },
  { key: 'clicks', label: 'Clicks', type: 'integer', group: 'Metrics', description: '' },
];
const table = (rows: Cell[][]) => ({
  columns,
  keyFields: ['start_date', 'pivot_id'],
  rows,
  ownLabels: new Set(columns.map((column) => column.label)),
});
const FIRST_DAY = dayNumber('2025-01-01');
/** `days` days of two campaigns each, clicks = day offset. */
const history = (days: number, from = 0): Cell[][] =>
  Array.from({ length: days }, (_, offset) => [
    [dayToIso(FIRST_DAY + from + offset), '11', from + offset],
    [dayToIso(FIRST_DAY + from + offset), '22', from + offset],
  ]).flat();

function withSheet(work: (sheet: GoogleAppsScript.Spreadsheet.Sheet, cellsRead: () => number) => void) {
  const { world } = createOfflineWorld();
  world.execute('ann@example.com', (scope: Scope) => {
    const spreadsheet =
      scope.SpreadsheetApp.getActiveSpreadsheet() as GoogleAppsScript.Spreadsheet.Spreadsheet;
    const sheet = spreadsheet.insertSheet('Report');
    work(sheet, () => world.spreadsheet.usage.cellsRead);
  });
}

describe('writeTable on a date-keyed table', () => {
  it('reads the date column whole and the other key columns only across the days a re-run touches', () => {
    withSheet((sheet, cellsRead) => {
      writeTable(sheet, table(history(500)), 0);
      const before = cellsRead();
      // The last 3 days again, with new clicks, and one new day.
      const rerun = history(4, 497).map(([date, id]): Cell[] => [date, id, 1000]);
      const result = writeTable(sheet, table(rerun), 0);
      const read = cellsRead() - before;
      expect(result).toMatchObject({ updated: 6, appended: 2, removed: 0, tableRows: 1002 });
      // Header (3) + 1000 dates + the campaign ids of the 6 rows of the 3 touched days, and of
      // the last 100 rows, among which the table's last row is found.
      expect(read).toBe(3 + 1000 + 6 + 100);
      const values = sheet.getRange(2, 1, sheet.getLastRow() - 1, 3).getDisplayValues();
      expect(values[0]).toEqual(['2025-01-01', '11', '0']);
      expect(values.slice(-8)).toEqual([
        ['2026-05-13', '11', '1,000'],
        ['2026-05-13', '22', '1,000'],
        ['2026-05-14', '11', '1,000'],
        ['2026-05-14', '22', '1,000'],
        ['2026-05-15', '11', '1,000'],
        ['2026-05-15', '22', '1,000'],
        ['2026-05-16', '11', '1,000'],
        ['2026-05-16', '22', '1,000'],
      ]);
    });
  });

  it('finds the touched rows wherever a sort put them, and removes a pasted duplicate among them', () => {
    withSheet((sheet) => {
      writeTable(sheet, table(history(30)), 0);
      // The user sorts newest first, and pastes a copy of one touched row at the bottom.
      const range = sheet.getRange(2, 1, 60, 3);
      range.setValues([...range.getValues()].reverse());
      sheet.appendRow([sheet.getRange(2, 1).getValues()[0][0], '11', 7]);
      const result = writeTable(sheet, table(history(2, 28).map(([date, id]): Cell[] => [date, id, -1])), 0);
      expect(result).toMatchObject({ updated: 4, appended: 0, removed: 1, tableRows: 60 });
      const rows = sheet.getRange(2, 1, sheet.getLastRow() - 1, 3).getDisplayValues();
      expect(rows).toHaveLength(60);
      expect(rows.filter((row) => row[2] === '-1').map((row) => row[0])).toEqual([
        '2025-01-30',
        '2025-01-30',
        '2025-01-29',
        '2025-01-29',
      ]);
    });
  });
});

describe('writeTable keeping a table’s date order', () => {
  const rowsOf = (sheet: GoogleAppsScript.Spreadsheet.Sheet) =>
    sheet.getRange(2, 1, sheet.getLastRow() - 1, sheet.getLastColumn()).getDisplayValues();
  const day = (offset: number) => dayToIso(FIRST_DAY + offset);

  it('puts the earlier days a widened range brings above the table, with the user’s cells still on their rows', () => {
    withSheet((sheet) => {
      writeTable(sheet, table(history(3, 3)), 0);
      sheet.insertColumnsAfter(3, 1);
      sheet.getRange(2, 5).setValue('launch day');
      sheet.getRange(9, 1, 1, 2).setValues([['Total', '=SUM(C2:C7)']]);
      const result = writeTable(sheet, table(history(6)), 0);
      expect(result).toMatchObject({ updated: 6, appended: 6, removed: 0, tableRows: 12, unkeyedRows: [] });
      expect(rowsOf(sheet)).toEqual([
        [day(0), '11', '0', '', ''],
        [day(0), '22', '0', '', ''],
        [day(1), '11', '1', '', ''],
        [day(1), '22', '1', '', ''],
        [day(2), '11', '2', '', ''],
        [day(2), '22', '2', '', ''],
        [day(3), '11', '3', '', 'launch day'],
        [day(3), '22', '3', '', ''],
        [day(4), '11', '4', '', ''],
        [day(4), '22', '4', '', ''],
        [day(5), '11', '5', '', ''],
        [day(5), '22', '5', '', ''],
        ['Total', expect.any(String), '', '', ''],
      ]);
      // The moved rows carry the formats they were written with.
      expect(sheet.getRange(2, 3, 12, 1).getNumberFormats().flat()).toEqual(Array(12).fill('#,##0'));
    });
  });

  it('puts a late row of an earlier day after that day’s rows, and new days at the bottom', () => {
    withSheet((sheet) => {
      writeTable(sheet, table(history(3).filter(([, id]) => id === '11')), 0);
      // LinkedIn now also has campaign 22 on days 1 and 2, and a new day 3.
      const result = writeTable(sheet, table(history(4, 0).slice(2)), 0);
      expect(result).toMatchObject({ updated: 2, appended: 4 });
      expect(rowsOf(sheet).map(([date, id]) => `${date} ${id}`)).toEqual([
        `${day(0)} 11`,
        `${day(1)} 11`,
        `${day(1)} 22`,
        `${day(2)} 11`,
        `${day(2)} 22`,
        `${day(3)} 11`,
        `${day(3)} 22`,
      ]);
    });
  });

  it('keeps a table the user sorted newest first that way, new days on top', () => {
    withSheet((sheet) => {
      writeTable(sheet, table(history(3)), 0);
      const range = sheet.getRange(2, 1, 6, 3);
      range.setValues([...range.getValues()].reverse());
      writeTable(sheet, table(history(3, 2)), 0);
      // New days in the table's order; the rows of one day as LinkedIn lists them.
      expect(rowsOf(sheet).map(([date, id]) => `${date} ${id}`)).toEqual([
        `${day(4)} 11`,
        `${day(4)} 22`,
        `${day(3)} 11`,
        `${day(3)} 22`,
        `${day(2)} 22`,
        `${day(2)} 11`,
        `${day(1)} 22`,
        `${day(1)} 11`,
        `${day(0)} 22`,
        `${day(0)} 11`,
      ]);
    });
  });

  it('leaves a table sorted some other way as it is, new rows at its end', () => {
    withSheet((sheet) => {
      writeTable(sheet, table(history(2)), 0);
      // Sorted by campaign.
      sheet.getRange(2, 1, 4, 3).setValues([
        [day(0), '11', 0],
        [day(1), '11', 1],
        [day(0), '22', 0],
        [day(1), '22', 1],
      ]);
      writeTable(sheet, table(history(3)), 0);
      expect(rowsOf(sheet).map(([date, id]) => `${date} ${id}`)).toEqual([
        `${day(0)} 11`,
        `${day(1)} 11`,
        `${day(0)} 22`,
        `${day(1)} 22`,
        `${day(2)} 11`,
        `${day(2)} 22`,
      ]);
    });
  });

  /** A table of days 3–5 whose write of days 0–2 stopped before moving them up: they sit at its end. */
  const stoppedBeforeMoves = (sheet: GoogleAppsScript.Spreadsheet.Sheet) => {
    writeTable(sheet, table(history(3, 3)), 0);
    sheet.getRange(8, 1, 6, 1).setNumberFormat('yyyy-mm-dd');
    sheet.getRange(8, 1, 6, 3).setValues(history(3));
  };
  const datesAndIds = (sheet: GoogleAppsScript.Spreadsheet.Sheet) =>
    rowsOf(sheet).map(([date, id]) => `${date} ${id}`);

  it('marks the tab before writing rows it will move, and unmarks it once they are in place', () => {
    withSheet((sheet) => {
      writeTable(sheet, table(history(3, 3)), 0);
      const marks: Array<[string | null, number]> = [];
      writeTable(
        sheet,
        { ...table(history(6)), recordPlacing: (order) => marks.push([order, sheet.getLastRow()]) },
        0,
      );
      // Marked while the table had its 6 rows, unmarked once the 6 new ones were in place.
      expect(marks).toEqual([
        ['oldest first', 7],
        [null, 13],
      ]);
      expect(datesAndIds(sheet)[0]).toBe(`${day(0)} 11`);
    });
  });

  it('moves the rows a stopped write left at the end into place, on a tab marked as waiting for them', () => {
    withSheet((sheet) => {
      stoppedBeforeMoves(sheet);
      const marks: Array<string | null> = [];
      // The next run reads days 5 and 6 only: the stopped write's rows are among none of its keys.
      const result = writeTable(
        sheet,
        { ...table(history(2, 5)), placing: 'oldest first', recordPlacing: (order) => marks.push(order) },
        0,
      );
      expect(result).toMatchObject({ updated: 2, appended: 2, tableRows: 14 });
      expect(datesAndIds(sheet)).toEqual(history(7).map(([date, id]) => `${date} ${id}`));
      expect(marks).toEqual([null]);
    });
  });

  it('moves a stopped write’s new days to the top of a table marked as sorted newest first', () => {
    withSheet((sheet) => {
      const newestFirst = (rows: Cell[][]) => [...rows].reverse();
      writeTable(sheet, table(history(3)), 0);
      sheet.getRange(2, 1, 6, 3).setValues(newestFirst(history(3)));
      // Days 3 and 4, written newest first below the table, not yet moved up.
      sheet.getRange(8, 1, 4, 1).setNumberFormat('yyyy-mm-dd');
      sheet.getRange(8, 1, 4, 3).setValues(newestFirst(history(2, 3)));
      writeTable(sheet, { ...table(history(1, 4)), placing: 'newest first' }, 0);
      expect(datesAndIds(sheet)).toEqual(newestFirst(history(5)).map(([date, id]) => `${date} ${id}`));
    });
  });

  it('leaves the same rows at the end on a tab not marked, as a sort of the user’s', () => {
    withSheet((sheet) => {
      stoppedBeforeMoves(sheet);
      const before = datesAndIds(sheet);
      const marks: Array<string | null> = [];
      writeTable(sheet, { ...table(history(2, 5)), recordPlacing: (order) => marks.push(order) }, 0);
      expect(datesAndIds(sheet)).toEqual([...before, `${day(6)} 11`, `${day(6)} 22`]);
      expect(marks).toEqual([]);
    });
  });

  it('leaves a table the user sorted by campaign since the stop as it is, and unmarks it', () => {
    withSheet((sheet) => {
      stoppedBeforeMoves(sheet);
      // Sorted by campaign as Sheets sorts, keeping the order rows of one campaign had.
      const byCampaign = [...history(3, 3), ...history(3)].sort((a, b) =>
        String(a[1]).localeCompare(String(b[1])),
      );
      sheet.getRange(2, 1, 12, 3).setValues(byCampaign);
      const marks: Array<string | null> = [];
      writeTable(
        sheet,
        { ...table(history(1, 5)), placing: 'oldest first', recordPlacing: (order) => marks.push(order) },
        0,
      );
      expect(datesAndIds(sheet)).toEqual(byCampaign.map(([date, id]) => `${date} ${id}`));
      expect(marks).toEqual([null]);
    });
  });

  it('names a row whose day the user cleared where it is once earlier days moved above it', () => {
    withSheet((sheet) => {
      writeTable(sheet, table(history(2, 2)), 0);
      sheet.getRange(3, 1).setValue('');
      const result = writeTable(sheet, table(history(4)), 0);
      // Row 3 (day 2 of campaign 22, its day cleared) is row 7 under the four rows of days 0 and 1.
      expect(result.unkeyedRows).toEqual([7]);
      expect(sheet.getRange(7, 1, 1, 3).getDisplayValues()).toEqual([['', '22', '2']]);
      // The new row of day 2 goes under the cleared one, above day 3.
      expect(rowsOf(sheet).map(([date, id]) => `${date} ${id}`)).toEqual([
        `${day(0)} 11`,
        `${day(0)} 22`,
        `${day(1)} 11`,
        `${day(1)} 22`,
        `${day(2)} 11`,
        ' 22',
        `${day(2)} 22`,
        `${day(3)} 11`,
        `${day(3)} 22`,
      ]);
    });
  });
});

describe('writeTable rebuilding the report’s table under new columns', () => {
  const wider: FieldSpec[] = [
    ...columns,
    { key: 'impressions', label: 'Impressions', type: 'integer', group: 'Metrics', description: '' },
  ];
  const widerTable = (rows: Cell[][]) => ({
    ...table(rows.map((row) => [...row, 5])),
    columns: wider,
    ownLabels: new Set([...columns, ...wider].map((column) => column.label)),
  });
  const shown = (sheet: GoogleAppsScript.Spreadsheet.Sheet) =>
    sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getDisplayValues();

  it('leaves the old table as it was when the new one would pass the cell limit', () => {
    withSheet((sheet) => {
      writeTable(sheet, table(history(10)), 0);
      const before = shown(sheet);
      // Other tabs leave room for the tab as it is, not for the rows the wider table adds.
      const full = 10_000_000 - sheet.getMaxRows() * sheet.getMaxColumns();
      expect(() =>
        writeTable(sheet, widerTable(history(600)), full + sheet.getMaxRows() * sheet.getMaxColumns()),
      ).toThrow(/over Google Sheets' limit of 10,000,000 per spreadsheet/);
      expect(shown(sheet)).toEqual(before);
    });
  });

  it('says no rows were replaced when the table it rebuilds held none', () => {
    withSheet((sheet) => {
      writeTable(sheet, table([]), 0);
      expect(shown(sheet)).toEqual([['Date', 'Campaign ID', 'Clicks']]);
      const result = writeTable(sheet, widerTable(history(2, 5)), 0);
      expect(result).toMatchObject({ rebuilt: false, appended: 4, tableRows: 4 });
      expect(shown(sheet)[0]).toEqual(['Date', 'Campaign ID', 'Clicks', 'Impressions']);
    });
  });

  it('keeps the user’s rows below the table, and rebuilds the table above them', () => {
    withSheet((sheet) => {
      writeTable(sheet, table(history(3)), 0);
      sheet.getRange(9, 1, 1, 2).setValues([['My total', 42]]);
      const result = writeTable(sheet, widerTable(history(2, 5)), 0);
      expect(result).toMatchObject({ rebuilt: true, appended: 4, tableRows: 4 });
      const values = shown(sheet);
      expect(values.slice(0, 5)).toEqual([
        ['Date', 'Campaign ID', 'Clicks', 'Impressions'],
        ['2025-01-06', '11', '5', '5'],
        ['2025-01-06', '22', '5', '5'],
        ['2025-01-07', '11', '6', '5'],
        ['2025-01-07', '22', '6', '5'],
      ]);
      // The new rows take the old table's place; the user's row stays where it was.
      expect(values[8]).toEqual(['My total', '42', '', '']);
      expect(values.filter((row) => row[0] !== '' && row[0] !== 'My total')).toHaveLength(5);
    });
  });

  it('finds the old table by its date column when the date is labelled otherwise, and keeps the user’s rows below', () => {
    withSheet((sheet) => {
      writeTable(sheet, table(history(2)), 0);
      sheet.getRange(7, 1, 1, 2).setValues([['My total', 42]]);
      // Rows per month label their first column “Start date”, rows per day “Date”.
      const monthly = widerTable([['2025-01-01', '11', 9]]);
      monthly.columns = [{ ...wider[0], label: 'Start date' }, ...wider.slice(1)];
      monthly.ownLabels = new Set([...monthly.ownLabels, 'Start date']);
      writeTable(sheet, monthly, 0);
      const values = shown(sheet);
      expect(values[0]).toEqual(['Start date', 'Campaign ID', 'Clicks', 'Impressions']);
      expect(values[1]).toEqual(['2025-01-01', '11', '9', '5']);
      expect(values[6]).toEqual(['My total', '42', '', '']);
    });
  });

  it('moves the user’s rows below down only by the rows the old table and the blank rows under it cannot hold, and counts them against the limit', () => {
    withSheet((sheet) => {
      writeTable(sheet, table(history(1)), 0);
      sheet.getRange(5, 1, 1, 2).setValues([['My total', 42]]);
      // Six rows where the old table had two and a blank row: three rows are inserted, 3 × 26
      // cells more, on a spreadsheet (this tab included) that has room for 3 × 26 cells and not one more.
      expect(() => writeTable(sheet, widerTable(history(3)), 10_000_000 - 3 * 26 + 1)).toThrow(
        /over Google Sheets' limit/,
      );
      expect(shown(sheet)[4]).toEqual(['My total', '42', '']);
      writeTable(sheet, widerTable(history(3)), 10_000_000 - 3 * 26);
      const values = shown(sheet);
      expect(values.slice(1, 7).map((row) => row[0])).toEqual([
        '2025-01-01',
        '2025-01-01',
        '2025-01-02',
        '2025-01-02',
        '2025-01-03',
        '2025-01-03',
      ]);
      // The user's row moved down by three, right under the table.
      expect(values[7]).toEqual(['My total', '42', '', '']);
    });
  });
});

describe('writeTable reshaping the report’s table in place when only its metrics change', () => {
  const impressions: FieldSpec = {
    key: 'impressions',
    label: 'Impressions',
    type: 'integer',
    group: 'Metrics',
    description: '',
  };
  const keyLabels = new Set(['Date', 'Start date', 'Campaign ID']);
  const ownLabels = new Set(['Date', 'Campaign ID', 'Clicks', 'Impressions']);
  /** Rows with impressions before clicks, as a report that added Impressions writes them. */
  const withImpressions = (rows: Cell[][]) => ({
    columns: [columns[0], columns[1], impressions, columns[2]],
    keyFields: ['start_date', 'pivot_id'],
    rows: rows.map(([day, id, clicks]) => [day, id, 7, clicks]),
    ownLabels,
    keyLabels,
  });
  const shown = (sheet: GoogleAppsScript.Spreadsheet.Sheet) =>
    sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getDisplayValues();

  it('adds a column around the rows of earlier runs, which keep their values, and moves the user’s cells beside it', () => {
    withSheet((sheet) => {
      writeTable(sheet, { ...table(history(3)), keyLabels }, 0);
      sheet.getRange(2, 5).setValue('my note');
      sheet.getRange(9, 1, 1, 2).setValues([['My total', 42]]);
      const result = writeTable(sheet, withImpressions(history(2, 2)), 0);
      expect(result).toMatchObject({
        rebuilt: false,
        reshaped: { added: ['Impressions'], removed: [] },
        updated: 2,
        appended: 2,
      });
      const values = shown(sheet);
      expect(values.slice(0, 9)).toEqual([
        ['Date', 'Campaign ID', 'Impressions', 'Clicks', '', ''],
        ['2025-01-01', '11', '', '0', '', 'my note'],
        ['2025-01-01', '22', '', '0', '', ''],
        ['2025-01-02', '11', '', '1', '', ''],
        ['2025-01-02', '22', '', '1', '', ''],
        ['2025-01-03', '11', '7', '2', '', ''],
        ['2025-01-03', '22', '7', '2', '', ''],
        ['2025-01-04', '11', '7', '3', '', ''],
        ['2025-01-04', '22', '7', '3', '', ''],
      ]);
      // The blank row above the user's took the first new row.
      expect(values[9]).toEqual(['My total', '42', '', '', '', '']);
      // The inserted column's rows take its number format, updated rows included.
      expect(sheet.getRange(2, 3, 8, 1).getNumberFormats().flat()).toEqual(Array(8).fill('#,##0'));
    });
  });

  it('removes a column, unless the user keeps cells below the table in it: then it says so and writes nothing', () => {
    withSheet((sheet) => {
      writeTable(sheet, withImpressions(history(2)), 0);
      const removed = writeTable(sheet, { ...table(history(1, 1)), keyLabels, ownLabels }, 0);
      expect(removed).toMatchObject({
        rebuilt: false,
        reshaped: { added: [], removed: ['Impressions'], reordered: false },
      });
      expect(shown(sheet)).toEqual([
        ['Date', 'Campaign ID', 'Clicks'],
        ['2025-01-01', '11', '0'],
        ['2025-01-01', '22', '0'],
        ['2025-01-02', '11', '1'],
        ['2025-01-02', '22', '1'],
      ]);
    });
    withSheet((sheet) => {
      writeTable(sheet, withImpressions(history(2)), 0);
      sheet.getRange(8, 3).setValue('mine');
      const before = shown(sheet);
      expect(() => writeTable(sheet, { ...table(history(1, 1)), keyLabels, ownLabels }, 0)).toThrow(
        "Column C (“Impressions”) of the tab “Report” holds your cells below the report's table, and the report no longer has that column: removing it would delete them.",
      );
      expect(shown(sheet)).toEqual(before);
    });
  });

  it('refuses a column without a header inside the table that holds the user’s cells, writing nothing', () => {
    withSheet((sheet) => {
      writeTable(sheet, { ...table(history(2)), keyLabels }, 0);
      sheet.insertColumnsBefore(3, 1);
      sheet.getRange(3, 3).setValue('my comment');
      const before = shown(sheet);
      expect(() => writeTable(sheet, withImpressions(history(1, 1)), 0)).toThrow(
        "Column C of the tab “Report” sits inside the report's table without a header.",
      );
      expect(shown(sheet)).toEqual(before);
    });
  });

  it('ends as an uninterrupted run does, whichever grid or mark change a stop came after, keeping the user’s column headed like the report’s', () => {
    const final = (stopAfter: number | null) => {
      const { world } = createOfflineWorld();
      // As the runner writes a tab the report marked: the marks say where its table ends.
      const markedWrite = (sheet: GoogleAppsScript.Spreadsheet.Sheet, write: TableWrite) => {
        claimTab(sheet, 'r1', 'home');
        writeTable(
          sheet,
          {
            ...write,
            writtenBefore: true,
            tableHeaders: marksFor(sheet, 'r1').tableHeaders,
            recordTableHeaders: (headers) => recordTableHeaders(sheet, headers),
          },
          0,
        );
      };
      const run = (write: (sheet: GoogleAppsScript.Spreadsheet.Sheet) => void) =>
        world.execute('ann@example.com', (scope: Scope) => {
          const spreadsheet =
            scope.SpreadsheetApp.getActiveSpreadsheet() as GoogleAppsScript.Spreadsheet.Spreadsheet;
          write(spreadsheet.getSheetByName('Report') ?? spreadsheet.insertSheet('Report'));
        });
      const reach: FieldSpec = { ...impressions, key: 'reach', label: 'Reach' };
      // “Leads” is a label the report could write, heading the user's column beside the table.
      const everyLabel = new Set([...ownLabels, 'Reach', 'Cost', 'Leads']);
      run((sheet) => {
        markedWrite(sheet, {
          ...table(history(3).map((row) => [...row, 100, 9])),
          columns: [...columns, reach, impressions],
          ownLabels: everyLabel,
          keyLabels,
        });
        sheet.getRange(9, 1, 1, 2).setValues([['My total', 42]]);
        sheet.getRange(1, 6, 3, 1).setValues([['Leads'], ['mine'], ['mine too']]);
      });
      // Old columns: Date, Campaign ID, Clicks, Reach, Impressions. New: Date, Campaign ID,
      // Impressions, Clicks, Cost: one column deleted, one moved, one added.
      const cost: FieldSpec = {
        key: 'cost',
        label: 'Cost',
        type: 'money',
        group: 'Metrics',
        description: '',
      };
      const next = withImpressions(history(2, 2));
      const change = {
        ...next,
        columns: [...next.columns, cost],
        rows: next.rows.map((row) => [...row, 1.5]),
        ownLabels: everyLabel,
      };
      let points = 0;
      let stopped = false;
      world.stopAt = (point) => {
        if (!/^(before|after) /.test(point)) return false;
        if (stopAfter !== null && points++ === stopAfter) stopped = true;
        return stopped && point.startsWith('after');
      };
      try {
        run((sheet) => markedWrite(sheet, change));
      } catch (error) {
        if (!(error instanceof ExecutionTimeExceeded)) throw error;
      }
      world.stopAt = () => false;
      run((sheet) => markedWrite(sheet, change));
      const values = world.execute('ann@example.com', (scope: Scope) => {
        const sheet = scope.SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Report');
        return sheet
          .getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn())
          .getDisplayValues() as string[][];
      });
      // A stop right after the user's rows made room for new ones leaves that room blank (the next
      // run makes room again): blank rows are counted apart, every other cell is compared.
      const blank = (row: string[]) => row.every((cell) => cell === '');
      return { stopped, values: values.filter((row) => !blank(row)), blankRows: values.filter(blank).length };
    };
    const uninterrupted = final(null);
    expect(uninterrupted.values.slice(0, 3)).toEqual([
      ['Date', 'Campaign ID', 'Impressions', 'Clicks', 'Cost', 'Leads'],
      // A row of the earlier run keeps its impressions in their new place.
      ['2025-01-01', '11', '9', '0', '', 'mine'],
      ['2025-01-01', '22', '9', '0', '', 'mine too'],
    ]);
    let stops = 0;
    for (let after = 0; ; after++) {
      const { stopped, values, blankRows } = final(after);
      if (!stopped) break;
      stops++;
      expect([after, values]).toEqual([after, uninterrupted.values]);
      // At most the two rows the run added.
      expect(blankRows - uninterrupted.blankRows).toBeLessThanOrEqual(2);
    }
    expect(stops).toBeGreaterThan(6);
  });
});
