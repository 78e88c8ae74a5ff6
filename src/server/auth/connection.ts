import {
  AUTHORIZATION_URL,
  INTROSPECTION_URL,
  PRODUCT_SCOPES,
  type Product,
  TOKEN_URL,
} from '../linkedin/api';
import { DAY_MS } from '../dates';
import { LinkedInClient } from '../linkedin/client';
import { LinkedInError, OutOfTimeError } from '../linkedin/errors';
import type { Clock, Http } from '../platform';
import { libraryForm, readToken, type TokenRecord, tokenExpiries, writeToken } from './token';

export interface AuthContext {
  oauth2: GoogleAppsScriptOAuth2.OAuth2;
  userProperties: GoogleAppsScript.Properties.Properties;
  scriptProperties: Pick<GoogleAppsScript.Properties.Properties, 'getProperty'>;
  userCache: GoogleAppsScript.Cache.Cache;
  userLock: GoogleAppsScript.Lock.Lock;
  http: Http;
  clock: Clock;
  scriptId: string;
}

export interface AppCredentials {
  clientId: string;
  clientSecret: string;
  source: 'user' | 'publisher';
}

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

export const SERVICE_NAME = 'linkedin';
export const CALLBACK_FUNCTION = 'authCallback';
const APP_KEY = 'linkedin.app';
const PRODUCTS_KEY = 'linkedin.products';
const PROBLEM_KEY = 'linkedin.problem';
const NOTICE_KEY = 'linkedin.notice';
const SIGN_IN_KEY = 'linkedin.signIn';
/** A sign-in outcome repeats LinkedIn's words, which have no length limit; a property value holds 9 KB. */
const OUTCOME_MAX_CHARS = 1000;
/** LinkedIn access tokens last 60 days from creation. */
const ACCESS_TOKEN_SECONDS = 60 * 86_400;
export const EXPIRY_WARNING_DAYS = 14;

export const NO_SCOPES_ADVICE =
  'LinkedIn says "There aren\'t any scopes available for this app": your LinkedIn app has no approved API product yet. ' +
  'In the LinkedIn Developer portal, open your app > Products and request the Advertising API (for Ads data) and/or the ' +
  'Community Management API (for Pages data). Connect again once LinkedIn approves it.';

export function redirectUri(scriptId: string): string {
  return `https://script.google.com/macros/d/${scriptId}/usercallback`;
}

function readJson<T>(
  store: Pick<GoogleAppsScript.Properties.Properties, 'getProperty'>,
  key: string,
): T | null {
  const text = store.getProperty(key);
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

export function appCredentials(context: AuthContext): AppCredentials | null {
  const own = readJson<{ clientId: string; clientSecret: string }>(context.userProperties, APP_KEY);
  if (own?.clientId && own.clientSecret) return { ...own, source: 'user' };
  const publisher = readJson<{ clientId: string; clientSecret: string }>(context.scriptProperties, APP_KEY);
  if (publisher?.clientId && publisher.clientSecret) return { ...publisher, source: 'publisher' };
  return null;
}

export function chosenProducts(context: AuthContext): Product[] {
  const products = readJson<Product[]>(context.userProperties, PRODUCTS_KEY) ?? ['ads'];
  return products.filter((product) => product in PRODUCT_SCOPES);
}

export function linkedInService(context: AuthContext): GoogleAppsScriptOAuth2.OAuth2Service {
  const credentials = appCredentials(context);
  return context.oauth2
    .createService(SERVICE_NAME)
    .setAuthorizationBaseUrl(AUTHORIZATION_URL)
    .setTokenUrl(TOKEN_URL)
    .setClientId(credentials?.clientId ?? '')
    .setClientSecret(credentials?.clientSecret ?? '')
    .setCallbackFunction(CALLBACK_FUNCTION)
    .setPropertyStore(context.userProperties)
    .setCache(context.userCache)
    .setLock(context.userLock)
    .setScope(
      chosenProducts(context).flatMap((product) => PRODUCT_SCOPES[product]),
      ' ',
    );
}

function clearProblem(context: AuthContext): void {
  context.userProperties.deleteProperty(PROBLEM_KEY);
  context.userProperties.deleteProperty(NOTICE_KEY);
}

function recordProblem(context: AuthContext, message: string): void {
  context.userProperties.setProperty(PROBLEM_KEY, message);
}

export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}

