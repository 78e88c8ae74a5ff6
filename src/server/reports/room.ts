import { analyticsRowsAtMost } from '../connectors/ads';
import { analyticsColumns } from '../connectors/ads-analytics';
import type { LinkedInClient } from '../linkedin/client';
import { tabNamed } from '../sheets/tab-owner';
import { SPREADSHEET_CELL_LIMIT } from '../sheets/writer';
import { NEW_SPREADSHEET } from './destination';
import { analyticsQuery, type ReportConfig } from './config';
import { rememberLookup, type RunCache } from './lookup-memo';

export type Spreadsheet = Pick<
  GoogleAppsScript.Spreadsheet.Spreadsheet,
  'getSheetByName' | 'insertSheet' | 'getSheets' | 'getSpreadsheetTimeZone'
>;

/** Cells the spreadsheet holds: Sheets counts every cell of every tab's grid, empty or not. */
export function spreadsheetCells(spreadsheet: Spreadsheet): number {
  return spreadsheet
    .getSheets()
    .reduce((total, sheet) => total + sheet.getMaxRows() * sheet.getMaxColumns(), 0);
}

/**
 * Cells a report's table may take: all but what the other tabs hold. Its own tab counts as room,
 * since rows already there are updated in place; the writer still refuses a write that would pass the limit.
 */
export function roomFor(spreadsheet: Spreadsheet, sheetName: string): number {
  const own = tabNamed(spreadsheet, sheetName);
  const ownCells = own ? own.getMaxRows() * own.getMaxColumns() : 0;
  return SPREADSHEET_CELL_LIMIT - spreadsheetCells(spreadsheet) + ownCells;
}

/**
 * Why rows of this width cannot fit in the room, with the numbers and what to change; null when
 * they fit. `judged` says whether the rows are a bound ("at most") or an estimate. One sentence:
 * the sidebar shows it whole beside the metrics, the first thing to change (a sentence opening
 * with "This" would be read as going on from the one before).
 */
export function cannotFit(
  rows: number,
  width: number,
  room: number,
  judged: 'at most' | 'about',
): string | null {
  if (rows * width <= room) return null;
  const format = (count: number) => count.toLocaleString('en-US');
  return (
    `The report ${judged === 'at most' ? 'could need up to' : 'needs about'} ${format(rows)} rows of ${format(width)} columns (${format(rows * width)} cells), ` +
    `but the spreadsheet it writes to has room for ${format(Math.max(0, room))} more (Google Sheets holds 10,000,000): ` +
    `choose fewer metrics, monthly rows, fewer accounts or a shorter range, or build it in ${NEW_SPREADSHEET}.`
  );
}

/**
 * Whether an Ads analytics report, as saved, could outgrow the spreadsheet, judged from the
 * lookups of its first run (its pivot's entities, and the campaigns when the creatives alone
 * cannot tell): no analytics request. Null for a report that fits or that nothing bounds.
 * The lookup is kept in `cache` for the report's first run to plan its opening windows from.
 */
export function savedReportCannotFit(
  client: LinkedInClient,
  room: number,
  config: ReportConfig,
  dates: { startDate: string; endDate: string },
  cache: RunCache,
): string | null {
  const query = analyticsQuery(config, dates);
  const width = analyticsColumns(query).length;
  const judged = analyticsRowsAtMost(client, query, (bound) => bound * width <= room);
  if (!judged) return null;
  rememberLookup(cache, config.id, query, judged.activity);
  return cannotFit(judged.rows, width, room, 'at most');
}
