import { createOfflineWorld } from '../../sandbox/offline-world';
import type { FieldSpec } from '../../src/server/catalog/types';
import { dayToIso, dayNumber } from '../../src/server/dates';
import type { Cell } from '../../src/server/rows';
import { writeTable } from '../../src/server/sheets/writer';

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
      // Header (3) + 1000 dates + the campaign ids of the 6 rows of the 3 touched days.
      expect(read).toBe(3 + 1000 + 6);
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

  it('moves the user’s rows below down only by the rows the old table cannot hold, and counts them against the limit', () => {
    withSheet((sheet) => {
      writeTable(sheet, table(history(1)), 0);
      sheet.getRange(5, 1, 1, 2).setValues([['My total', 42]]);
      // Six rows where the old table had two: four rows are inserted, 4 × 26 cells more, on a
      // spreadsheet (this tab included) that has room for 4 × 26 cells and not one more.
      expect(() => writeTable(sheet, widerTable(history(3)), 10_000_000 - 4 * 26 + 1)).toThrow(
        /over Google Sheets' limit/,
      );
      expect(shown(sheet)[4]).toEqual(['My total', '42', '']);
      writeTable(sheet, widerTable(history(3)), 10_000_000 - 4 * 26);
      const values = shown(sheet);
      expect(values.slice(1, 7).map((row) => row[0])).toEqual([
        '2025-01-01',
        '2025-01-01',
        '2025-01-02',
        '2025-01-02',
        '2025-01-03',
        '2025-01-03',
      ]);
      // Two blank rows stayed between the old table and the user's row; it moved down by four.
      expect(values[8]).toEqual(['My total', '42', '', '']);
    });
  });
});
