/**
 * The Apps Script entry file: the only place that names Apps Script's global services.
 * Every export becomes a top-level function in dist/Code.js (see rollup.config.js), so
 * menu items, triggers, the OAuth callback and google.script.run can call it by name.
 * Each function adapts the services to the pure core and returns plain data.
 */
import {
  accessTokenProvider,
  type AuthContext,
  connectionNotice,
  linkedInClient,
  connectionStatus,
  type ConnectionStatus,
  disconnect,
  finishAuthorization,
  pasteAccessToken,
  pasteRefreshToken,
  saveAppCredentials,
  startAuthorization,
} from './auth/connection';
import { AD_PIVOTS, AD_STREAMS, TIME_GRANULARITIES } from './catalog/ads';
import { PAGES_STREAMS } from './catalog/pages';
import { type AdAccount, listAdAccounts } from './connectors/ads';
import { listPages, type Page } from './connectors/pages';
import { DATE_PRESETS, nextRunAfter, type ReportConfig, validateReport } from './reports/config';
import { cancelRun, continueRun, type Progress, type RunServices, startRun } from './reports/runner';
import { reportsToDispatch, syncTrigger, wantedTrigger } from './reports/schedule';
import { type ReportState, ReportStore } from './reports/store';
import { isoDate } from './rows';
import type { Product } from './linkedin/api';
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

export function disconnectLinkedIn(forgetApp: boolean): ConnectionStatus {
  const context = authContext();
  disconnect(context, !!forgetApp);
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
  return listPages(linkedInClient(authContext(), Date.now() + INTERACTIVE_BUDGET_MS));
}

export function listLinkedInAdAccounts(): AdAccount[] {
  return listAdAccounts(linkedInClient(authContext(), Date.now() + INTERACTIVE_BUDGET_MS));
}

/** A sidebar step stays short so the progress bar moves; a trigger run uses most of its six minutes. */
const SIDEBAR_STEP_MS = 25_000;
const TRIGGER_BUDGET_MS = 4.5 * 60_000;

function currentUser(): string {
  return Session.getEffectiveUser().getEmail();
}

function reportStore(): ReportStore {
  return new ReportStore(PropertiesService.getDocumentProperties());
}

function runServices(stepDeadline: number): RunServices {
  return {
    // The client may work up to the trigger budget; the step itself stops starting batches at stepDeadline.
    client: linkedInClient(authContext(), Date.now() + TRIGGER_BUDGET_MS),
    stepDeadline,
    spreadsheet: SpreadsheetApp.getActive(),
    store: reportStore(),
    clock: appsScriptClock(Utilities),
    lock: LockService.getDocumentLock(),
    cache: CacheService.getDocumentCache()!,
    executionId: Utilities.getUuid(),
    newId: () => Utilities.getUuid(),
  };
}

/** How far the spreadsheet's clock is ahead of UTC, so "daily at 6" means 6 in the user's own time. */
function spreadsheetOffsetMs(at: number): number {
  const offset = Utilities.formatDate(new Date(at), SpreadsheetApp.getActive().getSpreadsheetTimeZone(), 'Z');
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5))) * 60_000;
}

export interface ReportSummary {
  config: ReportConfig;
  state: ReportState;
  running: Progress | null;
}

export function getCatalog() {
  const streams = [...AD_STREAMS, ...PAGES_STREAMS].map(
    ({ id, source, label, description, fields, key, dated, granularities }) => ({
      id,
      source,
      label,
      description,
      key,
      fields,
      dated: !!dated,
      ...(granularities ? { granularities } : {}),
    }),
  );
  return { streams, pivots: AD_PIVOTS, granularities: TIME_GRANULARITIES, datePresets: DATE_PRESETS };
}

export function listReports(): ReportSummary[] {
  const store = reportStore();
  return store.list().map((config) => {
    const job = store.job(config.id);
    return {
      config,
      state: store.state(config.id),
      running: job
        ? {
            reportId: config.id,
            status: 'running',
            requestsDone: job.requestsDone,
            requestsPlanned: job.requestsPlanned,
            rowsWritten: job.rowsWritten,
            message: null,
          }
        : null,
    };
  });
}

