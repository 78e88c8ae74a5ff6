import type { FieldType } from '../catalog/types';
import type { Cell } from '../rows';
import { DAY_MS } from '../dates';

/** Sheets counts days from 1899-12-30: a serial number with a date format is a date in any time zone. */
const SHEETS_EPOCH_MS = Date.UTC(1899, 11, 30);

export const NUMBER_FORMATS: Record<FieldType, string> = {
  text: '@',
  id: '@',
  integer: '#,##0',
  decimal: '#,##0.00',
  money: '#,##0.00',
  ratio: '0.00%',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm:ss',
  boolean: 'General',
};

/**
 * Text from LinkedIn that Sheets would read as a formula must stay text. Text columns
 * are formatted as plain text (@), which Sheets stores literally; anywhere else a
 * leading apostrophe does the same.
 */
const FORMULA_START = /^[=+\-@]/;

/** Sheets refuses a cell over 50,000 characters, failing the whole write. */
const CELL_CHARACTER_LIMIT = 50_000;
const CUT_MARKER = '… [cut at 50,000 characters]';

/** A text too long for a cell keeps its start and says, at its end, that the rest was cut. */
function fitCell(text: string): string {
  return text.length > CELL_CHARACTER_LIMIT
    ? text.slice(0, CELL_CHARACTER_LIMIT - CUT_MARKER.length) + CUT_MARKER
    : text;
}

export function toSheetValue(cell: Cell, type: FieldType): string | number | boolean {
  if (cell === null) return '';
  if (type === 'date' && typeof cell === 'string')
    return (Date.parse(`${cell}T00:00:00Z`) - SHEETS_EPOCH_MS) / DAY_MS;
  if (type === 'datetime' && typeof cell === 'string') return (Date.parse(cell) - SHEETS_EPOCH_MS) / DAY_MS;
  if (typeof cell === 'string' && NUMBER_FORMATS[type] !== '@' && FORMULA_START.test(cell))
    return fitCell(`'${cell}`);
  return typeof cell === 'string' ? fitCell(cell) : cell;
}

/**
 * What a cell read back from the sheet means, in the core's terms, for comparing keys. A Date
 * of a date column is its midnight in the spreadsheet's zone: `dayOf` names its day there.
 */
export function fromSheetValue(value: unknown, type: FieldType, dayOf?: (date: Date) => string): Cell {
  if (value === '' || value === null || value === undefined) return null;
  const isDate = Object.prototype.toString.call(value) === '[object Date]';
  if (type === 'date' && isDate && dayOf) return dayOf(value as Date);
  if (type === 'date' || type === 'datetime') {
    const epochMs = isDate
      ? (value as Date).getTime()
      : typeof value === 'number'
        ? SHEETS_EPOCH_MS + value * DAY_MS
        : Date.parse(
            `${String(value).replace(' ', 'T')}${/\d{2}:\d{2}/.test(String(value)) ? 'Z' : 'T00:00:00Z'}`,
          );
    if (Number.isNaN(epochMs)) return String(value);
    const iso = new Date(Math.round(epochMs / 1000) * 1000).toISOString();
    return type === 'date' ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  if (type === 'id' || type === 'text') return String(value);
  return value as Cell;
}
