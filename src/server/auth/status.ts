import { DAY_MS } from '../dates';
import { findStream, productOf } from '../catalog/streams';
import type { StreamSpec } from '../catalog/types';
import { lacksScopes, PRODUCT_SCOPES, type Product } from '../linkedin/api';
import { addAccessCaption, PRODUCT_NAMES } from '../linkedin/products';
import { scheduledSpreadsheets, scheduleMirror } from '../reports/schedule';
import {
  APP_KEY,
  type AuthContext,
  appCredentials,
  chosenProducts,
  clearProblem,
  linkedInService,
  NOTICE_KEY,
  PENDING_APP_KEY,
  pendingApp,
  PROBLEM_KEY,
  redirectUri,
  SetupError,
  SIGN_IN_KEY,
  TOKEN_STORAGE_KEY,
} from './credentials';
import { readToken, tokenExpiries } from './token';

// What the sidebar and the owner's email are told about the connection, and disconnecting.

/** What the sidebar may know about the connection: never a token or a secret. */
export interface ConnectionStatus {
  connected: boolean;
  needsReconnect: boolean;
  problem: string | null;
  scopes: string[];
  accessTokenDaysLeft: number | null;
  accessTokenExpiryEstimated: boolean;
  refreshTokenDaysLeft: number | null;
  hasRefreshToken: boolean;
  warning: string | null;
  redirectUri: string;
  appCredentials: 'user' | 'publisher' | 'none';
  clientId: string | null;
  /** An app saved while connected through another, used by the next sign-in; never its secret. */
  pendingClientId: string | null;
  /** Whether the publisher set up an app the user can fall back to. */
  publisherApp: boolean;
  /** The user's scheduled reports in every spreadsheet: they stop when the connection does. */
  scheduledReports: number;
  /** Products whose scopes the connection lacks, in words; empty when LinkedIn did not say the scopes. */
  missingAccess: Array<{ product: Product; words: string }>;
  products: Product[];
  /** How the last sign-in started from the sidebar ended, once LinkedIn's redirect has reached us. */
  signIn: SignInOutcome | null;
}

export interface SignInOutcome {
  ok: boolean;
  message: string;
}

export const EXPIRY_WARNING_DAYS = 14;

/** Ends the connection; the user's app, if any, stays for the next sign-in. */
export function disconnect(context: AuthContext): void {
  // The library's reset() deletes the stored token, then its cached copy, finding keys in the
  // property store only: a stop between would leave the token in the cache for 6 hours, still
  // connected, where a second reset finds nothing to delete. The cached copy goes first.
  context.userCache.remove(TOKEN_STORAGE_KEY);
  linkedInService(context).reset();
  clearProblem(context);
}

/**
 * Back to the publisher's app: the user's app and its secret are forgotten. A token made
 * through the user's app cannot be renewed through another, so it goes too; a connection
 * through the publisher's app stays.
 */
export function usePublisherApp(context: AuthContext): void {
  if (appCredentials(context)?.source === 'user') {
    disconnect(context);
    context.userProperties.deleteProperty(APP_KEY);
  }
  context.userProperties.deleteProperty(PENDING_APP_KEY);
}

function scheduledReportCount(context: AuthContext): number {
  return scheduledSpreadsheets(context.userProperties).reduce(
    (count, spreadsheetId) =>
      count +
      scheduleMirror(context.userProperties, spreadsheetId)
        .list()
        .filter((report) => report.schedule.kind !== 'none').length,
    0,
  );
}

function missingAccess(scopes: string[]): Array<{ product: Product; words: string }> {
  return (Object.keys(PRODUCT_SCOPES) as Product[])
    .filter((product) => lacksScopes(scopes, PRODUCT_SCOPES[product]))
    .map((product) => ({ product, words: PRODUCT_NAMES[product].access }));
}

/**
 * Refuses at once, in words, a listing whose catalog entry needs scopes the connection was
 * not granted: LinkedIn would only answer 403 after the sidebar had waited for it.
 */
export function requireAccess(context: AuthContext, source: StreamSpec['source'], streamId: string): void {
  const status = connectionStatus(context);
  const spec = findStream(source, streamId)!;
  if (!status.connected || !lacksScopes(status.scopes, spec.scopes)) return;
  const product = productOf(spec);
  throw new SetupError(
    `This LinkedIn connection has no ${PRODUCT_NAMES[product].access} access. Click “${addAccessCaption(product)}” in the LinkedIn connection panel above to sign in again with it.`,
  );
}

