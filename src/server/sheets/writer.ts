import type { FieldSpec } from '../catalog/types';
import { type Cell, compareText } from '../rows';
import { DAY_MS } from '../dates';
import { NEW_SPREADSHEET } from '../reports/destination';
import { fromSheetValue, NUMBER_FORMATS, toSheetValue } from './cells';
import { quotedLabels } from '../reports/tab-changes';
import { type Reshape, reshapePlan, reshapeTable } from './reshape';
import { DATE_ORDERS, type DateOrder, type MarkableTab, markedAs } from './tab-owner';

/** Google Sheets' limit for one spreadsheet. */
export const SPREADSHEET_CELL_LIMIT = 10_000_000;
/** Rows per setValues: a stop between two chunks leaves whole rows, which the next run finds by key. */
const ROWS_PER_WRITE = 2_000;

type Sheet = Pick<
  GoogleAppsScript.Spreadsheet.Sheet,
  | 'getRange'
  | 'getLastRow'
  | 'getLastColumn'
  | 'getMaxRows'
  | 'getMaxColumns'
  | 'insertRowsAfter'
  | 'insertColumnsAfter'
  | 'insertColumnsBefore'
  | 'deleteRows'
  | 'deleteColumns'
  | 'moveColumns'
  | 'moveRows'
  | 'setFrozenRows'
  | 'getName'
>;

export class ReportWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportWriteError';
  }
}

export interface TableWrite {
  columns: FieldSpec[];
  keyFields: string[];
  rows: Cell[][];
  /**
   * Every header label this report could have written (any of its fields, pivots or
   * granularities): a header made only of these is the report's own, written before
   * its columns changed.
   */
  ownLabels: ReadonlySet<string>;
  /**
   * Every label a key column of this report could have had: a tab whose key columns are the new
   * header's gains and loses its other columns in place, keeping its rows (`reshapePlan`).
   * Without it a changed header is rebuilt.
   */
  keyLabels?: ReadonlySet<string>;
  /**
   * Replace mode: rows of the tab whose key this accepts and that `rows` does not hold
   * are removed, so the tab holds exactly what LinkedIn returned for that scope.
   */
  replaceWhere?: (key: Record<string, Cell>) => boolean;
  /**
   * The field of each row's last day, for rows covering longer periods than a day. A row of the
   * tab whose days an incoming row of the same key but another first day covers in part is
   * removed: a range that moved (or was edited) gives its first period another first day, and
   * the two rows would count the shared days twice.
   */
  periodEnd?: string;
  /**
   * The calendar day a date cell holds: Apps Script reads one as a Date at its midnight in the
   * spreadsheet's time zone. Without it, UTC.
   */
  dayOf?: (date: Date) => string;
  /**
   * The report wrote this tab before (it carries the report's mark): columns the user headed
   * right of the report's table are the user's, kept beside it. A tab known only by its name
   * must hold nothing but the report's own header.
   */
  writtenBefore?: boolean;
  /**
   * On a tab the report wrote before, the headers its table there may have, as its mark records
   * them: the one it last wrote, or the headers before and after a change of columns a stop
   * interrupted. Columns right of the table are the user's even when headed like one of the
   * report's. None on a tab marked before marks held them: the table is then the new header, if
   * the tab starts with it, else every column headed with a label the report could write.
   */
  tableHeaders?: readonly string[][];
  /**
   * Records the headers the table may have on the tab: the old and the new just before a change
   * of its columns begins, so a stop halfway leaves none of them taken for the user's; the new
   * one once it is written.
   */
  recordTableHeaders?: (headers: string[][]) => void;
  /**
   * The date order the table was in when a write of the report's began appending rows to move
   * into place, and stopped before it moved them (the tab's mark): the rows after its first
   * that break that order are the stopped write's, and this write moves them too.
   */
  placing?: DateOrder | null;
  /** Marks the tab as waiting for moves into an order (before the rows they move are written), or not (null). */
  recordPlacing?: (order: DateOrder | null) => void;
}

export interface WriteResult {
  updated: number;
  appended: number;
  removed: number;
  /** The tab held rows of the report under other keys or columns in another order: they were replaced. */
  rebuilt: boolean;
  /** The tab held the report's rows under other columns, which were added and removed around them. */
  reshaped: Reshape | null;
  /** Rows of the report's table after the write. */
  tableRows: number;
  /**
   * Rows of the table whose key the user left incomplete (a cleared ID or day): no incoming
   * row could match them, so theirs were written again. Their row numbers after the write.
   */
  unkeyedRows: number[];
  /** The earliest day of the table's rows before the write, where rows are keyed by day and it read their days; else null. */
  firstDay: string | null;
  /** Where a row of the table that this write kept (not removed) is once the write is done. */
  rowAfter: (rowBefore: number) => number;
}

export type TabOwnership = 'empty' | 'own' | 'other';

const SEPARATOR = '\u0001';

export function readHeader(sheet: Pick<Sheet, 'getRange' | 'getLastRow' | 'getLastColumn'>): string[] {
  const lastColumn = sheet.getLastColumn();
  if (sheet.getLastRow() === 0 || lastColumn === 0) return [];
  const labels = (sheet.getRange(1, 1, 1, lastColumn).getValues()[0] as unknown[]).map((value) =>
    String(value).trim(),
  );
  while (labels.length > 0 && labels[labels.length - 1] === '') labels.pop();
  return labels;
}

/**
 * A header the report wrote: its labels are the report's, but for blank ones a run stopped
 * before labelling (the writer checks those columns are empty).
 */
const isOwnHeader = (labels: string[], ownLabels: ReadonlySet<string>) =>
  labels.some((label) => label !== '') && labels.every((label) => label === '' || ownLabels.has(label));

