/**
 * A test double of the apps-script-oauth2 library (global `OAuth2`), behaving as its
 * documentation describes: the token is JSON under `oauth2.<service>` in the chosen
 * property store, stamped with `granted_time`; it counts as expired 60 seconds early;
 * `hasAccess()` refreshes under the lock and keeps errors for `getLastError()`.
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
  expires_in?: number;
  refresh_token_expires_in?: number;
  granted_time: number;
  [field: string]: unknown;
}

const EXPIRATION_BUFFER_SECONDS = 60;
const LOCK_TIMEOUT_MS = 30_000;

export function redirectUriFor(scriptId: string): string {
  return `https://script.google.com/macros/d/${scriptId}/usercallback`;
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
  private readonly params: Record<string, string> = {};
  private tokenHeaders: Record<string, string> = {};
  private redirectUri = '';
  private lastError: unknown = null;

  constructor(
    private readonly serviceName: string,
    private readonly services: OAuth2Services,
  ) {}

  private get storageKey(): string {
    return `oauth2.${this.serviceName}`;
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

  handleCallback(request: { parameter: Record<string, string> }): boolean {
    const { code, error } = request.parameter;
    if (error) {
      if (error === 'access_denied') return false;
      throw new Error(`Error authorizing token: ${error}`);
    }
    this.require({
      'Client ID': this.clientId,
      'Client Secret': this.clientSecret,
      'Token URL': this.tokenUrl,
    });
    const token = this.fetchToken({
      code,
      client_id: this.clientId,
      client_secret: this.clientSecret,
      redirect_uri: this.getRedirectUri(),
      grant_type: 'authorization_code',
    });
    this.saveToken(token);
    return true;
  }

  private fetchToken(payload: Record<string, string>): StoredToken {
    const response = this.services.UrlFetchApp.fetch(this.tokenUrl, {
      method: 'post',
      headers: { Accept: 'application/json', ...this.tokenHeaders },
      payload,
      muteHttpExceptions: true,
    });
    let token: Record<string, unknown>;
    try {
      token = JSON.parse(response.getContentText());
    } catch (parseError) {
      throw new Error(`Token response not valid JSON: ${parseError}`);
    }
    const status = response.getResponseCode();
    if (status < 200 || status >= 300 || token.error) {
      const reason = [token.error, token.message, token.error_description, token.error_uri]
        .filter(Boolean)
        .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
        .join(', ');
      throw new Error(`Error retrieving token: ${reason || `${status}: ${JSON.stringify(token)}`}`);
    }
    return { ...token, granted_time: this.nowSeconds() } as StoredToken;
  }

  private saveToken(token: StoredToken): void {
    const json = JSON.stringify(token);
    this.propertyStore?.setProperty(this.storageKey, json);
    this.cache?.put(this.storageKey, json, 21600);
  }

  getToken(skipCache = false): StoredToken | null {
    const cached = skipCache ? null : this.cache?.get(this.storageKey);
    const json = cached ?? this.propertyStore?.getProperty(this.storageKey) ?? null;
    return json ? (JSON.parse(json) as StoredToken) : null;
  }

  private isExpired(token: StoredToken): boolean {
    const expiresIn = token.expires_in;
    if (!expiresIn) return false;
    return token.granted_time + Number(expiresIn) - this.nowSeconds() < EXPIRATION_BUFFER_SECONDS;
  }

  private canRefresh(token: StoredToken): boolean {
    if (!token.refresh_token) return false;
    if (!token.refresh_token_expires_in) return true;
    return (
      token.granted_time + Number(token.refresh_token_expires_in) - this.nowSeconds() >
      EXPIRATION_BUFFER_SECONDS
    );
  }

  private underLock<T>(work: () => T): T {
    const acquired = this.lock !== null && !this.lock.hasLock();
    if (acquired) this.lock!.waitLock(LOCK_TIMEOUT_MS);
    try {
      return work();
    } finally {
      if (acquired) this.lock!.releaseLock();
    }
  }

  hasAccess(): boolean {
    const token = this.getToken();
    if (token && !this.isExpired(token)) return true;
    if (!token || !this.canRefresh(token)) return false;
    return this.underLock(() => {
      const fresh = this.getToken(true);
      if (fresh && !this.isExpired(fresh)) return true;
      try {
        this.refresh();
        return true;
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
    this.underLock(() => {
      const token = this.getToken(true);
      if (!token?.refresh_token) throw new Error('Offline access is required.');
      const fresh = this.fetchToken({
        refresh_token: token.refresh_token,
        client_id: this.clientId,
        client_secret: this.clientSecret,
        grant_type: 'refresh_token',
      });
      if (!fresh.refresh_token) fresh.refresh_token = token.refresh_token;
      this.saveToken(fresh);
    });
  }

  reset(): void {
    this.propertyStore?.deleteProperty(this.storageKey);
    this.cache?.remove(this.storageKey);
  }

  getLastError(): unknown {
    return this.lastError;
  }

  getStorage(): {
    getValue(key: string | null): unknown;
    setValue(key: string | null, value: unknown): void;
    removeValue(key: string | null): void;
  } {
    const keyFor = (key: string | null) => (key === null ? this.storageKey : `${this.storageKey}.${key}`);
    return {
      getValue: (key) => {
        const json = this.propertyStore?.getProperty(keyFor(key));
        return json ? JSON.parse(json) : null;
      },
      setValue: (key, value) => {
        this.propertyStore?.setProperty(keyFor(key), JSON.stringify(value));
        this.cache?.remove(keyFor(key));
      },
      removeValue: (key) => {
        this.propertyStore?.deleteProperty(keyFor(key));
        this.cache?.remove(keyFor(key));
      },
    };
  }
}

export function createOAuth2Library(services: OAuth2Services) {
  return {
    TOKEN_FORMAT: { JSON: 'application/json', FORM_URL_ENCODED: 'application/x-www-form-urlencoded' },
    createService: (serviceName: string) => new SimOAuth2Service(serviceName, services),
    getRedirectUri: (scriptId?: string) => redirectUriFor(scriptId ?? services.ScriptApp.getScriptId()),
  };
}
