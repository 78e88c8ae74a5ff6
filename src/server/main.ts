/**
 * The Apps Script entry file: the only place that names Apps Script's global services.
 * Every export becomes a top-level function in dist/Code.js (see rollup.config.js), so
 * menu items, triggers, the OAuth callback and google.script.run can call it by name.
 * Each function adapts the services to the pure core and returns plain data.
 */
import { accessTokenProvider, linkedInClient } from './auth/connection';
import { type AuthContext, saveAppCredentials } from './auth/credentials';
import { pasteAccessToken, pasteRefreshToken } from './auth/pasted-tokens';
import { finishAuthorization, startAuthorization } from './auth/sign-in';
import {
  connectionNotice,
  connectionStatus,
  type ConnectionStatus,
  disconnect,
  requireAccess,
  usePublisherApp,
} from './auth/status';
import { AD_PIVOTS } from './catalog/ad-analytics';
import { STREAMS } from './catalog/streams';
import { PERIOD_WORDS } from './catalog/types';
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
  mirrorSchedules,
  reportsToDispatch,
  scheduledSpreadsheets,
  scheduleMirror,
} from './reports/schedule';
import { savedReportCannotFit } from './reports/room';
import { tabOwnership } from './sheets/writer';
import { type ReportState, ReportStore } from './reports/store';
import { isoDate } from './dates';
import type { Product } from './linkedin/api';
import { LinkedInError, OutOfTimeError } from './linkedin/errors';
import { appsScriptClock, appsScriptHttp } from './platform-apps-script';
import { callbackPage, signInDialog } from './ui/html';
import { ADD_ON_TITLE, addAddOnMenu } from './ui/menu';

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

export function onOpen(): void {
  addAddOnMenu(() => SpreadsheetApp.getUi().createAddonMenu());
}

export function onInstall(): void {
  onOpen();
}

export function showSidebar(): void {
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
  const url = startAuthorization(context, status.products);
  const dialog = HtmlService.createHtmlOutput(signInDialog(url)).setWidth(360).setHeight(140);
  SpreadsheetApp.getUi().showModalDialog(dialog, 'Connect LinkedIn');
}

/** LinkedIn redirects here (through /usercallback) with the code or the reason it failed. */
export function authCallback(request: {
  parameter: Record<string, string>;
}): GoogleAppsScript.HTML.HtmlOutput {
  return HtmlService.createHtmlOutput(callbackPage(finishAuthorization(authContext(), request))).setTitle(
    'LinkedIn Data',
  );
}

export function getConnection(): ConnectionStatus {
  return connectionStatus(authContext());
}

export function saveLinkedInApp(clientId: string, clientSecret: string): ConnectionStatus {
  const context = authContext();
  saveAppCredentials(context, clientId, clientSecret);
  return connectionStatus(context);
}

export function startLinkedInSignIn(products: Product[]): { authorizationUrl: string } {
  return { authorizationUrl: startAuthorization(authContext(), products) };
}

export function pasteLinkedInRefreshToken(refreshToken: string): ConnectionStatus {
  const context = authContext();
  pasteRefreshToken(context, refreshToken);
  return connectionStatus(context);
}