/**
 * Which of the headers a tab's mark records (see `TableWrite.tableHeaders`) its table has whole:
 * of a change a stop interrupted, the end (the new header first) its table reads as, with no
 * column beside it headed like one of the other end's. Null halfway through the change.
 */
export function settledHeaderOf(headerRow: string[], recorded: readonly string[][]): string[] | null {
  const every = new Set(recorded.flat());
  const whole = [...recorded].reverse().find((labels) => {
    const own = new Set(labels);
    const { table, besideAt } = splitHeader(headerRow, own);
    const beside = besideAt < 0 ? [] : headerRow.slice(besideAt);
    return (
      table.filter((label) => label !== '').join(SEPARATOR) === labels.join(SEPARATOR) &&
      beside.every((label) => own.has(label) || !every.has(label))
    );
  });
  return whole ?? null;
}

/**
 * The labels heading the report's columns on a tab it wrote before: those of the header its
 * table has whole, or halfway through a change of columns, those of both ends.
 */
function tableLabelsOf(
  write: Pick<TableWrite, 'tableHeaders' | 'ownLabels'>,
  header: string[],
  headerRow: string[],
): ReadonlySet<string> {
  const recorded = write.tableHeaders ?? [];
  if (recorded.length === 0) return startsWithHeader(headerRow, header) ? new Set(header) : write.ownLabels;
  return new Set(settledHeaderOf(headerRow, recorded) ?? recorded.flat());
}

/** Whether a tab's row 1 starts with the header: a table the report wrote, whatever lies beside it. */
export const startsWithHeader = (headerRow: string[], header: string[]) =>
  header.every((label, at) => headerRow[at] === label);

/** The report's table in row 1 of a tab it wrote before (`splitHeader`), and the labels heading its columns. */
function ownTable(
  write: Pick<TableWrite, 'tableHeaders' | 'ownLabels'>,
  header: string[],
  headerRow: string[],
) {
  const tableLabels = tableLabelsOf(write, header, headerRow);
  return { tableLabels, ...splitHeader(headerRow, tableLabels) };
}

/**
 * The report's table within a header row the report wrote before: the table's labels from
 * column A, each once, up to the first other label (trailing blank labels aside); the user's
 * columns beside it start at `besideAt` (-1 when none). `insideAt` is a column of the user's that
 * has a column of the table still to come to its right: one added inside the table, or one of
 * its headers renamed.
 */
function splitHeader(
  labels: string[],
  tableLabels: ReadonlySet<string>,
): { table: string[]; besideAt: number; insideAt: number } {
  const seen = new Set<string>();
  const besideAt = labels.findIndex((label) => {
    if (label === '') return false;
    if (!tableLabels.has(label) || seen.has(label)) return true;
    seen.add(label);
    return false;
  });
  if (besideAt < 0) return { table: labels, besideAt: -1, insideAt: -1 };
  const tableAfter = labels.slice(besideAt).some((label) => tableLabels.has(label) && !seen.has(label));
  const table = labels.slice(0, besideAt);
  while (table.length > 0 && table[table.length - 1] === '') table.pop();
  return { table, besideAt, insideAt: tableAfter ? besideAt : -1 };
}

/**
 * A column of the user's beside the table headed like a column the report adds or removes: a
 * stop in the middle of that change could leave the user's column taken for the report's.
 */
function besideClash(
  labels: string[],
  besideAt: number,
  table: string[],
  header: string[],
): { at: number; adds: boolean } | null {
  if (besideAt < 0) return null;
  const at = labels.findIndex(
    (label, index) => index >= besideAt && label !== '' && header.includes(label) !== table.includes(label),
  );
  return at < 0 ? null : { at, adds: header.includes(labels[at]) };
}

/** What a user's column that `besideClash` finds is, in the words of a run's refusal and a save's notice. */
const clashSentence = (headerRow: string[], { at, adds }: { at: number; adds: boolean }, tab: string) =>
  `Column ${columnLetters(at + 1)} (“${headerRow[at]}”) of the tab “${tab}” is yours, beside the report's table, and the report now ${adds ? 'adds a column' : 'removes its column'} of that name`;

/**
 * Said on saving a report whose next run would stop at a user's column beside its table named
 * like one it adds or removes (see `besideClash`), read from a tab the report wrote before.
 */
export function userColumnClashNotice(
  sheet: Pick<Sheet, 'getRange' | 'getLastRow' | 'getLastColumn' | 'getName'>,
  header: string[],
  write: Pick<TableWrite, 'tableHeaders' | 'ownLabels'>,
): string | null {
  const headerRow = readHeader(sheet);
  const { table, besideAt } = ownTable(write, header, headerRow);
  const clash = besideClash(headerRow, besideAt, table, header);
  if (!clash) return null;
  return `${clashSentence(headerRow, clash, sheet.getName())}: give yours another name (“${headerRow[clash.at]} (mine)”, say) before its next run, which otherwise stops without writing.`;
}

/**
 * Whether a tab is free, holds this report's table (it wrote the tab, or the tab is headed by
 * any of its past headers), or holds someone else's data.
 */
export function tabOwnership(
  sheet: Sheet & MarkableTab,
  ownLabels: ReadonlySet<string>,
  reportId: string,
): TabOwnership {
  if (sheet.getLastRow() === 0) return 'empty';
  if (markedAs(sheet, reportId)) return 'own';
  return isOwnHeader(readHeader(sheet), ownLabels) ? 'own' : 'other';
}

