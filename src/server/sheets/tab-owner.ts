import { METADATA_CHARACTERS, metadataCharactersWith } from './metadata-room';

/**
 * Which report writes a tab, marked on the tab itself (developer metadata, which stays with the
 * tab when it is renamed or cleared). In another spreadsheet, reports saved in different
 * spreadsheets cannot see each other's lists, and the same columns make their tabs look alike,
 * so this mark is what keeps two of them off one tab. In any spreadsheet, it is how a report
 * finds its tab after the user renamed it.
 */
type Metadata = Pick<GoogleAppsScript.Spreadsheet.DeveloperMetadata, 'getKey' | 'getValue' | 'setValue'>;
export interface MarkableTab {
  getName(): string;
  getSheetId(): number;
  getDeveloperMetadata(): Metadata[];
  addDeveloperMetadata(key: string, value: string): unknown;
}

/**
 * The report that writes the tab, and the id of the spreadsheet it is saved in: `report@home`,
 * in one value, so a stop cannot leave one report's id beside another's home. A spreadsheet's
 * own reports are listed there, so a mark of one no longer listed is stale; a report saved in
 * another spreadsheet is never listed here, and its mark says so. Marks made before the home
 * was kept hold the report's id alone.
 */
const WRITTEN_BY = 'linkedin-data.report';
/**
 * The names the report wrote the tab under, newest last (JSON). A tab found under another name
 * was renamed by the user if it was once written under the name the report knows; every
 * store of the report (the spreadsheet's list, a user's schedule copy) may know a different
 * one of them, so none is dropped when the tab is renamed again. Saving the report to write
 * elsewhere empties it.
 */
const WRITTEN_AS = 'linkedin-data.tab-names';
const NAMES_KEPT = 10;
/**
 * The id of the tab the report marked. Whether Sheets' Duplicate copies a tab's developer
 * metadata is not documented; if it does, the copy carries the report's marks under another
 * id, and is never taken for the report's tab (a snapshot the user kept must stay as it is).
 */
const MARKED_TAB_ID = 'linkedin-data.tab-id';
/**
 * The headers the report's table in the tab may have (JSON, a list of label lists): the one it
 * last wrote, or while a change of its columns is under way, the headers before and after it.
 * Columns right of the table are the user's, even one headed like a column the report could
 * have (a “Leads” of the user's beside a report without leads), which the report's next change
 * of columns would otherwise take for its own and delete.
 */
const TABLE_HEADERS = 'linkedin-data.table-headers';
/**
 * The date order the table was in when a write began putting new rows at its end to move them
 * into place, until the moves are done: a stop between leaves rows out of order that the
 * table's days alone cannot tell from a table the user sorted some other way.
 */
const PLACING = 'linkedin-data.placing';

