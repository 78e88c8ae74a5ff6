/**
 * The Apps Script entry file: the only place that names Apps Script's global services.
 * Every export becomes a top-level function in dist/Code.js (see rollup.config.js), so
 * menu items, triggers, the OAuth callback and google.script.run can call it by name.
 * Each function adapts the services to the pure core and returns plain data.
 */
import {
  accessTokenProvider,
  type AuthContext,
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
import { type AdAccount, listAdAccounts } from './connectors/ads';
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

export function listLinkedInAdAccounts(): AdAccount[] {
  return listAdAccounts(linkedInClient(authContext(), Date.now() + INTERACTIVE_BUDGET_MS));
}
