import type { SimClock } from '../apps-script/clock';
import { headerValue, type SimRequest, type SimResponse } from '../apps-script/http';
import { computeAnalytics, dayOf, type AnalyticsQuery, type Granularity } from './ads-analytics';
import {
  AD_METRICS,
  AD_ROW_FIELDS,
  isDemographicPivot,
  isReachOrConversionMetric,
  NON_DEMOGRAPHIC_ONLY_METRICS,
  MAX_ANALYTICS_ELEMENTS,
  MAX_ANALYTICS_FIELDS,
  ENTITY_PIVOTS,
  SPLIT_PIVOTS,
} from './ads-metrics';
import { DAY_MS, DEFAULT_SIZE, SimData, type SimMember, type WorldSize } from './data';
import { PagesApi } from './pages-api';
import { sequence } from './random';
import { ApiError, cursorPage, enumValue, offsetPage, rejectUnknown, text, urnList } from './request-checks';
import { parseRestliQuery, type RestliValue, RestliSyntaxError } from './restli-query';

export const ACCESS_TOKEN_SECONDS = 60 * 24 * 3600 - 1;
export const REFRESH_TOKEN_SECONDS = 365 * 24 * 3600 - 1;
const AUTHORIZATION_CODE_MS = 30 * 60 * 1000;

export const SCOPES_BY_PRODUCT = {
  ads: ['r_ads', 'r_ads_reporting', 'rw_ads'],
  pages: ['r_organization_social', 'rw_organization_admin', 'r_organization_admin'],
};

/**
 * The versions this simulated LinkedIn serves, as an explicit list like LinkedIn's migrations
 * table: 202511 was sunset on 2026-11-16; 202601-202603 are listed active on LinkedIn's
 * migrations page; 202604-202609 are the later monthly releases reported until 2026-09.
 * There is no 202512: LinkedIn skips months. Tests retire versions by changing the list.
 */
export const LIVE_VERSIONS = [
  '202601',
  '202602',
  '202603',
  '202604',
  '202605',
  '202606',
  '202607',
  '202608',
  '202609',
];

/** Every campaign and campaign group status LinkedIn has; a search status filter may name only these. */
const SEARCH_STATUSES = [
  'ACTIVE',
  'PAUSED',
  'ARCHIVED',
  'COMPLETED',
  'CANCELED',
  'DRAFT',
  'PENDING_DELETION',
  'REMOVED',
];
/** What a campaign or campaign-group search returns without a status filter (unconfirmed: modelled as the narrowest). */
const DEFAULT_SEARCH_STATUSES = ['ACTIVE', 'PAUSED', 'DRAFT'];

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

/**
 * Failures LinkedIn's edge is seen to give: throttles with and without Retry-After, 5xx,
 * no answer, a body cut off, a body that is not JSON at all, and a proxy's HTML page
 * sent with 200.
 */
export type Fault =
  '429' | '429-retry-after' | '500' | '503' | 'timeout' | 'truncated' | 'malformed' | 'html';

export interface SimulatorOptions {
  clock: SimClock;
  seed?: number;
  size?: Partial<WorldSize>;
  accountNames?: string[];
  apps?: SimApp[];
  /** Calls per app per day, and per member per app per day for each resource. */
  limits?: { appDaily?: number; memberDaily?: number };
  /** Random faults on API calls, from a seeded sequence. */
  faultRates?: Partial<Record<Fault, number>>;
  faultSeed?: number;
  /** Simulated network time: a base per request plus a cost per element returned. */
  latency?: { baseMs: number; perElementMs: number };
  /** The API versions served; LIVE_VERSIONS unless a test retires some. */
  liveVersions?: string[];
}

export interface RecordedApiCall {
  method: string;
  host: string;
  path: string;
  query: Map<string, RestliValue> | null;
  rawQuery: string;
  headers: Record<string, string>;
  status: number;
  at: number;
  /** Simulated network time of the response: what a request costs on its own. */
  latencyMs: number;
}

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

