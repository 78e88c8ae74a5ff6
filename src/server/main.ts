/**
 * The Apps Script entry file: the only place that names Apps Script's global services.
 * Every export becomes a top-level function in dist/Code.js (see rollup.config.js), so
 * menu items, triggers, the OAuth callback and google.script.run can call it by name.
 * Each function adapts the services to the pure core and returns plain data.
 */
import type {} from './apps-script-granular-consent';
import { connectionProbe, linkedInClient } from './auth/connection';
import { type AuthContext, chosenProducts, saveAppCredentials } from './auth/credentials';
import {
  ACTIONS,
  type ActionName,
  EMAILS_WITHHELD,
  GOOGLE_SCOPES,
  type GoogleScope,
  MissingPermissionError,
  permissionRefusal,
  scheduledImportBlocked,
  schedulesHeld,
} from './auth/google-permissions';
import { pasteAccessToken, pasteRefreshToken } from './auth/pasted-tokens';
import { finishAuthorization, refuseSignIn, startAuthorization } from './auth/sign-in';
import {
  connectionNotice,
  connectionStatus,
  grantedLinkedInScopes,
  type ConnectionStatus,
  disconnect,
  requireAccess,
  usePublisherApp,
} from './auth/status';
import { AD_PIVOTS } from './catalog/ad-analytics';
import { productOf, STREAMS } from './catalog/streams';
import { PERIOD_WORDS, WHOLE_PERIOD_NOTES } from './catalog/types';
import { type AdAccount, listAdAccounts } from './connectors/ads';
import { listPages, type Page } from './connectors/pages';
import {
  DATE_PRESETS,
  nextRunAfter,
  type ReportConfig,
  reportInputProblems,
  reportLabels,
  runDates,
  SCHEDULE_KINDS,
  streamSpecOf,
  validateReport,
  WRITE_MODES,
  reportHeader,
  reportKeyLabels,
} from './reports/config';
import {
  cancelRun,
  continueRun,
  type Progress,
  progressOf,
  type RunServices,
  startRun,
} from './reports/runner';
import {
  ensureTrigger,
  mergedState,
  mirrorIsStale,
  mirrorSchedules,
  scheduledBy,
  reportsToDispatch,
  scheduledSpreadsheets,
  scheduleMirror,
} from './reports/schedule';
import { roomFor, savedReportCannotFit } from './reports/room';
import {
  quotedLabels,
  rebuildCause,
  rebuildSentence,
  removesColumns,
  rowsStandFor,
} from './reports/tab-changes';
import {
  copyIsCurrent,
  readSchedules,
  schedulesOf,
  schedulesTooBig,
  writeSchedules,
} from './reports/saved-schedules';
import {
  BAD_LINK,
  type OtherSpreadsheet,
  spreadsheetIdIn,
  WRITE_TO_KINDS,
  WRITE_TO_LABELS,
  type WriteTo,
  writeToProblems,
} from './reports/destination';
import {
  claimTab,
  marksFor,
  recordTableHeaders,
  releaseTab,
  reportTab,
  reportTabs,
  sameTabName,
  tabNamed,
  writtenByAnother,
} from './sheets/tab-owner';
import { reshapePlan } from './sheets/reshape';
import {
  readHeader,
  ReportWriteError,
  settledHeaderOf,
  SPREADSHEET_CELL_LIMIT,
  startsWithHeader,
  tabOwnership,
  userColumnClashNotice,
} from './sheets/writer';
import { type Job, type ReportState, ReportStore } from './reports/store';
import { isoDate } from './dates';
import { PRODUCT_SCOPES, type Product } from './linkedin/api';
import { LinkedInError, OutOfTimeError, UrlFetchQuotaError } from './linkedin/errors';
import { appsScriptClock, appsScriptHttp } from './platform-apps-script';
import { callbackPage, signInDialog } from './ui/html';
import { ADD_ON_TITLE, addAddOnMenu } from './ui/menu';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Properties = GoogleAppsScript.Properties.Properties;

function authContext(): AuthContext {
  return {
    oauth2: OAuth2,
    userProperties: PropertiesService.getUserProperties(),
    scriptProperties: PropertiesService.getScriptProperties(),
    userCache: CacheService.getUserCache(),
    userLock: LockService.getUserLock(),
    http: appsScriptHttp(UrlFetchApp),
    clock: appsScriptClock(Utilities),
    scriptId: ScriptApp.getScriptId(),
  };
}

/**
 * Whether the user granted each scope asked about so far. Apps Script loads the script afresh for
 * every execution, and a grant cannot change while one runs: each scope is asked about once.
 */
const grantedInThisExecution = new Map<GoogleScope, boolean>();

/**
 * The scopes among `scopes` the user has not granted on Google's consent screen. The reference
 * lets getAuthorizedScopes() be null: then each scope is asked about on its own.
 */
function notGranted(scopes: readonly GoogleScope[]): GoogleScope[] {
  const unknown = scopes.filter((scope) => !grantedInThisExecution.has(scope));
  if (unknown.length) {
    const { FULL } = ScriptApp.AuthMode;
    const { REQUIRED } = ScriptApp.AuthorizationStatus;
    const info = ScriptApp.getAuthorizationInfo(FULL, unknown);
    const authorized = info.getAuthorizationStatus() === REQUIRED ? info.getAuthorizedScopes() : unknown;
    for (const scope of unknown)
      grantedInThisExecution.set(
        scope,
        authorized
          ? authorized.includes(scope)
          : ScriptApp.getAuthorizationInfo(FULL, [scope]).getAuthorizationStatus() !== REQUIRED,
      );
  }
  return scopes.filter((scope) => !grantedInThisExecution.get(scope));
}

const missingFor = (action: ActionName) => notGranted(ACTIONS[action].scopes);
const granted = (action: ActionName) => missingFor(action).length === 0;

/**
 * A sidebar call refused, in words, before it starts when the user did not grant what its action
 * needs: nothing is half done, and no raw Apps Script exception reaches the user. What
 * requireScopes does from google.script.run is not documented, so sidebar calls do not use it.
 */
function refuseWithout(action: ActionName): void {
  const missing = missingFor(action);
  if (missing.length) throw new MissingPermissionError(action, missing);
}

/**
 * A menu item's first step: Google's own prompt for what its action needs and the user did not
 * grant (requireScopes "ends the current execution and renders an authorization prompt").
 * Should Google show none (the call returns, or throws), the same words as a sidebar refusal.
 */
function askGoogleFor(action: ActionName): void {
  const missing = missingFor(action);
  if (missing.length === 0) return;
  try {
    ScriptApp.requireScopes(ScriptApp.AuthMode.FULL, [...missing]);
  } catch {
    // Refused rather than prompted: said below in words.
  }
  throw new MissingPermissionError(action, missing);
}

/**
 * Adds or removes the hourly trigger (`ensureTrigger`) when the user granted "run when you are
 * not present". Without it, a trigger is left as it is: saving a schedule asked for the
 * permission, and a trigger left with nothing to run finds nothing and stops.
 */
function keepTrigger(spreadsheet: Spreadsheet, wanted: boolean, servedElsewhere: boolean): void {
  if (granted('keepTrigger')) ensureTrigger(ScriptApp, spreadsheet, wanted, servedElsewhere);
}

export function onOpen(): void {
  addAddOnMenu(() => SpreadsheetApp.getUi().createAddonMenu());
}

export function onInstall(): void {
  onOpen();
}

