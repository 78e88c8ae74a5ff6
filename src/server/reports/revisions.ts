/**
 * Each report's revision, kept in the spreadsheet the report is saved in, as developer
 * metadata any script that opens it can read. A scheduled run reads the report from its
 * owner's own copy (user properties, which no one else can write), so this is how that run
 * learns that another editor changed or deleted the report since.
 */
import type { ReportConfig } from './config';

type Metadata = Pick<GoogleAppsScript.Spreadsheet.DeveloperMetadata, 'getKey' | 'getValue' | 'setValue'>;
export interface RevisionsHolder {
  getDeveloperMetadata(): Metadata[];
  addDeveloperMetadata(key: string, value: string): unknown;
}

const REVISIONS_KEY = 'linkedin-data.revisions';
/** A deleted report's revision: reports saved before revisions existed have none to compare. */
const DELETED = 'deleted';

type Revisions = Record<string, string>;

function entryOf(spreadsheet: RevisionsHolder): Metadata | undefined {
  return spreadsheet.getDeveloperMetadata().find((entry) => entry.getKey() === REVISIONS_KEY);
}

/** The revisions the spreadsheet holds; null when it holds none (saved only by a version before them). */
export function readRevisions(spreadsheet: RevisionsHolder): Revisions | null {
  const value = entryOf(spreadsheet)?.getValue();
  if (!value) return null;
  try {
    return JSON.parse(value) as Revisions;
  } catch {
    return null;
  }
}

/** Records a report's revision as saved, or its deletion. */
export function recordRevision(
  spreadsheet: RevisionsHolder,
  reportId: string,
  revision: string | null,
): void {
  const entry = entryOf(spreadsheet);
  const revisions = { ...readRevisions(spreadsheet), [reportId]: revision ?? DELETED };
  const value = JSON.stringify(revisions);
  if (entry) entry.setValue(value);
  else spreadsheet.addDeveloperMetadata(REVISIONS_KEY, value);
}

/** Whether a copy of a report is the report as last saved; without revisions to compare, it is taken to be. */
export function isCurrent(revisions: Revisions | null, copy: ReportConfig): boolean {
  return revisions === null || revisions[copy.id] === copy.revision;
}