const CREDENTIAL_PATTERN = /^[A-Za-z0-9_\-.=]{6,128}$/;

/** Stores the user's own LinkedIn app; a token belongs to one app, so a different app disconnects. */
export function saveAppCredentials(context: AuthContext, clientId: string, clientSecret: string): void {
  const id = String(clientId ?? '').trim();
  const secret = String(clientSecret ?? '').trim();
  if (!CREDENTIAL_PATTERN.test(id)) {
    throw new SetupError(
      "That client ID doesn't look right: copy it from your app's Auth tab in the LinkedIn Developer portal.",
    );
  }
  if (!CREDENTIAL_PATTERN.test(secret)) {
    throw new SetupError(
      "That client secret doesn't look right: copy the Primary Client Secret from your app's Auth tab in the LinkedIn Developer portal.",
    );
  }
  const previous = appCredentials(context);
  if (previous && previous.clientId !== id) linkedInService(context).reset();
  context.userProperties.setProperty(APP_KEY, JSON.stringify({ clientId: id, clientSecret: secret }));
}

export function startAuthorization(context: AuthContext, products: Product[]): string {
  const valid = products.filter((product) => product in PRODUCT_SCOPES);
  if (valid.length === 0) throw new SetupError('Choose Ads, Pages or both before signing in.');
  if (!appCredentials(context)) {
    throw new SetupError("Enter your LinkedIn app's client ID and client secret first (Setup, below).");
  }
  context.userProperties.setProperty(PRODUCTS_KEY, JSON.stringify(valid));
  context.userProperties.deleteProperty(SIGN_IN_KEY);
  return linkedInService(context).getAuthorizationUrl();
}

export interface CallbackOutcome {
  ok: boolean;
  title: string;
  message: string;
}

/** Why a token exchange failed, in words that say what to fix. */
function exchangeFailureMessage(error: unknown, context: AuthContext): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/invalid_redirect_uri|redirect[ _]uri/i.test(text)) {
    return `LinkedIn refused the redirect URI. In your LinkedIn app's Auth tab, add exactly ${redirectUri(context.scriptId)} under "Authorized redirect URLs for your app", then connect again.`;
  }
  if (/invalid_client/i.test(text)) {
    return "LinkedIn did not accept the client ID and secret. Copy both again from your app's Auth tab in the LinkedIn Developer portal, save them, and connect again.";
  }
  if (/invalid_grant/i.test(text)) {
    return 'The sign-in code expired or was already used (LinkedIn codes last 30 minutes and work once). Start the sign-in again from the sidebar.';
  }
  return `LinkedIn sign-in failed (${text}). Start the sign-in again from the sidebar.`;
}

function recordSignIn(context: AuthContext, outcome: CallbackOutcome): CallbackOutcome {
  const message =
    outcome.message.length > OUTCOME_MAX_CHARS
      ? `${outcome.message.slice(0, OUTCOME_MAX_CHARS - 1)}…`
      : outcome.message;
  context.userProperties.setProperty(SIGN_IN_KEY, JSON.stringify({ ok: outcome.ok, message }));
  return outcome;
}

/** LinkedIn's redirect: the token exchange, and the outcome kept for the sidebar that is polling. */
export function finishAuthorization(
  context: AuthContext,
  request: { parameter: Record<string, string> },
): CallbackOutcome {
  return recordSignIn(context, exchangeCode(context, request));
}

function exchangeCode(context: AuthContext, request: { parameter: Record<string, string> }): CallbackOutcome {
  const { error, error_description: description } = request.parameter;
  const failure = (message: string): CallbackOutcome => ({
    ok: false,
    title: 'LinkedIn is not connected',
    message,
  });
  if (error === 'user_cancelled_authorize' || error === 'user_cancelled_login' || error === 'access_denied') {
    return failure(
      'You cancelled the LinkedIn sign-in. Nothing was changed; start again from the sidebar when you are ready.',
    );
  }
  if (error === 'unauthorized_scope_error') {
    return failure(
      /aren't any scopes/i.test(description ?? '') ? NO_SCOPES_ADVICE : `${description}. ${NO_SCOPES_ADVICE}`,
    );
  }
  if (error)
    return failure(
      `LinkedIn answered "${error}"${description ? `: ${description}` : ''}. Start the sign-in again from the sidebar.`,
    );
  try {
    linkedInService(context).handleCallback(request);
  } catch (exchangeError) {
    return failure(exchangeFailureMessage(exchangeError, context));
  }
  clearProblem(context);
  return {
    ok: true,
    title: 'LinkedIn is connected',
    message: 'You can close this window and go back to the spreadsheet.',
  };
}

