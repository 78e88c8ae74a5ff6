import {
  AUTHORIZATION_URL,
  INTROSPECTION_URL,
  PRODUCT_SCOPES,
  type Product,
  TOKEN_URL,
} from '../linkedin/api';
import { LinkedInClient } from '../linkedin/client';
import { LinkedInError, OutOfTimeError } from '../linkedin/errors';
import type { Clock, Http } from '../platform';

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

/** The token record as apps-script-oauth2 stores it (granted_time in seconds), plus what we add. */
export interface TokenRecord {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  refresh_token_expires_in?: number;
  granted_time: number;
  scope?: string;
  /** Set when an access token was pasted and LinkedIn did not say when it expires. */
  expiry_estimated?: boolean;
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
}

export const SERVICE_NAME = 'linkedin';
export const CALLBACK_FUNCTION = 'authCallback';
const APP_KEY = 'linkedin.app';
const PRODUCTS_KEY = 'linkedin.products';
const PROBLEM_KEY = 'linkedin.problem';
const NOTICE_KEY = 'linkedin.notice';
/** LinkedIn access tokens last 60 days from creation. */
const ACCESS_TOKEN_SECONDS = 60 * 86_400;
export const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

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

const storedToken = (service: GoogleAppsScriptOAuth2.OAuth2Service) =>
  service.getToken(true) as TokenRecord | null;

function saveToken(service: GoogleAppsScriptOAuth2.OAuth2Service, token: TokenRecord): void {
  service.getStorage().setValue(null as unknown as string, token);
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

export function finishAuthorization(
  context: AuthContext,
  request: { parameter: Record<string, string> },
): CallbackOutcome {
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
  const previous = storedToken(service);
  saveToken(service, { refresh_token: token, granted_time: Math.floor(context.clock.now() / 1000) });
  try {
    service.refresh();
  } catch (error) {
    if (previous) saveToken(service, previous);
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
  const nowSeconds = Math.floor(context.clock.now() / 1000);
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
    record = {
      access_token: token,
      granted_time: nowSeconds,
      expires_in: (answer.expires_at ?? nowSeconds) - nowSeconds,
      scope: answer.scope,
    };
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
    record = {
      access_token: token,
      granted_time: nowSeconds,
      expires_in: ACCESS_TOKEN_SECONDS,
      expiry_estimated: true,
    };
  }
  const service = linkedInService(context);
  service.reset();
  saveToken(service, record);
  clearProblem(context);
}

export function disconnect(context: AuthContext, forgetApp: boolean): void {
  linkedInService(context).reset();
  clearProblem(context);
  if (forgetApp) context.userProperties.deleteProperty(APP_KEY);
}

const daysLeft = (grantedSeconds: number, lifetimeSeconds: number | undefined, now: number): number | null =>
  lifetimeSeconds
    ? Math.max(0, Math.floor(((grantedSeconds + Number(lifetimeSeconds)) * 1000 - now) / DAY_MS))
    : null;

export function connectionStatus(context: AuthContext): ConnectionStatus {
  const service = linkedInService(context);
  const token = storedToken(service);
  const credentials = appCredentials(context);
  const now = context.clock.now();
  const problem = context.userProperties.getProperty(PROBLEM_KEY);
  const accessDays = token ? daysLeft(token.granted_time, token.expires_in, now) : null;
  const refreshDays = token?.refresh_token
    ? daysLeft(token.granted_time, token.refresh_token_expires_in, now)
    : null;
  const accessValid =
    !!token?.access_token &&
    (accessDays === null || (token.granted_time + Number(token.expires_in)) * 1000 > now);
  const refreshValid =
    !!token?.refresh_token &&
    (refreshDays === null || (token.granted_time + Number(token.refresh_token_expires_in)) * 1000 > now);
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
  };
}

/**
 * The access token for this execution's API calls: read once, refreshed by the library
 * (under the user lock) only when it is about to expire.
 */
export function accessTokenProvider(context: AuthContext): () => string {
  let cached: { token: string; validUntil: number } | null = null;
  return () => {
    if (cached && context.clock.now() < cached.validUntil) return cached.token;
    const service = linkedInService(context);
    if (!service.hasAccess()) {
      const lastError = service.getLastError();
      const message = lastError
        ? 'LinkedIn refused to renew the connection (the refresh token expired or was revoked). Reconnect LinkedIn in the sidebar.'
        : storedToken(service)
          ? 'The LinkedIn connection has expired. Reconnect LinkedIn in the sidebar.'
          : 'LinkedIn is not connected yet. Open the sidebar and connect LinkedIn.';
      if (storedToken(service)) recordProblem(context, message);
      throw new LinkedInError(message, 'reconnect', 401);
    }
    const token = storedToken(service)!;
    const expiresAt = token.expires_in ? (token.granted_time + Number(token.expires_in)) * 1000 : Infinity;
    cached = { token: token.access_token!, validUntil: expiresAt - 120_000 };
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
  return new LinkedInClient(context.http, context.clock, accessTokenProvider(context), { deadline });
}