export function pasteLinkedInAccessToken(accessToken: string): ConnectionStatus {
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

/** The sidebar's "Check connection": renews the access token if it is about to expire, then reports. */
export function testLinkedInConnection(): ConnectionStatus {
  const context = authContext();
  accessTokenProvider(context)();
  return connectionStatus(context);
}

/** Interactive calls get well under Apps Script's six minutes, leaving time to answer the sidebar. */
const INTERACTIVE_BUDGET_MS = 4 * 60_000;

export function listLinkedInPages(): Page[] {
  const context = authContext();
  requireAccess(context, 'pages', 'pages');
  return listPages(linkedInClient(context, Date.now() + INTERACTIVE_BUDGET_MS));
}

export function listLinkedInAdAccounts(): AdAccount[] {
  const context = authContext();
  requireAccess(context, 'ads', 'ad_accounts');
  return listAdAccounts(linkedInClient(context, Date.now() + INTERACTIVE_BUDGET_MS));
}

/** A sidebar step stays short so the progress bar moves; a trigger run uses most of its six minutes. */
const SIDEBAR_STEP_MS = 25_000;
const TRIGGER_BUDGET_MS = 4.5 * 60_000;

function currentUser(): string {
  return Session.getEffectiveUser().getEmail();
}

/** The spreadsheet the sidebar runs in (a sidebar always has one). */
function activeSpreadsheet(): GoogleAppsScript.Spreadsheet.Spreadsheet {
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

function runServices(
  stepDeadline: number,
  spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet,
  store: ReportStore,
): RunServices {
  return {
    // The client may work up to the trigger budget; the step itself stops starting batches at stepDeadline.
    client: linkedInClient(authContext(), Date.now() + TRIGGER_BUDGET_MS),
    stepDeadline,
    spreadsheet,
    store,
    clock: appsScriptClock(Utilities),
    // A scheduled run may have no document, so no document lock: the user's lock keeps that user's runs apart.
    lock: LockService.getDocumentLock() ?? LockService.getUserLock(),
    cache: CacheService.getDocumentCache() ?? CacheService.getUserCache()!,
    executionId: Utilities.getUuid(),
    newId: () => Utilities.getUuid(),
  };
}

/** How far the spreadsheet's clock is ahead of UTC, so "daily at 6" means 6 in the user's own time. */
/** When a report's schedule next falls due, in the spreadsheet's time zone (schedules speak its hours). */
function nextRunOf(
  config: ReportConfig,
  spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet,
): number | null {
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
  /** Whether the report's tab is in the spreadsheet: not before the first run, nor once the user deletes or renames it. */
  tabExists: boolean;
}

export function getCatalog() {
  const streams = STREAMS.map(({ id, source, label, description, fields, key, dated, granularities }) => ({
    id,
    source,
    label,
    description,
    key,
    fields,
    dated: !!dated,
    ...(granularities ? { granularities } : {}),
  }));
  return {
    streams,
    pivots: AD_PIVOTS,
    periodWords: PERIOD_WORDS,
    datePresets: DATE_PRESETS,
    writeModes: WRITE_MODES,
    scheduleKinds: SCHEDULE_KINDS,
  };
}

/** An Editor add-on has one hourly trigger, so a scheduled import too big for one run goes on at the next. */
const SCHEDULED_CONTINUATION =
  'Part of this scheduled import is done; the rest is fetched on the next hourly run.';

/**
 * The document's reports; for the user's own scheduled ones, what their scheduled runs
 * saved is merged in and written back, so every editor sees the latest run.
 */
export function listReports(): ReportSummary[] {
  const store = reportStore();
  const spreadsheet = activeSpreadsheet();
  const mirror = scheduleMirror(PropertiesService.getUserProperties(), spreadsheet.getId());
  return store.list().map((config) => {
    const scheduled = mirror.get(config.id) !== null;
    const own = store.state(config.id);
    const mirrored = scheduled ? mirror.state(config.id) : own;
    const state = scheduled ? mergedState(own, mirrored) : own;
    // Written back only when a run changed something: the sidebar asks for this list every 30 s.
    const merged = JSON.stringify(state);
    if (merged !== JSON.stringify(own)) store.saveState(config.id, state);
    if (merged !== JSON.stringify(mirrored)) mirror.saveState(config.id, state);
    const manual = store.job(config.id);
    const job = manual ?? (scheduled ? mirror.job(config.id) : null);
    const message = job && !manual ? SCHEDULED_CONTINUATION : null;
    return {
      config,
      state,
      running: job ? progressOf(config.id, job, 'running', message) : null,
      tabExists: spreadsheet.getSheetByName(config.sheetName) !== null,
    };
  });
}

/** Shows the report's tab in the spreadsheet, from the link on its card. */
export function openReportTab(reportId: string): ReportSummary[] {
  const report = reportStore().get(String(reportId));
  if (!report) throw new Error('That report no longer exists.');
  const sheet = activeSpreadsheet().getSheetByName(report.sheetName);
  if (!sheet)
    throw new Error(
      `The tab “${report.sheetName}” is not in this spreadsheet: it was deleted or renamed, or the report has not run yet. Run it to make the tab.`,
    );
  sheet.activate();
  return listReports();
}

/** Whether a tab exists and holds data the report does not own: the builder warns before touching it. */
export function checkDestination(
  sheetName: string,
  reportId: string | null,
): { exists: boolean; holdsOtherData: boolean } {
  const sheet = activeSpreadsheet().getSheetByName(String(sheetName));
  if (!sheet) return { exists: false, holdsOtherData: false };
  const report = reportId ? reportStore().get(String(reportId)) : null;
  const labels = report ? reportLabels(report) : new Set<string>();
  return { exists: true, holdsOtherData: tabOwnership(sheet, labels) === 'other' };
}

/** A report as the builder sends it, plus the user's answer to "take over this tab". */
export type ReportInput = ReportConfig & { takeOverTab?: boolean };

export function saveReport(input: ReportInput): ReportSummary[] {
  const shapeProblems = reportInputProblems(input);
  if (shapeProblems.length) throw new Error(shapeProblems.join(' '));
  const spreadsheet = activeSpreadsheet();
  const store = reportStore();
  const user = currentUser();
  const existing = input.id ? store.get(input.id) : null;
  const { takeOverTab, ...fields } = input;
  const config: ReportConfig = {
    ...fields,
    id: existing?.id ?? Utilities.getUuid(),
    owner: existing?.owner ?? user,
    source: input.source === 'pages' ? 'pages' : 'ads',
    name: input.name.trim(),
    sheetName: input.sheetName.trim(),
    schedule: input.schedule ?? { kind: 'none' },
    writeMode: input.writeMode ?? 'upsert',
  };
  const problems = validateReport(config, isoDate(Date.now()));
  if (problems.length) throw new Error(problems.join(' '));
  // Judged before the document lock: its LinkedIn requests must not keep other editors waiting.
  const tooBig = sizeMayChange(existing, config) ? cannotFitWhenSaved(config, spreadsheet, store) : null;
  if (tooBig) throw new Error(`${tooBig} ${existing ? 'Your changes were' : 'The report was'} not saved.`);
  const lock = documentLock();
  try {
    const clash = store
      .list()
      .find((report) => report.sheetName === config.sheetName && report.id !== config.id);
    if (clash)
      throw new Error(
        `The report “${clash.name}” already writes to the tab “${config.sheetName}”. Choose another tab.`,
      );
    const sheet = spreadsheet.getSheetByName(config.sheetName);
    if (sheet && tabOwnership(sheet, reportLabels(config)) === 'other') {
      if (!takeOverTab)
        throw new Error(
          `The tab “${config.sheetName}” already holds other data. Choose another tab, or tick “take over this tab” to clear it for this report.`,
        );
      sheet.clear();
    }
    const userProperties = PropertiesService.getUserProperties();
    const scheduledHere = (reports: ReportConfig[]) =>
      reports.some((report) => report.owner === user && report.schedule.kind !== 'none');
    const othersScheduled = scheduledSpreadsheets(userProperties).some((id) => id !== spreadsheet.getId());
    const willBeScheduled = scheduledHere([
      ...store.list().filter((report) => report.id !== config.id),
      config,
    ]);
    // The trigger first: a schedule is saved only once something will run it.
    ensureTrigger(ScriptApp, spreadsheet, willBeScheduled || othersScheduled, othersScheduled);
    store.save(config);
    store.saveState(config.id, {
      ...store.state(config.id),
      nextRunAt: nextRunOf(config, spreadsheet),
    });
    mirrorSchedules(store, userProperties, spreadsheet.getId(), user);
  } finally {
    lock.releaseLock();
  }
  return listReports();
}

/**
 * Whether a save may change how many cells a report needs: a new report, or other accounts,
 * metrics, breakdown, rows or dates, or another tab. Renaming, rescheduling or unscheduling a
 * report that no longer fits must still save.
 */
function sizeMayChange(existing: ReportConfig | null, config: ReportConfig): boolean {
  if (!existing) return true;
  const size = ({ stream, accountIds, fields, pivot, granularity, dateRange, sheetName }: ReportConfig) =>
    JSON.stringify([stream, accountIds, fields, pivot, granularity, dateRange, sheetName]);
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
function cannotFitWhenSaved(
  config: ReportConfig,
  spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet,
  store: ReportStore,
): string | null {
  if (streamSpecOf(config)?.fetch !== 'ad-analytics') return null;
  const dates = runDates(config, isoDate(Date.now()), store.state(config.id).lastCoveredEnd);
  try {
    const client = linkedInClient(authContext(), Date.now() + SAVE_JUDGEMENT_MS);
    return savedReportCannotFit(client, spreadsheet, config, dates);
  } catch (error) {
    if (error instanceof LinkedInError || error instanceof OutOfTimeError) return null;
    throw error;
  }
}

export function duplicateReport(reportId: string): ReportSummary[] {
  const original = reportStore().get(String(reportId));
  if (!original) throw new Error('That report no longer exists.');
  return saveReport({
    ...original,
    id: '',
    name: `${original.name} (copy)`,
    sheetName: `${original.sheetName} (copy)`,
    schedule: { kind: 'none' },
  });
}

export function deleteReport(reportId: string): ReportSummary[] {
  const spreadsheet = activeSpreadsheet();
  const lock = documentLock();
  try {
    const store = reportStore();
    const user = currentUser();
    store.delete(String(reportId));
    const userProperties = PropertiesService.getUserProperties();
    mirrorSchedules(store, userProperties, spreadsheet.getId(), user);
    const stillScheduled = scheduledSpreadsheets(userProperties).length > 0;
    ensureTrigger(ScriptApp, spreadsheet, stillScheduled, stillScheduled);
  } finally {
    lock.releaseLock();
  }
  return listReports();
}

export function runReportNow(reportId: string): Progress {
  return startRun(
    runServices(Date.now() + SIDEBAR_STEP_MS, activeSpreadsheet(), reportStore()),
    String(reportId),
    false,
  );
}

/** The sidebar's next step of a run; `runId` (from the last answer) keeps the answer about that run. */
export function continueReport(reportId: string, runId?: string | null): Progress {
  return continueRun(
    runServices(Date.now() + SIDEBAR_STEP_MS, activeSpreadsheet(), reportStore()),
    String(reportId),
    typeof runId === 'string' ? runId : null,
  );
}

export function cancelReport(reportId: string): ReportSummary[] {
  cancelRun(reportStore(), String(reportId));
  return listReports();
}

function failureEmail(config: ReportConfig, message: string) {
  return {
    subject: `LinkedIn Data: “${config.name}” did not refresh`,
    body: `The scheduled import “${config.name}” into the tab “${config.sheetName}” failed:\n\n${message}\n\nOpen the spreadsheet, then Extensions > LinkedIn Data > Open sidebar. You get this email once until the report works again.`,
  };
}

/**
 * The one time-driven trigger: in every spreadsheet where this user has schedules, runs
 * the due reports and continues any a previous run left unfinished. It reads only the
 * user's own properties and opens each spreadsheet by id, so it works whether or not
 * Apps Script gives the trigger a document.
 */
export function runScheduledReports(): void {
  const started = Date.now();
  const deadline = started + TRIGGER_BUDGET_MS;
  const user = currentUser();
  const userProperties = PropertiesService.getUserProperties();
  const notice = connectionNotice(authContext());
  if (notice) MailApp.sendEmail(user, notice.subject, notice.body);
  for (const spreadsheetId of scheduledSpreadsheets(userProperties)) {
    if (Date.now() >= deadline) break;
    const store = scheduleMirror(userProperties, spreadsheetId);
    let spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet;
    try {
      spreadsheet = SpreadsheetApp.openById(spreadsheetId);
    } catch (error) {
      recordUnreachable(store, error);
      continue;
    }
    for (const config of reportsToDispatch(store, started)) {
      if (Date.now() >= deadline) break;
      const services = runServices(deadline, spreadsheet, store);
      if (!store.job(config.id)) {
        store.saveState(config.id, {
          ...store.state(config.id),
          nextRunAt: nextRunOf(config, spreadsheet),
        });
      }
      // One step works until the deadline; what is left continues on the next run.
      let progress = startRun(services, config.id, true);
      if (progress.status === 'running') progress = continueRun(services, config.id);
      if (progress.status === 'failed' && store.state(config.id).failureStreak === 1) {
        const email = failureEmail(config, progress.message ?? 'Unknown error');
        MailApp.sendEmail(config.owner, email.subject, email.body);
      }
    }
  }
}

/** A spreadsheet the trigger cannot open (deleted, or access lost): each of its reports says so. */
function recordUnreachable(store: ReportStore, error: unknown): void {
  const message = `The scheduled run could not open the spreadsheet (${error instanceof Error ? error.message : String(error)}). Open it and save the report again, or delete it.`;
  for (const config of store.list())
    store.saveState(config.id, { ...store.state(config.id), lastRunAt: Date.now(), lastError: message });
}