/**
 * Writes a report's rows into its tab, finding its rows by their key wherever they are
 * (sorted, moved, with rows inserted or deleted by the user): a row with a key already
 * in the tab is updated in place, a new key goes after the last row of the table.
 * Nothing here depends on what an earlier run saved, so a run stopped at any point and
 * run again never duplicates or loses a row. Cells beside the table belong to the user, and so
 * do rows whose key is not one the report writes (“Total”, or a dated note whose ID column holds
 * words): they are never removed, and new rows go above notes below the table.
 */
export function writeTable(sheet: Sheet, write: TableWrite, spreadsheetCells: number): WriteResult {
  const { columns, keyFields, rows } = write;
  const header = columns.map((column) => column.label);
  const width = columns.length;
  const keyIndexes = keyFields.map((key) => columns.findIndex((column) => column.key === key));
  if (keyIndexes.some((index) => index < 0))
    throw new Error(`Key columns ${keyFields.join(', ')} are not all in the report`);

  const keyColumns = keyIndexes.map((index) => ({ index, type: columns[index].type }));
  const endIndex = columns.findIndex((column) => column.key === write.periodEnd);
  const headerRow = readHeader(sheet);
  const {
    tableLabels,
    table: found,
    besideAt,
    insideAt,
  } = write.writtenBefore
    ? ownTable(write, header, headerRow)
    : { tableLabels: write.ownLabels, table: headerRow, besideAt: -1, insideAt: -1 };
  if (insideAt >= 0) {
    const label = headerRow[insideAt];
    const first = headerRow.indexOf(label);
    throw new ReportWriteError(
      first < insideAt
        ? `Columns ${columnLetters(first + 1)} and ${columnLetters(insideAt + 1)} of the tab “${sheet.getName()}” are both headed “${label}”, among the report's columns. ` +
            'If you renamed a header of the report to that, give it back its name; if you added one of them, move it right of the report’s last column. Then run the report again. Nothing was written.'
        : `Column ${columnLetters(insideAt + 1)} (“${label}”) of the tab “${sheet.getName()}” sits inside the report's table, among its columns. ` +
            'If you added it, move it right of the report’s last column; if it is a header of the report you renamed, give it back its name. Then run the report again. Nothing was written.',
    );
  }
  const lastRow = sheet.getLastRow();
  const differs = lastRow > 0 && found.join(SEPARATOR) !== header.join(SEPARATOR);
  if (differs && !isOwnHeader(found, tableLabels)) {
    // Its own tab lost its header; a tab known by name only may be anyone's.
    throw new ReportWriteError(
      write.writtenBefore
        ? `Row 1 of the tab “${sheet.getName()}” no longer holds the report's header: the report keeps its table at the top left, under its header (${quotedLabels(header)}). ` +
            'Undo the change that moved or deleted it, or put the header back in row 1 (insert a row above the table first, if row 1 holds data), then run the report again. Nothing was written.'
        : `The tab “${sheet.getName()}” holds data this report did not write (its first row is not the report's header). ` +
            'Send the report to an empty or new tab, or choose “take over this tab” when you save it.',
    );
  }
  const clash = differs ? besideClash(headerRow, besideAt, found, header) : null;
  if (clash)
    throw new ReportWriteError(
      `${clashSentence(headerRow, clash, sheet.getName())}. ` +
        `Give yours another name (“${headerRow[clash.at]} (mine)”, say) so the two are never confused, then run the report again. Nothing was written.`,
    );
  const foundTableEnd = differs ? oldTableLastRow(sheet, found, columns[keyIndexes[0]], lastRow) : 0;
  if (differs) refuseUnlabelledColumnsWithData(sheet, found, foundTableEnd);
  // Just before the first column changes, once nothing can refuse the change: a stop halfway
  // leaves every column of the table, old or new, known as the report's.
  const changeBegins = () => write.recordTableHeaders?.([found.filter((label) => label !== ''), header]);
  // The report's own table under other columns keeps its rows when only columns beside its key
  // change; under another key it is rebuilt from this run, never mixed: its old rows are cleared
  // (once the new one is known to fit), and it starts again under the header.
  const plan = differs && write.keyLabels ? reshapePlan(found, header, write.keyLabels) : null;
  const gridBefore = sheet.getMaxRows() * sheet.getMaxColumns();
  const notReshaped =
    plan &&
    reshapeTable(
      sheet,
      found,
      columns,
      { tableEnd: foundTableEnd, lastRow, room: SPREADSHEET_CELL_LIMIT - spreadsheetCells },
      changeBegins,
    );
  if (notReshaped && 'userCellsBelow' in notReshaped) {
    const index = notReshaped.userCellsBelow;
    throw new ReportWriteError(
      `Column ${columnLetters(index + 1)} (“${found[index]}”) of the tab “${sheet.getName()}” holds your cells below the report's table, and the report no longer has that column: removing it would delete them. ` +
        'Move those cells out of the column, or delete them, then run the report again. Nothing was written.',
    );
  }
  // Past the cells left, the table is rebuilt instead, which checks the limit before clearing anything.
  const reshaped = plan && !notReshaped ? plan : null;
  // Columns the reshape inserted count against the limit with the rows this write adds.
  const cellsNow = spreadsheetCells + sheet.getMaxRows() * sheet.getMaxColumns() - gridBefore;
  const existing = reshaped ? header : found;
  const sameHeader = existing.join(SEPARATOR) === header.join(SEPARATOR);
  const rebuilt = differs && !reshaped;
  const {
    rows: tableRows,
    count: tableRowCount,
    lastAt: lastTableRow,
    unkeyed = [],
    firstDay = null,
    days: tableDays,
  } = rebuilt
    ? { rows: [], count: 0, lastAt: 1 }
    : readKeys(
        sheet,
        keyColumns,
        lastRow,
        write.replaceWhere ? null : datesTouched(rows, columns, keyIndexes, endIndex),
        endIndex,
        write.dayOf,
      );
  const oldTableEnd = rebuilt ? foundTableEnd : lastTableRow;

  const incoming = new Map<string, Cell[]>();
  for (const row of rows) incoming.set(joinKey(keyIndexes.map((index) => row[index])), row);

  const supersededBy = endIndex >= 0 ? overlapsIncoming(rows, keyIndexes, columns, endIndex) : null;
  const updates = new Map<number, Cell[]>();
  const removals: number[] = [];
  const seen = new Set<string>();
  for (const row of tableRows) {
    const fresh = incoming.get(row.key);
    const removable = !row.userWritten;
    // A key twice in the tab (a race between two writers, or a pasted copy): the first one stays.
    if (seen.has(row.key)) {
      if (removable) removals.push(row.at);
    } else if (fresh) updates.set(row.at, fresh);
    else if (removable && (write.replaceWhere?.(keyRecord(row.cells, keyFields)) || supersededBy?.(row)))
      removals.push(row.at);
    seen.add(row.key);
  }
  const added = [...incoming].filter(([key]) => !seen.has(key)).map(([, row]) => row);
  // A table in date order stays so: new rows are written in its order, then moved into place.
  const placing = write.placing ?? null;
  const removedRows = new Set(removals);
  // The table's days once its removals are done.
  const days =
    added.length > 0 || placing
      ? tableDays?.().filter((_, offset) => !removedRows.has(offset + FIRST_TABLE_ROW))
      : undefined;
  const orderNow = days ? dateOrderIn(days, placing) : null;
  const order = orderNow?.order ?? null;
  const dayIndex = keyIndexes[datePosition(columns, keyIndexes)];
  const dayOfRow = (row: Cell[]) => String(row[dayIndex]);
  if (order)
    added.sort((a, b) => (order === 'newest first' ? -1 : 1) * compareText(dayOfRow(a), dayOfRow(b)));
  const placed = orderNow ? movesIntoOrder(days!, orderNow, added.map(dayOfRow)) : [];
  // Rows of a day each (an account or page added beside others) would take a move a day: they
  // stay at the end, as in a table sorted some other way.
  const moves = placed.length <= MOVES_PER_WRITE ? placed : [];

  // New rows go first into rows under the table that hold none of the user's cells: a rebuild's
  // old rows once cleared, and rows left blank (by the user, or by a run stopped after it made
  // room or cleared them). Under a table without rows, cells of the user's columns beside it stay
  // where they are; under rows, any cell is the user's (a total beside the last column). Rows the
  // user keeps below make room by insertion, which grows the grid by as many rows.
  const firstUserRow = firstRowHolding(
    sheet,
    oldTableEnd + 1,
    lastRow,
    Math.min(
      sheet.getMaxColumns(),
      oldTableEnd === 1 ? Math.max(width, existing.length) : sheet.getLastColumn(),
    ),
  );
  const userRowsBelow = firstUserRow <= lastRow;
  const freeRows = (rebuilt ? oldTableEnd - 1 : 0) + (firstUserRow - oldTableEnd - 1);
  const rowsToInsert = userRowsBelow ? Math.max(0, added.length - freeRows) : 0;
  const neededRows = userRowsBelow
    ? sheet.getMaxRows() + rowsToInsert
    : Math.max(sheet.getMaxRows(), lastTableRow + added.length);
  // A rebuilt table wider than the old one pushes the user's columns beside it to the right, as
  // rows below are pushed down: headed ones, or cells without a header where it would write.
  const pushedFrom = !rebuilt
    ? -1
    : holdsCells(sheet, [1, lastRow], [found.length + 1, besideAt >= 0 ? besideAt : width])
      ? found.length
      : besideAt;
  const columnsToInsert = pushedFrom >= 0 ? Math.max(0, width - pushedFrom) : 0;
  const neededColumns = Math.max(sheet.getMaxColumns() + columnsToInsert, width);
  const growth = neededRows * neededColumns - sheet.getMaxRows() * sheet.getMaxColumns();
  if (cellsNow + growth > SPREADSHEET_CELL_LIMIT) {
    throw new ReportWriteError(
      `This report needs ${(cellsNow + growth).toLocaleString('en-US')} cells, over Google Sheets' limit of 10,000,000 per spreadsheet. ` +
        `Narrow the date range, choose fewer fields or a coarser time granularity, or build the report in ${NEW_SPREADSHEET}. Rows already in the tab stay as they are.`,
    );
  }

  if (rebuilt) changeBegins();
  // The grid is grown before anything is written past it: Sheets refuses a write past its edge.
  if (columnsToInsert > 0) sheet.insertColumnsBefore(pushedFrom + 1, columnsToInsert);
  if (neededColumns > sheet.getMaxColumns())
    sheet.insertColumnsAfter(sheet.getMaxColumns(), neededColumns - sheet.getMaxColumns());
  // Rows the user keeps below make room by insertion (below); otherwise the table grows into new rows.
  const rowsShort = lastTableRow + added.length - sheet.getMaxRows();
  if (!userRowsBelow && rowsShort > 0) sheet.insertRowsAfter(sheet.getMaxRows(), rowsShort);

  if (rebuilt && oldTableEnd > 1) sheet.getRange(2, 1, oldTableEnd - 1, existing.length).clearContent();
  if (!sameHeader) {
    // Frozen and bold before its labels land: a later write takes a header it finds written as done.
    sheet.setFrozenRows(1);
    sheet.getRange(1, 1, 1, width).setFontWeight('bold').setValues([header]);
    // An old header wider than the new one loses its last labels after, so a stop in between leaves one of the report's headers.
    if (existing.length > width) sheet.getRange(1, width + 1, 1, existing.length - width).clearContent();
  }
  const recordedAsHeader =
    write.tableHeaders?.length === 1 && write.tableHeaders[0].join(SEPARATOR) === header.join(SEPARATOR);
  if (!recordedAsHeader) write.recordTableHeaders?.([header]);
  const writeBlock = (firstRow: number, block: Cell[][], withFormats: boolean) => {
    for (let start = 0; start < block.length; start += ROWS_PER_WRITE) {
      const chunk = block.slice(start, start + ROWS_PER_WRITE);
      // Formats first, one per column: text columns must be plain text before formula-like text lands in them.
      if (withFormats)
        columns.forEach((column, index) =>
          sheet
            .getRange(firstRow + start, index + 1, chunk.length, 1)
            .setNumberFormat(NUMBER_FORMATS[column.type]),
        );
      sheet
        .getRange(firstRow + start, 1, chunk.length, width)
        .setValues(chunk.map((cells) => cells.map((cell, index) => toSheetValue(cell, columns[index].type))));
    }
  };
  // Updated rows in place (their formats were set when they were added), one write per run of neighbours.
  for (const [first, block] of runsOf([...updates.keys()]))
    writeBlock(
      first,
      block.map((at) => updates.get(at)!),
      false,
    );
  if (moves.length > 0 && placing !== order) write.recordPlacing?.(order);
  if (added.length > 0) {
    // Rows the user keeps below the table move down to make room, before anything is written there.
    if (rowsToInsert > 0) sheet.insertRowsAfter(lastTableRow + freeRows, rowsToInsert);
    writeBlock(lastTableRow + 1, added, true);
  }
  // Removed bottom-up: a stop before this leaves stale rows the next run removes.
  for (const [first, block] of runsOf(removals).reverse()) sheet.deleteRows(first, block.length);
  // Moved last: a stop before leaves every row written, some of them below the table's last
  // day, and the tab marked so that the next write moves them.
  for (const { from, count, to } of moves)
    sheet.moveRows(sheet.getRange(from + FIRST_TABLE_ROW, 1, count, 1), to + FIRST_TABLE_ROW);
  if (moves.length > 0 || placing) write.recordPlacing?.(null);
  const rowAfter = (at: number) =>
    moves.reduce(
      (row, { from, count, to }) =>
        row >= to + FIRST_TABLE_ROW && row < from + FIRST_TABLE_ROW ? row + count : row,
      at +
        (at > lastTableRow + freeRows ? rowsToInsert : 0) -
        removals.filter((removed) => removed < at).length,
    );
  return {
    updated: updates.size,
    appended: added.length,
    removed: removals.length,
    rebuilt: rebuilt && oldTableEnd > 1,
    reshaped,
    tableRows: tableRowCount + added.length - removals.length,
    // Where those rows are once the write is done: rows under the table moved down for new ones.
    firstDay,
    unkeyedRows: unkeyed.map(rowAfter),
    rowAfter,
  };
}