const daysLeft = (expiresAt: number | null, now: number): number | null =>
  expiresAt === null ? null : Math.max(0, Math.floor((expiresAt - now) / DAY_MS));

function lastSignIn(context: AuthContext): SignInOutcome | null {
  const text = context.userProperties.getProperty(SIGN_IN_KEY);
  return text ? (JSON.parse(text) as SignInOutcome) : null;
}

/** The scopes LinkedIn granted the connection, as its token says (comma- or space-separated); empty when it did not say. */
const scopesOf = (token: { scope?: string } | null) => (token?.scope ?? '').split(/[ ,]+/).filter(Boolean);

/** `connectionStatus(context).scopes` alone: a run reads the token, not every setting the panel shows. */
export const grantedLinkedInScopes = (context: AuthContext): string[] =>
  scopesOf(readToken(linkedInService(context)));

export function connectionStatus(context: AuthContext): ConnectionStatus {
  const service = linkedInService(context);
  const token = readToken(service);
  const credentials = appCredentials(context);
  const scopes = scopesOf(token);
  const now = context.clock.now();
  const problem = context.userProperties.getProperty(PROBLEM_KEY);
  const { accessExpiresAt, refreshExpiresAt } = token
    ? tokenExpiries(token)
    : { accessExpiresAt: null, refreshExpiresAt: null };
  const accessDays = token?.access_token ? daysLeft(accessExpiresAt, now) : null;
  const refreshDays = token?.refresh_token ? daysLeft(refreshExpiresAt, now) : null;
  const accessValid = !!token?.access_token && (accessExpiresAt === null || accessExpiresAt > now);
  const refreshValid = !!token?.refresh_token && (refreshExpiresAt === null || refreshExpiresAt > now);
  const connected = !problem && (accessValid || refreshValid);
  let warning: string | null = null;
  if (connected && refreshValid && refreshDays !== null && refreshDays <= EXPIRY_WARNING_DAYS) {
    warning = `The LinkedIn connection ends in ${refreshDays} days (refresh tokens last a year). Reconnect before then to keep scheduled imports running.`;
  } else if (connected && !refreshValid && accessDays !== null && accessDays <= EXPIRY_WARNING_DAYS) {
    warning = `The LinkedIn access token ends in ${accessDays} days and cannot be renewed automatically. Make a new one and paste it, or sign in again.`;
  }
  return {
    connected,
    needsReconnect: !!token && !connected,
    problem:
      problem ??
      (token && !connected ? 'The LinkedIn connection has expired. Sign in with LinkedIn again.' : null),
    scopes,
    accessTokenDaysLeft: accessDays,
    accessTokenExpiryEstimated: !!token?.expiry_estimated,
    refreshTokenDaysLeft: refreshDays,
    hasRefreshToken: !!token?.refresh_token,
    warning,
    redirectUri: redirectUri(context.scriptId),
    appCredentials: credentials?.source ?? 'none',
    clientId: credentials?.clientId ?? null,
    pendingClientId: pendingApp(context)?.clientId ?? null,
    publisherApp: !!context.scriptProperties.getProperty(APP_KEY),
    scheduledReports: scheduledReportCount(context),
    missingAccess: missingAccess(scopes),
    products: chosenProducts(context),
    signIn: lastSignIn(context),
  };
}

/**
 * The one email a scheduled run sends about the connection: when it needs reconnecting
 * or ends soon. Returns null when there is nothing new to say since the last notice.
 */
export function connectionNotice(context: AuthContext): { subject: string; body: string } | null {
  const status = connectionStatus(context);
  const reason = status.needsReconnect ? status.problem : status.warning;
  if (!reason) return null;
  const noticeKey = status.needsReconnect ? 'reconnect' : 'expiring';
  if (context.userProperties.getProperty(NOTICE_KEY) === noticeKey) return null;
  context.userProperties.setProperty(NOTICE_KEY, noticeKey);
  return {
    subject: status.needsReconnect
      ? 'LinkedIn Data: reconnect LinkedIn to keep imports running'
      : 'LinkedIn Data: your LinkedIn connection ends soon',
    body: `${reason}\n\nOpen the spreadsheet, then Extensions > LinkedIn Data > Open sidebar.`,
  };
}
