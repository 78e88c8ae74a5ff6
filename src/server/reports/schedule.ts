import type { PropertyStore } from '../platform';
import type { ReportConfig } from './config';
import { type ReportState, ReportStore } from './store';

export const DISPATCH_HANDLER = 'runScheduledReports';
const SPREADSHEETS_KEY = 'scheduled-spreadsheets';

type Trigger = Pick<GoogleAppsScript.Script.Trigger, 'getHandlerFunction' | 'getUniqueId'>;
export interface TriggerApi {
  getUserTriggers(document: unknown): Trigger[];
  deleteTrigger(trigger: Trigger): void;
  newTrigger(handler: string): { timeBased(): { everyHours(hours: number): { create(): unknown } } };
}

/**
 * The user's scheduled reports of one spreadsheet, kept in the user's own properties: a
 * time-driven trigger of an add-on may run without the document, so without its
 * document properties, and must still find what to run and where.
 */
export function scheduleMirror(userProperties: PropertyStore, spreadsheetId: string): ReportStore {
  return new ReportStore(userProperties, `sheet.${spreadsheetId}.`);
}

/** The spreadsheets where this user has scheduled reports. */
export function scheduledSpreadsheets(userProperties: PropertyStore): string[] {
  const text = userProperties.getProperty(SPREADSHEETS_KEY);
  return text ? (JSON.parse(text) as string[]) : [];
}

/** The reports this user's trigger runs: those they saved scheduled. */
export const scheduledBy = (reports: ReportConfig[], user: string): ReportConfig[] =>
  reports.filter((report) => report.owner === user && report.schedule.kind !== 'none');

/**
 * Brings the user's mirror of one spreadsheet in step with its report list: the user's
 * scheduled reports are copied in (keeping what their runs saved), others removed.
 */
export function mirrorSchedules(
  documentStore: ReportStore,
  userProperties: PropertyStore,
  spreadsheetId: string,
  user: string,
): void {
  const mirror = scheduleMirror(userProperties, spreadsheetId);
  const scheduled = scheduledBy(documentStore.list(), user);
  const others = scheduledSpreadsheets(userProperties).filter((id) => id !== spreadsheetId);
  const listSpreadsheets = (ids: string[]) =>
    ids.length > 0
      ? userProperties.setProperty(SPREADSHEETS_KEY, JSON.stringify(ids))
      : userProperties.deleteProperty(SPREADSHEETS_KEY);
  // The trigger's list gains a spreadsheet before its copies and loses it after them: a stop
  // between leaves the trigger reading copies that are not there yet, never missing ones.
  if (scheduled.length > 0) listSpreadsheets([...others, spreadsheetId]);
  for (const id of mirror.ids()) {
    if (!scheduled.some((report) => report.id === id)) mirror.delete(id);
  }
  for (const report of scheduled) {
    const previous = mirror.get(report.id);
    mirror.save(report);
    // A changed schedule falls due on its own new time, not on the old one.
    if (JSON.stringify(previous?.schedule) !== JSON.stringify(report.schedule))
      mirror.saveState(report.id, {
        ...mirror.state(report.id),
        nextRunAt: documentStore.state(report.id).nextRunAt,
      });
  }
  if (scheduled.length === 0) listSpreadsheets(others);
}

/**
 * Whether the user's mirror differs from the reports they schedule, as saved (by anyone) in the
 * document, or the trigger's list of spreadsheets does not say so (a save stopped halfway).
 */
export function mirrorIsStale(
  reports: ReportConfig[],
  mirror: ReportStore,
  user: string,
  spreadsheetListed: boolean,
): boolean {
  const scheduled = scheduledBy(reports, user);
  const mirrored = mirror.list();
  return (
    spreadsheetListed !== scheduled.length > 0 ||
    scheduled.length !== mirrored.length ||
    scheduled.some((report) =>
      mirrored.every((copy) => copy.id !== report.id || copy.revision !== report.revision),
    )
  );
}

/** What the sidebar shows of a report run both by hand and on schedule: the latest of each. */
export function mergedState(document: ReportState, scheduled: ReportState): ReportState {
  const newer = (scheduled.lastRunAt ?? 0) > (document.lastRunAt ?? 0) ? scheduled : document;
  const latest = <T extends number | string>(a: T | null, b: T | null): T | null =>
    a === null ? b : b === null ? a : a > b ? a : b;
  return {
    ...newer,
    lastSuccessAt: latest(document.lastSuccessAt, scheduled.lastSuccessAt),
    lastCoveredEnd: latest(document.lastCoveredEnd, scheduled.lastCoveredEnd),
    nextRunAt: scheduled.nextRunAt ?? document.nextRunAt,
  };
}

/**
 * Keeps one time-driven trigger for this user while they have any schedule (an Editor
 * add-on may hold one per user per document). An existing trigger is kept, never
 * replaced, so there is no moment without one. When Google refuses a new trigger and
 * none exists here, the error says why; a trigger made in another of the user's
 * spreadsheets serves this one too, since every run reads all of them.
 */
export function ensureTrigger(
  triggers: TriggerApi,
  document: unknown,
  wanted: boolean,
  servedElsewhere: boolean,
): void {
  const mine = triggers
    .getUserTriggers(document)
    .filter((trigger) => trigger.getHandlerFunction() === DISPATCH_HANDLER);
  const keep = wanted ? mine.slice(0, 1) : [];
  for (const trigger of mine) if (!keep.includes(trigger)) triggers.deleteTrigger(trigger);
  if (!wanted || keep.length > 0) return;
  try {
    triggers.newTrigger(DISPATCH_HANDLER).timeBased().everyHours(1).create();
  } catch (error) {
    if (servedElsewhere) return;
    throw new ScheduleError(
      `Google did not let the add-on set up its hourly trigger (${error instanceof Error ? error.message : String(error)}). ` +
        'The report was not scheduled. Remove a trigger you no longer need under Extensions > Apps Script > Triggers, or try again later.',
    );
  }
}

export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

/** Reports a dispatch should work on: unfinished runs first (whoever started them), then the due ones. */
export function reportsToDispatch(store: ReportStore, now: number): ReportConfig[] {
  const reports = store.list();
  const unfinished = reports.filter((report) => store.job(report.id));
  const due = reports.filter((report) => {
    if (report.schedule.kind === 'none' || store.job(report.id)) return false;
    const next = store.state(report.id).nextRunAt;
    return next !== null && next <= now;
  });
  return [...unfinished, ...due];
}
