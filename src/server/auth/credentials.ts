import { AUTHORIZATION_URL, PRODUCT_SCOPES, type Product, TOKEN_URL } from '../linkedin/api';
import type { Clock, Http } from '../platform';

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
export const CALLBACK_FUNCTION = 'authCallback';
export const APP_KEY = 'linkedin.app';
export const PRODUCTS_KEY = 'linkedin.products';
export const PROBLEM_KEY = 'linkedin.problem';
export const NOTICE_KEY = 'linkedin.notice';
export const SIGN_IN_KEY = 'linkedin.signIn';
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