/** The orders a table may keep its days in, top to bottom. */
export const DATE_ORDERS = ['oldest first', 'newest first'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

const entryOf = (tab: MarkableTab, key: string) =>
  tab.getDeveloperMetadata().find((entry) => entry.getKey() === key);

function parseJson(value: string | null | undefined): unknown {
  try {
    return JSON.parse(value ?? '[]');
  } catch {
    return [];
  }
}

const parseNames = (value: string | null | undefined): string[] => {
  const names = parseJson(value);
  return Array.isArray(names) ? names.map(String) : [];
};

const parseHeaders = (value: string | null | undefined): string[][] => {
  const headers = parseJson(value);
  return Array.isArray(headers) ? headers.filter(Array.isArray).map((labels) => labels.map(String)) : [];
};

/** Whether the tab's marks were copied from another tab (marks from before the id was kept count as its own). */
const isCopy = (tab: MarkableTab, markedId: string | null | undefined) =>
  !!markedId && markedId !== String(tab.getSheetId());

/**
 * A tab's marks, read in one call: which report wrote it, under which names, and its table's
 * headers; a copy's (see `MARKED_TAB_ID`) are the original's, so it has none of its own.
 */
function marksOf(tab: MarkableTab): {
  reportId: string | null;
  home: string | null;
  names: string[];
  tableHeaders: string[][];
  placing: DateOrder | null;
} {
  const entries = tab.getDeveloperMetadata();
  const value = (key: string) => entries.find((entry) => entry.getKey() === key)?.getValue() ?? null;
  if (isCopy(tab, value(MARKED_TAB_ID)))
    return { reportId: null, home: null, names: [], tableHeaders: [], placing: null };
  const [reportId, home = null] = value(WRITTEN_BY)?.split('@') ?? [null];
  return {
    reportId,
    home,
    names: parseNames(value(WRITTEN_AS)),
    tableHeaders: parseHeaders(value(TABLE_HEADERS)),
    placing: DATE_ORDERS.find((order) => order === value(PLACING)) ?? null,
  };
}

/** Sets one of the tab's marks, writing only what changed (`entries`: the tab's, read already). */
function mark(tab: MarkableTab, key: string, value: string, entries = tab.getDeveloperMetadata()): void {
  const entry = entries.find((each) => each.getKey() === key);
  if (!entry) tab.addDeveloperMetadata(key, value);
  else if (entry.getValue() !== value) entry.setValue(value);
}

/** Whether the tab is marked as this report's: the report wrote it (not a copy of it). */
export function markedAs(tab: MarkableTab, reportId: string): boolean {
  return marksOf(tab).reportId === reportId;
}

/**
 * What the tab's marks tell this report, read in one call: whether it wrote the tab, the
 * headers its table there may have (none when it did not, or wrote it before marks held them),
 * and the date order a write of its stopped before restoring (see `PLACING`).
 */
export function marksFor(
  tab: MarkableTab,
  reportId: string,
): { writtenBefore: boolean; tableHeaders: string[][]; placing: DateOrder | null } {
  const marks = marksOf(tab);
  const writtenBefore = marks.reportId === reportId;
  return writtenBefore
    ? { writtenBefore, tableHeaders: marks.tableHeaders, placing: marks.placing }
    : { writtenBefore, tableHeaders: [], placing: null };
}

/**
 * Marks the tab's table as waiting for moves into `order`, or (null) as in its order again.
 * Without room for the mark (other add-ons' data) the moves go on unmarked: a stop before them
 * leaves the rows out of order, not lost.
 */
export function recordPlacing(tab: MarkableTab, order: DateOrder | null): void {
  const entries = tab.getDeveloperMetadata();
  if (
    order
      ? metadataCharactersWith(entries, PLACING, order) > METADATA_CHARACTERS
      : !entries.some((entry) => entry.getKey() === PLACING)
  )
    return;
  mark(tab, PLACING, order ?? '', entries);
}

/**
 * Records the headers the report's table in the tab may have (see `TABLE_HEADERS`): false,
 * writing nothing, when other add-ons' data leave the tab no room for them.
 */
export function recordTableHeaders(tab: MarkableTab, headers: string[][]): boolean {
  const value = JSON.stringify(headers);
  if (metadataCharactersWith(tab.getDeveloperMetadata(), TABLE_HEADERS, value) > METADATA_CHARACTERS)
    return false;
  mark(tab, TABLE_HEADERS, value);
  return true;
}

/**
 * Whether the tab is marked as another report's: any other one, or with `savedElsewhereThan`
 * (the id of the spreadsheet the caller's reports are listed in), one saved in another
 * spreadsheet, whose list the caller cannot see.
 */
export function writtenByAnother(tab: MarkableTab, reportId: string, savedElsewhereThan?: string): boolean {
  const { reportId: value, home } = marksOf(tab);
  return (
    !!value &&
    value !== reportId &&
    (savedElsewhereThan === undefined || isElsewhere(home, savedElsewhereThan))
  );
}

const isElsewhere = (home: string | null, here: string) => home !== null && home !== here;

type Tabs<Tab> = { getSheetByName(name: string): Tab | null; getSheets(): Tab[] };

/**
 * Whether two names are one tab's: Sheets keeps tab names unique whatever their case ("Budget"
 * cannot be added beside "budget"), while `getSheetByName` may match only the exact name
 * (docs/platform-facts.md).
 */
export const sameTabName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The tab Sheets knows by this name, in whatever case it was written. */
export function tabNamed<Tab extends { getName(): string }>(
  spreadsheet: Tabs<Tab>,
  name: string,
): Tab | null {
  return (
    spreadsheet.getSheetByName(name) ??
    spreadsheet.getSheets().find((tab) => sameTabName(tab.getName(), name)) ??
    null
  );
}

/**
 * Finds reports' tabs (see `reportTab`) reading each tab's marks once, however many reports
 * are looked for: what listing every report's tab needs.
 */
export function reportTabs<Tab extends MarkableTab>(
  spreadsheet: Tabs<Tab>,
): (sheetName: string, reportId: string) => Tab | null {
  const tabs = spreadsheet.getSheets().map((tab) => ({ tab, name: tab.getName(), ...marksOf(tab) }));
  return (sheetName, reportId) => {
    const named = tabs.find((tab) => sameTabName(tab.name, sheetName));
    if (named?.reportId === reportId) return named.tab;
    const renamed = tabs.find(
      (tab) => tab.reportId === reportId && tab.names.some((name) => sameTabName(name, sheetName)),
    );
    return (renamed ?? named)?.tab ?? null;
  };
}

/**
 * The report's tab: the one of its name when marked as the report's, else the tab the report
 * wrote under that name and the user has renamed since (a tab keeps its developer metadata when
 * renamed), else the one of its name. Null when none is there: deleted, never written, or the
 * report was saved to write to a new tab. The first case, a run's every write, reads one tab.
 */
export function reportTab<Tab extends MarkableTab>(
  spreadsheet: Tabs<Tab>,
  sheetName: string,
  reportId: string,
): Tab | null {
  const named = tabNamed(spreadsheet, sheetName);
  if (named && markedAs(named, reportId)) return named;
  return reportTabs(spreadsheet)(sheetName, reportId);
}

/**
 * Marks the tab as this report's, saved in the spreadsheet `home`, reading its mark once: false,
 * leaving it, when it is another report's, unless the tab is being taken over, or `mayTake`
 * says that report no longer writes it (its mark is then replaced). `mayTake` is asked only of a
 * report saved in `home` (or marked before marks named where): another spreadsheet's reports
 * are not listed there, so their being unlisted says nothing.
 */
export function claimTab(
  tab: MarkableTab,
  reportId: string,
  home: string,
  mayTake: boolean | ((markedBy: string) => boolean) = false,
): boolean {
  const { reportId: value, home: markedHome, names: marked, placing } = marksOf(tab);
  const taking = (other: string) =>
    typeof mayTake === 'function' ? !isElsewhere(markedHome, home) && mayTake(other) : mayTake;
  if (value && value !== reportId && !taking(value)) return false;
  const names = value === reportId ? marked : [];
  // A table another report's marks describe is not this report's.
  if (value !== reportId && entryOf(tab, TABLE_HEADERS)) mark(tab, TABLE_HEADERS, '[]');
  if (value !== reportId && placing) recordPlacing(tab, null);
  mark(tab, WRITTEN_BY, `${reportId}@${home}`);
  mark(tab, MARKED_TAB_ID, String(tab.getSheetId()));
  // After the report's own mark: a tab known by name but not yet marked is not followed.
  if (!names.includes(tab.getName()))
    mark(tab, WRITTEN_AS, JSON.stringify([...names, tab.getName()].slice(-NAMES_KEPT)));
  return true;
}

/**
 * The report now writes elsewhere: its old tab is no longer found under the names it had. It
 * stays marked as the report's, with its table's header, so the report finds its columns and the
 * user's beside them again if it comes back.
 */
export function releaseTab(tab: MarkableTab, reportId: string): void {
  if (markedAs(tab, reportId)) mark(tab, WRITTEN_AS, '[]');
}
