import type { Execution } from './execution';
import { zoneOffsetMs } from './time-zone';

/** Google Sheets' limit for one spreadsheet. */
export const SPREADSHEET_CELL_LIMIT = 10_000_000;
const NEW_SHEET_ROWS = 1000;
const NEW_SHEET_COLUMNS = 26;
/**
 * What a change to the grid costs in time (our estimate: Sheets writes on the order of
 * 50,000 cells a second through Apps Script); it lets a run be stopped inside a write.
 */
const WRITE_BASE_MS = 20;
const WRITE_MS_PER_CELL = 0.02;

export type CellValue = string | number | boolean | Date;

export interface SheetData {
  id: number;
  name: string;
  maxRows: number;
  maxColumns: number;
  frozenRows: number;
  values: CellValue[][];
  formulas: Record<string, string>;
  /** Per cell, row by row like values; undefined is Sheets' General format. */
  numberFormats: Array<Array<string | undefined>>;
  /** Developer metadata on the tab: it stays with the tab when the tab is renamed or cleared. */
  developerMetadata?: Array<{ key: string; value: string | null }>;
}

export interface SpreadsheetData {
  id: string;
  name: string;
  timeZone: string;
  nextSheetId: number;
  activeSheetId: number;
  /** How many times a script made a sheet the active one (even the one already active): what the preview's grid follows. */
  activations: number;
  sheets: SheetData[];
  /** Cells scripts have read and written, for the benchmark: what a run costs Sheets. */
  usage: { cellsRead: number; cellsWritten: number };
  /** Who Drive lets open it; every user of the world when absent. */
  sharedWith?: string[];
  /** Who may open it but not change it (view-only sharing). */
  viewers?: string[];
  /** Spreadsheet-level developer metadata: key-value pairs any script that opens it can read. */
  developerMetadata?: Array<{ key: string; value: string | null }>;
  /**
   * Whether duplicating a tab copies its developer metadata: not documented, so tests run both
   * readings. Copied by default, the reading that can mislead the add-on.
   */
  duplicatesKeepMetadata?: boolean;
}

/**
 * What a viewer's write throws: not on a page of Google's; a practitioner's report of a write to a
 * spreadsheet shared view-only (docs/platform-facts.md).
 */
export const VIEW_ONLY = 'You do not have permission to perform that action.';

/**
 * Characters of developer metadata (keys and values) the spreadsheet's top level may hold, and
 * each tab apart: Sheets API guide "Read, write, and search metadata", "Metadata storage limits".
 */
export const METADATA_CHARACTERS = 30_000;

type MetadataEntry = { key: string; value: string | null };

/** Refuses metadata past Sheets' limit. What Sheets throws then is not documented: our wording. */
function checkMetadataRoom(entries: MetadataEntry[], changed: MetadataEntry, next: MetadataEntry): void {
  const size = (entry: MetadataEntry) => entry.key.length + (entry.value?.length ?? 0);
  const total = entries.reduce((sum, entry) => sum + size(entry === changed ? next : entry), 0);
  if (total + (entries.includes(changed) ? 0 : size(next)) > METADATA_CHARACTERS)
    throw new Error(`Developer metadata is limited to ${METADATA_CHARACTERS} characters.`);
}

/**
 * Sheets keeps tab names unique whatever their case: "Campaigns" cannot be added beside
 * "campaigns", from the UI or the API (practitioners, docs/platform-facts.md). How it folds
 * case beyond ASCII is not documented: lower case here.
 */
const sameTabName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Whether `getSheetByName` finds a tab only under its exact name, as most practitioners' notes
 * say, or under any case, as one says: not documented, so tests run both.
 */
export type SheetNameLookup = 'exact' | 'any-case';

export function newSpreadsheetData(id: string, name: string, timeZone: string): SpreadsheetData {
  return {
    id,
    name,
    timeZone,
    nextSheetId: 1,
    activeSheetId: 0,
    activations: 0,
    sheets: [newSheetData(0, 'Sheet1')],
    usage: { cellsRead: 0, cellsWritten: 0 },
  };
}

function newSheetData(id: number, name: string): SheetData {
  return {
    id,
    name,
    maxRows: NEW_SHEET_ROWS,
    maxColumns: NEW_SHEET_COLUMNS,
    frozenRows: 0,
    values: [],
    formulas: {},
    numberFormats: [],
  };
}

/** JSON keeps dates as {"$date": ms} so a saved preview loads back with real dates. */
export function serializeSpreadsheet(data: SpreadsheetData): unknown {
  return {
    ...data,
    sheets: data.sheets.map((sheet) => ({
      ...sheet,
      values: sheet.values.map((row) =>
        row.map((cell) => (cell instanceof Date ? { $date: cell.getTime() } : cell)),
      ),
    })),
  };
}