/** What LinkedIn remembers between requests: what a simulator in its own process saves between restarts. */
export interface SimulatorState {
  serial: number;
  codes: Array<[string, CodeRecord]>;
  accessTokens: Array<[string, TokenRecord]>;
  refreshTokens: Array<[string, TokenRecord]>;
  usage: Array<[string, number]>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

function formBody(body: string): Record<string, string> {
  return Object.fromEntries([...new URLSearchParams(body)]);
}

export const DEFAULT_APP: SimApp = {
  clientId: 'sim-client-id',
  clientSecret: 'sim-client-secret',
  name: 'Sheets Reporting',
  redirectUris: [],
  products: ['ads', 'pages'],
  programmaticRefresh: true,
};

/**
 * LinkedIn's OAuth endpoints and the REST API as the add-on uses them, strict about
 * what LinkedIn is strict about: headers, versions, Rest.li syntax, scopes, field
 * limits, paging and throttles.
 */
export class LinkedInSimulator {
  readonly data: SimData;
  readonly apps: SimApp[];
  readonly calls: RecordedApiCall[] = [];
  private readonly clock: SimClock;
  private readonly pages: PagesApi;
  private readonly codes = new Map<string, CodeRecord>();
  private readonly accessTokens = new Map<string, TokenRecord>();
  private readonly refreshTokens = new Map<string, TokenRecord>();
  private readonly usage = new Map<string, number>();
  private readonly queuedFaults: Array<{ fault: Fault; pathPattern: RegExp; retryAfterSeconds?: number }> =
    [];
  private readonly random: () => number;
  private serial = 1;
  limits: { appDaily: number; memberDaily: number };
  faultRates: Partial<Record<Fault, number>>;
  latency: { baseMs: number; perElementMs: number };
  liveVersions: string[];

  constructor(options: SimulatorOptions) {
    this.clock = options.clock;
    this.data = new SimData(options.seed ?? 42, { ...DEFAULT_SIZE, ...options.size }, options.accountNames);
    this.pages = new PagesApi(this.data, this.clock);
    this.apps = options.apps ?? [{ ...DEFAULT_APP }];
    this.limits = { appDaily: 100_000, memberDaily: 20_000, ...options.limits };
    this.faultRates = options.faultRates ?? {};
    this.random = sequence(options.faultSeed ?? 7);
    this.latency = options.latency ?? { baseMs: 150, perElementMs: 0.02 };
    this.liveVersions = options.liveVersions ?? [...LIVE_VERSIONS];
  }

  /** The next API call whose path matches fails with `fault`, for tests that need one exact failure. */
  queueFault(fault: Fault, pathPattern = /./, retryAfterSeconds?: number): void {
    this.queuedFaults.push({ fault, pathPattern, retryAfterSeconds });
  }

  app(clientId: string): SimApp | undefined {
    return this.apps.find((app) => app.clientId === clientId);
  }

  saveState(): SimulatorState {
    return {
      serial: this.serial,
      codes: [...this.codes],
      accessTokens: [...this.accessTokens],
      refreshTokens: [...this.refreshTokens],
      usage: [...this.usage],
    };
  }

  loadState(state: SimulatorState): void {
    this.serial = state.serial;
    const refill = <T>(map: Map<string, T>, entries: Array<[string, T]>) => {
      map.clear();
      for (const [key, value] of entries) map.set(key, value);
    };
    refill(this.codes, state.codes);
    refill(this.accessTokens, state.accessTokens);
    refill(this.refreshTokens, state.refreshTokens);
    refill(this.usage, state.usage);
  }

  private newSecret(prefix: string): string {
    return `${prefix}-${(this.serial++).toString(36)}-${Math.floor(this.random() * 1e12).toString(36)}`;
  }

