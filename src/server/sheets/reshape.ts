import type { FieldSpec } from '../catalog/types';
import { NUMBER_FORMATS } from './cells';

type Sheet = Pick<
  GoogleAppsScript.Spreadsheet.Sheet,
  | 'getRange'
  | 'getMaxRows'
  | 'getMaxColumns'
  | 'insertColumnsBefore'
  | 'insertColumnsAfter'
  | 'deleteColumns'
  | 'moveColumns'
>;

/** Columns a report's table gains, loses and puts in another order when only its columns beside the key change. */
export interface Reshape {
  added: string[];
  removed: string[];
  /** The columns it keeps stand in another order. */
  reordered: boolean;
}

/**
 * How a table headed `oldHeader` becomes one headed `newHeader` while keeping its rows: when
 * both have the same key columns in the same order, it gains, loses and reorders only other
 * columns. Null when it must be rebuilt instead: a row's key means something else (another
 * period, breakdown or account split). Blank labels in `oldHeader` are columns inserted by a
 * run stopped before it labelled them.
 */
export function reshapePlan(
  oldHeader: string[],
  newHeader: string[],
  keyLabels: ReadonlySet<string>,
): Reshape | null {
  const labelled = oldHeader.filter((label) => label !== '');
  const keysOf = (labels: string[]) => labels.filter((label) => keyLabels.has(label)).join('\u0001');
  if (keysOf(labelled) !== keysOf(newHeader) || new Set(labelled).size !== labelled.length) return null;
  const kept = labelled.filter((label) => newHeader.includes(label));
  return {
    added: newHeader.filter((label) => !labelled.includes(label)),
    removed: labelled.filter((label) => !newHeader.includes(label)),
    reordered: kept.join('\u0001') !== newHeader.filter((label) => labelled.includes(label)).join('\u0001'),
  };
}

/**
 * Why a table was not reshaped, changing nothing: a column to delete holds the user's cells
 * below the table (a whole-column delete would take them), or the inserted columns would pass
 * the spreadsheet's cells left.
 */
export type NotReshaped = { userCellsBelow: number } | { tooBig: true };

/**
 * Brings the report's table to its new columns in place, so rows of earlier runs keep their
 * values (blank under the added columns). Columns go, move and come whole, each change one that
 * Sheets applies at once and that carries its header cell with it: a run stopped between two
 * leaves a header that still says what every column holds, and at worst a blank, empty column
 * inserted but not labelled, which the next run deletes.
 */
export function reshapeTable(
  sheet: Sheet,
  oldHeader: string[],
  columns: FieldSpec[],
  { tableEnd, lastRow, room }: { tableEnd: number; lastRow: number; room: number },
  changeBegins: () => void = () => {},
): NotReshaped | null {
  const header = columns.map((column) => column.label);
  const doomed = oldHeader
    .map((label, index) => (label === '' || !header.includes(label) ? index : -1))
    .filter((index) => index >= 0);
  const userCellsBelow = (index: number) =>
    lastRow > tableEnd &&
    sheet
      .getRange(tableEnd + 1, index + 1, lastRow - tableEnd, 1)
      .getValues()
      .some(([value]) => value !== '' && value !== null);
  const inserted = header.filter((label) => !oldHeader.includes(label)).length;
  const holdingCells = doomed.find(userCellsBelow);
  if (holdingCells !== undefined) return { userCellsBelow: holdingCells };
  if (inserted * sheet.getMaxRows() > room) return { tooBig: true };
  changeBegins();

  const current = [...oldHeader];
  for (const index of [...doomed].reverse()) {
    sheet.deleteColumns(index + 1, 1);
    current.splice(index, 1);
  }
  // Formats first, then the label: a column labelled is one whose rows are ready for the report's values.
  const label = (index: number, column: FieldSpec) => {
    if (tableEnd >= 2)
      sheet.getRange(2, index + 1, tableEnd - 1, 1).setNumberFormat(NUMBER_FORMATS[column.type]);
    sheet
      .getRange(1, index + 1)
      .setValue(column.label)
      .setFontWeight('bold');
  };
  columns.forEach((column, index) => {
    if (current[index] === column.label) return;
    const later = current.indexOf(column.label, index + 1);
    if (later > index) {
      // A kept column in another place: moved whole, rows and header cell together.
      sheet.moveColumns(sheet.getRange(1, later + 1), index + 1);
      current.splice(index, 0, ...current.splice(later, 1));
      return;
    }
    const atEnd = index >= current.length;
    // Past the header's end, a column the table's rows leave empty (one a stopped run inserted) is taken as it is.
    const free =
      atEnd &&
      index < sheet.getMaxColumns() &&
      sheet
        .getRange(1, index + 1, Math.max(tableEnd, 1), 1)
        .getValues()
        .every(([value]) => value === '' || value === null);
    if (!free) {
      if (index < sheet.getMaxColumns()) sheet.insertColumnsBefore(index + 1, 1);
      else sheet.insertColumnsAfter(sheet.getMaxColumns(), 1);
    }
    current.splice(index, 0, column.label);
    label(index, column);
  });
  return null;
}