export function deserializeSpreadsheet(json: unknown): SpreadsheetData {
  const data = json as SpreadsheetData;
  data.usage ??= { cellsRead: 0, cellsWritten: 0 };
  data.activations ??= 0;
  for (const sheet of data.sheets) {
    sheet.values = sheet.values.map((row) =>
      (row ?? []).map((cell) => {
        const maybeDate = cell as unknown as { $date?: number };
        return maybeDate && typeof maybeDate === 'object' && '$date' in maybeDate
          ? new Date(maybeDate.$date!)
          : cell;
      }),
    );
  }
  return data;
}

const cellKey = (row: number, column: number) => `${row},${column}`;
/** The parts of a cellKey. */
const ROW = 0;
const COLUMN = 1;

function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

function columnNumber(letters: string): number {
  return [...letters.toUpperCase()].reduce((total, letter) => total * 26 + letter.charCodeAt(0) - 64, 0);
}

/** Parses "A1", "B2:D10" or "A:C" into 1-based coordinates. */
export function parseA1(
  a1: string,
  maxRows: number,
): { row: number; column: number; numRows: number; numColumns: number } {
  const match = /^([A-Za-z]+)(\d*)(?::([A-Za-z]+)(\d*))?$/.exec(a1.replace(/^.*!/, '').replace(/\$/g, ''));
  if (!match) throw new Error('Range not found');
  const [, startColumn, startRow, endColumn, endRow] = match;
  const row = startRow ? Number(startRow) : 1;
  const column = columnNumber(startColumn);
  const lastColumn = endColumn ? columnNumber(endColumn) : column;
  const lastRow = endColumn ? (endRow ? Number(endRow) : maxRows) : row;
  return { row, column, numRows: lastRow - row + 1, numColumns: lastColumn - column + 1 };
}

const NUMBER_PATTERN = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * What Sheets stores for a value written with setValues: like a user typing it, text that
 * looks like a number or a date becomes one, "=…" (and "+…"/"-…" that is not a number)
 * becomes a formula, and a leading apostrophe forces text.
 */
export function interpretInput(
  value: unknown,
  numberFormat: string | undefined,
): { value: CellValue; formula?: string } {
  if (value === null || value === undefined) return { value: '' };
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') {
    return { value: new Date((value as Date).getTime()) };
  }
  if (typeof value === 'number' || typeof value === 'boolean') return { value };
  const text = String(value);
  if (numberFormat === '@') return { value: text };
  if (text.startsWith("'")) return { value: text.slice(1) };
  if (NUMBER_PATTERN.test(text.trim())) return { value: Number(text) };
  const date = ISO_DATE_PATTERN.exec(text);
  if (date) return { value: new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]))) };
  if (/^[=+-]/.test(text) && text.length > 1)
    return { value: '#ERROR!', formula: text.startsWith('=') ? text : `=${text}` };
  return { value: text };
}

const SHEETS_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