  // ---- OAuth -------------------------------------------------------------------------------

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
    const accessToken = this.newSecret('AQV');
    this.accessTokens.set(accessToken, {
      memberId,
      clientId,
      scopes,
      createdAt: now,
      expiresAt: now + ACCESS_TOKEN_SECONDS * 1000,
    });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      expires_in: ACCESS_TOKEN_SECONDS,
      scope: scopes.join(','),
    };
    if (this.app(clientId)?.programmaticRefresh) {
      let token = refreshToken;
      if (!token) {
        token = this.newSecret('AQX');
        this.refreshTokens.set(token, {
          memberId,
          clientId,
          scopes,
          createdAt: now,
          expiresAt: now + REFRESH_TOKEN_SECONDS * 1000,
        });
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

  private tokenEndpoint(request: SimRequest): SimResponse {
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

  private introspectEndpoint(request: SimRequest): SimResponse {
    const form = formBody(request.body);
    const app = this.app(form.client_id);
    if (!app || app.clientSecret !== form.client_secret)
      return this.oauthError(401, 'invalid_client', 'Client authentication failed');
    const record = this.accessTokens.get(form.token);
    if (!record || record.clientId !== app.clientId) return json(200, { active: false });
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

  // ---- Dispatch ----------------------------------------------------------------------------

  handle(request: SimRequest): SimResponse {
    const url = new URL(request.url);
    const rawQuery = url.search.replace(/^\?/, '');
    const record: RecordedApiCall = {
      method: request.method,
      host: url.host,
      path: url.pathname,
      query: null,
      rawQuery,
      headers: request.headers,
      status: 0,
      at: this.clock.now(),
      latencyMs: 0,
    };
    this.calls.push(record);
    const response = this.dispatch(request, url, rawQuery, record);
    record.status = response.timedOut ? 0 : response.status;
    record.latencyMs = response.latencyMs ?? 0;
    return response;
  }

  private dispatch(request: SimRequest, url: URL, rawQuery: string, record: RecordedApiCall): SimResponse {
    if (url.host === 'www.linkedin.com') {
      if (url.pathname === '/oauth/v2/accessToken') return this.withLatency(this.tokenEndpoint(request), 0);
      if (url.pathname === '/oauth/v2/introspectToken')
        return this.withLatency(this.introspectEndpoint(request), 0);
      return json(404, { error: 'not_found' });
    }
    if (url.host !== 'api.linkedin.com') return { status: 404, headers: {}, body: 'Not Found' };
    try {
      const effective = this.effectiveRequest(request, rawQuery);
      record.query = parseRestliQuery(effective.query);
      const member = this.authenticate(request);
      this.checkHeaders(request);
      const fault = this.nextFault(url.pathname);
      if (fault) return fault;
      this.countUsage(member, request, url.pathname);
      const { body, elements } = this.route(url.pathname, record.query, member.member, member.scopes);
      return this.withLatency(json(200, body), elements);
    } catch (error) {
      if (error instanceof ApiError) {
        return this.withLatency(
          json(
            error.status,
            {
              status: error.status,
              ...(error.serviceErrorCode === null ? {} : { serviceErrorCode: error.serviceErrorCode }),
              code: error.code,
              message: error.message,
            },
            error.headers,
          ),
          0,
        );
      }
      if (error instanceof RestliSyntaxError) {
        return this.withLatency(
          json(400, { status: 400, serviceErrorCode: 100, code: 'ILLEGAL_ARGUMENT', message: error.message }),
          0,
        );
      }
      throw error;
    }
  }

  /** Query tunneling: a POST with X-HTTP-Method-Override: GET carries the query in its form body. */
  private effectiveRequest(request: SimRequest, rawQuery: string): { query: string } {
    if (request.method === 'GET') return { query: rawQuery };
    if (request.method === 'POST' && headerValue(request.headers, 'X-HTTP-Method-Override') === 'GET') {
      return { query: request.body };
    }
    throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not supported here`);
  }

  private withLatency(response: SimResponse, elements: number): SimResponse {
    return { ...response, latencyMs: Math.round(this.latency.baseMs + elements * this.latency.perElementMs) };
  }

  private authenticate(request: SimRequest): { member: SimMember; scopes: string[]; clientId: string } {
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

  private checkHeaders(request: SimRequest): void {
    const version = headerValue(request.headers, 'LinkedIn-Version');
    if (!version) {
      throw new ApiError(
        400,
        'VERSION_MISSING',
        'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
      );
    }
    if (!this.liveVersions.includes(version)) {
      // LinkedIn names the version as a day, YYYYMM01, in this message (as n8n users' reports show).
      const named = /^\d{6}$/.test(version) ? `${version}01` : version;
      throw new ApiError(426, 'NONEXISTENT_VERSION', `Requested version ${named} is not active`, null);
    }
    if (headerValue(request.headers, 'X-Restli-Protocol-Version') !== '2.0.0') {
      throw new ApiError(400, 'ILLEGAL_ARGUMENT', 'This endpoint requires X-Restli-Protocol-Version: 2.0.0');
    }
  }

  private nextFault(path: string): SimResponse | null {
    const queued = this.queuedFaults.findIndex((entry) => entry.pathPattern.test(path));
    let fault: Fault | null = null;
    let retryAfterSeconds: number | undefined;
    if (queued >= 0) {
      ({ fault, retryAfterSeconds } = this.queuedFaults.splice(queued, 1)[0]);
    } else {
      for (const [kind, rate] of Object.entries(this.faultRates) as Array<[Fault, number]>) {
        if (this.random() < rate) {
          fault = kind;
          break;
        }
      }
    }
    switch (fault) {
      case null:
        return null;
      case 'timeout':
        return { status: 0, headers: {}, body: '', timedOut: true };
      case 'truncated':
        return this.withLatency(
          { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"elements":[{"impr' },
          0,
        );
      case 'malformed':
        return this.withLatency(
          { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"elements":[}]' },
          0,
        );
      case 'html':
        return this.withLatency(
          {
            status: 200,
            headers: { 'Content-Type': 'text/html' },
            body: '<!DOCTYPE html><html><body><h1>We’ll be back soon</h1></body></html>',
          },
          0,
        );
      case '429-retry-after':
      case '429':
        if (fault === '429-retry-after') retryAfterSeconds ??= 2;
        return this.withLatency(
          json(
            429,
            {
              status: 429,
              serviceErrorCode: 101,
              code: 'TOO_MANY_REQUESTS',
              message: 'Too many requests: slow down and retry.',
            },
            retryAfterSeconds !== undefined ? { 'Retry-After': String(retryAfterSeconds) } : {},
          ),
          0,
        );
      default:
        return this.withLatency(
          json(Number(fault), {
            status: Number(fault),
            code: 'INTERNAL_SERVER_ERROR',
            message: 'Internal Server Error',
          }),
          0,
        );
    }
  }

  private countUsage(
    identity: { member: SimMember; clientId: string },
    _request: SimRequest,
    path: string,
  ): void {
    const day = Math.floor(this.clock.now() / DAY_MS);
    const resource = path.split('/')[2] ?? '';
    const appKey = `${day}|${identity.clientId}`;
    const memberKey = `${appKey}|${identity.member.id}|${resource}`;
    const appCount = (this.usage.get(appKey) ?? 0) + 1;
    const memberCount = (this.usage.get(memberKey) ?? 0) + 1;
    if (appCount > this.limits.appDaily) {
      throw new ApiError(
        429,
        'TOO_MANY_REQUESTS',
        'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.',
        101,
      );
    }
    if (memberCount > this.limits.memberDaily) {
      throw new ApiError(
        429,
        'TOO_MANY_REQUESTS',
        'Resource level throttle MEMBER DAY limit for calls to this resource is reached.',
        101,
      );
    }
    this.usage.set(appKey, appCount);
    this.usage.set(memberKey, memberCount);
  }

  // ---- REST resources ----------------------------------------------------------------------

  private route(
    path: string,
    query: Map<string, RestliValue>,
    member: SimMember,
    scopes: string[],
  ): { body: unknown; elements: number } {
    const need = (...accepted: string[]) => {
      if (!accepted.some((scope) => scopes.includes(scope))) {
        throw new ApiError(
          403,
          'ACCESS_DENIED',
          `Not enough permissions to access: ${path.split('/')[2]}.GET.NO_VERSION`,
          100,
        );
      }
    };
    const segments = path.split('/').filter(Boolean);
    if (segments[0] !== 'rest') throw new ApiError(404, 'NOT_FOUND', `No resource at ${path}`);
    const resource = segments[1];
    switch (resource) {
      case 'adAccountUsers':
        need('r_ads', 'rw_ads');
        return this.adAccountUsers(query, member);
      case 'adAccounts':
        need('r_ads', 'rw_ads');
        return this.adAccounts(segments.slice(2), query, member);
      case 'adAnalytics':
        need('r_ads_reporting');
        return this.adAnalytics(query, member);
      case 'organizationAcls':
        need('rw_organization_admin', 'r_organization_admin');
        return this.pages.organizationAcls(query, member);
      case 'organizations':
        need('rw_organization_admin', 'r_organization_admin');
        return this.pages.organizations(segments.slice(2), query, member);
      case 'organizationalEntityFollowerStatistics':
        need('rw_organization_admin', 'r_organization_admin');
        return this.pages.followerStatistics(query, member);
      case 'organizationPageStatistics':
        need('rw_organization_admin', 'r_organization_admin');
        return this.pages.pageStatistics(query, member);
      case 'organizationalEntityShareStatistics':
        // LinkedIn documents share statistics under rw_organization_admin, like the other statistics.
        need('rw_organization_admin', 'r_organization_admin');
        return this.pages.shareStatisticsResource(query, member);
      case 'posts':
        need('r_organization_social');
        return this.pages.postsResource(query, member);
      default:
        throw new ApiError(404, 'NOT_FOUND', `No resource named ${resource}`);
    }
  }

  private memberAccountIds(member: SimMember): number[] {
    return member.accountRoles.map((role) => role.accountId);
  }

  private requireAccount(member: SimMember, accountId: number): void {
    if (!this.data.accounts.has(accountId))
      throw new ApiError(404, 'NOT_FOUND', `Ad account ${accountId} does not exist`);
    if (!this.memberAccountIds(member).includes(accountId)) {
      throw new ApiError(
        403,
        'ACCESS_DENIED',
        `Not enough permissions to access: the member has no role on ad account ${accountId}`,
        100,
      );
    }
  }

  // Ads -------------------------------------------------------------------------------------

  private adAccountUsers(query: Map<string, RestliValue>, member: SimMember) {
    rejectUnknown(query, ['q', 'start', 'count']);
    if (text(query, 'q') !== 'authenticatedUser')
      throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
    const elements = member.accountRoles.map((role) => ({
      account: `urn:li:sponsoredAccount:${role.accountId}`,
      role: role.role,
      user: `urn:li:person:${member.id}`,
    }));
    return offsetPage(query, elements, 100);
  }

  private statusFilter(query: Map<string, RestliValue>): { statuses?: string[]; test?: boolean } {
    const search = query.get('search');
    if (search === undefined) return {};
    if (typeof search !== 'object' || Array.isArray(search))
      throw new ApiError(400, 'PARAM_INVALID', 'search must be a Rest.li object', 100);
    const filter: { statuses?: string[]; test?: boolean } = {};
    for (const [key, value] of Object.entries(search)) {
      if (key === 'status') {
        const values = typeof value === 'object' && !Array.isArray(value) ? value.values : undefined;
        if (!Array.isArray(values))
          throw new ApiError(400, 'PARAM_INVALID', 'search.status must be (values:List(...))', 100);
        const unknown = (values as string[]).filter((status) => !SEARCH_STATUSES.includes(status));
        if (unknown.length)
          throw new ApiError(
            400,
            'PARAM_INVALID',
            `Unknown status ${unknown.join(', ')} in search.status`,
            100,
          );
        filter.statuses = values as string[];
      } else if (key === 'test') {
        if (value !== 'true' && value !== 'false')
          throw new ApiError(400, 'PARAM_INVALID', 'search.test must be true or false', 100);
        filter.test = value === 'true';
      } else {
        throw new ApiError(400, 'PARAM_INVALID', `Unknown search criterion "${key}"`, 100);
      }
    }
    return filter;
  }

  private adAccounts(rest: string[], query: Map<string, RestliValue>, member: SimMember) {
    if (rest.length === 0) {
      rejectUnknown(query, ['q', 'search', 'pageSize', 'pageToken']);
      if (text(query, 'q') !== 'search') throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
      const filter = this.statusFilter(query);
      const accounts = this.memberAccountIds(member)
        .map((id) => this.data.accounts.get(id)!)
        .filter(
          (account) =>
            (!filter.statuses || filter.statuses.includes(account.status)) &&
            (filter.test === undefined || account.test === filter.test),
        )
        .map((account) => this.accountJson(account.id));
      return cursorPage(query, accounts, 1000);
    }
    const accountId = Number(rest[0]);
    if (!/^\d+$/.test(rest[0]))
      throw new ApiError(400, 'PARAM_INVALID', `Invalid ad account id "${rest[0]}"`, 100);
    this.requireAccount(member, accountId);
    if (rest.length === 1) {
      rejectUnknown(query, []);
      return { body: this.accountJson(accountId), elements: 1 };
    }
    const filter = this.statusFilter(query);
    // Without a status filter the searches leave old campaigns out: the worst case of what LinkedIn
    // may do (its docs do not say which statuses the default covers).
    const accepts = (status: string) => (filter.statuses ?? DEFAULT_SEARCH_STATUSES).includes(status);
    switch (rest[1]) {
      case 'adCampaignGroups': {
        rejectUnknown(query, ['q', 'search', 'pageSize', 'pageToken']);
        if (text(query, 'q') !== 'search')
          throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
        const groups = [...this.data.campaignGroups.values()]
          .filter((group) => group.accountId === accountId && accepts(group.status))
          .map((group) => ({
            id: group.id,
            name: group.name,
            account: `urn:li:sponsoredAccount:${accountId}`,
            status: group.status,
            runSchedule: { start: group.runStart },
            test: false,
          }));
        return cursorPage(query, groups, 1000);
      }
      case 'adCampaigns': {
        rejectUnknown(query, ['q', 'search', 'pageSize', 'pageToken']);
        if (text(query, 'q') !== 'search')
          throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
        const account = this.data.accounts.get(accountId)!;
        const money = (cents: number) => ({
          amount: (cents / 100).toFixed(2),
          currencyCode: account.currency,
        });
        const campaigns = [...this.data.campaigns.values()]
          .filter((campaign) => campaign.accountId === accountId && accepts(campaign.status))
          .map((campaign) => ({
            id: campaign.id,
            name: campaign.name,
            account: `urn:li:sponsoredAccount:${accountId}`,
            campaignGroup: `urn:li:sponsoredCampaignGroup:${campaign.groupId}`,
            status: campaign.status,
            type: campaign.type,
            costType: campaign.costType,
            dailyBudget: money(campaign.dailyBudgetCents),
            unitCost: money(campaign.unitCostCents),
            objectiveType: campaign.objectiveType,
            optimizationTargetType: campaign.costType === 'CPC' ? 'MAX_CLICK' : 'MAX_IMPRESSION',
            format: campaign.type === 'TEXT_AD' ? 'TEXT_AD' : 'STANDARD_UPDATE',
            locale: { country: 'US', language: 'en' },
            runSchedule: campaign.runEnd
              ? { start: campaign.runStart, end: campaign.runEnd }
              : { start: campaign.runStart },
            changeAuditStamps: {
              created: { time: campaign.createdAt },
              lastModified: { time: campaign.lastModifiedAt },
            },
            servingStatuses: campaign.status === 'ACTIVE' ? ['RUNNABLE'] : ['STOPPED'],
            test: false,
          }));
        return cursorPage(query, campaigns, 1000);
      }
      case 'creatives': {
        rejectUnknown(query, ['q', 'campaigns', 'pageSize', 'pageToken']);
        if (text(query, 'q') !== 'criteria')
          throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
        const campaigns = urnList(query, 'campaigns', 'urn:li:sponsoredCampaign:');
        const creatives = this.data
          .creativesOfAccount(accountId)
          .filter((creative) => !campaigns || campaigns.includes(creative.campaignId))
          .map((creative) => ({
            id: `urn:li:sponsoredCreative:${creative.id}`,
            name: creative.name,
            account: `urn:li:sponsoredAccount:${accountId}`,
            campaign: `urn:li:sponsoredCampaign:${creative.campaignId}`,
            intendedStatus: creative.intendedStatus,
            isServing: creative.intendedStatus === 'ACTIVE',
            createdAt: creative.createdAt,
            lastModifiedAt: creative.lastModifiedAt,
          }));
        return cursorPage(query, creatives, 100);
      }
      default:
        throw new ApiError(404, 'NOT_FOUND', `No resource named ${rest[1]}`);
    }
  }

  private accountJson(accountId: number) {
    const account = this.data.accounts.get(accountId)!;
    return {
      id: account.id,
      name: account.name,
      currency: account.currency,
      status: account.status,
      type: account.type,
      test: account.test,
      reference: account.reference,
      servingStatuses: ['RUNNABLE'],
      notifiedOnCampaignOptimization: false,
    };
  }

  private dateParts(value: RestliValue | undefined, name: string): number {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new ApiError(400, 'PARAM_INVALID', `${name} must be (year:Y,month:M,day:D)`, 100);
    }
    const keys = Object.keys(value).sort().join();
    if (keys !== 'day,month,year')
      throw new ApiError(400, 'PARAM_INVALID', `${name} must have exactly year, month and day`, 100);
    const [year, month, day] = [value.year, value.month, value.day].map((part) => Number(part));
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      throw new ApiError(400, 'PARAM_INVALID', `${name} is not a real date`, 100);
    }
    return dayOf({ year, month, day });
  }

  private adAnalytics(query: Map<string, RestliValue>, member: SimMember) {
    const finder = text(query, 'q');
    const facetNames = ['accounts', 'campaignGroups', 'campaigns', 'creatives', 'companies'];
    rejectUnknown(query, ['q', 'pivot', 'pivots', 'timeGranularity', 'dateRange', 'fields', ...facetNames]);
    let pivots: string[];
    if (finder === 'analytics') {
      if (query.has('pivots'))
        throw new ApiError(
          400,
          'PARAM_INVALID',
          'The analytics finder takes one pivot; use q=statistics for pivots',
          100,
        );
      pivots = [enumValue(query, 'pivot')];
    } else if (finder === 'statistics') {
      const list = query.get('pivots');
      if (!Array.isArray(list) || list.length < 1 || list.length > 3) {
        throw new ApiError(400, 'PARAM_INVALID', 'pivots must be List(...) of one to three pivots', 100);
      }
      pivots = list as string[];
    } else {
      throw new ApiError(400, 'PARAM_INVALID', `Unsupported finder "${finder}"`, 100);
    }
    for (const pivot of pivots) {
      if (!(ENTITY_PIVOTS as readonly string[]).includes(pivot) && !(pivot in SPLIT_PIVOTS)) {
        throw new ApiError(400, 'PARAM_INVALID', `Invalid pivot "${pivot}"`, 100);
      }
    }
    const granularity = enumValue(query, 'timeGranularity') as Granularity;
    if (!['DAILY', 'MONTHLY', 'YEARLY', 'ALL'].includes(granularity)) {
      throw new ApiError(400, 'PARAM_INVALID', `Invalid timeGranularity "${granularity}"`, 100);
    }
    const range = query.get('dateRange');
    if (!range || typeof range !== 'object' || Array.isArray(range) || !('start' in range)) {
      throw new ApiError(
        400,
        'PARAM_INVALID',
        'dateRange=(start:(year:Y,month:M,day:D),end:(...)) is required',
        100,
      );
    }
    const today = Math.floor(this.clock.now() / DAY_MS);
    const startDay = this.dateParts(range.start, 'dateRange.start');
    const endDay = Math.min(
      range.end === undefined ? today : this.dateParts(range.end, 'dateRange.end'),
      today,
    );
    if (startDay > endDay)
      throw new ApiError(400, 'PARAM_INVALID', 'dateRange.start is after dateRange.end', 100);

    const facets: AnalyticsQuery['facets'] = {
      accounts: urnList(query, 'accounts', 'urn:li:sponsoredAccount:'),
      campaignGroups: urnList(query, 'campaignGroups', 'urn:li:sponsoredCampaignGroup:'),
      campaigns: urnList(query, 'campaigns', 'urn:li:sponsoredCampaign:'),
      creatives: urnList(query, 'creatives', 'urn:li:sponsoredCreative:'),
    };
    if (Object.values(facets).every((facet) => facet === undefined)) {
      throw new ApiError(
        400,
        'PARAM_INVALID',
        'At least one facet (accounts, campaignGroups, campaigns, creatives, companies) is required',
        100,
      );
    }
    const visible = new Set(this.memberAccountIds(member));
    const accountOf = {
      accounts: (id: number) => id,
      campaignGroups: (id: number) => this.data.campaignGroups.get(id)?.accountId,
      campaigns: (id: number) => this.data.campaigns.get(id)?.accountId,
      creatives: (id: number) => this.data.creatives.get(id)?.accountId,
    };
    for (const [facet, ids] of Object.entries(facets) as Array<
      [keyof typeof accountOf, number[] | undefined]
    >) {
      for (const id of ids ?? []) {
        const accountId = accountOf[facet](id);
        if (accountId === undefined || !visible.has(accountId)) {
          throw new ApiError(403, 'ACCESS_DENIED', `Not enough permissions to access: ${facet} ${id}`, 100);
        }
      }
    }

    const fields = (text(query, 'fields', false) ?? 'impressions,clicks').split(',');
    if (fields.length > MAX_ANALYTICS_FIELDS) {
      throw new ApiError(
        400,
        'PARAM_INVALID',
        `Too many fields: at most ${MAX_ANALYTICS_FIELDS} may be requested, ${fields.length} were`,
        100,
      );
    }
    for (const field of fields) {
      if (!(field in AD_METRICS) && !AD_ROW_FIELDS.includes(field)) {
        throw new ApiError(400, 'PARAM_INVALID', `Unknown field "${field}" in fields`, 100);
      }
      if (NON_DEMOGRAPHIC_ONLY_METRICS.includes(field) && pivots.some(isDemographicPivot)) {
        throw new ApiError(
          400,
          'PARAM_INVALID',
          `${field} is available for non-demographic pivots only`,
          100,
        );
      }
      if (isReachOrConversionMetric(field) && pivots.includes('IMPRESSION_DEVICE_TYPE')) {
        throw new ApiError(
          400,
          'PARAM_INVALID',
          `${field} is not available with IMPRESSION_DEVICE_TYPE`,
          100,
        );
      }
    }
    const all = computeAnalytics(this.data, { pivots, granularity, startDay, endDay, facets, fields });
    // LinkedIn returns at most 15,000 elements and says nothing about the rest.
    const elements = all.slice(0, MAX_ANALYTICS_ELEMENTS);
    return { body: { elements, paging: { start: 0, count: 10, links: [] } }, elements: elements.length };
  }
}
