/**
 * A test double of the apps-script-oauth2 library (global `OAuth2`) as the manifest pins it:
 * library version 43 = release 1.43.0 of https://github.com/googleworkspace/apps-script-oauth2
 * (src/Service.js, src/Storage.js, built into dist/OAuth2.gs). Written from reading that
 * source, not copied; docs/platform-facts.md lists each behaviour, the commit it was read
 * at, and the test that holds this double to it. In short:
 *
 * - A token is stored as the token endpoint's JSON plus `expiresAt` and `refreshTokenExpiresAt`,
 *   absolute times in seconds (since 1.42.0; no `granted_time`). Tokens older versions wrote
 *   carry `granted_time` + `expires_in` and are still read.
 * - Storage reads memory, then the cache (6 hours), then the property store; a missing
 *   value is remembered as a null marker in memory and cache for 6 hours.
 * - Refresh runs under the lock, taken with `waitLock(30000)` and released only when the
 *   work returns: a refresh that throws leaves the lock held (no `finally`).
 * - A token counts as expired 60 seconds early. A refresh keeps the old refresh token when
 *   none comes back and carries `refreshTokenExpiresAt` over when the new token has none.
 */
type Properties = GoogleAppsScript.Properties.Properties;
type Cache = GoogleAppsScript.Cache.Cache;
type Lock = GoogleAppsScript.Lock.Lock;

export interface OAuth2Services {
  UrlFetchApp: Pick<GoogleAppsScript.URL_Fetch.UrlFetchApp, 'fetch'>;
  ScriptApp: { getScriptId(): string; newStateToken(): StateTokenBuilder };
  now(): number;
}

interface StateTokenBuilder {
  withMethod(method: string): StateTokenBuilder;
  withArgument(name: string, value: string): StateTokenBuilder;
  withTimeout(seconds: number): StateTokenBuilder;
  createToken(): string;
}

export interface StoredToken {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number | string;
  refresh_token_expires_in?: number | string;
  expiresAt?: number;
  refreshTokenExpiresAt?: number;
  granted_time?: number;
  [field: string]: unknown;
}

const STORAGE_PREFIX = 'oauth2.';
export const CACHE_SECONDS = 21_600;
export const CACHE_NULL_VALUE = '__NULL__';
const EXPIRATION_BUFFER_SECONDS = 60;
const LOCK_TIMEOUT_MS = 30_000;

export function redirectUriFor(scriptId: string): string {
  return `https://script.google.com/macros/d/${scriptId}/usercallback`;
}

/** The library's Storage_: values as JSON under `oauth2.<service>[.<key>]`, the key null being the token's. */
export class SimOAuth2Storage {
  private readonly memory = new Map<string, unknown>();

  constructor(
    private readonly prefix: string,
    private readonly properties: Properties | null,
    private readonly cache: Cache | null,
  ) {}

  private prefixed(key: string | null | undefined): string {
    return key ? `${this.prefix}.${key}` : this.prefix;
  }

  getValue(key: string | null, skipMemory = false): unknown {
    const prefixed = this.prefixed(key);
    const remembered = skipMemory ? undefined : this.memory.get(prefixed);
    if (remembered) return remembered === CACHE_NULL_VALUE ? null : remembered;
    const cached = this.cache?.get(prefixed);
    if (cached) {
      const value: unknown = JSON.parse(cached);
      this.memory.set(prefixed, value);
      return value === CACHE_NULL_VALUE ? null : value;
    }
    const stored = this.properties?.getProperty(prefixed);
    if (stored) {
      this.cache?.put(prefixed, stored, CACHE_SECONDS);
      const value: unknown = JSON.parse(stored);
      this.memory.set(prefixed, value);
      return value;
    }
    this.memory.set(prefixed, CACHE_NULL_VALUE);
    this.cache?.put(prefixed, JSON.stringify(CACHE_NULL_VALUE), CACHE_SECONDS);
    return null;
  }

  setValue(key: string | null, value: unknown): void {
    const prefixed = this.prefixed(key);
    const json = JSON.stringify(value);
    this.properties?.setProperty(prefixed, json);
    this.cache?.put(prefixed, json, CACHE_SECONDS);
    this.memory.set(prefixed, value);
  }

  removeValue(key: string | null): void {
    this.remove(this.prefixed(key));
  }

  /** Removes the token and every other value under this service's prefix. */
  reset(): void {
    const keys = this.properties
      ? Object.keys(this.properties.getProperties()).filter(
          (key) => key === this.prefix || key.startsWith(`${this.prefix}.`),
        )
      : [...this.memory.keys()];
    for (const key of keys) this.remove(key);
  }