export function showSidebar(): void {
  askGoogleFor('openSidebar');
  const html = HtmlService.createHtmlOutputFromFile('Sidebar').setTitle(ADD_ON_TITLE);
  SpreadsheetApp.getUi().showSidebar(html);
}

/** Menu item: sign in straight away when the app is set up, else the sidebar explains the setup. */
export function connectLinkedIn(): void {
  const context = authContext();
  const status = connectionStatus(context);
  if (status.appCredentials === 'none') {
    showSidebar();
    return;
  }
  askGoogleFor('connectFromMenu');
  const url = startAuthorization(context, status.products);
  const dialog = HtmlService.createHtmlOutput(signInDialog(url)).setWidth(360).setHeight(140);
  SpreadsheetApp.getUi().showModalDialog(dialog, 'Connect LinkedIn');
}

/**
 * LinkedIn redirects here (through /usercallback) with the code or the reason it failed. The code
 * is exchanged with UrlFetchApp: without "Connect to an external service" the page (and the
 * sidebar, which polls the outcome) says so instead.
 */
export function authCallback(request: {
  parameter: Record<string, string>;
}): GoogleAppsScript.HTML.HtmlOutput {
  const context = authContext();
  const missing = missingFor('reachLinkedIn');
  const outcome = missing.length
    ? refuseSignIn(context, permissionRefusal('reachLinkedIn', missing))
    : finishAuthorization(context, request);
  return HtmlService.createHtmlOutput(callbackPage(outcome)).setTitle('LinkedIn Data');
}

/**
 * Menu item "Grant permissions": Google's prompt for every permission the add-on asks for that
 * the user has not granted (requireAllScopes ends this execution to show it), where the user
 * ticks the ones they want; with all granted, it says so. Refusals elsewhere point here.
 */
export function grantPermissions(): void {
  ScriptApp.requireAllScopes(ScriptApp.AuthMode.FULL);
  SpreadsheetApp.getUi().alert('LinkedIn Data has every permission it asks Google for.');
}

export function getConnection(): ConnectionStatus {
  return connectionStatus(authContext());
}

export function saveLinkedInApp(clientId: string, clientSecret: string): ConnectionStatus {
  // Saving checks the app with LinkedIn.
  refuseWithout('reachLinkedIn');
  const context = authContext();
  saveAppCredentials(context, clientId, clientSecret);
  return connectionStatus(context);
}

export function startLinkedInSignIn(products: Product[]): { authorizationUrl: string } {
  // Asked before the user goes to LinkedIn: the code LinkedIn sends back is exchanged over UrlFetchApp.
  refuseWithout('reachLinkedIn');
  return { authorizationUrl: startAuthorization(authContext(), products) };
}

export function pasteLinkedInRefreshToken(refreshToken: string): ConnectionStatus {
  refuseWithout('reachLinkedIn');
  const context = authContext();
  pasteRefreshToken(context, refreshToken);
  return connectionStatus(context);
}

export function pasteLinkedInAccessToken(accessToken: string): ConnectionStatus {
  refuseWithout('reachLinkedIn');
  const context = authContext();
  pasteAccessToken(context, accessToken);
  return connectionStatus(context);
}

export function disconnectLinkedIn(): ConnectionStatus {
  const context = authContext();
  disconnect(context);
  return connectionStatus(context);
}

/** "Use the publisher's app again": forgets the user's app and its secret, connected or not. */
export function usePublisherLinkedInApp(): ConnectionStatus {
  const context = authContext();
  usePublisherApp(context);
  return connectionStatus(context);
}

/**
 * The sidebar's "Check connection": renews the access token if it is about to expire, then asks
 * LinkedIn, which alone knows a token revoked before its end: its refusal is thrown, and kept
 * for the panel to say. A refusal of the probe's data (403) still shows LinkedIn accepts the token.
 */
export function testLinkedInConnection(): ConnectionStatus {
  refuseWithout('reachLinkedIn');
  const context = authContext();
  const status = connectionStatus(context);
  const granted = (Object.keys(PRODUCT_SCOPES) as Product[]).filter((product) =>
    PRODUCT_SCOPES[product].every((scope) => status.scopes.includes(scope)),
  );
  try {
    linkedInClient(context, Date.now() + 60_000).get(
      connectionProbe(granted.length > 0 ? granted : chosenProducts(context)),
    );
  } catch (error) {
    if (!(error instanceof LinkedInError) || error.kind !== 'permission') throw error;
  }
  return connectionStatus(context);
}

/** Interactive calls get well under Apps Script's six minutes, leaving time to answer the sidebar. */
const INTERACTIVE_BUDGET_MS = 4 * 60_000;

export function listLinkedInPages(): Page[] {
  refuseWithout('reachLinkedIn');
  const context = authContext();
  requireAccess(context, 'pages', 'pages');
  return listPages(linkedInClient(context, Date.now() + INTERACTIVE_BUDGET_MS));
}

export function listLinkedInAdAccounts(): AdAccount[] {
  refuseWithout('reachLinkedIn');
  const context = authContext();
  requireAccess(context, 'ads', 'ad_accounts');
  return listAdAccounts(linkedInClient(context, Date.now() + INTERACTIVE_BUDGET_MS));
}

/** A sidebar step stays short so the progress bar moves; a trigger run uses most of its six minutes. */
const SIDEBAR_STEP_MS = 25_000;
const TRIGGER_BUDGET_MS = 4.5 * 60_000;

/**
 * The user's address: blank where they did not grant "See your primary Google Account email
 * address" (whether getEmail() then gives a blank or throws is not documented: it is not called),
 * as where a domain's policies hide it.
 */
function currentUser(): string {
  return notGranted([GOOGLE_SCOPES.userEmail]).length ? '' : Session.getEffectiveUser().getEmail();
}

/** The spreadsheet the sidebar runs in (a sidebar always has one). */
function activeSpreadsheet(): Spreadsheet {
  return SpreadsheetApp.getActive();
}

/**
 * The document lock, held: two editors saving at once must not drop a report from the
 * list or aim two reports at one tab.
 */
function documentLock(): GoogleAppsScript.Lock.Lock {
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(10_000))
    throw new Error(
      'Another editor is changing this spreadsheet’s reports right now. Try again in a moment.',
    );
  return lock;
}

function reportStore(): ReportStore {
  return new ReportStore(PropertiesService.getDocumentProperties());
}

/** A spreadsheet by id, or why it cannot be opened: deleted, or not shared with this user. */
function openSpreadsheet(id: string): Spreadsheet | { problem: string } {
  try {
    const spreadsheet = SpreadsheetApp.openById(id);
    // Some see the failure only at the first call on what openById returned: make it here, inside the try.
    spreadsheet.getName();
    return spreadsheet;
  } catch (error) {
    return { problem: inPlainWords(error instanceof Error ? error.message : String(error)) };
  }
}

/**
 * Apps Script's words for a spreadsheet it cannot open, as practitioners report them
 * (docs/platform-facts.md), said plainly; any other text is passed on as it is.
 */
function inPlainWords(problem: string): string {
  if (/getting the method or property openById/.test(problem))
    return 'no spreadsheet is there: it was deleted, or the link is incomplete';
  if (/do not have permission to access the requested document/.test(problem))
    return 'your Google account has no access to it';
  return problem;
}

/**
 * The spreadsheet a report writes to: the one it is saved in (`host`), or the other one it
 * names, opened once per execution.
 */