/** Whether a tab exists and holds data the report does not own: the builder warns before touching it. */
export function checkDestination(
  sheetName: string,
  reportId: string | null,
): { exists: boolean; holdsOtherData: boolean } {
  const sheet = SpreadsheetApp.getActive().getSheetByName(String(sheetName));
  if (!sheet) return { exists: false, holdsOtherData: false };
  const owner = reportStore()
    .list()
    .find((report) => report.sheetName === sheetName);
  return { exists: true, holdsOtherData: sheet.getLastRow() > 0 && (!owner || owner.id !== reportId) };
}

export function saveReport(input: ReportConfig): ReportSummary[] {
  const store = reportStore();
  const user = currentUser();
  const existing = input.id ? store.get(input.id) : null;
  const config: ReportConfig = {
    ...input,
    id: existing?.id ?? Utilities.getUuid(),
    owner: existing?.owner ?? user,
    source: input.source === 'pages' ? 'pages' : 'ads',
    sheetName: String(input.sheetName ?? '').trim(),
    schedule: input.schedule ?? { kind: 'none' },
  };
  const problems = validateReport(config, isoDate(Date.now()));
  if (problems.length) throw new Error(problems.join(' '));
  const clash = store
    .list()
    .find((report) => report.sheetName === config.sheetName && report.id !== config.id);
  if (clash)
    throw new Error(
      `The report “${clash.name}” already writes to the tab “${config.sheetName}”. Choose another tab.`,
    );
  store.save(config);
  const state = store.state(config.id);
  store.saveState(config.id, {
    ...state,
    nextRunAt: nextRunAfter(config.schedule, Date.now(), spreadsheetOffsetMs(Date.now())),
  });
  syncTrigger(ScriptApp, SpreadsheetApp.getActive(), wantedTrigger(store, config.owner));
  return listReports();
}

export function duplicateReport(reportId: string): ReportSummary[] {
  const original = reportStore().get(reportId);
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
  const store = reportStore();
  const owner = store.get(reportId)?.owner ?? currentUser();
  store.delete(reportId);
  if (owner === currentUser())
    syncTrigger(ScriptApp, SpreadsheetApp.getActive(), wantedTrigger(store, owner));
  return listReports();
}

export function runReportNow(reportId: string): Progress {
  return startRun(runServices(Date.now() + SIDEBAR_STEP_MS), reportId, false);
}

export function continueReport(reportId: string): Progress {
  return continueRun(runServices(Date.now() + SIDEBAR_STEP_MS), reportId);
}

export function cancelReport(reportId: string): ReportSummary[] {
  cancelRun(reportStore(), reportId);
  return listReports();
}

function failureEmail(config: ReportConfig, message: string) {
  return {
    subject: `LinkedIn Data: “${config.name}” did not refresh`,
    body: `The scheduled import “${config.name}” into the tab “${config.sheetName}” failed:\n\n${message}\n\nOpen the spreadsheet, then Extensions > LinkedIn Data > Open sidebar. You get this email once until the report works again.`,
  };
}

/** The one time-driven trigger: runs this user's due reports, continuing any a previous run left unfinished. */
export function runScheduledReports(): void {
  const started = Date.now();
  const deadline = started + TRIGGER_BUDGET_MS;
  const user = currentUser();
  const store = reportStore();
  const context = authContext();
  const notice = connectionNotice(context);
  if (notice) MailApp.sendEmail(user, notice.subject, notice.body);
  for (const config of reportsToDispatch(store, user, started)) {
    if (Date.now() >= deadline) break;
    const services = runServices(deadline);
    if (!store.job(config.id)) {
      const state = store.state(config.id);
      store.saveState(config.id, {
        ...state,
        nextRunAt: nextRunAfter(config.schedule, Date.now(), spreadsheetOffsetMs(Date.now())),
      });
    }
    let progress = startRun(services, config.id, true);
    while (progress.status === 'running' && Date.now() < deadline)
      progress = continueRun(services, config.id);
    if (progress.status === 'failed' && store.state(config.id).failureStreak === 1) {
      const email = failureEmail(config, progress.message ?? 'Unknown error');
      MailApp.sendEmail(config.owner, email.subject, email.body);
    }
  }
  syncTrigger(ScriptApp, SpreadsheetApp.getActive(), wantedTrigger(store, user));
}