/**
 * Moves of rows into a table's date order one write makes at most: a widened range takes one,
 * a lookback's late rows one a day.
 */
const MOVES_PER_WRITE = 10;

/** The sheet row of a table's first row, under its header. */
const FIRST_TABLE_ROW = 2;

/**
 * The order a table keeps its days in, from each row's day top to bottom ('' for a row without
 * one, which may stand anywhere): oldest first as runs write them (a table of one day, or none,
 * too), newest first as a user may sort it, or null for any other order (sorted by campaign, say),
 * which new rows leave alone.
 */
function dateOrderOf(days: readonly string[]): DateOrder | null {
  const dated = days.filter((day) => day !== '');
  const follows = (order: DateOrder) =>
    dated.every((day, at) => at === 0 || precedes(order)(dated[at - 1], day));
  return DATE_ORDERS.find(follows) ?? null;
}

/**
 * The order the table keeps its days in and how many of its first rows are in it. On a tab
 * marked as waiting for a stopped write's moves into `placing`: that order, and the rows before
 * the first that breaks it, when every row from there is dated and in that order too (the rows
 * that write appended). Otherwise the order `dateOrderOf` reads, all rows in it; any other shape
 * is a sort of the user's, left as it is.
 */
function dateOrderIn(
  days: readonly string[],
  placing: DateOrder | null,
): { order: DateOrder; inOrder: number } | null {
  // The mark first: a day's table that a stopped write gave an earlier day reads newest first.
  const stopped = placing && stoppedWriteIn(days, placing);
  if (stopped) return stopped;
  const order = dateOrderOf(days);
  return order ? { order, inOrder: days.length } : null;
}

