import { AUTHORIZATION_URL, PRODUCT_SCOPES, type Product, TOKEN_URL } from '../linkedin/api';
import { isUrlFetchQuotaSpent, UrlFetchQuotaError } from '../linkedin/errors';
import type { Clock, Http, HttpResponse } from '../platform';
import { readToken } from './token';

// The user's LinkedIn connection: whose app, which products, the apps-script-oauth2 service
// over the user's properties, and the problem a failed renewal leaves for the sidebar.

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

export const SERVICE_NAME = 'linkedin';
/** Where apps-script-oauth2 keeps the service's token (its storage prefix; the token's key is null). */
export const TOKEN_STORAGE_KEY = `oauth2.${SERVICE_NAME}`;
export const CALLBACK_FUNCTION = 'authCallback';
export const APP_KEY = 'linkedin.app';
/** An app the user saved while connected through another: it replaces that app only once a sign-in with it works. */
export const PENDING_APP_KEY = 'linkedin.pendingApp';
export const PRODUCTS_KEY = 'linkedin.products';
export const PROBLEM_KEY = 'linkedin.problem';
export const NOTICE_KEY = 'linkedin.notice';
export const SIGN_IN_KEY = 'linkedin.signIn';
export function redirectUri(scriptId: string): string {
  return `https://script.google.com/macros/d/${scriptId}/usercallback`;
}