const isDateFormat = (format: string | undefined) => !!format && /y|d/.test(format) && !/[#0]/.test(format);

function serialToZonedDate(serial: number, timeZone: string): Date {
  const wallClockMs = SHEETS_EPOCH_MS + serial * DAY_MS;
  // The offset in force at the instant, not at the wall-clock time read as UTC: they differ on a day the clocks change.
  const guess = wallClockMs - zoneOffsetMs(timeZone, wallClockMs);
  return new Date(wallClockMs - zoneOffsetMs(timeZone, guess));
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DATE_TOKEN = /"[^"]*"|\\.|y+|m+|d+|h+|s+|AM\/PM|./gi;

/**
 * A wall-clock time (read in UTC) under a Sheets date-time format, as the Sheets API's "Date
 * and time format patterns" list the tokens: d dd ddd dddd, m mm mmm mmmm mmmmm (minutes after
 * an hour or before seconds), yy yyyy, h hh, s ss, AM/PM, quoted text and \-escaped characters.
 */
function formatWallClock(date: Date, format: string): string {
  const tokens = format.match(DATE_TOKEN) ?? [];
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  const twelveHour = tokens.some((token) => token.toUpperCase() === 'AM/PM');
  return tokens
    .map((token, at) => {
      const lower = token.toLowerCase();
      const previous = tokens
        .slice(0, at)
        .reverse()
        .find((other) => /^[a-z]/i.test(other))
        ?.toLowerCase();
      const next = tokens
        .slice(at + 1)
        .find((other) => /^[a-z]/i.test(other))
        ?.toLowerCase();
      if (token.startsWith('"')) return token.slice(1, -1);
      if (token.startsWith('\\')) return token.slice(1);
      if (lower === 'am/pm') return date.getUTCHours() < 12 ? 'AM' : 'PM';
      if (lower.startsWith('y'))
        return lower.length <= 2 ? pad(date.getUTCFullYear() % 100, 2) : String(date.getUTCFullYear());
      if (lower.startsWith('d')) {
        if (lower.length >= 4) return WEEKDAY_NAMES[date.getUTCDay()];
        if (lower.length === 3) return WEEKDAY_NAMES[date.getUTCDay()].slice(0, 3);
        return pad(date.getUTCDate(), lower.length);
      }
      if (lower.startsWith('h')) {
        const hours = twelveHour ? date.getUTCHours() % 12 || 12 : date.getUTCHours();
        return pad(hours, Math.min(lower.length, 2));
      }
      if (lower.startsWith('s')) return pad(date.getUTCSeconds(), Math.min(lower.length, 2));
      if (lower.startsWith('m')) {
        const minutes = lower.length <= 2 && (previous?.startsWith('h') || next?.startsWith('s'));
        if (minutes) return pad(date.getUTCMinutes(), lower.length);
        if (lower.length === 5) return MONTH_NAMES[date.getUTCMonth()][0];
        if (lower.length === 4) return MONTH_NAMES[date.getUTCMonth()];
        if (lower.length === 3) return MONTH_NAMES[date.getUTCMonth()].slice(0, 3);
        return pad(date.getUTCMonth() + 1, lower.length);
      }
      return token;
    })
    .join('');
}

/** The text Sheets shows for a value under a number format (the formats the add-on uses, and date formats a user may pick). */
function displayValue(value: CellValue | undefined, format: string | undefined, timeZone: string): string {
  if (value === undefined || value === '') return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  const wallClock =
    value instanceof Date
      ? value.getTime() + zoneOffsetMs(timeZone, value.getTime())
      : typeof value === 'number' && isDateFormat(format)
        ? SHEETS_EPOCH_MS + value * DAY_MS
        : null;
  if (wallClock !== null) {
    const rounded = new Date(Math.round(wallClock / 1000) * 1000);
    if (isDateFormat(format)) return formatWallClock(rounded, format!);
    // A date typed without a format shows as a day (Sheets gives it the locale's date format).
    return rounded.toISOString().slice(0, 10);
  }
  if (typeof value === 'number') {
    if (format === '0.00%') return `${(value * 100).toFixed(2)}%`;
    if (format === '#,##0') return Math.round(value).toLocaleString('en-US');
    if (format === '#,##0.00')
      return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  return String(value);
}

/** Sheets holds at most 50,000 characters in a cell; setValues refuses a longer text. */
export const CELL_CHARACTER_LIMIT = 50_000;

/** How Apps Script names a value's type in "The parameters (…) don't match the method signature". */
function scriptTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    const inner = value.find((item) => !Array.isArray(item));
    return `${inner === undefined ? 'Object[]' : scriptTypeName(inner)}[]`;
  }
  if (typeof value === 'string') return 'String';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'Boolean';
  return 'Object';
}

