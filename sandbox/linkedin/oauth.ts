import type { SimClock } from '../apps-script/clock';
import { headerValue, type SimRequest, type SimResponse } from '../apps-script/http';
import type { SimData, SimMember } from './data';
import { ApiError, json } from './request-checks';

// LinkedIn's OAuth 2.0: the consent page's answer, the token and introspection endpoints, and
// the bearer tokens the REST API accepts.

const ACCESS_TOKEN_SECONDS = 60 * 24 * 3600 - 1;
const REFRESH_TOKEN_SECONDS = 365 * 24 * 3600 - 1;
const AUTHORIZATION_CODE_MS = 30 * 60 * 1000;

const SCOPES_BY_PRODUCT = {
  ads: ['r_ads', 'r_ads_reporting', 'rw_ads'],
  pages: ['r_organization_social', 'rw_organization_admin', 'r_organization_admin'],
  leads: ['r_marketing_leadgen_automation'],
};

export interface SimApp {
  clientId: string;
  clientSecret: string;
  name: string;
  redirectUris: string[];
  /** API products approved for the app; their scopes are the only ones it may request. */
  products: Array<keyof typeof SCOPES_BY_PRODUCT>;
  /** LinkedIn issues refresh tokens only to apps approved for programmatic refresh. */
  programmaticRefresh: boolean;
}

export const DEFAULT_APP: SimApp = {
  clientId: 'sim-client-id',
  clientSecret: 'sim-client-secret',
  name: 'Sheets Reporting',
  redirectUris: [],
  products: ['ads', 'pages', 'leads'],
  programmaticRefresh: true,
};

interface TokenRecord {
  memberId: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  createdAt: number;
  revoked?: boolean;
}

interface CodeRecord {
  memberId: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

/** What the OAuth side remembers between requests. */
export interface OAuthState {
  serial: number;
  codes: Array<[string, CodeRecord]>;
  accessTokens: Array<[string, TokenRecord]>;
  refreshTokens: Array<[string, TokenRecord]>;
}

function formBody(body: string): Record<string, string> {
  return Object.fromEntries([...new URLSearchParams(body)]);
}

export class OAuthServer {
  private readonly codes = new Map<string, CodeRecord>();
  private readonly accessTokens = new Map<string, TokenRecord>();
  private readonly refreshTokens = new Map<string, TokenRecord>();
  private serial = 1;

  constructor(
    private readonly data: SimData,
    readonly apps: SimApp[],
    private readonly clock: SimClock,
    /** Shared with the fault sequence, so a seed gives the same secrets and faults as before the split. */
    private readonly random: () => number,
  ) {}

  app(clientId: string): SimApp | undefined {
    return this.apps.find((app) => app.clientId === clientId);
  }

  saveState(): OAuthState {
    return {
      serial: this.serial,
      codes: [...this.codes],
      accessTokens: [...this.accessTokens],
      refreshTokens: [...this.refreshTokens],
    };
  }

  loadState(state: OAuthState): void {
    this.serial = state.serial;
    const refill = <T>(map: Map<string, T>, entries: Array<[string, T]>) => {
      map.clear();
      for (const [key, value] of entries) map.set(key, value);
    };
    refill(this.codes, state.codes);
    refill(this.accessTokens, state.accessTokens);
    refill(this.refreshTokens, state.refreshTokens);
  }

  private newSecret(prefix: string): string {
    return `${prefix}-${(this.serial++).toString(36)}-${Math.floor(this.random() * 1e12).toString(36)}`;
  }

  /**
   * The member's answer on the consent page. Returns where LinkedIn redirects the
   * browser, or throws with the error page's text when LinkedIn shows no redirect.
   */
  consent(authorizationUrl: string, memberId: string, decision: 'allow' | 'cancel' = 'allow'): string {
    const url = new URL(authorizationUrl);
    const parameter = (name: string) => url.searchParams.get(name) ?? '';
    const app = this.app(parameter('client_id'));
    if (url.pathname !== '/oauth/v2/authorization') throw new Error('Not the authorization endpoint');
    if (!app) throw new Error('The passed in client_id is invalid');
    if (parameter('response_type') !== 'code') throw new Error('Invalid response_type: it must be code');
    if (!app.redirectUris.includes(parameter('redirect_uri')))
      throw new Error('The redirect_uri does not match the registered value');
    const redirect = new URL(parameter('redirect_uri'));
    redirect.searchParams.set('state', parameter('state'));
    const allowed = app.products.flatMap((product) => SCOPES_BY_PRODUCT[product]);
    const requested = parameter('scope').split(/[ ,]+/).filter(Boolean);
    if (allowed.length === 0) {
      redirect.searchParams.set('error', 'unauthorized_scope_error');
      redirect.searchParams.set('error_description', "There aren't any scopes available for this app");
      return redirect.toString();
    }
    const refused = requested.find((scope) => !allowed.includes(scope));
    if (refused) {
      redirect.searchParams.set('error', 'unauthorized_scope_error');
      redirect.searchParams.set(
        'error_description',
        `Scope "${refused}" is not authorized for your application`,
      );
      return redirect.toString();
    }
    if (decision === 'cancel') {
      redirect.searchParams.set('error', 'user_cancelled_authorize');
      redirect.searchParams.set('error_description', 'The user cancelled the authorization');
      return redirect.toString();
    }
    if (!this.data.member(memberId)) throw new Error(`No simulated member ${memberId}`);
    const code = this.newSecret('code');
    this.codes.set(code, {
      memberId,
      clientId: app.clientId,
      redirectUri: parameter('redirect_uri'),
      scopes: requested,
      expiresAt: this.clock.now() + AUTHORIZATION_CODE_MS,
      used: false,
    });
    redirect.searchParams.set('code', code);
    return redirect.toString();
  }