/** The rows a stopped write left waiting at the end of a table in `placing` order, as `dateOrderIn` takes them. */
function stoppedWriteIn(
  days: readonly string[],
  placing: DateOrder,
): { order: DateOrder; inOrder: number } | null {
  const mayPrecede = precedes(placing);
  let inOrder = 0;
  for (let lastDay = ''; inOrder < days.length; inOrder++) {
    const day = days[inOrder];
    if (day === '') continue;
    if (lastDay !== '' && !mayPrecede(lastDay, day)) break;
    lastDay = day;
  }
  const waiting = days.slice(inOrder);
  const waitingInOrder = waiting.every(
    (day, at) => day !== '' && (at === 0 || mayPrecede(waiting[at - 1], day)),
  );
  return waitingInOrder ? { order: placing, inOrder } : null;
}

/** Whether a day may stand above another in a table of that order. */
const precedes = (order: DateOrder) => (a: string, b: string) => (order === 'oldest first' ? a <= b : a >= b);

/**
 * The moves that put a table's rows in `order`: its rows past the first `inOrder` (a stopped
 * write's), then `appended`, the days of rows written after the table, both already in order.
 */
function movesIntoOrder(
  days: readonly string[],
  { order, inOrder }: { order: DateOrder; inOrder: number },
  appended: readonly string[],
): Array<{ from: number; count: number; to: number }> {
  const settling = placementMoves(days.slice(0, inOrder), days.slice(inOrder), order);
  let settled = days;
  for (const { from, count, to } of settling)
    settled = [
      ...settled.slice(0, to),
      ...settled.slice(from, from + count),
      ...settled.slice(to, from),
      ...settled.slice(from + count),
    ];
  return [...settling, ...placementMoves(settled, appended, order)];
}