type Range = GoogleAppsScript.Spreadsheet.Range;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export class SimRange {
  constructor(
    private readonly sheet: SimSheet,
    private readonly row: number,
    private readonly column: number,
    private readonly numRows: number,
    private readonly numColumns: number,
  ) {
    if (row < 1) throw new Error('The starting row of the range is too small.');
    if (column < 1) throw new Error('The starting column of the range is too small.');
    if (numRows < 1) throw new Error('The number of rows in the range must be at least 1.');
    if (numColumns < 1) throw new Error('The number of columns in the range must be at least 1.');
  }

  getRow(): number {
    return this.row;
  }
  getColumn(): number {
    return this.column;
  }
  getNumRows(): number {
    return this.numRows;
  }
  getNumColumns(): number {
    return this.numColumns;
  }
  getLastRow(): number {
    return this.row + this.numRows - 1;
  }
  getLastColumn(): number {
    return this.column + this.numColumns - 1;
  }
  getSheet(): Sheet {
    return this.sheet as unknown as Sheet;
  }
  getA1Notation(): string {
    const start = `${columnLetters(this.column)}${this.row}`;
    return this.numRows === 1 && this.numColumns === 1
      ? start
      : `${start}:${columnLetters(this.getLastColumn())}${this.getLastRow()}`;
  }

  private cells<T>(read: (row: number, column: number) => T, reading = true): T[][] {
    this.sheet.touch();
    if (reading) this.sheet.usage().cellsRead += this.numRows * this.numColumns;
    const rows: T[][] = [];
    for (let r = 0; r < this.numRows; r++) {
      const line: T[] = [];
      for (let c = 0; c < this.numColumns; c++) line.push(read(this.row + r, this.column + c));
      rows.push(line);
    }
    return rows;
  }

  getValues(): CellValue[][] {
    const timeZone = this.sheet.timeZone();
    return this.cells((row, column) => {
      const value = this.sheet.data.values[row - 1]?.[column - 1];
      if (value instanceof Date) return new Date(value.getTime());
      // A number under a date format reads back as a Date: midnight in the spreadsheet's time zone.
      if (typeof value === 'number' && isDateFormat(this.sheet.data.numberFormats[row - 1]?.[column - 1])) {
        return serialToZonedDate(value, timeZone);
      }
      return value ?? '';
    });
  }
  getDisplayValues(): string[][] {
    return this.cells((row, column) =>
      displayValue(
        this.sheet.data.values[row - 1]?.[column - 1],
        this.sheet.data.numberFormats[row - 1]?.[column - 1],
        this.sheet.timeZone(),
      ),
    );
  }
  getValue(): CellValue {
    return this.getValues()[0][0];
  }
  getFormulas(): string[][] {
    return this.cells((row, column) => this.sheet.data.formulas[cellKey(row, column)] ?? '');
  }
  getNumberFormats(): string[][] {
    return this.cells((row, column) => this.sheet.data.numberFormats[row - 1]?.[column - 1] ?? 'General');
  }
  getNumberFormat(): string {
    return this.getNumberFormats()[0][0];
  }

  setValues(values: unknown[][]): Range {
    if (!Array.isArray(values) || values.some((line) => !Array.isArray(line))) {
      throw new Error(
        `The parameters (${scriptTypeName(values)}) don't match the method signature for SpreadsheetApp.Range.setValues.`,
      );
    }
    if (
      values.some((line) =>
        line.some((input) => typeof input === 'string' && input.length > CELL_CHARACTER_LIMIT),
      )
    ) {
      throw new Error(
        `Your input contains more than the maximum of ${CELL_CHARACTER_LIMIT} characters in a single cell.`,
      );
    }
    if (values.length !== this.numRows) {
      throw new Error(
        `The number of rows in the data does not match the number of rows in the range. The data has ${values?.length ?? 0} but the range has ${this.numRows}.`,
      );
    }
    for (const line of values) {
      if (!Array.isArray(line) || line.length !== this.numColumns) {
        throw new Error(
          `The number of columns in the data does not match the number of columns in the range. The data has ${line?.length ?? 0} but the range has ${this.numColumns}.`,
        );
      }
    }
    this.sheet.write(this.numRows * this.numColumns, () => this.storeValues(values), 'setValues');
    return this as unknown as Range;
  }
  private storeValues(values: unknown[][]): void {
    this.sheet.ensureSize(this.getLastRow(), this.getLastColumn());
    const data = this.sheet.data;
    const anyFormulas = Object.keys(data.formulas).length > 0;
    values.forEach((line, r) => {
      const row = this.row + r;
      const stored = (data.values[row - 1] ??= []);
      const formats = data.numberFormats[row - 1];
      line.forEach((input, c) => {
        const column = this.column + c;
        const typed = interpretInput(input, formats?.[column - 1]);
        stored[column - 1] = typed.value;
        if (typed.formula) data.formulas[cellKey(row, column)] = typed.formula;
        else if (anyFormulas) delete data.formulas[cellKey(row, column)];
      });
    });
  }
  setValue(value: unknown): Range {
    return this.setValues([[value]]);
  }

  setNumberFormats(formats: string[][]): Range {
    this.sheet.write(this.numRows * this.numColumns, () => {
      this.sheet.ensureSize(this.getLastRow(), this.getLastColumn());
      formats.forEach((line, r) => {
        const stored = (this.sheet.data.numberFormats[this.row + r - 1] ??= []);
        line.forEach((format, c) => (stored[this.column + c - 1] = format));
      });
    });
    return this as unknown as Range;
  }
  setNumberFormat(format: string): Range {
    return this.setNumberFormats(
      Array.from({ length: this.numRows }, () => Array(this.numColumns).fill(format)),
    );
  }

  clearContent(): Range {
    this.sheet.write(this.numRows * this.numColumns, () =>
      this.cells((row, column) => {
        const line = this.sheet.data.values[row - 1];
        if (line) line[column - 1] = '';
        delete this.sheet.data.formulas[cellKey(row, column)];
      }, false),
    );
    return this as unknown as Range;
  }

  setFontWeight(_fontWeight: string | null): Range {
    // Not kept (nothing reads it back), but a call Apps Script may stop the run at.
    this.sheet.touch();
    return this as unknown as Range;
  }
}