  private remove(prefixed: string): void {
    this.properties?.deleteProperty(prefixed);
    this.cache?.remove(prefixed);
    this.memory.delete(prefixed);
  }
}

export class SimOAuth2Service {
  private authorizationBaseUrl = '';
  private tokenUrl = '';
  private clientId = '';
  private clientSecret = '';
  private callbackFunction = '';
  private propertyStore: Properties | null = null;
  private cache: Cache | null = null;
  private lock: Lock | null = null;
  private storage: SimOAuth2Storage | null = null;
  private readonly params: Record<string, string> = {};
  private tokenHeaders: Record<string, string> = {};
  private redirectUri = '';
  private lastError: unknown = undefined;

  constructor(
    private readonly serviceName: string,
    private readonly services: OAuth2Services,
  ) {
    if (!serviceName) throw new Error('Service name is required.');
  }

  private nowSeconds(): number {
    return Math.floor(this.services.now() / 1000);
  }

  setAuthorizationBaseUrl(url: string): this {
    this.authorizationBaseUrl = url;
    return this;
  }
  setTokenUrl(url: string): this {
    this.tokenUrl = url;
    return this;
  }
  setClientId(clientId: string): this {
    this.clientId = clientId;
    return this;
  }
  setClientSecret(clientSecret: string): this {
    this.clientSecret = clientSecret;
    return this;
  }
  setCallbackFunction(name: string): this {
    this.callbackFunction = name;
    return this;
  }
  setPropertyStore(store: Properties): this {
    this.propertyStore = store;
    return this;
  }
  setCache(cache: Cache): this {
    this.cache = cache;
    return this;
  }
  setLock(lock: Lock): this {
    this.lock = lock;
    return this;
  }
  setScope(scope: string | string[], separator = ' '): this {
    this.params.scope = Array.isArray(scope) ? scope.join(separator) : scope;
    return this;
  }
  setParam(name: string, value: string): this {
    this.params[name] = value;
    return this;
  }
  setTokenHeaders(headers: Record<string, string>): this {
    this.tokenHeaders = headers;
    return this;
  }
  setRedirectUri(uri: string): this {
    this.redirectUri = uri;
    return this;
  }
  getRedirectUri(): string {
    return this.redirectUri || redirectUriFor(this.services.ScriptApp.getScriptId());
  }

  /** The library's validate_: the first empty field named is the error. */
  private require(fields: Record<string, string | null>): void {
    for (const [label, value] of Object.entries(fields)) if (!value) throw new Error(`${label} is required.`);
  }