function destinations(host: Spreadsheet): (config: ReportConfig) => Spreadsheet {
  const opened = new Map<string, Spreadsheet>();
  return (config) => {
    const other = config.spreadsheet;
    if (!other || other.id === host.getId()) return host;
    let spreadsheet = opened.get(other.id);
    if (!spreadsheet) {
      const result = openSpreadsheet(other.id);
      if ('problem' in result)
        throw new ReportWriteError(
          `Could not open the spreadsheet “${other.name}” this report writes to (${result.problem}). ` +
            'If it was deleted or is no longer shared with you, edit the report and choose where it writes.',
        );
      opened.set(other.id, (spreadsheet = result));
    }
    return spreadsheet;
  };
}

/**
 * What a run works with. `held`: where its report's runs are held. A sidebar run holds the
 * report in the document's list, under the document lock, and, for a report this user schedules,
 * in their copy too, under their lock, where their hourly runs hold it (a trigger may have no
 * document, so its lock is the user's).
 */
function runServices(
  stepDeadline: number,
  host: Spreadsheet,
  held: Pick<RunServices, 'store' | 'lock' | 'alsoHeldIn'>,
): RunServices {
  const context = authContext();
  return {
    // The client may work up to the trigger budget; the step itself stops starting batches at stepDeadline.
    client: linkedInClient(context, Date.now() + TRIGGER_BUDGET_MS),
    linkedInScopes: grantedLinkedInScopes(context),
    stepDeadline,
    destination: destinations(host),
    homeId: host.getId(),
    ...held,
    clock: appsScriptClock(Utilities),
    cache: runCache(),
    dayOf: (date, timeZone) => Utilities.formatDate(date, timeZone, 'yyyy-MM-dd'),
    executionId: Utilities.getUuid(),
    newId: () => Utilities.getUuid(),
  };
}

/** Where runs keep what only speeds them up; a scheduled run may have no document, so no document cache. */
function runCache() {
  return CacheService.getDocumentCache() ?? CacheService.getUserCache()!;
}

/**
 * A schedule whose next time a stopped save never wrote gets the next one from now: saved
 * state only speeds things up, and without it the trigger would never find the report due.
 */
function fillMissingNextRuns(store: ReportStore, spreadsheet: Spreadsheet): void {
  for (const config of store.list()) {
    const state = store.state(config.id);
    const filled = withNextRun(config, state, spreadsheet);
    if (filled !== state && !store.job(config.id)) store.saveState(config.id, filled);
  }
}

/** The state with a next run time when its schedule has none (`fillMissingNextRuns`); else the state itself. */
function withNextRun(config: ReportConfig, state: ReportState, spreadsheet: Spreadsheet): ReportState {
  return config.schedule.kind !== 'none' && state.nextRunAt === null
    ? { ...state, nextRunAt: nextRunOf(config, spreadsheet) }
    : state;
}

/** When a report's schedule next falls due, in the spreadsheet's time zone (schedules speak its hours). */
function nextRunOf(config: ReportConfig, spreadsheet: Spreadsheet): number | null {
  const now = Date.now();
  const offset = Utilities.formatDate(new Date(now), spreadsheet.getSpreadsheetTimeZone(), 'Z');
  const sign = offset.startsWith('-') ? -1 : 1;
  const offsetMs = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5))) * 60_000;
  return nextRunAfter(config.schedule, now, offsetMs);
}

export interface ReportSummary {
  config: ReportConfig;
  state: ReportState;
  running: Progress | null;
  /**
   * Whether the report's tab is in the spreadsheet: not before the first run, nor once the user
   * deletes or renames it. Null for a report writing to another spreadsheet, which the list does not open.
   */
  tabExists: boolean | null;
  /** Another user, whose schedule (and LinkedIn connection) runs the report; saving it scheduled makes it yours. */
  scheduledByOther: string | null;
  /** A scheduled report whose time has come: the next hourly run takes it (its "next" time has passed). */
  due: boolean;
  /** Why this user's schedule of the report has long been overdue and what to do, when the add-on cannot mend it. */
  scheduleHeld: string | null;
  /** What saving the report changed that its user should know: only in the answer to that save. */
  notice?: string;
}

/** What the sidebar builds reports from; `timeZone` is the spreadsheet's, which schedules' hours speak. */
export function getCatalog(timeZone = spreadsheetTimeZone()) {
  const streams = STREAMS.map((spec) => {
    const { id, source, label, description, fields, key, dated, granularities, historyDays } = spec;
    return {
      id,
      source,
      // The LinkedIn product whose access the stream needs: the builder says when the connection lacks it.
      product: productOf(spec),
      label,
      description,
      key,
      fields,
      dated: !!dated,
      ...(granularities ? { granularities } : {}),
      ...(historyDays ? { historyDays } : {}),
    };
  });
  return {
    streams,
    pivots: AD_PIVOTS,
    periodWords: PERIOD_WORDS,
    wholePeriodNotes: WHOLE_PERIOD_NOTES,
    datePresets: DATE_PRESETS,
    writeModes: WRITE_MODES,
    scheduleKinds: SCHEDULE_KINDS,
    writeTo: WRITE_TO_KINDS.map((kind) => ({ kind, label: WRITE_TO_LABELS[kind] })),
    timeZone,
    /** Today (UTC), as the server's clock says: what the builder counts LinkedIn's windows back from. */
    today: isoDate(Date.now()),
  };
}

function spreadsheetTimeZone(): string {
  refuseWithout('readSpreadsheet');
  return activeSpreadsheet().getSpreadsheetTimeZone();
}

/** An Editor add-on has one hourly trigger, so a scheduled import too big for one run goes on at the next. */
const SCHEDULED_CONTINUATION =
  'Part of this scheduled import is done; the rest is fetched on the next hourly run.';
/**
 * A run that failed ends its import, so an import still unfinished with an error newer than its
 * start was held up before it could go on (a permission missing, the spreadsheet out of reach).
 */
const SCHEDULED_CONTINUATION_HELD =
  'Part of this scheduled import is done; the rest is fetched on the first hourly run after the problem above is fixed.';

function continuationOf(job: Job, state: ReportState): string {
  const held = state.lastError !== null && state.lastRunAt !== null && state.lastRunAt >= job.startedAt;
  return held ? SCHEDULED_CONTINUATION_HELD : SCHEDULED_CONTINUATION;
}

/**
 * The document's reports; for the user's own scheduled ones, what their scheduled runs
 * saved is merged in and written back, so every editor sees the latest run.
 */
