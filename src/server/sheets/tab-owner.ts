/**
 * Which report writes a tab of another spreadsheet, marked on the tab itself (developer
 * metadata, which stays with the tab when it is renamed or cleared). Reports saved in
 * different spreadsheets cannot see each other's lists, and the same columns make their tabs
 * look alike, so this mark is what keeps two of them off one tab.
 */
type Metadata = Pick<GoogleAppsScript.Spreadsheet.DeveloperMetadata, 'getKey' | 'getValue' | 'setValue'>;
export interface MarkableTab {
  getDeveloperMetadata(): Metadata[];
  addDeveloperMetadata(key: string, value: string): unknown;
}

const WRITTEN_BY = 'linkedin-data.report';

const markOf = (tab: MarkableTab) =>
  tab.getDeveloperMetadata().find((entry) => entry.getKey() === WRITTEN_BY);

/** Whether the tab is marked as another report's. */
export function writtenByAnother(tab: MarkableTab, reportId: string): boolean {
  const value = markOf(tab)?.getValue();
  return !!value && value !== reportId;
}

/**
 * Marks the tab as this report's, reading its mark once: false, leaving it, when it is another
 * report's, unless the tab is being taken over (its mark is then replaced).
 */
export function claimTab(tab: MarkableTab, reportId: string, takingOver = false): boolean {
  const mark = markOf(tab);
  const value = mark?.getValue();
  if (value === reportId) return true;
  if (value && !takingOver) return false;
  if (mark) mark.setValue(reportId);
  else tab.addDeveloperMetadata(WRITTEN_BY, reportId);
  return true;
}