  getAuthorizationUrl(additionalParameters: Record<string, string> = {}): string {
    this.require({
      'Client ID': this.clientId,
      'Callback function name': this.callbackFunction,
      'Authorization base URL': this.authorizationBaseUrl,
    });
    let state = this.services.ScriptApp.newStateToken()
      .withMethod(this.callbackFunction)
      .withArgument('serviceName', this.serviceName)
      .withTimeout(3600);
    for (const [key, value] of Object.entries(additionalParameters)) state = state.withArgument(key, value);
    const query = {
      client_id: this.clientId,
      response_type: 'code',
      redirect_uri: this.getRedirectUri(),
      state: state.createToken(),
      ...this.params,
    };
    const encoded = Object.entries(query).map(
      ([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`,
    );
    return `${this.authorizationBaseUrl}${this.authorizationBaseUrl.includes('?') ? '&' : '?'}${encoded.join('&')}`;
  }

  /** Since 1.43.0 the client secret is optional here (PKCE); refresh() still requires it. */
  handleCallback(request: { parameter: Record<string, string> }): boolean {
    const { code, error } = request.parameter;
    if (error) {
      if (error === 'access_denied') return false;
      throw new Error(`Error authorizing token: ${error}`);
    }
    this.require({ 'Client ID': this.clientId, 'Token URL': this.tokenUrl });
    this.saveToken(
      this.fetchToken({
        code,
        client_id: this.clientId,
        client_secret: this.clientSecret,
        redirect_uri: this.getRedirectUri(),
        grant_type: 'authorization_code',
      }),
    );
    return true;
  }

  private fetchToken(payload: Record<string, string>): StoredToken {
    const response = this.services.UrlFetchApp.fetch(this.tokenUrl, {
      method: 'post',
      headers: { Accept: 'application/json', ...this.tokenHeaders },
      payload,
      muteHttpExceptions: true,
    });
    let token: StoredToken;
    try {
      token = JSON.parse(response.getContentText()) as StoredToken;
    } catch (parseError) {
      throw new Error(`Token response not valid JSON: ${parseError}`);
    }
    this.ensureExpiresAt(token);
    const status = response.getResponseCode();
    if (status < 200 || status >= 300 || token.error) {
      const reason = [token.error, token.message, token.error_description, token.error_uri]
        .filter(Boolean)
        .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
        .join(', ');
      throw new Error(`Error retrieving token: ${reason || `${status}: ${JSON.stringify(token)}`}`);
    }
    return token;
  }

  /** Adds the absolute expiries, from `granted_time` when an older version wrote the token, else from now. */
  private ensureExpiresAt(token: StoredToken): void {
    if (token.expiresAt !== undefined) return;
    const granted = token.granted_time || this.nowSeconds();
    const expiresIn = token.expires_in_sec || token.expires_in || token.expires;
    if (expiresIn) token.expiresAt = granted + Number(expiresIn);
    if (token.refresh_token_expires_in)
      token.refreshTokenExpiresAt = granted + Number(token.refresh_token_expires_in);
  }

  private saveToken(token: StoredToken): void {
    this.getStorage().setValue(null, token);
  }

  getToken(skipMemory = false): StoredToken | null {
    return this.getStorage().getValue(null, skipMemory) as StoredToken | null;
  }

  getStorage(): SimOAuth2Storage {
    this.storage ??= new SimOAuth2Storage(
      `${STORAGE_PREFIX}${this.serviceName}`,
      this.propertyStore,
      this.cache,
    );
    return this.storage;
  }

  /** Both checks run: `expiresAt`, and the older `granted_time + expires_in` (NaN, so silent, on new tokens). */
  private isExpired(token: StoredToken): boolean {
    const now = this.nowSeconds();
    let expired = !!token.expiresAt && token.expiresAt - now < EXPIRATION_BUFFER_SECONDS;
    const expiresIn = token.expires_in_sec || token.expires_in || token.expires;
    if (expiresIn && (token.granted_time as number) + Number(expiresIn) - now < EXPIRATION_BUFFER_SECONDS)
      expired = true;
    return expired;
  }

  private canRefresh(token: StoredToken): boolean {
    if (!token.refresh_token) return false;
    this.ensureExpiresAt(token);
    if (token.refreshTokenExpiresAt === undefined) return true;
    return token.refreshTokenExpiresAt - this.nowSeconds() > EXPIRATION_BUFFER_SECONDS;
  }

  /** The library's lockable_: no try/finally, so work that throws leaves the lock held. */
  private lockable<T>(work: () => T): T {
    let release = false;
    if (this.lock && !this.lock.hasLock()) {
      this.lock.waitLock(LOCK_TIMEOUT_MS);
      release = true;
    }
    const result = work();
    if (this.lock && release) this.lock.releaseLock();
    return result;
  }

  hasAccess(): boolean {
    const token = this.getToken();
    if (token && !this.isExpired(token)) return true;
    if (!token || !this.canRefresh(token)) return false;
    return this.lockable(() => {
      const fresh = this.getToken(true);
      if (fresh && !this.isExpired(fresh)) return true;
      try {
        if (fresh && this.canRefresh(fresh)) {
          this.refresh();
          return true;
        }
        return false;
      } catch (error) {
        this.lastError = error;
        return false;
      }
    });
  }

  getAccessToken(): string {
    if (!this.hasAccess()) throw new Error('Access not granted or expired.');
    return this.getToken()!.access_token!;
  }

  refresh(): void {
    this.require({
      'Client ID': this.clientId,
      'Client Secret': this.clientSecret,
      'Token URL': this.tokenUrl,
    });
    this.lockable(() => {
      const token = this.getToken();
      if (!token?.refresh_token) throw new Error('Offline access is required.');
      const fresh = this.fetchToken({
        refresh_token: token.refresh_token,
        client_id: this.clientId,
        client_secret: this.clientSecret,
        grant_type: 'refresh_token',
      });
      if (!fresh.refresh_token) fresh.refresh_token = token.refresh_token;
      this.ensureExpiresAt(token);
      if (fresh.refreshTokenExpiresAt === undefined)
        fresh.refreshTokenExpiresAt = token.refreshTokenExpiresAt;
      this.saveToken(fresh);
    });
  }

  reset(): void {
    this.getStorage().reset();
  }

  getLastError(): unknown {
    return this.lastError;
  }
}

export function createOAuth2Library(services: OAuth2Services) {
  return {
    TOKEN_FORMAT: { JSON: 'application/json', FORM_URL_ENCODED: 'application/x-www-form-urlencoded' },
    createService: (serviceName: string) => new SimOAuth2Service(serviceName, services),
    getRedirectUri: (scriptId?: string) => redirectUriFor(scriptId ?? services.ScriptApp.getScriptId()),
  };
}