export class SimSheet {
  constructor(
    readonly data: SheetData,
    private readonly spreadsheet: SimSpreadsheet,
  ) {}

  touch(): void {
    this.spreadsheet.execution.checkDeadline();
  }

  /** Sheet.addDeveloperMetadata(key, value): metadata on this tab. */
  addDeveloperMetadata(key: string, value?: string): Sheet {
    this.touch();
    this.spreadsheet.checkEditable();
    const entry = { key, value: value ?? null };
    checkMetadataRoom((this.data.developerMetadata ??= []), entry, entry);
    this.data.developerMetadata.push(entry);
    return this as unknown as Sheet;
  }
  getDeveloperMetadata(): SimDeveloperMetadata[] {
    this.touch();
    const entries = this.data.developerMetadata ?? [];
    return entries.map((entry) => new SimDeveloperMetadata(entry, entries, this.spreadsheet));
  }

  /**
   * A change to the grid takes time in Sheets, and Apps Script can stop the run while it
   * waits: before the change (nothing written) or after it (written, but the script
   * never hears back). Each call is applied whole, as one setValues is.
   */
  write(cells: number, apply: () => void, name = 'write'): void {
    const execution = this.spreadsheet.execution;
    execution.checkDeadline(`before ${name}`);
    this.spreadsheet.checkEditable();
    apply();
    this.usage().cellsWritten += cells;
    execution.clock.advance(WRITE_BASE_MS + cells * WRITE_MS_PER_CELL);
    execution.checkDeadline(`after ${name}`);
  }

  timeZone(): string {
    return this.spreadsheet.data.timeZone;
  }

  usage(): SpreadsheetData['usage'] {
    return this.spreadsheet.data.usage;
  }