export function listReports(): ReportSummary[] {
  refuseWithout('readSpreadsheet');
  const store = reportStore();
  const spreadsheet = activeSpreadsheet();
  const userProperties = PropertiesService.getUserProperties();
  const mirror = scheduleMirror(userProperties, spreadsheet.getId());
  const user = currentUser();
  const reports = store.list();
  putSchedulesRight(spreadsheet, store, reports);
  // Another editor changed, took over or deleted one of this user's scheduled reports.
  const listed = scheduledSpreadsheets(userProperties).includes(spreadsheet.getId());
  if (user && mirrorIsStale(reports, mirror, user, listed)) {
    mirrorSchedules(store, userProperties, spreadsheet.getId(), user);
    // Another editor took over or removed this user's last schedule: their trigger has nothing left to run.
    if (scheduledSpreadsheets(userProperties).length === 0) keepTrigger(spreadsheet, false, false);
  }
  const tabOf = reportTabs(spreadsheet);
  // This user's scheduled reports here, as their own copies (what their trigger runs) hold them.
  const copied = new Set<string>();
  const summaries = reports.map((saved): ReportSummary => {
    const tab = saved.spreadsheet ? null : tabOf(saved.sheetName, saved.id);
    // The user renamed the report's tab: the card (and an edit) names it as it is now; the next run saves the name.
    const config = tab && tab.getName() !== saved.sheetName ? { ...saved, sheetName: tab.getName() } : saved;
    const scheduled = mirror.get(config.id) !== null;
    if (scheduled) copied.add(config.id);
    const own = store.state(config.id);
    const mirrored = scheduled ? mirror.state(config.id) : own;
    // A schedule a stopped save left without a next time gets one here too (`fillMissingNextRuns`).
    const state = scheduled ? mergedState(own, withNextRun(saved, mirrored, spreadsheet)) : own;
    // Written back only when a run changed something: the sidebar asks for this list every 30 s.
    const merged = JSON.stringify(state);
    if (merged !== JSON.stringify(own)) store.saveState(config.id, state);
    if (merged !== JSON.stringify(mirrored)) mirror.saveState(config.id, state);
    const manual = store.job(config.id);
    const job = manual ?? (scheduled ? mirror.job(config.id) : null);
    const message = job && !manual ? continuationOf(job, state) : null;
    return {
      config,
      state,
      running: job ? progressOf(config.id, job, 'running', message) : null,
      tabExists: config.spreadsheet ? null : tab !== null,
      // Without the user's address (not granted, or hidden), their copies tell which schedules are theirs.
      scheduledByOther:
        config.schedule.kind !== 'none' && !(user ? config.owner === user : scheduled) ? config.owner : null,
      due: config.schedule.kind !== 'none' && state.nextRunAt !== null && state.nextRunAt <= Date.now(),
      scheduleHeld: null,
    };
  });
  const overdue = summaries.filter(
    ({ config, state }) =>
      copied.has(config.id) && state.nextRunAt !== null && state.nextRunAt < Date.now() - TRIGGER_OVERDUE_MS,
  );
  // Signed out, schedules wait on purpose. Otherwise the hourly trigger is gone (the user deleted
  // it on Apps Script's My Triggers page, say) and nothing else would make it again: one is made
  // here. Without the permission to make it, or should Google not fire a trigger without that
  // permission (not documented), the cards say what to grant.
  if (overdue.length > 0 && connectionStatus(authContext()).connected) {
    const missing = missingFor('keepTrigger');
    if (missing.length === 0) ensureTrigger(ScriptApp, spreadsheet, true, true);
    else for (const summary of overdue) summary.scheduleHeld = schedulesHeld(missing);
  }
  return summaries;
}

/**
 * How long past its time a schedule of this user's may wait before the listing takes the hourly
 * trigger for gone: an hourly trigger fires once an hour at a minute of Google's choosing, and
 * a run may leave a due report for the next hour when earlier ones took its time.
 */
const TRIGGER_OVERDUE_MS = 3 * 3_600_000;

/**
 * `mirrorSchedules` for a user whose address is known. Without it (userinfo.email not granted, or
 * hidden by a domain's policies) none of the reports can be told to be theirs, and their mirror,
 * which their trigger runs from, is left as it is rather than emptied: the trigger checks each
 * report against the spreadsheet's saved schedules before running it anyway (`copyIsCurrent`).
 */
function mirrorOwnSchedules(
  store: ReportStore,
  userProperties: Properties,
  spreadsheetId: string,
  user: string,
) {
  if (user) mirrorSchedules(store, userProperties, spreadsheetId, user);
}

/**
 * Writes the spreadsheet's saved schedules again when they are not those of its reports: a
 * save or delete stopped after writing them, or reports saved before they existed. Skipped
 * while a save holds the lock (it writes them itself), and by an editor who may not write.
 */
function putSchedulesRight(spreadsheet: Spreadsheet, store: ReportStore, reports: ReportConfig[]): void {
  try {
    if (JSON.stringify(readSchedules(spreadsheet)) === JSON.stringify(schedulesOf(reports))) return;
    const lock = LockService.getDocumentLock();
    if (!lock.tryLock(0)) return;
    try {
      writeSchedules(spreadsheet, schedulesOf(store.list()));
    } finally {
      lock.releaseLock();
    }
  } catch {
    // Only speeds up what the next save does anyway; the list must still show.
  }
}

/** Shows the report's tab in the spreadsheet, from the link on its card. */
export function openReportTab(reportId: string): ReportSummary[] {
  refuseWithout('showReportTab');
  const report = reportStore().get(String(reportId));
  if (!report) throw new Error('That report no longer exists.');
  if (report.spreadsheet)
    throw new Error(
      `The report writes to the spreadsheet “${report.spreadsheet.name}”: open it from the report's card.`,
    );
  const sheet = tabNamed(activeSpreadsheet(), report.sheetName);
  if (!sheet)
    throw new Error(
      `The tab “${report.sheetName}” is not in this spreadsheet: it was deleted or renamed, or the report has not run yet. Run it to make the tab.`,
    );
  sheet.activate();
  return listReports();
}

/**
 * The spreadsheet the builder's choice names: this one, another by its link (which must open
 * for this user), or 'new' for one made when the report is saved.
 */
function writeTarget(writeTo: WriteTo, host: Spreadsheet): Spreadsheet | 'new' {
  if (writeTo.kind === 'new') return 'new';
  const id = writeTo.kind === 'link' ? spreadsheetIdIn(writeTo.link) : host.getId();
  if (!id) throw new Error(BAD_LINK);
  if (id === host.getId()) return host;
  const opened = openSpreadsheet(id);
  if ('problem' in opened)
    throw new Error(
      `Could not open the spreadsheet at that link (${opened.problem}). Check the link, and that the spreadsheet is shared with your Google account as an editor.`,
    );
  return opened;
}

/** Where a saved report writes, as the builder's choice. */
const savedWriteTo = (config: ReportConfig | null): WriteTo =>
  config?.spreadsheet ? { kind: 'link', link: config.spreadsheet.id } : { kind: 'this' };

/** The spreadsheet, or null when this user cannot open it. */
function openedOrNull(id: string): Spreadsheet | null {
  const opened = openSpreadsheet(id);
  return 'problem' in opened ? null : opened;
}

const describeSpreadsheet = (spreadsheet: Spreadsheet): OtherSpreadsheet => ({
  id: spreadsheet.getId(),
  name: spreadsheet.getName(),
  url: spreadsheet.getUrl(),
});

/**
 * The report among `reports` that writes to this tab of this spreadsheet (null: the one they
 * are saved in): saved with its name, or (in this spreadsheet) writing to it under the name
 * the user has given it since.
 */
function writingTo(
  reports: ReportConfig[],
  spreadsheetId: string | null,
  sheetName: string,
  host: Spreadsheet,
): ReportConfig | null {
  // The host's tabs are read only when a report of the host might have been renamed onto this name.
  let tabOf: ReturnType<typeof reportTabs<GoogleAppsScript.Spreadsheet.Sheet>> | undefined;
  return (
    reports.find(
      (report) =>
        (report.spreadsheet?.id ?? null) === spreadsheetId &&
        (sameTabName(report.sheetName, sheetName) ||
          (!report.spreadsheet &&
            sameTabName(
              (tabOf ??= reportTabs(host))(report.sheetName, report.id)?.getName() ?? '',
              sheetName,
            ))),
    ) ?? null
  );
}

const takenTabRefusal = (report: ReportConfig, sheetName: string) =>
  `The report “${report.name}” already writes to the tab “${sheetName}”. Choose another tab.`;

/**
 * Whether a tab exists and holds data the report does not own, or is another report's (no
 * taking over: the save refuses it): the builder warns before touching it, and names the
 * other spreadsheet a link leads to.
 */
