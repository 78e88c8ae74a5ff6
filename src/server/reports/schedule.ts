import type { ReportConfig } from './config';
import type { ReportStore } from './store';

export const DISPATCH_HANDLER = 'runScheduledReports';
/** How soon a run that ran out of time continues. */
export const CONTINUATION_DELAY_MS = 60_000;

type Trigger = Pick<GoogleAppsScript.Script.Trigger, 'getHandlerFunction' | 'getUniqueId'>;
export interface TriggerApi {
  getUserTriggers(document: unknown): Trigger[];
  deleteTrigger(trigger: Trigger): void;
  newTrigger(handler: string): {
    timeBased(): {
      everyHours(hours: number): { create(): unknown };
      after(ms: number): { create(): unknown };
    };
  };
}

export type TriggerMode = 'hourly' | 'continuation' | 'none';

/** What this user's one trigger should be: none without schedules, a quick continuation while a scheduled run is unfinished. */
export function wantedTrigger(store: ReportStore, user: string): TriggerMode {
  const mine = store.list().filter((report) => report.owner === user);
  if (mine.some((report) => store.job(report.id)?.scheduled)) return 'continuation';
  return mine.some((report) => report.schedule.kind !== 'none') ? 'hourly' : 'none';
}

/**
 * Keeps exactly one time-driven trigger for this user in this document (the Editor
 * add-on limit): the hourly dispatcher, or a one-off continuation in its place.
 */
export function syncTrigger(triggers: TriggerApi, document: unknown, mode: TriggerMode): void {
  for (const trigger of triggers.getUserTriggers(document)) {
    if (trigger.getHandlerFunction() === DISPATCH_HANDLER) triggers.deleteTrigger(trigger);
  }
  if (mode === 'hourly') triggers.newTrigger(DISPATCH_HANDLER).timeBased().everyHours(1).create();
  if (mode === 'continuation')
    triggers.newTrigger(DISPATCH_HANDLER).timeBased().after(CONTINUATION_DELAY_MS).create();
}

/** Reports of this user that a dispatch should work on: unfinished scheduled runs first, then the due ones. */
export function reportsToDispatch(store: ReportStore, user: string, now: number): ReportConfig[] {
  const mine = store.list().filter((report) => report.owner === user);
  const unfinished = mine.filter((report) => store.job(report.id)?.scheduled);
  const due = mine.filter((report) => {
    if (report.schedule.kind === 'none' || store.job(report.id)) return false;
    const next = store.state(report.id).nextRunAt;
    return next !== null && next <= now;
  });
  return [...unfinished, ...due];
}
