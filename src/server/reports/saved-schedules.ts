/**
 * The schedules of a spreadsheet's reports, as saved, kept in the spreadsheet itself as
 * developer metadata. A scheduled run reads the report from its owner's own copy (user
 * properties, which no one else can write), so this is how that run learns that another
 * editor changed, took over, unscheduled or deleted the report since.
 *
 * It is written before the reports are (a save or delete stopped in between leaves it ahead
 * of them, which only makes runs wait) and is always the whole picture of the reports, so
 * the sidebar can put it right by writing it again.
 */
import type { ReportConfig } from './config';
import { METADATA_CHARACTERS, metadataCharactersWith } from '../sheets/metadata-room';

type Metadata = Pick<GoogleAppsScript.Spreadsheet.DeveloperMetadata, 'getKey' | 'getValue' | 'setValue'>;
export interface ScheduleHolder {
  getDeveloperMetadata(): Metadata[];
  addDeveloperMetadata(key: string, value: string): unknown;
}

const SCHEDULES_KEY = 'linkedin-data.schedules';

/** Each scheduled report's owner and revision ('' for a report saved before revisions existed). */
export type Schedules = Record<string, { owner: string; revision: string }>;

/** The schedules a set of reports makes: the scheduled ones, in a stable order. */
export function schedulesOf(reports: ReportConfig[]): Schedules {
  const schedules: Schedules = {};
  for (const report of [...reports].sort((a, b) => (a.id < b.id ? -1 : 1)))
    if (report.schedule.kind !== 'none')
      schedules[report.id] = { owner: report.owner, revision: report.revision ?? '' };
  return schedules;
}

function entryOf(spreadsheet: ScheduleHolder): Metadata | undefined {
  return spreadsheet.getDeveloperMetadata().find((entry) => entry.getKey() === SCHEDULES_KEY);
}

/** The schedules the spreadsheet holds; null when it holds none readable (saved by a version before them). */
export function readSchedules(spreadsheet: ScheduleHolder): Schedules | null {
  const value = entryOf(spreadsheet)?.getValue();
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Schedules) : null;
  } catch {
    return null;
  }
}

/**
 * Why the spreadsheet cannot hold these schedules beside its other developer metadata, in
 * words for the sidebar; null when they fit.
 */
export function schedulesTooBig(spreadsheet: ScheduleHolder, schedules: Schedules): string | null {
  // About 120 characters a scheduled report.
  const needed = metadataCharactersWith(
    spreadsheet.getDeveloperMetadata(),
    SCHEDULES_KEY,
    JSON.stringify(schedules),
  );
  if (needed <= METADATA_CHARACTERS) return null;
  const count = (n: number) => n.toLocaleString('en-US');
  return (
    `Google Sheets keeps at most ${count(METADATA_CHARACTERS)} characters of add-on data in a spreadsheet, and the schedules of its ${count(Object.keys(schedules).length)} scheduled reports would bring it to ${count(needed)}: ` +
    'save this report without a schedule, or unschedule or delete reports you no longer need.'
  );
}

/** Writes the schedules, unless the spreadsheet holds them already (a save asks `schedulesTooBig` first). */
export function writeSchedules(spreadsheet: ScheduleHolder, schedules: Schedules): void {
  const value = JSON.stringify(schedules);
  const entry = entryOf(spreadsheet);
  if (entry?.getValue() === value) return;
  if (entry) entry.setValue(value);
  else spreadsheet.addDeveloperMetadata(SCHEDULES_KEY, value);
}

/**
 * Whether a user's trigger may run its copy of a report: only the report as this user saved it
 * on their own schedule. Any other copy waits, never removed here (a save stopped halfway may
 * be put right by the next listing): the user's sidebar brings their copies in step. Without
 * schedules to compare, the copy runs as it did before.
 */
export function copyIsCurrent(schedules: Schedules | null, copy: ReportConfig, user: string): boolean {
  if (schedules === null) return true;
  const saved = schedules[copy.id];
  return !!saved && saved.owner === user && saved.revision === (copy.revision ?? '');
}