export function checkDestination(
  sheetName: string,
  reportId: string | null,
  writeTo?: WriteTo,
): { exists: boolean; holdsOtherData: boolean; spreadsheetName: string | null; tabTaken: string | null } {
  const problems = writeToProblems(writeTo);
  if (problems.length) throw new Error(problems.join(' '));
  refuseWithout('checkDestination');
  const host = activeSpreadsheet();
  const store = reportStore();
  const report = reportId ? store.get(String(reportId)) : null;
  const choice = writeTo ?? savedWriteTo(report);
  const saved = report?.spreadsheet;
  const others = store.list().filter((other) => other.id !== report?.id);
  const taken = (spreadsheetId: string | null) => {
    const other = writingTo(others, spreadsheetId, String(sheetName), host);
    return other && takenTabRefusal(other, String(sheetName));
  };
  // The saved destination, which this user may not be able to open: the save keeps it as it is.
  if (saved && choice.kind === 'link' && spreadsheetIdIn(choice.link) === saved.id && !openedOrNull(saved.id))
    return { exists: false, holdsOtherData: false, spreadsheetName: saved.name, tabTaken: taken(saved.id) };
  const target = writeTarget(choice, host);
  if (target === 'new')
    return { exists: false, holdsOtherData: false, spreadsheetName: null, tabTaken: null };
  const spreadsheetName = target === host ? null : target.getName();
  const tabTaken = taken(target === host ? null : target.getId());
  const sheet = tabNamed(target, String(sheetName));
  if (!sheet) return { exists: false, holdsOtherData: false, spreadsheetName, tabTaken };
  const labels = report ? reportLabels(report) : new Set<string>();
  const foreign = writtenByAnother(sheet, report?.id ?? '', target === host ? host.getId() : undefined);
  return {
    exists: true,
    holdsOtherData: foreign || tabOwnership(sheet, labels, report?.id ?? '') === 'other',
    spreadsheetName,
    tabTaken,
  };
}

/** A report as the builder sends it, with where it writes and the user's answer to "take over this tab". */
export type ReportInput = ReportConfig & {
  takeOverTab?: boolean;
  writeTo?: WriteTo;
  /**
   * A new report's id, made by the builder when it opened: Save clicked again after a save
   * Apps Script stopped (the builder still open) saves the same report, not a second one.
   */
  newId?: string;
};

/** An id the builder made (a UUID): anything else is ignored and the server makes one. */
const isNewReportId = (id: unknown): id is string =>
  typeof id === 'string' && /^[A-Za-z0-9-]{16,64}$/.test(id);

