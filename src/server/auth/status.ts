import { DAY_MS } from '../dates';
import type { Product } from '../linkedin/api';
import {
  APP_KEY,
  type AuthContext,
  appCredentials,
  chosenProducts,
  clearProblem,
  linkedInService,
  NOTICE_KEY,
  PROBLEM_KEY,
  redirectUri,
  SIGN_IN_KEY,
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
  products: Product[];
  /** How the last sign-in started from the sidebar ended, once LinkedIn's redirect has reached us. */
  signIn: SignInOutcome | null;
}

export interface SignInOutcome {
  ok: boolean;
  message: string;
}

export const EXPIRY_WARNING_DAYS = 14;

export function disconnect(context: AuthContext, forgetApp: boolean): void {
  linkedInService(context).reset();
  clearProblem(context);
  if (forgetApp) context.userProperties.deleteProperty(APP_KEY);
}

const daysLeft = (expiresAt: number | null, now: number): number | null =>
  expiresAt === null ? null : Math.max(0, Math.floor((expiresAt - now) / DAY_MS));

function lastSignIn(context: AuthContext): SignInOutcome | null {
  const text = context.userProperties.getProperty(SIGN_IN_KEY);
  return text ? (JSON.parse(text) as SignInOutcome) : null;
}

export function connectionStatus(context: AuthContext): ConnectionStatus {
  const service = linkedInService(context);
  const token = readToken(service);
  const credentials = appCredentials(context);
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
      problem ?? (token && !connected ? 'The LinkedIn connection has expired. Reconnect LinkedIn.' : null),
    scopes: (token?.scope ?? '').split(/[ ,]+/).filter(Boolean),
    accessTokenDaysLeft: accessDays,
    accessTokenExpiryEstimated: !!token?.expiry_estimated,
    refreshTokenDaysLeft: refreshDays,
    hasRefreshToken: !!token?.refresh_token,
    warning,
    redirectUri: redirectUri(context.scriptId),
    appCredentials: credentials?.source ?? 'none',
    clientId: credentials?.clientId ?? null,
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