  /** Tokens as the OAuth 2.0 tools page makes them, for tests of the manual path. */
  issueTokens(memberId: string, scopes: string[], clientId = this.apps[0].clientId) {
    return this.grant(memberId, clientId, scopes);
  }

  revokeAll(memberId: string): void {
    for (const record of [...this.accessTokens.values(), ...this.refreshTokens.values()]) {
      if (record.memberId === memberId) record.revoked = true;
    }
  }

  private grant(memberId: string, clientId: string, scopes: string[], refreshToken?: string) {
    const now = this.clock.now();
    const record = (lifetimeSeconds: number): TokenRecord => ({
      memberId,
      clientId,
      scopes,
      createdAt: now,
      expiresAt: now + lifetimeSeconds * 1000,
    });
    const accessToken = this.newSecret('AQV');
    this.accessTokens.set(accessToken, record(ACCESS_TOKEN_SECONDS));
    const body: Record<string, unknown> = {
      access_token: accessToken,
      expires_in: ACCESS_TOKEN_SECONDS,
      scope: scopes.join(','),
    };
    if (this.app(clientId)?.programmaticRefresh) {
      let token = refreshToken;
      if (!token) {
        token = this.newSecret('AQX');
        this.refreshTokens.set(token, record(REFRESH_TOKEN_SECONDS));
      }
      body.refresh_token = token;
      body.refresh_token_expires_in = Math.floor((this.refreshTokens.get(token)!.expiresAt - now) / 1000);
    }
    return body as {
      access_token: string;
      expires_in: number;
      scope: string;
      refresh_token?: string;
      refresh_token_expires_in?: number;
    };
  }

  private oauthError(status: number, error: string, description: string): SimResponse {
    return json(status, { error, error_description: description });
  }

  tokenEndpoint(request: SimRequest): SimResponse {
    if (request.method !== 'POST') return this.oauthError(405, 'invalid_request', 'Use POST');
    if (!/application\/x-www-form-urlencoded/.test(headerValue(request.headers, 'Content-Type') ?? '')) {
      return this.oauthError(
        400,
        'invalid_request',
        'Content-Type must be application/x-www-form-urlencoded',
      );
    }
    const form = formBody(request.body);
    const app = this.app(form.client_id);
    if (!app || app.clientSecret !== form.client_secret) {
      return this.oauthError(401, 'invalid_client', 'Client authentication failed');
    }
    const now = this.clock.now();
    if (form.grant_type === 'authorization_code') {
      const code = this.codes.get(form.code);
      if (!code || code.used || code.expiresAt < now || code.clientId !== app.clientId) {
        return this.oauthError(
          400,
          'invalid_grant',
          'The provided authorization grant or refresh token is invalid, expired or revoked.',
        );
      }
      if (code.redirectUri !== form.redirect_uri) {
        return this.oauthError(
          400,
          'invalid_redirect_uri',
          'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code.',
        );
      }
      code.used = true;
      return json(200, this.grant(code.memberId, app.clientId, code.scopes));
    }
    if (form.grant_type === 'refresh_token') {
      const record = this.refreshTokens.get(form.refresh_token);
      if (!record || record.revoked || record.expiresAt <= now || record.clientId !== app.clientId) {
        return this.oauthError(
          400,
          'invalid_grant',
          'The provided authorization grant or refresh token is invalid, expired or revoked.',
        );
      }
      return json(200, this.grant(record.memberId, app.clientId, record.scopes, form.refresh_token));
    }
    return this.oauthError(400, 'unsupported_grant_type', `Unsupported grant type ${form.grant_type}`);
  }

  introspectEndpoint(request: SimRequest): SimResponse {
    const form = formBody(request.body);
    const app = this.app(form.client_id);
    // LinkedIn's documented codes: 400 "Invalid client id or token", 401 "Invalid client secret".
    if (!app) return this.oauthError(400, 'invalid_request', 'Invalid client id or token');
    if (app.clientSecret !== form.client_secret)
      return this.oauthError(401, 'invalid_client', 'Invalid client secret');
    const record = this.accessTokens.get(form.token);
    if (!record || record.clientId !== app.clientId)
      return this.oauthError(400, 'invalid_request', 'Invalid client id or token');
    const status = record.revoked ? 'revoked' : record.expiresAt <= this.clock.now() ? 'expired' : 'active';
    return json(200, {
      active: status === 'active',
      client_id: record.clientId,
      authorized_at: Math.floor(record.createdAt / 1000),
      created_at: Math.floor(record.createdAt / 1000),
      status,
      expires_at: Math.floor(record.expiresAt / 1000),
      scope: record.scopes.join(','),
      auth_type: '3L',
    });
  }

  /** The member and scopes of the request's bearer token, or LinkedIn's 401. */
  authenticate(request: SimRequest): { member: SimMember; scopes: string[]; clientId: string } {
    const authorization = headerValue(request.headers, 'Authorization') ?? '';
    const match = /^Bearer (\S+)$/.exec(authorization);
    if (!match) throw new ApiError(401, 'INVALID_ACCESS_TOKEN', 'Empty oauth2 access token', 65600);
    const record = this.accessTokens.get(match[1]);
    if (!record) throw new ApiError(401, 'INVALID_ACCESS_TOKEN', 'Invalid access token', 65600);
    if (record.revoked)
      throw new ApiError(
        401,
        'REVOKED_ACCESS_TOKEN',
        'The token used in the request has been revoked by the user',
        65602,
      );
    if (record.expiresAt <= this.clock.now())
      throw new ApiError(401, 'EXPIRED_ACCESS_TOKEN', 'The token used in the request has expired', 65601);
    return { member: this.data.member(record.memberId)!, scopes: record.scopes, clientId: record.clientId };
  }
}