  getSheetId(): number {
    return this.data.id;
  }
  getName(): string {
    return this.data.name;
  }
  /** Makes it the sheet the spreadsheet shows; the sheet itself is unchanged. */
  activate(): Sheet {
    this.spreadsheet.data.activeSheetId = this.data.id;
    this.spreadsheet.data.activations++;
    return this as unknown as Sheet;
  }
  setName(name: string): Sheet {
    this.spreadsheet.checkEditable();
    if (this.spreadsheet.data.sheets.some((other) => other !== this.data && sameTabName(other.name, name))) {
      throw new Error(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    this.data.name = name;
    return this as unknown as Sheet;
  }
  getParent(): GoogleAppsScript.Spreadsheet.Spreadsheet {
    return this.spreadsheet as unknown as GoogleAppsScript.Spreadsheet.Spreadsheet;
  }

  getRange(rowOrA1: number | string, column?: number, numRows = 1, numColumns = 1): Range {
    this.touch();
    if (typeof rowOrA1 === 'string') {
      const parsed = parseA1(rowOrA1, this.data.maxRows);
      return new SimRange(
        this,
        parsed.row,
        parsed.column,
        parsed.numRows,
        parsed.numColumns,
      ) as unknown as Range;
    }
    return new SimRange(this, rowOrA1, column ?? 1, numRows, numColumns) as unknown as Range;
  }

  getDataRange(): Range {
    return this.getRange(1, 1, Math.max(1, this.getLastRow()), Math.max(1, this.getLastColumn()));
  }

  getLastRow(): number {
    const values = this.data.values;
    for (let r = values.length - 1; r >= 0; r--)
      if (values[r]?.some((cell) => cell !== '' && cell !== undefined)) return r + 1;
    return 0;
  }

  getLastColumn(): number {
    let last = 0;
    for (const line of this.data.values) {
      if (!line) continue;
      for (let c = line.length - 1; c >= last; c--) {
        if (line[c] !== '' && line[c] !== undefined) {
          last = c + 1;
          break;
        }
      }
    }
    return last;
  }

  getMaxRows(): number {
    return this.data.maxRows;
  }
  getMaxColumns(): number {
    return this.data.maxColumns;
  }

  insertRowsAfter(afterPosition: number, howMany: number): Sheet {
    this.write(howMany * this.data.maxColumns, () => {
      this.spreadsheet.reserveCells(howMany * this.data.maxColumns);
      // Rows past the data need no storage; rows after the insertion point move down.
      for (const grid of [this.data.values, this.data.numberFormats] as unknown[][][]) {
        const moved = grid.splice(afterPosition);
        grid.length = afterPosition + (moved.length > 0 ? howMany : 0);
        for (const row of moved) grid.push(row);
      }
      this.moveFormulas(ROW, afterPosition + 1, howMany);
      this.data.maxRows += howMany;
    });
    return this as unknown as Sheet;
  }

  insertColumnsAfter(afterPosition: number, howMany: number): Sheet {
    return this.insertColumnsAt(afterPosition, howMany, 'insertColumnsAfter');
  }

  insertColumnsBefore(columnIndex: number, numColumns: number): Sheet {
    return this.insertColumnsAt(columnIndex - 1, numColumns, 'insertColumnsBefore');
  }

  /**
   * New blank columns after `position` (0: before the first), whole: every row's cells at and
   * right of the insertion move right with their formats, and the grid grows by as many columns.
   */
  private insertColumnsAt(position: number, howMany: number, name: string): Sheet {
    if (position < 0 || position > this.data.maxColumns || howMany < 1)
      throw new Error('Those columns are out of bounds.');
    this.write(
      howMany * this.data.maxRows,
      () => {
        this.spreadsheet.reserveCells(howMany * this.data.maxRows);
        for (const line of this.data.values)
          if (line && line.length > position) line.splice(position, 0, ...Array<CellValue>(howMany).fill(''));
        for (const line of this.data.numberFormats)
          if (line && line.length > position) line.splice(position, 0, ...Array<undefined>(howMany));
        this.moveFormulas(COLUMN, position + 1, howMany);
        this.data.maxColumns += howMany;
      },
      name,
    );
    return this as unknown as Sheet;
  }

  /**
   * Sheet.moveColumns: the columns the range spans go before column `destinationIndex`, counted
   * before they leave (as the Sheets API's moveDimension counts it); every row's cells move, formats
   * and formulas with them.
   */
  moveColumns(columnSpec: Range, destinationIndex: number): void {
    this.moveLines(
      COLUMN,
      columnSpec.getColumn(),
      columnSpec.getNumColumns(),
      destinationIndex,
      'moveColumns',
    );
  }

  /** Sheet.moveRows: as moveColumns, along rows; every column's cells move with their row. */
  moveRows(rowSpec: Range, destinationIndex: number): void {
    this.moveLines(ROW, rowSpec.getRow(), rowSpec.getNumRows(), destinationIndex, 'moveRows');
  }

  private moveLines(
    axis: typeof ROW | typeof COLUMN,
    first: number,
    count: number,
    destinationIndex: number,
    name: string,
  ): void {
    const [lines, across] =
      axis === ROW ? [this.data.maxRows, this.data.maxColumns] : [this.data.maxColumns, this.data.maxRows];
    if (destinationIndex < 1 || destinationIndex > lines + 1)
      throw new Error(`Those ${axis === ROW ? 'rows' : 'columns'} are out of bounds.`);
    // Into the lines that move: what Sheets does is not documented; the add-on never asks it.
    if (destinationIndex > first && destinationIndex <= first + count)
      throw new Error(`The destination is among the ${axis === ROW ? 'rows' : 'columns'} to move.`);
    const to = destinationIndex > first ? destinationIndex - 1 - count : destinationIndex - 1;
    const moving = Array.from({ length: count }, (_, offset) => first - 1 + offset);
    const staying = Array.from({ length: lines - count }, (_, index) =>
      index < first - 1 ? index : index + count,
    );
    const order = [...staying.slice(0, to), ...moving, ...staying.slice(to)];
    const from = new Map(order.map((old, now) => [old + 1, now + 1]));
    // Every line between where they were and where they go shifts too.
    const shifted = Math.abs(destinationIndex - first) + (destinationIndex > first ? 0 : count);
    this.write(
      across * shifted,
      () => {
        for (const grid of [this.data.values, this.data.numberFormats] as unknown[][][]) {
          if (axis === ROW) {
            const moved = order.map((old) => grid[old]);
            while (moved.length > 0 && moved[moved.length - 1] === undefined) moved.pop();
            grid.length = 0;
            moved.forEach((line, row) => {
              if (line) grid[row] = line;
            });
          } else
            grid.forEach((line, row) => {
              if (line) grid[row] = order.map((old) => line[old]);
            });
        }
        const moved: Record<string, string> = {};
        for (const [key, formula] of Object.entries(this.data.formulas)) {
          const position = key.split(',').map(Number);
          position[axis] = from.get(position[axis]) ?? position[axis];
          moved[cellKey(position[ROW], position[COLUMN])] = formula;
        }
        this.data.formulas = moved;
      },
      name,
    );
  }

  deleteColumns(columnPosition: number, howMany: number): void {
    if (columnPosition < 1 || columnPosition + howMany - 1 > this.data.maxColumns)
      throw new Error('Those columns are out of bounds.');
    this.write(howMany * this.data.maxRows, () => {
      for (const grid of [this.data.values, this.data.numberFormats] as unknown[][][])
        for (const line of grid) line?.splice(columnPosition - 1, howMany);
      this.moveFormulas(COLUMN, columnPosition, -howMany);
      this.data.maxColumns -= howMany;
    });
  }

  deleteRows(rowPosition: number, howMany: number): void {
    if (rowPosition < 1 || rowPosition + howMany - 1 > this.data.maxRows)
      throw new Error('Those rows are out of bounds.');
    this.write(howMany * this.data.maxColumns, () => {
      this.data.values.splice(rowPosition - 1, howMany);
      this.data.numberFormats.splice(rowPosition - 1, howMany);
      this.moveFormulas(ROW, rowPosition, -howMany);
      this.data.maxRows -= howMany;
    });
  }

  /**
   * Formulas are kept by position: they move with their cells as rows or columns come and go,
   * and go with deleted ones. Positions from `first` on (along `axis`) move by `shift`.
   */
  private moveFormulas(axis: typeof ROW | typeof COLUMN, first: number, shift: number): void {
    const moved: Record<string, string> = {};
    for (const [key, formula] of Object.entries(this.data.formulas)) {
      const position = key.split(',').map(Number);
      if (position[axis] >= first) {
        if (position[axis] < first - shift) continue;
        position[axis] += shift;
      }
      moved[cellKey(position[ROW], position[COLUMN])] = formula;
    }
    this.data.formulas = moved;
  }

  /**
   * Writing past the grid is refused with the text practitioners report (docs/platform-facts.md);
   * with `gridGrowsOnWrite` on, the reading no source supports: it grows the grid, within the
   * spreadsheet's cell limit.
   */
  ensureSize(lastRow: number, lastColumn: number): void {
    if (
      !this.spreadsheet.gridGrowsOnWrite &&
      (lastRow > this.data.maxRows || lastColumn > this.data.maxColumns)
    )
      throw new Error('The coordinates of the range are outside the dimensions of the sheet.');
    const rows = Math.max(this.data.maxRows, lastRow);
    const columns = Math.max(this.data.maxColumns, lastColumn);
    const added = rows * columns - this.data.maxRows * this.data.maxColumns;
    if (added > 0) this.spreadsheet.reserveCells(added);
    this.data.maxRows = rows;
    this.data.maxColumns = columns;
  }

  setFrozenRows(rows: number): void {
    this.touch();
    this.spreadsheet.checkEditable();
    this.data.frozenRows = rows;
  }
  getFrozenRows(): number {
    return this.data.frozenRows;
  }

  clear(): Sheet {
    this.write(this.data.maxRows * this.data.maxColumns, () => {
      this.data.values = [];
      this.data.formulas = {};
      this.data.numberFormats = [];
    });
    return this as unknown as Sheet;
  }

  appendRow(rowContents: unknown[]): Sheet {
    this.getRange(this.getLastRow() + 1, 1, 1, rowContents.length).setValues([rowContents]);
    return this as unknown as Sheet;
  }
}

/** DeveloperMetadata: its key, and its value, changed in place. */
export class SimDeveloperMetadata {
  constructor(
    private readonly entry: MetadataEntry,
    /** Every entry where this one is: the spreadsheet's top level, or its tab. */
    private readonly entries: MetadataEntry[],
    private readonly spreadsheet: SimSpreadsheet,
  ) {}
  getKey(): string {
    return this.entry.key;
  }
  getValue(): string | null {
    return this.entry.value;
  }
  setValue(value: string): SimDeveloperMetadata {
    this.spreadsheet.execution.checkDeadline('before metadata setValue');
    this.spreadsheet.checkEditable();
    checkMetadataRoom(this.entries, this.entry, { key: this.entry.key, value });
    this.entry.value = value;
    this.spreadsheet.execution.checkDeadline('after metadata setValue');
    return this;
  }
}

export class SimSpreadsheet {
  readonly toasts: string[] = [];

  constructor(
    readonly data: SpreadsheetData,
    readonly execution: Execution,
    readonly gridGrowsOnWrite = false,
    private readonly sheetNameLookup: SheetNameLookup = 'exact',
  ) {}

  private wrap(sheet: SheetData): Sheet {
    return new SimSheet(sheet, this) as unknown as Sheet;
  }

  /** Spreadsheet.addDeveloperMetadata(key, value): metadata at the spreadsheet's top level. */
  addDeveloperMetadata(key: string, value?: string): GoogleAppsScript.Spreadsheet.Spreadsheet {
    this.execution.checkDeadline();
    this.checkEditable();
    const entry = { key, value: value ?? null };
    checkMetadataRoom((this.data.developerMetadata ??= []), entry, entry);
    this.data.developerMetadata.push(entry);
    return this as unknown as GoogleAppsScript.Spreadsheet.Spreadsheet;
  }
  getDeveloperMetadata(): SimDeveloperMetadata[] {
    this.execution.checkDeadline();
    const entries = this.data.developerMetadata ?? [];
    return entries.map((entry) => new SimDeveloperMetadata(entry, entries, this));
  }

  /** A viewer's change to the spreadsheet throws. */
  checkEditable(): void {
    if (this.data.viewers?.includes(this.execution.user)) throw new Error(VIEW_ONLY);
  }

  cellCount(): number {
    return this.data.sheets.reduce((total, sheet) => total + sheet.maxRows * sheet.maxColumns, 0);
  }

  reserveCells(added: number): void {
    if (this.cellCount() + added > SPREADSHEET_CELL_LIMIT) {
      throw new Error(
        `This action would increase the number of cells in the workbook above the limit of ${SPREADSHEET_CELL_LIMIT} cells.`,
      );
    }
  }

  getId(): string {
    return this.data.id;
  }
  getName(): string {
    return this.data.name;
  }
  getUrl(): string {
    return `https://docs.google.com/spreadsheets/d/${this.data.id}/edit`;
  }
  getSpreadsheetTimeZone(): string {
    return this.data.timeZone;
  }
  getSheets(): Sheet[] {
    this.execution.checkDeadline();
    return this.data.sheets.map((sheet) => this.wrap(sheet));
  }
  getSheetByName(name: string): Sheet | null {
    const sheet = this.data.sheets.find((candidate) =>
      this.sheetNameLookup === 'exact' ? candidate.name === name : sameTabName(candidate.name, name),
    );
    return sheet ? this.wrap(sheet) : null;
  }
  getActiveSheet(): Sheet {
    return this.wrap(
      this.data.sheets.find((sheet) => sheet.id === this.data.activeSheetId) ?? this.data.sheets[0],
    );
  }
  setActiveSheet(sheet: Sheet): Sheet {
    this.data.activeSheetId = sheet.getSheetId();
    this.data.activations++;
    return sheet;
  }
  insertSheet(name?: string): Sheet {
    this.execution.checkDeadline();
    this.checkEditable();
    const id = this.data.nextSheetId++;
    const sheetName = name ?? `Sheet${this.data.sheets.length + 1}`;
    if (this.data.sheets.some((sheet) => sameTabName(sheet.name, sheetName))) {
      throw new Error(`A sheet with the name "${sheetName}" already exists. Please enter another name.`);
    }
    this.reserveCells(NEW_SHEET_ROWS * NEW_SHEET_COLUMNS);
    const sheet = newSheetData(id, sheetName);
    this.data.sheets.push(sheet);
    this.data.activeSheetId = id;
    this.data.activations++;
    return this.wrap(sheet);
  }
  /** Spreadsheet.duplicateActiveSheet(): a copy right after the active tab, named “Copy of …”, made active. */
  duplicateActiveSheet(): Sheet {
    this.execution.checkDeadline();
    this.checkEditable();
    const original = this.data.sheets.find((sheet) => sheet.id === this.data.activeSheetId)!;
    const copy: SheetData = {
      ...structuredClone(original),
      id: this.data.nextSheetId++,
      name: `Copy of ${original.name}`,
    };
    if (this.data.duplicatesKeepMetadata === false) delete copy.developerMetadata;
    this.reserveCells(copy.maxRows * copy.maxColumns);
    this.data.sheets.splice(this.data.sheets.indexOf(original) + 1, 0, copy);
    this.data.activeSheetId = copy.id;
    this.data.activations++;
    return this.wrap(copy);
  }
  /** Spreadsheet.moveActiveSheet(pos): the active tab moves to position `pos` (1-based) in the tab order. */
  moveActiveSheet(pos: number): void {
    this.checkEditable();
    const active = this.data.sheets.find((sheet) => sheet.id === this.data.activeSheetId)!;
    this.data.sheets.splice(this.data.sheets.indexOf(active), 1);
    this.data.sheets.splice(pos - 1, 0, active);
  }
  deleteSheet(sheet: Sheet): void {
    this.checkEditable();
    if (this.data.sheets.length === 1) throw new Error("You can't remove all the sheets in a document.");
    this.data.sheets = this.data.sheets.filter((candidate) => candidate.id !== sheet.getSheetId());
  }
  toast(message: string): void {
    this.toasts.push(message);
  }
}