/**
 * The moves (offsets from the table's first row; `to` counted before the rows leave, as
 * `Sheet.moveRows` counts it) that put rows appended below a table in date order where they
 * belong: each group of them that goes above the same row of the table, in one move. `kept` are
 * the table's days before the appended rows, `appended` theirs, both in `order`. Rows that belong
 * after the last day stay where they were written; a row without a day keeps the rows around it.
 * One pass over both: each group goes lower than the one before, under every row moved already.
 */
function placementMoves(
  kept: readonly string[],
  appended: readonly string[],
  order: DateOrder,
): Array<{ from: number; count: number; to: number }> {
  const mayPrecede = precedes(order);
  const moves: Array<{ from: number; count: number; to: number }> = [];
  let above = 0;
  let moved = 0;
  for (let next = 0; next < appended.length;) {
    while (above < kept.length && (kept[above] === '' || mayPrecede(kept[above], appended[next]))) above++;
    if (above === kept.length) break;
    let count = 1;
    while (next + count < appended.length && !mayPrecede(kept[above], appended[next + count])) count++;
    moves.push({ from: kept.length + moved, count, to: above + moved });
    moved += count;
    next += count;
  }
  return moves;
}

/**
 * A blank-headed column inside the table is either one a stopped run inserted (empty: the
 * reshape deletes it) or the user's, whose cells no rebuild or reshape may take.
 */
function refuseUnlabelledColumnsWithData(sheet: Sheet, header: string[], tableEnd: number): void {
  if (tableEnd < 2) return;
  header.forEach((label, index) => {
    if (label !== '') return;
    const values = sheet.getRange(2, index + 1, tableEnd - 1, 1).getValues();
    if (values.some(([value]) => value !== '' && value !== null))
      throw new ReportWriteError(
        `Column ${columnLetters(index + 1)} of the tab “${sheet.getName()}” sits inside the report's table without a header. ` +
          'Move what it holds out of the table (below it, or right of its last column), or delete the column, then run the report again. Nothing was written.',
      );
  });
}

/** The first row from `fromRow` to `toRow` with a cell in the first `columns` columns; `toRow + 1` when none has. */
function firstRowHolding(sheet: Sheet, fromRow: number, toRow: number, columns: number): number {
  if (toRow < fromRow) return toRow + 1;
  const rows = sheet.getRange(fromRow, 1, toRow - fromRow + 1, columns).getValues();
  const at = rows.findIndex((row) => row.some((value) => value !== '' && value !== null));
  return at < 0 ? toRow + 1 : fromRow + at;
}

/** Whether the block of rows and columns (1-based, ends included) holds any cell. */
function holdsCells(
  sheet: Sheet,
  [firstRow, lastRow]: [number, number],
  [firstColumn, lastColumn]: [number, number],
): boolean {
  const endColumn = Math.min(lastColumn, sheet.getLastColumn());
  if (endColumn < firstColumn || lastRow < firstRow) return false;
  return sheet
    .getRange(firstRow, firstColumn, lastRow - firstRow + 1, endColumn - firstColumn + 1)
    .getValues()
    .some((row) => row.some((value) => value !== '' && value !== null));
}

/** A column's letters as Sheets shows them: 1 is A, 27 is AA. */
function columnLetters(column: number): string {
  let letters = '';
  for (let rest = column; rest > 0; rest = Math.floor((rest - 1) / 26))
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}

interface TableRow {
  at: number;
  key: string;
  cells: Cell[];
  /** The row's last day, where rows cover periods (`TableWrite.periodEnd`). */
  lastDay?: string;
  /** The row's key is not one the report writes (an ID with a space: a user's note): never removed. */
  userWritten?: boolean;
}

/** The key's date position: the one key column of type date, if any. */
const datePosition = (columns: FieldSpec[], keyIndexes: number[]) =>
  keyIndexes.findIndex((index) => columns[index].type === 'date');

/**
 * Whether a row of the tab shares days with an incoming row of the same key but for its first
 * day: the incoming rows' periods, by the rest of their key.
 */
function overlapsIncoming(
  rows: Cell[][],
  keyIndexes: number[],
  columns: FieldSpec[],
  endIndex: number,
): (row: TableRow) => boolean {
  const position = datePosition(columns, keyIndexes);
  const restOf = (keyCells: Cell[]) => joinKey(keyCells.filter((_, at) => at !== position));
  const periods = new Map<string, Array<[string, string]>>();
  for (const row of rows) {
    const rest = restOf(keyIndexes.map((index) => row[index]));
    const period: [string, string] = [String(row[keyIndexes[position]]), String(row[endIndex])];
    const known = periods.get(rest);
    if (known) known.push(period);
    else periods.set(rest, [period]);
  }
  return (row) => {
    const first = String(row.cells[position]);
    const last = row.lastDay ?? first;
    return (periods.get(restOf(row.cells)) ?? []).some(([start, end]) => start <= last && end >= first);
  };
}