export function saveReport(input: ReportInput): ReportSummary[] {
  const shapeProblems = reportInputProblems(input);
  if (shapeProblems.length) throw new Error(shapeProblems.join(' '));
  const schedule = input.schedule ?? { kind: 'none' };
  // Before anything is read or written: a scheduled report's hourly run cannot ask the user later.
  refuseWithout(schedule.kind !== 'none' ? 'saveScheduledReport' : 'saveReport');
  const spreadsheet = activeSpreadsheet();
  const store = reportStore();
  const user = currentUser();
  const newId = !input.id && isNewReportId(input.newId) ? input.newId : null;
  // A stopped save may have written the report without listing it: only a listed one was saved.
  const existing = input.id
    ? store.get(input.id)
    : newId
      ? (store.list().find((report) => report.id === newId) ?? null)
      : null;
  const savedId = input.id ?? newId;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the builder's id is `id` once saved
  const { takeOverTab, writeTo, newId: _newId, ...fields } = input;
  // A schedule is its user's: their trigger runs it and emails them. Without the address (a
  // domain's policies may hide it from add-ons), no one could be told it failed, nor told apart.
  if (schedule.kind !== 'none' && !user)
    throw new Error(
      'Google does not give this add-on your email address (your organization’s settings hide it), and a schedule needs it to run as you and to email you when it fails. Save the report without a schedule and run it from the sidebar, or ask your Google Workspace admin to let add-ons see your email address.',
    );
  // Whoever saves a scheduled report runs it from their own trigger, with their LinkedIn connection.
  const ownerAfterSave = (previous: ReportConfig | null) =>
    schedule.kind !== 'none' ? user : (previous?.owner ?? user);
  const takesOver = (previous: ReportConfig | null): previous is ReportConfig =>
    !!previous && ownerAfterSave(previous) !== previous.owner;
  // A report saved while Google withheld its saver's address has a blank owner.
  const ownersConnection = (previous: ReportConfig) =>
    previous.owner ? `${previous.owner}’s` : 'that of whoever saved it before';
  const config: ReportConfig = {
    ...fields,
    id: existing?.id ?? newId ?? Utilities.getUuid(),
    owner: ownerAfterSave(existing),
    source: input.source === 'pages' ? 'pages' : 'ads',
    name: input.name.trim(),
    sheetName: input.sheetName.trim(),
    schedule,
    writeMode: input.writeMode ?? 'upsert',
  };
  const problems = validateReport(config, isoDate(Date.now()));
  if (problems.length) throw new Error(problems.join(' '));
  // Saved since the builder opened (the save Apps Script stopped, its Save clicked again): the
  // new spreadsheet that save made is the one it writes to, not another.
  const madeAlready =
    writeTo?.kind === 'new' && !!existing?.spreadsheet && existing.revision !== input.revision;
  const choice = madeAlready ? savedWriteTo(existing) : (writeTo ?? savedWriteTo(existing));
  const kept = existing?.spreadsheet;
  // Kept as saved, even by an editor who cannot open it (the run says so if no one can);
  // any other spreadsheet is written to only when this user can open it.
  const keeps = !!kept && choice.kind === 'link' && spreadsheetIdIn(choice.link) === kept.id;
  const target = keeps ? openedOrNull(kept.id) : writeTarget(choice, spreadsheet);
  config.spreadsheet = keeps
    ? kept
    : target !== 'new' && target !== spreadsheet && target
      ? describeSpreadsheet(target)
      : undefined;
  // Judged before the document lock: its LinkedIn requests must not keep other editors waiting.
  // A spreadsheet this user cannot open is not judged: the run judges again.
  const room = target === 'new' ? SPREADSHEET_CELL_LIMIT : target ? roomFor(target, config.sheetName) : null;
  const tooBig =
    room !== null && sizeMayChange(existing, config) ? cannotFitWhenSaved(config, room, store) : null;
  // Taking over another user's schedule: it will run with this user's connection (asked before the lock).
  if (takesOver(existing)) {
    const unreadable = unreadableBy(config);
    if (unreadable.length)
      throw new Error(
        `Your LinkedIn connection cannot read ${config.source === 'pages' ? 'page' : 'ad account'}${unreadable.length > 1 ? 's' : ''} ${unreadable.join(', ')}, which “${config.name}” reads, and saving it scheduled would run it with your connection instead of ${ownersConnection(existing)}: ask them to change it, or choose what your connection reads.`,
      );
  }
  if (tooBig) throw new Error(`${tooBig} ${existing ? 'Your changes were' : 'The report was'} not saved.`);
  const lock = documentLock();
  let clashNotice: string | null = null;
  try {
    // Read again under the lock: another editor may have saved the report since.
    const saved = store.list();
    const current = (savedId && saved.find((report) => report.id === savedId)) || null;
    const others = saved.filter((report) => report.id !== config.id);
    if (existing && !current)
      throw new Error('Another editor deleted this report meanwhile. Nothing was saved.');
    config.owner = ownerAfterSave(current);
    if (takesOver(current)) {
      // It will run on this user's schedule, with their LinkedIn connection: it must be able to.
      const context = authContext();
      if (!connectionStatus(context).connected)
        throw new Error(
          `Connect LinkedIn before saving “${current.name}” scheduled: it would run on your schedule, with your LinkedIn connection, instead of ${ownersConnection(current)}.`,
        );
      requireAccess(context, config.source, config.stream);
    }
    config.revision = Utilities.getUuid();
    const clash =
      target === 'new'
        ? null
        : writingTo(others, config.spreadsheet?.id ?? null, config.sheetName, spreadsheet);
    if (clash) throw new Error(takenTabRefusal(clash, config.sheetName));
    const sheet = target === 'new' || !target ? null : tabNamed(target, config.sheetName);
    // In another spreadsheet, a tab with the same columns may be another spreadsheet's report's.
    const foreign =
      !!sheet && writtenByAnother(sheet, config.id, config.spreadsheet ? undefined : spreadsheet.getId());
    const takenOver =
      sheet && (foreign || tabOwnership(sheet, reportLabels(config), config.id) === 'other') ? sheet : null;
    if (takenOver && !takeOverTab)
      throw new Error(
        `The tab “${config.sheetName}” already holds other data. Choose another tab, or tick “take over this tab” to clear it for this report.`,
      );
    const userProperties = PropertiesService.getUserProperties();
    const mirror = scheduleMirror(userProperties, spreadsheet.getId());
    // Where the report writes now: its tab, under the name the user may have given it since.
    const sameSpreadsheet = (current?.spreadsheet?.id ?? null) === (config.spreadsheet?.id ?? null);
    const currentTab =
      current && sameSpreadsheet && target && target !== 'new'
        ? reportTab(target, current.sheetName, config.id)
        : null;
    const moving =
      current &&
      (target === 'new' ||
        !sameSpreadsheet ||
        (currentTab?.getName() ?? current.sheetName) !== config.sheetName);
    // A run by hand or on this user's schedule. One on another user's schedule is not seen here:
    // their trigger leaves it unfinished, the report being saved by someone else.
    if (moving && (store.job(config.id) || mirror.job(config.id)))
      throw new Error(
        'The report is importing right now: let the run finish, or cancel it, before changing where it writes.',
      );
    const othersScheduled = scheduledSpreadsheets(userProperties).some((id) => id !== spreadsheet.getId());
    const willBeScheduled = scheduledBy([...others, config], user).length > 0;
    const schedules = schedulesOf([...others, config]);
    const noRoom = schedulesTooBig(spreadsheet, schedules);
    if (noRoom) throw new Error(`${noRoom} ${existing ? 'Your changes were' : 'The report was'} not saved.`);
    // A trigger is made before a schedule is saved and removed after the last one is: a stop
    // between leaves a trigger with nothing to run, never a schedule that nothing runs.
    const triggerWanted = willBeScheduled || othersScheduled;
    if (triggerWanted) keepTrigger(spreadsheet, true, othersScheduled);
    // Made last, so a refused save leaves no empty spreadsheet behind.
    const madeFor = `made-spreadsheet.${config.id}.${input.revision ?? 'new'}`;
    if (target === 'new') config.spreadsheet = newSpreadsheetFor(config, userProperties, madeFor);
    // Before the report names its new tab: its old one is no longer found under its old names.
    if (moving && currentTab) releaseTab(currentTab, config.id);
    const columnsChange = !!current && headerOf(current).join('\u0001') !== headerOf(config).join('\u0001');
    if (columnsChange && !moving && currentTab) {
      settleTableHeader(currentTab, config.id, headerOf(current!));
      clashNotice = userColumnNotice(currentTab, config);
    }
    // The spreadsheet's schedules first: a stop before the report is saved only makes runs wait.
    writeSchedules(spreadsheet, schedules);
    store.save(config);
    // A report that writes somewhere else starts its history there: an incremental run reads its first reach again.
    // The last run's note speaks of the tab as it was (columns it added, a rebuild, rows to delete).
    const startedAfresh = (state: ReportState): ReportState => ({
      ...state,
      ...(moving ? { lastCoveredEnd: null, tableRows: null, lastRows: null } : {}),
      ...(moving || columnsChange ? { lastNote: null } : {}),
    });
    store.saveState(config.id, {
      ...startedAfresh(store.state(config.id)),
      nextRunAt: nextRunOf(config, spreadsheet),
    });
    mirrorOwnSchedules(store, userProperties, spreadsheet.getId(), user);
    if (moving && mirror.get(config.id)) mirror.saveState(config.id, startedAfresh(mirror.state(config.id)));
    if (target === 'new') userProperties.deleteProperty(madeFor);
    // A user whose address is not known may schedule reports saved under it: their trigger stays.
    if (!triggerWanted && user) keepTrigger(spreadsheet, false, othersScheduled);
    // Cleared once the report it is cleared for is saved: a stop before leaves the user's data,
    // and the report's run then asks to take the tab over again.
    takenOver?.clear();
    if (takenOver) claimTab(takenOver, config.id, spreadsheet.getId(), true);
  } finally {
    lock.releaseLock();
  }
  const emailsWithheld = schedule.kind !== 'none' && !granted('emailOwner') ? EMAILS_WITHHELD : null;
  const notice =
    [rebuildNotice(existing, config, store.state(config.id)), clashNotice, emailsWithheld]
      .filter(Boolean)
      .join(' ') || null;
  return listReports().map((summary) =>
    summary.config.id === config.id && notice ? { ...summary, notice } : summary,
  );
}

/**
 * Said on saving a report whose tab holds its rows under other columns: the next run adds,
 * removes and reorders columns around them, or (under another key) rebuilds the tab from its
 * own rows (`writeTable`), so rows of days it does not read go.
 */
function rebuildNotice(
  existing: ReportConfig | null,
  config: ReportConfig,
  state: ReportState,
): string | null {
  if (!existing || !state.tableRows) return null;
  const before = headerOf(existing);
  const after = reportHeader(config);
  if (before.join('\u0001') === after.join('\u0001')) return null;
  const plan = reshapePlan(before, after, reportKeyLabels(config));
  if (!plan) {
    const cause = rebuildCause(rowsStandFor(existing), rowsStandFor(config), PERIOD_WORDS);
    return rebuildSentence('It now has', cause ?? 'other key columns', config.sheetName, state.tableRows);
  }
  const changes = [
    plan.added.length > 0 && `adds ${quotedLabels(plan.added)}`,
    plan.removed.length > 0 && removesColumns(plan.removed),
    plan.reordered && 'puts the columns in their new order',
  ].filter(Boolean);
  return `Its next run ${changes.join(' and ')} in the tab “${config.sheetName}”; rows of earlier runs stay${plan.added.length > 0 ? ', blank under new columns for the days that run does not read' : ''}.`;
}

/** The header a saved report wrote; none when it names a field this version's catalog no longer has. */
function headerOf(saved: ReportConfig): string[] {
  try {
    return reportHeader(saved);
  } catch {
    return [];
  }
}

/**
 * Whether a save may change how many cells a report needs: a new report, or other accounts,
 * metrics, breakdown, rows or dates, or another tab. Renaming, rescheduling or unscheduling a
 * report that no longer fits must still save.
 */
function sizeMayChange(existing: ReportConfig | null, config: ReportConfig): boolean {
  if (!existing) return true;
  const size = ({
    stream,
    accountIds,
    fields,
    pivot,
    granularity,
    dateRange,
    sheetName,
    spreadsheet,
  }: ReportConfig) =>
    JSON.stringify([stream, accountIds, fields, pivot, granularity, dateRange, sheetName, spreadsheet?.id]);
  return size(existing) !== size(config);
}

