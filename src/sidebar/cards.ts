import type { ReportSummary } from '../server/main';
import type { ReportConfig, Schedule } from '../server/reports/config';
import { periodField } from '../server/reports/tab-changes';
import { PRESET_LABELS, SCHEDULE_LABELS, WEEK_DAYS } from './builder';
import { button, el, inlineConfirm } from './dom';
import { type Catalog, sourceLabel, streamKey, streamOf } from './draft';
import { type Labels, plural, userMessage } from './messages';

export const describeSchedule = (schedule: Schedule) =>
  schedule.kind === 'daily'
    ? `Daily at ${schedule.hour}:00`
    : schedule.kind === 'weekly'
      ? `${WEEK_DAYS[schedule.weekDay]}s at ${schedule.hour}:00`
      : SCHEDULE_LABELS[schedule.kind];

/**
 * A time in the spreadsheet's time zone, which a schedule's hour speaks: in the browser's own, a
 * user elsewhere read “Daily at 7:00 · next …, 1:00 PM”.
 */
function when(epochMs: number | null, timeZone: string): string {
  if (!epochMs) return 'never';
  const style = { dateStyle: 'medium', timeStyle: 'short' } as const;
  try {
    return new Date(epochMs).toLocaleString([], { ...style, timeZone });
  } catch {
    // A zone this browser does not know (RangeError): its own zone is the best it can do.
    return new Date(epochMs).toLocaleString([], style);
  }
}

/**
 * Above the cards when the browser is in another time zone than the spreadsheet: which one their
 * times are in. Names are compared as the browser spells them (“Etc/UTC” is its “UTC”).
 */
export function zoneNote(timeZone: string): string | null {
  let spelled: string;
  try {
    spelled = new Intl.DateTimeFormat([], { timeZone }).resolvedOptions().timeZone;
  } catch {
    // Unknown here: `when` shows the browser's own times, so there is nothing to say.
    return null;
  }
  return spelled === Intl.DateTimeFormat().resolvedOptions().timeZone
    ? null
    : `Times are in the spreadsheet’s time zone, ${timeZone}.`;
}

/** What a report imports, in the builder's words: “LinkedIn Ads · Ad analytics by Campaign, per day · Last 30 days”. */
export function describeReport(config: ReportConfig, catalog: Catalog): string {
  const stream = streamOf(catalog, streamKey({ source: config.source, id: config.stream }));
  const pivot = catalog.pivots.find((candidate) => candidate.id === config.pivot);
  const period = config[periodField(config.source)];
  const rows = period && `per ${catalog.periodWords[period]}`;
  const range = config.dateRange;
  const dates =
    !stream.dated || !range
      ? 'current values'
      : range.preset === 'custom'
        ? `${range.start} to ${range.end}`
        : PRESET_LABELS[range.preset];
  const what = [stream.label + (pivot ? ` by ${pivot.label}` : ''), rows].filter(Boolean).join(', ');
  return [sourceLabel(config.source), what, dates].join(' · ');
}

export interface CardActions {
  busy: boolean;
  /** Why Run now cannot work now (no usable LinkedIn connection), or null. */
  cannotRun: string | null;
  /** The user signed out: their own schedules wait for the next sign-in (the trigger skips them). */
  signedOut: boolean;
  run(): void;
  edit(): void;
  duplicate(): void;
  /** Shows the report's tab in the spreadsheet. */
  openTab(): void;
  /** Delete asks inside the card first: HtmlService's frames may block confirm(). */
  confirmingDelete: boolean;
  askDelete(): void;
  remove(): void;
  keep(): void;
}

/** A report's card: what it imports, where, when it refreshes, and how its last runs went. */
export function reportCard(
  { config, state, running, tabExists, scheduledByOther, due, scheduleHeld }: ReportSummary,
  catalog: Catalog,
  labels: Labels,
  actions: CardActions,
): HTMLElement {
  const rows = state.tableRows ?? state.lastRows;
  const failed = state.lastError !== null;
  return el(
    'article',
    { class: 'card', 'data-report': config.id, 'aria-label': config.name },
    el('strong', { class: 'card-title' }, config.name),
    el('p', { class: 'muted', 'data-part': 'what' }, describeReport(config, catalog)),
    el(
      'p',
      { class: 'muted', 'data-part': 'tab' },
      config.spreadsheet
        ? el(
            'a',
            { href: config.spreadsheet.url, target: '_blank', rel: 'noopener', class: 'open-spreadsheet' },
            `Tab “${config.sheetName}” in “${config.spreadsheet.name}”`,
          )
        : tabExists
          ? button(`Tab “${config.sheetName}”`, {
              class: 'link open-tab',
              title: 'Show this tab in the spreadsheet',
              onclick: actions.openTab,
            })
          : // Only a tab a run made can have been deleted: a first run that failed made none.
            `Tab “${config.sheetName}” is not in the spreadsheet${state.lastSuccessAt ? ' (deleted or renamed?)' : ''}: Run now makes it.`,
      tabExists !== false && rows !== null ? ` · ${plural(rows, 'row')}` : '',
    ),
    el(
      'p',
      { class: 'muted', 'data-part': 'schedule' },
      describeSchedule(config.schedule) +
        (config.schedule.kind === 'none'
          ? ''
          : actions.signedOut && !scheduledByOther
            ? ' · paused until you sign in with LinkedIn'
            : due
              ? ' · due, runs within the hour'
              : ` · next ${when(state.nextRunAt, catalog.timeZone)}`) +
        (scheduledByOther ? ` · on ${scheduledByOther}’s schedule` : ''),
    ),
    scheduleHeld && el('p', { class: 'error', 'data-part': 'held' }, scheduleHeld),
    el(
      'p',
      { class: 'muted', 'data-part': 'success' },
      `Last success: ${when(state.lastSuccessAt, catalog.timeZone)}`,
    ),
    el(
      'p',
      { class: failed ? 'error' : 'muted', 'data-part': 'attempt' },
      `Last attempt: ${when(state.lastRunAt, catalog.timeZone)}${failed ? ' (failed)' : ''}`,
    ),
    failed && el('p', { class: 'error', 'data-part': 'error' }, userMessage(state.lastError, labels)),
    !failed && state.lastNote && el('p', { class: 'muted', 'data-part': 'note' }, state.lastNote),
    running &&
      el(
        'p',
        { class: 'muted', 'data-part': 'running' },
        `Importing now: ${running.requestsDone} of ${running.requestsPlanned || '…'} requests` +
          (running.message ? `. ${running.message}` : ''),
      ),
    actions.confirmingDelete
      ? inlineConfirm(
          `Delete “${config.name}”? The tab and its rows stay${config.schedule.kind !== 'none' ? '; its schedule stops' : ''}.`,
          'Delete',
          actions.remove,
          actions.keep,
          `delete-${config.id}`,
        )
      : el(
          'div',
          { class: 'row actions' },
          button('Run now', {
            class: 'primary run',
            disabled: actions.busy || !!actions.cannotRun,
            ...(actions.cannotRun ? { title: actions.cannotRun } : {}),
            onclick: actions.run,
          }),
          button('Edit', { class: 'edit', onclick: actions.edit }),
          button('Duplicate', { class: 'duplicate', onclick: actions.duplicate }),
          button('Delete', { class: 'delete', disabled: actions.busy, onclick: actions.askDelete }),
        ),
  );
}
