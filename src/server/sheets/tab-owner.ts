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
  getDeveloperMetadata(): Metadata[];
  addDeveloperMetadata(key: string, value: string): unknown;
}

const WRITTEN_BY = 'linkedin-data.report';
/**
 * The tab's name when the report last wrote it. A tab found under another name was renamed by
 * the user if the report still names it so; a report saved to write elsewhere names another tab.
 */
const KNOWN_AS = 'linkedin-data.tab-name';

const entryOf = (tab: MarkableTab, key: string) =>
  tab.getDeveloperMetadata().find((entry) => entry.getKey() === key);
const markOf = (tab: MarkableTab) => entryOf(tab, WRITTEN_BY);

/** Sets one of the tab's marks, writing only what changed. */
function mark(tab: MarkableTab, key: string, value: string): void {
  const entry = entryOf(tab, key);
  if (!entry) tab.addDeveloperMetadata(key, value);
  else if (entry.getValue() !== value) entry.setValue(value);
}

/** Whether the tab is marked as another report's. */
export function writtenByAnother(tab: MarkableTab, reportId: string): boolean {
  const value = markOf(tab)?.getValue();
  return !!value && value !== reportId;
}

/** Whether the tab is the one the report last wrote as `sheetName`, whatever its name now. */
export function writtenAs(tab: MarkableTab, reportId: string, sheetName: string): boolean {
  return markOf(tab)?.getValue() === reportId && entryOf(tab, KNOWN_AS)?.getValue() === sheetName;
}

/**
 * The report's tab: the one of its name, else the tab the report last wrote under that name
 * and the user has renamed since (a tab keeps its developer metadata when renamed). Null when
 * neither is there: deleted, never written, or the report was saved to write to a new tab.
 */
export function reportTab<Tab extends MarkableTab>(
  spreadsheet: { getSheetByName(name: string): Tab | null; getSheets(): Tab[] },
  sheetName: string,
  reportId: string,
): Tab | null {
  return (
    spreadsheet.getSheetByName(sheetName) ??
    spreadsheet.getSheets().find((tab) => writtenAs(tab, reportId, sheetName)) ??
    null
  );
}

/**
 * Marks the tab as this report's, reading its mark once: false, leaving it, when it is another
 * report's, unless the tab is being taken over (its mark is then replaced).
 */
export function claimTab(tab: MarkableTab, reportId: string, takingOver = false): boolean {
  const value = markOf(tab)?.getValue();
  if (value && value !== reportId && !takingOver) return false;
  mark(tab, WRITTEN_BY, reportId);
  // After the report's own mark: a tab known by name but not yet marked is not followed.
  mark(tab, KNOWN_AS, tab.getName());
  return true;
}