/** The first and last day (YYYY-MM-DD) the incoming rows cover, if the key has a date. */
interface DatesTouched {
  position: number;
  first: string;
  last: string;
}

function datesTouched(
  rows: Cell[][],
  columns: FieldSpec[],
  keyIndexes: number[],
  endIndex: number,
): DatesTouched | null {
  const position = datePosition(columns, keyIndexes);
  if (position < 0) return null;
  let first = '';
  let last = '';
  for (const row of rows) {
    const day = String(row[keyIndexes[position]]);
    const lastDay = endIndex >= 0 ? String(row[endIndex]) : day;
    if (first === '' || day < first) first = day;
    if (lastDay > last) last = lastDay;
  }
  return { position, first, last };
}

interface KeyColumn {
  index: number;
  type: FieldSpec['type'];
}

interface TableKeys {
  /** Rows whose whole key was read: every row of the table, or those dated within the days touched. */
  rows: TableRow[];
  /** Rows of the table (a valid first key cell, or date where the key has one). */
  count: number;
  /** The table's last row (1, the header, when it has none). */
  lastAt: number;
  /** Rows of the table read whose leading key cell is there but another is not. */
  unkeyed?: number[];
  /** The earliest day of the table, when its leading key cells are days. */
  firstDay?: string | null;
  /** Each table row's day, top to bottom ('' for a row without one), when its leading key cells are days. */
  days?: () => string[];
}

/**
 * The rows of the tab that carry a complete key, read from the key columns alone (and the
 * column of each row's last day, `endIndex`, where rows cover periods). When the incoming rows
 * span a few days of a date-keyed table, the date column is read whole (a user may have sorted
 * the tab any way) and the other key columns only across the rows of those days: a daily
 * re-run of a long history reads one column, not all of its key.
 */
function readKeys(
  sheet: Sheet,
  keyColumns: KeyColumn[],
  lastRow: number,
  touched: DatesTouched | null,
  endIndex = -1,
  dayOf?: (date: Date) => string,
): TableKeys {
  if (lastRow < 2) return { rows: [], count: 0, lastAt: 1 };
  // A column of days holds few distinct ones: each is worked out once.
  const days = new Map<number, string>();
  const dayOfDate =
    dayOf &&
    ((date: Date) => {
      let day = days.get(date.getTime());
      // A day reads back as its midnight in the spreadsheet's zone, or an hour off it where the
      // zone skips midnight (which, is not documented): its noon names it either way.
      if (day === undefined) days.set(date.getTime(), (day = dayOf(new Date(date.getTime() + DAY_MS / 2))));
      return day;
    });
  const readColumn = ({ index, type }: KeyColumn, fromRow: number, toRow: number) => {
    const range = sheet.getRange(fromRow, index + 1, toRow - fromRow + 1, 1);
    // A day is read as its value, not its text: the user may show it in any date format. Times
    // keep the writer's format, whose text is the time itself.
    const values = type === 'datetime' ? range.getDisplayValues() : range.getValues();
    return values.map(([value]) => fromSheetValue(value, type, dayOfDate));
  };
  const isValid = (cell: Cell, position: number) => isKeyValue(cell, keyColumns[position].type);
  const leading = touched?.position ?? 0;
  const leadingColumn = readColumn(keyColumns[leading], 2, lastRow);
  // Where rows cover periods, a row starting before the days touched may reach into them.
  const lastDays =
    endIndex >= 0
      ? readColumn({ index: endIndex, type: 'date' }, 2, lastRow).map((cell) =>
          isKeyValue(cell, 'date') ? String(cell) : null,
        )
      : null;
  const wanted = (cell: Cell, offset: number) =>
    !touched || (String(cell) <= touched.last && (lastDays?.[offset] ?? String(cell)) >= touched.first);
  const written = (cell: Cell, position: number) => isWrittenKey(cell, keyColumns[position].type);
  let count = 0;
  let lastAt = 1;
  let firstWanted = Infinity;
  let lastWanted = -Infinity;
  let firstDay: string | null = null;
  leadingColumn.forEach((cell, offset) => {
    if (!isValid(cell, leading)) return;
    count++;
    if (touched && (firstDay === null || String(cell) < firstDay)) firstDay = String(cell);
    lastAt = offset + 2;
    if (wanted(cell, offset)) {
      firstWanted = Math.min(firstWanted, offset + 2);
      lastWanted = offset + 2;
    }
  });
  // The table's last row is the last keyed as the report writes keys: a note the user dated
  // below it (“2026-10-01 | Budget approved”) has a date but no ID, and new rows go above it.
  const keyCells =
    lastWanted < 0
      ? null
      : keyColumns.map((_, position) =>
          position === leading
            ? leadingColumn.slice(firstWanted - 2, lastWanted - 1)
            : readColumn(keyColumns[position], firstWanted, lastWanted),
        );
  const tailFrom = Math.max(2, lastAt - TAIL_ROWS_CHECKED + 1);
  if (lastAt >= 2) {
    // A re-run's days are mostly the table's last ones: their key cells are read already.
    const readAlready = keyCells !== null && firstWanted <= tailFrom && lastAt <= lastWanted;
    const tail = keyColumns.map((column, position) =>
      position === leading
        ? leadingColumn.slice(tailFrom - 2, lastAt - 1)
        : readAlready
          ? keyCells[position].slice(tailFrom - firstWanted, lastAt - firstWanted + 1)
          : readColumn(column, tailFrom, lastAt),
    );
    for (let offset = lastAt - tailFrom; offset >= 0; offset--) {
      if (tail.every((column, position) => written(column[offset], position))) {
        lastAt = tailFrom + offset;
        break;
      }
    }
  }
  // A report's row whose leading key cell the user cleared (its day, where runs read a few days)
  // still holds the other keys of a row the run reads (the same campaign on another day); a row
  // the user inserted blank, or a note (“Total” under Campaign ID), does not. Such rows are
  // looked for inside the table and, for its last row cleared, right under it. Only those a run
  // could write again are named; a key of one column cannot tell them apart.
  const unkeyed: number[] = [];
  if (keyCells !== null && keyColumns.length > 1) {
    const isEmpty = (at: number) => leadingColumn[at - 2] === null || leadingColumn[at - 2] === '';
    const emptyLeading: number[] = [];
    for (let at = 2; at <= lastRow && (at <= lastAt || isEmpty(at)); at++)
      if (isEmpty(at)) emptyLeading.push(at);
    if (emptyLeading.length > 0) {
      const [from, to] = [emptyLeading[0], emptyLeading[emptyLeading.length - 1]];
      const others = keyColumns.map((column, position) => {
        if (position === leading) return null;
        const keysRead = new Set(keyCells[position].map(String));
        return readColumn(column, from, to).map(
          (cell) => written(cell, position) && keysRead.has(String(cell)),
        );
      });
      for (const at of emptyLeading) {
        if (others.every((column) => !column || column[at - from])) unkeyed.push(at);
        else if (at > lastAt) break;
      }
    }
  }
  // Worked out only for a write that adds rows (which it may move into the table's date order).
  const tableDays =
    keyColumns[leading].type === 'date'
      ? () => leadingColumn.slice(0, lastAt - 1).map((cell) => (isValid(cell, leading) ? String(cell) : ''))
      : undefined;
  if (keyCells === null) return { rows: [], count, lastAt, unkeyed, firstDay, days: tableDays };
  const rows: TableRow[] = [];
  for (let offset = 0; offset <= lastWanted - firstWanted; offset++) {
    const cells = keyCells.map((column) => column[offset]);
    const at = firstWanted + offset;
    if (!isValid(cells[leading], leading) || !wanted(cells[leading], at - 2)) continue;
    if (!cells.every(isValid)) {
      // A row of the report's with a key cell cleared, not a note of the user's.
      const cleared = cells.every((cell, position) => cell === null || written(cell, position));
      if (cleared && written(cells[leading], leading)) unkeyed.push(at);
      continue;
    }
    const lastDay = lastDays?.[at - 2];
    rows.push({
      at,
      key: joinKey(cells),
      cells,
      ...(lastDay ? { lastDay } : {}),
      ...(cells.every(written) ? {} : { userWritten: true }),
    });
  }
  return { rows, count, lastAt, unkeyed: unkeyed.sort((a, b) => a - b), firstDay, days: tableDays };
}