function formBody(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

/** A refresh token made on LinkedIn's OAuth 2.0 tools page: exchanged at once to check it and learn its expiry. */
export function pasteRefreshToken(context: AuthContext, refreshToken: string): void {
  const token = String(refreshToken ?? '').trim();
  if (!token || /\s/.test(token))
    throw new SetupError('Paste the refresh token exactly as LinkedIn shows it, with no spaces.');
  if (!appCredentials(context)) {
    throw new SetupError(
      "A refresh token works only with the app that made it: enter that app's client ID and secret first.",
    );
  }
  const service = linkedInService(context);
  const previous = readToken(service);
  writeToken(service, { refresh_token: token });
  try {
    service.refresh();
  } catch (error) {
    // apps-script-oauth2 takes the user lock for refresh() and does not let go when it throws.
    context.userLock.releaseLock();
    if (previous) writeToken(service, previous);
    else service.reset();
    const text = error instanceof Error ? error.message : String(error);
    throw new SetupError(
      /invalid_grant/.test(text)
        ? 'LinkedIn refused that refresh token: it has expired, was revoked, or belongs to a different app. Make a new one on the OAuth 2.0 tools page.'
        : exchangeFailureMessage(error, context),
    );
  }
  clearProblem(context);
}

interface Introspection {
  active?: boolean;
  status?: string;
  expires_at?: number;
  scope?: string;
}

/** A lone access token: checked with introspection when we have the app's credentials, else with a cheap API call. */
export function pasteAccessToken(context: AuthContext, accessToken: string): void {
  const token = String(accessToken ?? '').trim();
  if (!token || /\s/.test(token))
    throw new SetupError('Paste the access token exactly as LinkedIn shows it, with no spaces.');
  const pastedAt = context.clock.now();
  const nowSeconds = Math.floor(pastedAt / 1000);
  const credentials = appCredentials(context);
  let record: TokenRecord;
  if (credentials) {
    const [response] = context.http.fetchAll([
      {
        url: INTROSPECTION_URL,
        method: 'post',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        payload: formBody({
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
          token,
        }),
      },
    ]);
    const answer = JSON.parse(response.body || '{}') as Introspection;
    if (response.status !== 200 || !answer.active) {
      throw new SetupError(
        answer.status === 'expired'
          ? 'That access token has expired. Make a new one on the OAuth 2.0 tools page.'
          : response.status === 401
            ? "LinkedIn did not accept the app's client ID and secret, so the token could not be checked. Copy them again from your app's Auth tab."
            : 'LinkedIn does not recognise that access token for this app. Check you copied all of it, from the app whose client ID is saved here.',
      );
    }
    record = libraryForm(
      {
        access_token: token,
        expires_in: (answer.expires_at ?? nowSeconds) - nowSeconds,
        scope: answer.scope,
      },
      pastedAt,
    );
  } else {
    const products = chosenProducts(context);
    const probe = new LinkedInClient(context.http, context.clock, () => token, {
      deadline: context.clock.now() + 60_000,
      maxAttempts: 2,
    });
    try {
      probe.get(
        products.includes('ads')
          ? { path: 'adAccountUsers', query: { q: 'authenticatedUser', count: 1 } }
          : { path: 'organizationAcls', query: { q: 'roleAssignee', count: 1 } },
      );
    } catch (error) {
      if (error instanceof OutOfTimeError)
        throw new SetupError('LinkedIn did not answer in time to check the token. Try again in a minute.');
      if (!(error instanceof LinkedInError)) throw error;
      if (error.kind === 'reconnect') {
        throw new SetupError(
          'LinkedIn does not accept that access token: it may have expired. Make a new one on the OAuth 2.0 tools page.',
        );
      }
      if (error.kind === 'permission') {
        throw new SetupError(
          `LinkedIn accepts the token but it lacks the scopes for ${products.join(' and ')} data. On the OAuth 2.0 tools page, tick ${products
            .flatMap((product) => PRODUCT_SCOPES[product])
            .join(', ')} and make a new token.`,
        );
      }
      throw new SetupError(`LinkedIn could not check the token: ${error.message}`);
    }
    record = libraryForm(
      { access_token: token, expires_in: ACCESS_TOKEN_SECONDS, expiry_estimated: true },
      pastedAt,
    );
  }
  const service = linkedInService(context);
  service.reset();
  writeToken(service, record);
  clearProblem(context);
}

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
 * The library's hasAccess(), which refreshes under the user lock when the access token is
 * about to expire. When it declines to refresh although the refresh token is still good by
 * its own expiry (one reading of 1.43.0 compares that expiry the wrong way round), the add-on
 * refreshes itself. `refused` tells a refresh LinkedIn turned down from a connection that ran out.
 */
function ensureAccess(
  context: AuthContext,
  service: GoogleAppsScriptOAuth2.OAuth2Service,
): { ok: true } | { ok: false; refused: boolean; transient?: string } {
  if (service.hasAccess()) return { ok: true };
  const failure = service.getLastError();
  if (failure) return refusalOrTransient(failure);
  const token = readToken(service);
  const { refreshExpiresAt } = token ? tokenExpiries(token) : { refreshExpiresAt: null };
  const refreshable =
    !!token?.refresh_token && (refreshExpiresAt === null || refreshExpiresAt - 60_000 > context.clock.now());
  if (!refreshable) return { ok: false, refused: false };
  try {
    service.refresh();
    return { ok: true };
  } catch (error) {
    // apps-script-oauth2 takes the user lock for refresh() and does not let go when it throws.
    context.userLock.releaseLock();
    return refusalOrTransient(error);
  }
}

/**
 * Only LinkedIn's own "no" to the refresh token (invalid_grant: expired or revoked) or to
 * the app (invalid_client) needs the user; a timeout, a 5xx or a page that is not JSON
 * passes, and must not end a connection that the next attempt would renew.
 */
function refusalOrTransient(error: unknown): { ok: false; refused: boolean; transient?: string } {
  const text = error instanceof Error ? error.message : String(error);
  return /invalid_grant|invalid_client/.test(text)
    ? { ok: false, refused: true }
    : { ok: false, refused: false, transient: text };
}

/** Attempts at renewing the access token when the token endpoint fails in passing. */
const RENEW_ATTEMPTS = 3;

/**
 * The access token for this execution's API calls: read once, refreshed (under the user
 * lock) only when it is about to expire.
 */
export function accessTokenProvider(context: AuthContext): () => string {
  let cached: { token: string; validUntil: number } | null = null;
  return () => {
    if (cached && context.clock.now() < cached.validUntil) return cached.token;
    let service = linkedInService(context);
    let access = ensureAccess(context, service);
    for (let attempt = 1; !access.ok && access.transient && attempt < RENEW_ATTEMPTS; attempt++) {
      context.clock.sleep(1_000 * 2 ** attempt);
      service = linkedInService(context);
      access = ensureAccess(context, service);
    }
    if (!access.ok && access.transient) {
      throw new LinkedInError(
        `LinkedIn's sign-in service did not answer when the connection was renewed (${access.transient.slice(0, 200)}). Nothing needs reconnecting: the import tries again on its next run.`,
        'unavailable',
        503,
      );
    }
    if (!access.ok) {
      const message = access.refused
        ? 'LinkedIn refused to renew the connection (the refresh token expired or was revoked). Reconnect LinkedIn in the sidebar.'
        : readToken(service)
          ? 'The LinkedIn connection has expired. Reconnect LinkedIn in the sidebar.'
          : 'LinkedIn is not connected yet. Open the sidebar and connect LinkedIn.';
      if (readToken(service)) recordProblem(context, message);
      throw new LinkedInError(message, 'reconnect', 401);
    }
    // A renewal that works again clears what an earlier failure said.
    if (context.userProperties.getProperty(PROBLEM_KEY)) clearProblem(context);
    const token = readToken(service)!;
    const { accessExpiresAt } = tokenExpiries(token);
    cached = { token: token.access_token!, validUntil: (accessExpiresAt ?? Infinity) - 120_000 };
    return cached.token;
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

/** A LinkedIn client for this user's connection, working until `deadline`. */
export function linkedInClient(context: AuthContext, deadline: number): LinkedInClient {
  // The API version LinkedIn last served is kept in the user's cache, so a retired pin costs one search, not one a run.
  return new LinkedInClient(context.http, context.clock, accessTokenProvider(context), {
    deadline,
    versionCache: context.userCache,
  });
}