/**
 * How long saving may spend judging a report: accounts with thousands of creatives take many
 * pages of lookups, and the user waits on Save.
 */
const SAVE_JUDGEMENT_MS = 20_000;

/**
 * An Ads analytics report that could outgrow the spreadsheet is refused when saved, from the
 * lookups its first run would make. Without a working connection, or when the lookups would
 * keep the user waiting, nothing is judged here: the run judges the same way before its first
 * analytics request.
 */
function cannotFitWhenSaved(config: ReportConfig, room: number, store: ReportStore): string | null {
  if (streamSpecOf(config)?.fetch !== 'ad-analytics') return null;
  // Without "Connect to an external service" LinkedIn cannot be asked: the run asks for it, and judges.
  if (!granted('reachLinkedIn')) return null;
  const dates = runDates(config, isoDate(Date.now()), store.state(config.id).lastCoveredEnd);
  try {
    const client = linkedInClient(authContext(), Date.now() + SAVE_JUDGEMENT_MS);
    return savedReportCannotFit(client, room, config, dates, runCache());
  } catch (error) {
    if (passingFailure(error)) return null;
    throw error;
  }
}

/** What a save judges by asking LinkedIn may leave unjudged: LinkedIn's refusal, its time, or Apps Script's quota. */
const passingFailure = (error: unknown) =>
  error instanceof LinkedInError || error instanceof OutOfTimeError || error instanceof UrlFetchQuotaError;

/**
 * The ad accounts or pages a report reads that this user's connection cannot: a schedule this
 * user takes over runs with it. Nothing when LinkedIn cannot tell (the save checks the
 * connection itself under its lock).
 */
function unreadableBy(config: ReportConfig): string[] {
  try {
    const client = linkedInClient(authContext(), Date.now() + SAVE_JUDGEMENT_MS);
    const pages = config.source === 'pages';
    const readable = (pages ? listPages(client) : listAdAccounts(client)).map((entity) => entity.id);
    const wanted = (pages ? config.organizationIds : config.accountIds) ?? [];
    return wanted.map(String).filter((id) => !readable.includes(id));
  } catch (error) {
    if (passingFailure(error)) return [];
    throw error;
  }
}

/** What the save says of a user's column beside the tab's table that the report's next run would stop at. */
function userColumnNotice(tab: GoogleAppsScript.Spreadsheet.Sheet, config: ReportConfig): string | null {
  const { writtenBefore, tableHeaders } = marksFor(tab, config.id);
  if (!writtenBefore) return null;
  return userColumnClashNotice(tab, reportHeader(config), { tableHeaders, ownLabels: reportLabels(config) });
}

/**
 * Before the report's columns change, the tab's mark is brought to the one header its table has,
 * when that is known: which of the tab's columns are the report's is known best now. A tab
 * written before marks held the header has the one the report had, if it starts with it. A
 * change of columns a stop interrupted has ended at one end, if the tab reads as that one whole:
 * settled, a column the user then adds named like the other end's is not taken for the report's.
 */
function settleTableHeader(
  tab: GoogleAppsScript.Spreadsheet.Sheet,
  reportId: string,
  header: string[],
): void {
  const { writtenBefore, tableHeaders } = marksFor(tab, reportId);
  if (!writtenBefore || tableHeaders.length === 1) return;
  const labels = readHeader(tab);
  const settled =
    tableHeaders.length > 0
      ? settledHeaderOf(labels, tableHeaders)
      : startsWithHeader(labels, header)
        ? header
        : null;
  if (settled) recordTableHeaders(tab, [settled]);
}

/**
 * A spreadsheet in the user's Drive for one report: named after it, its one tab named as the
 * report's tab and cut to one column (the first write widens it to the report's columns), since
 * Sheets counts every cell of the grid. Its id is noted at once under `madeFor` (the report and
 * the revision the builder edited): Save clicked again after a stop finds it instead of making
 * another. Only a stop between making it and noting it leaves one behind in the user's Drive.
 */
function newSpreadsheetFor(
  config: ReportConfig,
  userProperties: GoogleAppsScript.Properties.Properties,
  madeFor: string,
): OtherSpreadsheet {
  const made = userProperties.getProperty(madeFor);
  const found = made ? openSpreadsheet(made) : null;
  let spreadsheet: Spreadsheet;
  if (found && !('problem' in found)) spreadsheet = found;
  else {
    spreadsheet = SpreadsheetApp.create(config.name);
    userProperties.setProperty(madeFor, spreadsheet.getId());
  }
  // Its one tab becomes the report's (again, after a stop before that).
  const tabs = spreadsheet.getSheets();
  if (tabs.length === 1 && tabs[0].getName() !== config.sheetName) {
    const tab = tabs[0].setName(config.sheetName);
    if (tab.getMaxColumns() > 1) tab.deleteColumns(2, tab.getMaxColumns() - 1);
  }
  return describeSpreadsheet(spreadsheet);
}

export function duplicateReport(reportId: string): ReportSummary[] {
  refuseWithout('saveReport');
  const store = reportStore();
  const original = store.get(String(reportId));
  if (!original) throw new Error('That report no longer exists.');
  // The copy writes where the original does, or here when this user cannot open that.
  const elsewhere = original.spreadsheet ? openedOrNull(original.spreadsheet.id) : null;
  const tabs = (elsewhere ?? activeSpreadsheet()).getSheets().map((sheet) => sheet.getName());
  const suffix = copySuffix(original, store.list(), tabs);
  return saveReport({
    ...original,
    id: '',
    name: `${original.name}${suffix}`,
    sheetName: `${original.sheetName}${suffix}`,
    schedule: { kind: 'none' },
    writeTo: original.spreadsheet && !elsewhere ? { kind: 'this' } : savedWriteTo(original),
  });
}

/** “ (copy)”, else “ (copy 2)”, …: the first no report's name or tab, nor a tab where the copy writes, has. */
function copySuffix(original: ReportConfig, reports: ReportConfig[], tabs: string[]): string {
  for (let copy = 1; ; copy++) {
    const suffix = copy === 1 ? ' (copy)' : ` (copy ${copy})`;
    const taken = (report: ReportConfig) =>
      report.name === original.name + suffix || sameTabName(report.sheetName, original.sheetName + suffix);
    if (!reports.some(taken) && !tabs.some((tab) => sameTabName(tab, original.sheetName + suffix)))
      return suffix;
  }
}

export function deleteReport(reportId: string): ReportSummary[] {
  refuseWithout('deleteReport');
  const spreadsheet = activeSpreadsheet();
  const lock = documentLock();
  try {
    const store = reportStore();
    const user = currentUser();
    writeSchedules(spreadsheet, schedulesOf(store.list().filter((report) => report.id !== String(reportId))));
    store.delete(String(reportId));
    const userProperties = PropertiesService.getUserProperties();
    mirrorOwnSchedules(store, userProperties, spreadsheet.getId(), user);
    const stillScheduled = scheduledSpreadsheets(userProperties).length > 0;
    keepTrigger(spreadsheet, stillScheduled, stillScheduled);
  } finally {
    lock.releaseLock();
  }
  return listReports();
}