/**
 * Rows checked, up from the last keyed row, for the table's last row: a block of the user's
 * dated notes below the table longer than this is taken as the table's.
 */
const TAIL_ROWS_CHECKED = 100;

/**
 * A key cell as the report writes it: a day, or an ID, which never holds a space. A user's note
 * (“Budget approved”) in an ID column is not one; it may still match a key (so a row is never
 * added twice), but is never removed.
 */
function isWrittenKey(cell: Cell, type: FieldSpec['type']): boolean {
  return isKeyValue(cell, type) && (type === 'date' || type === 'datetime' || !/\s/.test(String(cell)));
}

/** A key cell the report could have written: a user's "Total" under a date column is not one. */
function isKeyValue(cell: Cell, type: FieldSpec['type']): boolean {
  if (cell === null || cell === '') return false;
  if (type === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(String(cell));
  if (type === 'datetime') return /^\d{4}-\d{2}-\d{2}T/.test(String(cell));
  return true;
}

/** One text per key, from its cells in key order: how rows of the tab and incoming rows are matched. */
const joinKey = (keyCells: Cell[]) => keyCells.map((cell) => String(cell ?? '')).join(SEPARATOR);

const keyRecord = (cells: Cell[], keyFields: string[]): Record<string, Cell> =>
  Object.fromEntries(keyFields.map((field, position) => [field, cells[position]]));

/** Sorted row numbers grouped into runs of neighbours: [first row, the rows]. */
function runsOf(rowNumbers: number[]): Array<[number, number[]]> {
  const sorted = [...rowNumbers].sort((a, b) => a - b);
  const runs: Array<[number, number[]]> = [];
  for (const at of sorted) {
    const last = runs[runs.length - 1];
    if (last && last[1][last[1].length - 1] + 1 === at) last[1].push(at);
    else runs.push([at, [at]]);
  }
  return runs;
}

/**
 * The last row of the report's table under its old header: where the column holding the new
 * table's leading key last has one. Rows below are the user's and stay. The column is found by
 * its label; a date key may have been labelled otherwise (“Date” per day, “Month start” per
 * month), and a dated table leads with its date. Without that column, every row counts as the table's.
 */
function oldTableLastRow(sheet: Sheet, oldHeader: string[], leadingKey: FieldSpec, lastRow: number): number {
  const labelled = oldHeader.indexOf(leadingKey.label);
  const dated = leadingKey.type === 'date' || leadingKey.type === 'datetime';
  const index = labelled >= 0 ? labelled : dated ? 0 : -1;
  return index < 0 ? lastRow : readKeys(sheet, [{ index, type: leadingKey.type }], lastRow, null).lastAt;
}