function formBody(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
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

/** The app saved but not yet signed in with, if any. */
export function pendingApp(context: AuthContext): AppCredentials | null {
  const pending = readJson<{ clientId: string; clientSecret: string }>(
    context.userProperties,
    PENDING_APP_KEY,
  );
  return pending?.clientId && pending.clientSecret ? { ...pending, source: 'user' } : null;
}

/** The app a sign-in uses: the one waiting to replace the current app, else the current one. */
export function signInCredentials(context: AuthContext): AppCredentials | null {
  return pendingApp(context) ?? appCredentials(context);
}

export function chosenProducts(context: AuthContext): Product[] {
  const products = readJson<Product[]>(context.userProperties, PRODUCTS_KEY) ?? ['ads'];
  return products.filter((product) => product in PRODUCT_SCOPES);
}

export function linkedInService(
  context: AuthContext,
  credentials: AppCredentials | null = appCredentials(context),
): GoogleAppsScriptOAuth2.OAuth2Service {
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

export function clearProblem(context: AuthContext): void {
  context.userProperties.deleteProperty(PROBLEM_KEY);
  context.userProperties.deleteProperty(NOTICE_KEY);
}

export function recordProblem(context: AuthContext, message: string): void {
  context.userProperties.setProperty(PROBLEM_KEY, message);
}

export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}

/**
 * A form posted to one of LinkedIn's OAuth endpoints in a setup step (checking an app or a pasted
 * token): a failure to send it is said as `unanswered`, or, when Apps Script's daily quota of
 * requests is spent, as that.
 */
export function setupPost(
  context: Pick<AuthContext, 'http'>,
  url: string,
  fields: Record<string, string>,
  unanswered: string,
): HttpResponse {
  try {
    return context.http.fetchAll([
      {
        url,
        method: 'post',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        payload: formBody(fields),
      },
    ])[0];
  } catch (error) {
    throw new SetupError(isUrlFetchQuotaSpent(error) ? new UrlFetchQuotaError(error).message : unanswered);
  }
}

const CLIENT_ID_PATTERN = /^[A-Za-z0-9_\-.=]{6,128}$/;
/** Secrets in LinkedIn's newer form (WPL_AP1.<16 characters>.<base64>) may hold + and /. */
const CLIENT_SECRET_PATTERN = /^[A-Za-z0-9_\-.=+/]{6,128}$/;
/**
 * A client secret pasted into the Client ID box. Client IDs seen in LinkedIn's portal are
 * short letters and digits; secrets in the newer form start with WPL_ and hold dots and
 * base64 padding. The old 16-character secrets look like IDs and are left to LinkedIn's check.
 */
const LOOKS_LIKE_SECRET = /^WPL_|[.=+/]/i;

/**
 * Whether LinkedIn accepts a client ID and secret, asked without a user: the token endpoint
 * authenticates the client before it reads the grant, so a code that was never issued is
 * refused with invalid_grant for a right pair and with 401 invalid_client for a wrong one
 * (docs/linkedin-api.md). Introspection cannot tell: it answers 400 both for an unknown
 * client ID and for an unknown token.
 */
function checkAppCredentials(context: AuthContext, clientId: string, clientSecret: string): void {
  const response = setupPost(
    context,
    TOKEN_URL,
    {
      grant_type: 'authorization_code',
      code: CREDENTIAL_CHECK_CODE,
      redirect_uri: redirectUri(context.scriptId),
      client_id: clientId,
      client_secret: clientSecret,
    },
    UNCHECKED_APP,
  );
  let error = '';
  try {
    error = String((JSON.parse(response.body) as { error?: unknown }).error ?? '');
  } catch {
    // A page that is not LinkedIn's JSON says nothing about the app.
  }
  if (response.status === 401 || error === 'invalid_client') {
    throw new SetupError(
      "LinkedIn did not accept that client ID and secret, so nothing was changed. Copy both again from your app's Auth tab in the LinkedIn Developer portal.",
    );
  }
  if (response.status >= 500 || !error) throw new SetupError(UNCHECKED_APP);
}

/** A code LinkedIn never issues: the check of an app must not be able to use a real one. */
const CREDENTIAL_CHECK_CODE = 'credential-check';
const UNCHECKED_APP =
  'LinkedIn did not answer when the app was checked, so nothing was changed. Try again in a minute.';

/**
 * Stores the user's own LinkedIn app once LinkedIn accepts it. A token belongs to one app:
 * while a connection exists through another app, the new one waits (PENDING_APP_KEY) and
 * replaces it only when a sign-in with it works, so a mistyped app never ends a working
 * connection.
 */
export function saveAppCredentials(context: AuthContext, clientId: string, clientSecret: string): void {
  const id = String(clientId ?? '').trim();
  const secret = String(clientSecret ?? '').trim();
  if (!id) {
    throw new SetupError(
      "Enter your app's client ID: copy it from your app's Auth tab in the LinkedIn Developer portal.",
    );
  }
  if (LOOKS_LIKE_SECRET.test(id)) {
    throw new SetupError(
      "The Client ID box seems to hold the client secret, so nothing was saved. On your app's Auth tab in the LinkedIn Developer portal, copy the Client ID into Client ID and the Primary Client Secret into Client secret.",
    );
  }
  if (!CLIENT_ID_PATTERN.test(id)) {
    throw new SetupError(
      "That client ID doesn't look right: copy it from your app's Auth tab in the LinkedIn Developer portal.",
    );
  }
  if (!secret) {
    throw new SetupError(
      "Enter your app's client secret too: copy the Primary Client Secret from your app's Auth tab in the LinkedIn Developer portal.",
    );
  }
  if (!CLIENT_SECRET_PATTERN.test(secret)) {
    throw new SetupError(
      "That client secret doesn't look right: copy the Primary Client Secret from your app's Auth tab in the LinkedIn Developer portal.",
    );
  }
  checkAppCredentials(context, id, secret);
  const app = JSON.stringify({ clientId: id, clientSecret: secret });
  const current = appCredentials(context);
  const connectedThroughOther = !!current && current.clientId !== id && !!readToken(linkedInService(context));
  if (connectedThroughOther) {
    context.userProperties.setProperty(PENDING_APP_KEY, app);
    return;
  }
  context.userProperties.setProperty(APP_KEY, app);
  context.userProperties.deleteProperty(PENDING_APP_KEY);
}

/** A sign-in with the waiting app worked: it becomes the app. */
export function adoptPendingApp(context: AuthContext): void {
  const pending = context.userProperties.getProperty(PENDING_APP_KEY);
  if (!pending) return;
  context.userProperties.setProperty(APP_KEY, pending);
  context.userProperties.deleteProperty(PENDING_APP_KEY);
}