function sidebarRunServices(reportId: string): RunServices {
  const spreadsheet = activeSpreadsheet();
  const mirror = scheduleMirror(PropertiesService.getUserProperties(), spreadsheet.getId());
  return runServices(Date.now() + SIDEBAR_STEP_MS, spreadsheet, {
    store: reportStore(),
    lock: LockService.getDocumentLock(),
    ...(mirror.get(reportId) ? { alsoHeldIn: { store: mirror, lock: LockService.getUserLock() } } : {}),
  });
}

export function runReportNow(reportId: string): Progress {
  refuseWithout('runReport');
  // Without a usable connection the run could only fail, and its failure would replace the
  // card's last error (what the user needs to read) with this one.
  const status = connectionStatus(authContext());
  if (!status.connected) throw new Error(status.problem ?? 'Sign in with LinkedIn above to run reports.');
  return startRun(sidebarRunServices(String(reportId)), String(reportId), false);
}

/** The sidebar's next step of a run; `runId` (from the last answer) keeps the answer about that run. */
export function continueReport(reportId: string, runId?: string | null): Progress {
  refuseWithout('runReport');
  return continueRun(
    sidebarRunServices(String(reportId)),
    String(reportId),
    typeof runId === 'string' ? runId : null,
  );
}

export function cancelReport(reportId: string): ReportSummary[] {
  refuseWithout('cancelImport');
  const mirror = scheduleMirror(PropertiesService.getUserProperties(), activeSpreadsheet().getId());
  cancelRun(reportStore(), String(reportId), mirror);
  return listReports();
}

/**
 * The email about a failed scheduled import: it names the spreadsheet whose sidebar lists the
 * report (`host`, null where the run could not open it) and the tab it writes to.
 */
function failureEmail(config: ReportConfig, message: string, host: Spreadsheet | null) {
  const tab = `the tab “${config.sheetName}”${config.spreadsheet ? ` of “${config.spreadsheet.name}”` : ''}`;
  const where = host ? `“${host.getName()}” (${host.getUrl()})` : 'the spreadsheet the report is saved in';
  return {
    subject: `LinkedIn Data: “${config.name}” did not refresh`,
    body: `The scheduled import “${config.name}” into ${tab} failed:\n\n${message}\n\nOpen ${where}, then Extensions > LinkedIn Data > Open sidebar. You get this email once until the report works again.`,
  };
}

/**
 * The one time-driven trigger: in every spreadsheet where this user has schedules, runs
 * the due reports and continues any a previous run left unfinished (overdue ones once the
 * user is signed in again). It reads only the user's own properties and opens each
 * spreadsheet by id, so it works whether or not Apps Script gives the trigger a document.
 */
export function runScheduledReports(): void {
  const started = Date.now();
  const deadline = started + TRIGGER_BUDGET_MS;
  const userProperties = PropertiesService.getUserProperties();
  const spreadsheetIds = scheduledSpreadsheets(userProperties);
  // A trigger with nothing to run (a save stopped between making it and saving the schedule):
  // no import waits on the connection, so nothing is said about it.
  if (spreadsheetIds.length === 0) return;
  const context = authContext();
  const { connected, needsReconnect } = connectionStatus(context);
  // Signed out on purpose (no connection left at all): the schedules wait for the next sign-in,
  // as Disconnect said, with nothing to fail or email. An ended connection still fails and says so.
  if (!connected && !needsReconnect) return;
  // No one is here to ask, and a call to a service the user did not grant may end the whole run
  // (Google: the trigger "fails immediately"): a permission missing is said on the cards of the
  // imports it holds up, and nothing that needs it is called.
  const missing = missingFor('scheduledImport');
  if (missing.length) {
    recordBlockedImports(userProperties, spreadsheetIds, missing, started);
    return;
  }
  const user = currentUser();
  const notice = connectionNotice(context);
  if (notice) sendEmail(user, notice);
  for (const spreadsheetId of spreadsheetIds) {
    if (Date.now() >= deadline) break;
    const store = scheduleMirror(userProperties, spreadsheetId);
    const spreadsheet = openSpreadsheet(spreadsheetId);
    if ('problem' in spreadsheet) {
      recordUnreachable(store, spreadsheet.problem);
      continue;
    }
    fillMissingNextRuns(store, spreadsheet);
    for (const config of reportsToDispatch(store, started)) {
      if (Date.now() >= deadline) break;
      // Read for each report: another editor may change one while this trigger runs the one before.
      if (!copyIsCurrent(readSchedules(spreadsheet), config, user)) continue;
      const services = runServices(deadline, spreadsheet, { store, lock: LockService.getUserLock() });
      const due = !store.job(config.id);
      let progress = startRun(services, config.id, true);
      // Its next time once its run is saved: a stop between the two runs it again, a stop
      // before the run would skip it until then (a day, for a daily report).
      if (due && progress.status === 'running')
        store.saveState(config.id, {
          ...store.state(config.id),
          nextRunAt: nextRunOf(config, spreadsheet),
        });
      // One step works until the deadline; what is left continues on the next run.
      if (progress.status === 'running') progress = continueRun(services, config.id);
      if (progress.status === 'failed')
        emailFailureOnce(store, config, progress.message ?? 'Unknown error', spreadsheet);
    }
  }
}

/**
 * The imports due (or unfinished) that a missing permission holds up: each card says which and
 * how to grant it, and the owner is emailed once when the streak of failures starts. They stay
 * due, so the next hourly run after the grant runs them.
 */
function recordBlockedImports(
  userProperties: Properties,
  spreadsheetIds: string[],
  missing: GoogleScope[],
  now: number,
): void {
  const message = scheduledImportBlocked(missing);
  for (const spreadsheetId of spreadsheetIds) {
    const store = scheduleMirror(userProperties, spreadsheetId);
    for (const config of reportsToDispatch(store, now)) {
      const state = store.state(config.id);
      store.saveState(config.id, {
        ...state,
        lastRunAt: now,
        lastError: message,
        failureStreak: state.failureStreak + 1,
      });
      // The spreadsheet is not opened: its permission may be the one missing.
      emailFailureOnce(store, config, message, null);
    }
  }
}

/**
 * Emails the owner about a failed scheduled import once a streak of failures. Marked as sent
 * after sending: a stop between the failure's record and its email sends it at the next failure
 * instead of never (a stop right after sending may send it twice).
 */
function emailFailureOnce(
  store: ReportStore,
  config: ReportConfig,
  message: string,
  host: Spreadsheet | null,
) {
  if (store.state(config.id).failureEmailed) return;
  sendEmail(config.owner, failureEmail(config, message, host));
  store.saveState(config.id, { ...store.state(config.id), failureEmailed: true });
}

/**
 * An email the trigger sends, or not. Without "Send email as you" it is not sent at all: the
 * call would fail, or end the whole run. A spent daily quota (100 recipients for a consumer
 * account, Apps Script's quotas page) or a refused recipient throws, and must not stop the runs
 * of the reports after it. What the email says stays on the report's card.
 */
function sendEmail(to: string, email: { subject: string; body: string }): void {
  if (!granted('emailOwner')) {
    console.warn(`Email to ${to} not sent: Google's permission to send email was not given.`);
    return;
  }
  try {
    MailApp.sendEmail(to, email.subject, email.body);
  } catch (error) {
    console.warn(`Email to ${to} not sent: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A spreadsheet the trigger cannot open (deleted, or access lost): each of its reports says so. */
function recordUnreachable(store: ReportStore, problem: string): void {
  const message = `The scheduled run could not open the spreadsheet (${problem}). Open it and save the report again, or delete it.`;
  for (const config of store.list())
    store.saveState(config.id, { ...store.state(config.id), lastRunAt: Date.now(), lastError: message });
}
