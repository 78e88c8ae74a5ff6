import type { FieldSpec } from '../catalog/types';
import type { Cell } from '../rows';
import { fromSheetValue, NUMBER_FORMATS, toSheetValue } from './cells';

/** Google Sheets' limit for one spreadsheet. */
export const SPREADSHEET_CELL_LIMIT = 10_000_000;

type Sheet = Pick<
  GoogleAppsScript.Spreadsheet.Sheet,
  | 'getRange'
  | 'getLastRow'
  | 'getLastColumn'
  | 'getMaxRows'
  | 'getMaxColumns'
  | 'insertRowsAfter'
  | 'setFrozenRows'
  | 'getName'
>;

export class ReportWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportWriteError';
  }
}

export interface TableState {
  /** Data rows (below the header) this report owns, starting at row 2. */
  rows: number;
  header: string[];
}

export interface WriteResult {
  table: TableState;
  updated: number;
  appended: number;
}

const keyOf = (cells: Cell[], keyIndexes: number[]) =>
  keyIndexes.map((index) => String(cells[index] ?? '')).join('\u0001');

/**
 * Upserts rows into the report's table: a header of catalog labels in row 1, frozen;
 * rows whose key columns match an existing row replace it in place, new rows go
 * after the table. Columns right of the table and rows below it belong to the user
 * and stay as they are (rows below are pushed down, never overwritten).
 */
export function upsertRows(
  sheet: Sheet,
  columns: FieldSpec[],
  keyFields: string[],
  rows: Cell[][],
  previous: TableState | null,
  spreadsheetCells: number,
): WriteResult {
  const header = columns.map((column) => column.label);
  const width = columns.length;
  const keyIndexes = keyFields.map((key) => columns.findIndex((column) => column.key === key));
  if (keyIndexes.some((index) => index < 0))
    throw new Error(`Key columns ${keyFields.join(', ')} are not all in the report`);

  const owned = previous?.rows ?? 0;
  const readHeader = (length: number) =>
    sheet.getLastRow() >= 1 ? (sheet.getRange(1, 1, 1, length).getValues()[0] as unknown[]).map(String) : [];
  if (!previous) {
    if (sheet.getLastRow() > 0 && readHeader(width).join('\u0001') !== header.join('\u0001')) {
      throw new ReportWriteError(
        `The tab "${sheet.getName()}" already holds other data. Pick an empty tab or a new one, so nothing there is overwritten.`,
      );
    }
  } else if (readHeader(previous.header.length).join('\u0001') !== previous.header.join('\u0001')) {
    throw new ReportWriteError(
      `The header row of tab "${sheet.getName()}" was changed, so the report cannot tell its rows apart from yours. Restore the header or send the report to a new tab.`,
    );
  }

  const previousHeader = previous?.header ?? header;
  const sameColumns = previousHeader.join('\u0001') === header.join('\u0001');
  const readColumn = (index: number, type: FieldSpec['type']): Cell[] => {
    // Dates read back as Dates at midnight in the spreadsheet's zone; their displayed text is the day itself.
    const range = sheet.getRange(2, index + 1, owned, 1);
    const values = type === 'date' || type === 'datetime' ? range.getDisplayValues() : range.getValues();
    return values.map(([value]) => fromSheetValue(value, type));
  };
  // Usually only the key columns are read; a changed field list rewrites the table under the new header.
  let rewriteAll = false;
  let keyCells: Cell[][] = [];
  let table: Cell[][] = [];
  if (owned > 0 && sameColumns) {
    const keyColumns = keyIndexes.map((index) => readColumn(index, columns[index].type));
    keyCells = Array.from({ length: owned }, (_, row) => {
      const cells: Cell[] = new Array(width).fill(null);
      keyIndexes.forEach((index, position) => (cells[index] = keyColumns[position][row]));
      return cells;
    });
  } else if (owned > 0) {
    rewriteAll = true;
    const types = previousHeader.map(
      (label) => columns.find((column) => column.label === label)?.type ?? 'text',
    );
    const old = types.map((type, index) => readColumn(index, type));
    table = remap(
      Array.from({ length: owned }, (_, row) => old.map((column) => column[row])),
      previousHeader,
      header,
    );
    keyCells = table;
  }

  const positions = new Map<string, number>();
  keyCells.forEach((cells, index) => positions.set(keyOf(cells, keyIndexes), index));
  const changed = new Map<number, Cell[]>();
  const added: Cell[][] = [];
  for (const row of rows) {
    const key = keyOf(row, keyIndexes);
    const at = positions.get(key);
    if (at === undefined) {
      positions.set(key, owned + added.length);
      added.push(row);
    } else if (at < owned) {
      changed.set(at, row);
    } else {
      added[at - owned] = row;
    }
  }
  const total = owned + added.length;

  const neededRows = Math.max(sheet.getMaxRows(), 1 + total + Math.max(0, sheet.getLastRow() - 1 - owned));
  const neededColumns = Math.max(sheet.getMaxColumns(), width);
  const growth = neededRows * neededColumns - sheet.getMaxRows() * sheet.getMaxColumns();
  if (spreadsheetCells + growth > SPREADSHEET_CELL_LIMIT) {
    throw new ReportWriteError(
      `This report needs ${(spreadsheetCells + growth).toLocaleString('en-US')} cells, over Google Sheets' limit of 10,000,000 per spreadsheet. ` +
        'Narrow the date range, choose fewer fields or a coarser time granularity, or send it to a new spreadsheet. Nothing was written.',
    );
  }

  // Rows the user keeps below the table move down to make room, before anything is written.
  if (sheet.getLastRow() > 1 + owned && added.length > 0) sheet.insertRowsAfter(1 + owned, added.length);

  // Columns the report no longer has are emptied, not left stale beside the new table.
  if (previousHeader.length > width)
    sheet.getRange(1, width + 1, 1 + owned, previousHeader.length - width).clearContent();
  sheet.getRange(1, 1, 1, width).setValues([header]).setFontWeight('bold');
  sheet.setFrozenRows(1);
  const writeBlock = (firstIndex: number, block: Cell[][]) => {
    const range = sheet.getRange(2 + firstIndex, 1, block.length, width);
    range.setNumberFormats(block.map(() => columns.map((column) => NUMBER_FORMATS[column.type])));
    range.setValues(
      block.map((cells) => cells.map((cell, index) => toSheetValue(cell, columns[index].type))),
    );
  };
  if (rewriteAll) {
    for (const [index, row] of changed) table[index] = row;
    if (table.length > 0) writeBlock(0, table);
  } else {
    // Updated rows in place, one write per run of neighbouring rows.
    const indexes = [...changed.keys()].sort((a, b) => a - b);
    for (let start = 0; start < indexes.length;) {
      let end = start;
      while (end + 1 < indexes.length && indexes[end + 1] === indexes[end] + 1) end++;
      writeBlock(
        indexes[start],
        indexes.slice(start, end + 1).map((index) => changed.get(index)!),
      );
      start = end + 1;
    }
  }
  if (added.length > 0) writeBlock(owned, added);
  return { table: { rows: total, header }, updated: changed.size, appended: added.length };
}

/** Rows written under an older header, moved under the current one (fields added or removed). */
function remap(rows: Cell[][], from: string[], to: string[]): Cell[][] {
  const sources = to.map((label) => from.indexOf(label));
  return rows.map((cells) => sources.map((source) => (source < 0 ? null : cells[source])));
}
