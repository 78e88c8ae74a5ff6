import type { SimClock } from '../apps-script/clock';
import type { SimRequest, SimResponse } from '../apps-script/http';
import { AdsApi } from './ads-api';
import { DEFAULT_SIZE, SimData, type SimMember, type WorldSize } from './data';
import {
  checkHeaders,
  countUsage,
  type DailyLimitWording,
  effectiveQuery,
  type Fault,
  faultAnswer,
  LIVE_VERSIONS,
  oversizedRequest,
} from './edge';
import { OAuthServer, type OAuthState, DEFAULT_APP, type SimApp } from './oauth';
import { LeadsApi } from './leads-api';
import { PagesApi } from './pages-api';
import { sequence } from './random';
import { StandardizedDataApi } from './standardized-data';
import { ApiError, json } from './request-checks';
import { parseRestliQuery, type RestliValue, RestliSyntaxError } from './restli-query';

export { DEFAULT_APP, type SimApp } from './oauth';

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
  /**
   * Whether `q=statistics` takes professional demographic (MEMBER_*) pivots: LinkedIn's pages
   * do not say, so the simulator refuses them unless a test takes the other reading.
   */
  statisticsTakesDemographics?: boolean;
  /** How a daily limit's 429 reads; 'names-day' unless a test takes the documented wording. */
  dailyLimitWording?: DailyLimitWording;
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

/** The lookups that name facet values sent as URNs, by the resource each is served at. */
export type NamesLookup = 'geo' | 'industryTaxonomyVersions' | 'titles' | 'organizationsLookup';

/** What LinkedIn remembers between requests: what a simulator in its own process saves between restarts. */
export interface SimulatorState extends OAuthState {
  usage: Array<[string, number]>;
}

/**
 * LinkedIn's OAuth endpoints and the REST API as the add-on uses them, strict about
 * what LinkedIn is strict about: headers, versions, Rest.li syntax, scopes, field
 * limits, paging and throttles. The pieces live in their own files (oauth, edge, ads-api,
 * pages-api); this class wires them and keeps the route table.
 */
export class LinkedInSimulator {
  readonly data: SimData;
  readonly calls: RecordedApiCall[] = [];
  private readonly clock: SimClock;
  private readonly oauth: OAuthServer;
  private readonly ads: AdsApi;
  readonly leads: LeadsApi;
  private readonly pages: PagesApi;
  private readonly standardized = new StandardizedDataApi();
  private readonly refusedLookups = new Map<NamesLookup, 401 | 403>();
  private readonly usage = new Map<string, number>();
  private readonly queuedFaults: Array<{ fault: Fault; pathPattern: RegExp; retryAfterSeconds?: number }> =
    [];
  private readonly random: () => number;
  limits: { appDaily: number; memberDaily: number };
  faultRates: Partial<Record<Fault, number>>;
  latency: { baseMs: number; perElementMs: number };
  liveVersions: string[];
  dailyLimitWording: DailyLimitWording;

  constructor(options: SimulatorOptions) {
    this.clock = options.clock;
    this.data = new SimData(options.seed ?? 42, { ...DEFAULT_SIZE, ...options.size }, options.accountNames);
    this.random = sequence(options.faultSeed ?? 7);
    this.oauth = new OAuthServer(this.data, options.apps ?? [{ ...DEFAULT_APP }], this.clock, this.random);
    this.ads = new AdsApi(this.data, this.clock, options.statisticsTakesDemographics ?? false);
    this.leads = new LeadsApi(this.data, this.clock, this.ads);
    this.pages = new PagesApi(this.data, this.clock);
    this.limits = { appDaily: 100_000, memberDaily: 20_000, ...options.limits };
    this.faultRates = options.faultRates ?? {};
    this.latency = options.latency ?? { baseMs: 150, perElementMs: 0.02 };
    this.liveVersions = options.liveVersions ?? [...LIVE_VERSIONS];
    this.dailyLimitWording = options.dailyLimitWording ?? 'names-day';
  }

  get apps(): SimApp[] {
    return this.oauth.apps;
  }

  /** The next API call whose path matches fails with `fault`, for tests that need one exact failure. */
  queueFault(fault: Fault, pathPattern = /./, retryAfterSeconds?: number): void {
    this.queuedFaults.push({ fault, pathPattern, retryAfterSeconds });
  }

  /**
   * LinkedIn refuses this member the organization's lookup from now on, as its example batch
   * answer refuses a brand page the viewer lacks ADMIN_ONLY visibility of; its statistics stay open.
   */
  refuseOrganizationLookup(organizationId: number): void {
    this.pages.refusedLookups.add(organizationId);
  }

  /**
   * LinkedIn refuses one of the lookups that name facet values from now on, whatever the token's
   * scopes: with a 403 as it refuses a resource an app may not use (the standardized-data pages
   * name no permission, so what an app is allowed is LinkedIn's call), or with a 401, as if that
   * API did not take the token.
   */
  refuseLookup(resource: NamesLookup, status: 401 | 403 = 403): void {
    this.refusedLookups.set(resource, status);
  }

  app(clientId: string): SimApp | undefined {
    return this.oauth.app(clientId);
  }

  saveState(): SimulatorState {
    return { ...this.oauth.saveState(), usage: [...this.usage] };
  }

  loadState(state: SimulatorState): void {
    this.oauth.loadState(state);
    this.usage.clear();
    for (const [key, value] of state.usage) this.usage.set(key, value);
  }

  /**
   * The member's answer on the consent page. Returns where LinkedIn redirects the
   * browser, or throws with the error page's text when LinkedIn shows no redirect.
   */
  consent(authorizationUrl: string, memberId: string, decision: 'allow' | 'cancel' = 'allow'): string {
    return this.oauth.consent(authorizationUrl, memberId, decision);
  }

  /** Tokens as the OAuth 2.0 tools page makes them, for tests of the manual path. */
  issueTokens(memberId: string, scopes: string[], clientId = this.apps[0].clientId) {
    return this.oauth.issueTokens(memberId, scopes, clientId);
  }

  revokeAll(memberId: string): void {
    this.oauth.revokeAll(memberId);
  }

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
      if (url.pathname === '/oauth/v2/accessToken')
        return this.withLatency(this.oauth.tokenEndpoint(request), 0);
      if (url.pathname === '/oauth/v2/introspectToken')
        return this.withLatency(this.oauth.introspectEndpoint(request), 0);
      return json(404, { error: 'not_found' });
    }
    if (url.host !== 'api.linkedin.com') return { status: 404, headers: {}, body: 'Not Found' };
    const oversized = oversizedRequest(request);
    if (oversized) return this.withLatency(oversized, 0);
    try {
      record.query = parseRestliQuery(effectiveQuery(request, rawQuery));
      const member = this.oauth.authenticate(request);
      checkHeaders(request, this.liveVersions, url.pathname.startsWith('/v2/'));
      const fault = this.nextFault(url.pathname);
      if (fault) return fault.timedOut ? fault : this.withLatency(fault, 0);
      countUsage(this.usage, this.limits, this.clock.now(), member, url.pathname, this.dailyLimitWording);
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

  private withLatency(response: SimResponse, elements: number): SimResponse {
    return { ...response, latencyMs: Math.round(this.latency.baseMs + elements * this.latency.perElementMs) };
  }

  /** The fault this call meets: one queued for its path first, else one drawn at the configured rates. */
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
    return fault === null ? null : faultAnswer(fault, retryAfterSeconds);
  }

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
    const refused = this.refusedLookups.get(segments[1] as NamesLookup);
    if (refused === 401) throw new ApiError(401, 'INVALID_ACCESS_TOKEN', 'Invalid access token', 65600);
    if (refused === 403)
      throw new ApiError(
        403,
        'ACCESS_DENIED',
        `Not enough permissions to access: ${segments[1]}.BATCH_GET`,
        100,
      );
    if (segments[0] === 'v2') {
      // The unversioned API serves here only what the add-on reads of it: the standardized-data
      // lookups, which name no permission, so any valid token of the app may ask them.
      const answer = this.standardized.route(segments.slice(1), query);
      if (answer) return answer;
      throw new ApiError(404, 'NOT_FOUND', `No resource at ${path}`);
    }
    if (segments[0] !== 'rest') throw new ApiError(404, 'NOT_FOUND', `No resource at ${path}`);
    const resource = segments[1];
    switch (resource) {
      case 'adAccountUsers':
        need('r_ads', 'rw_ads');
        return this.ads.adAccountUsers(query, member);
      case 'adAccounts':
        need('r_ads', 'rw_ads');
        return this.ads.adAccounts(segments.slice(2), query, member);
      case 'conversions':
        need('r_ads', 'rw_ads');
        return this.ads.conversions(query, member);
      case 'adAnalytics':
        need('r_ads_reporting');
        return this.ads.adAnalytics(query, member);
      // LinkedIn's Lead Sync access page: forms and responses need r_marketing_leadgen_automation,
      // which r_ads and rw_ads do not stand in for ("Cannot retrieve leads" under rw_ads).
      case 'leadForms':
        need('r_marketing_leadgen_automation');
        return this.leads.leadForms(query, member);
      case 'leadFormResponses':
        need('r_marketing_leadgen_automation');
        return this.leads.leadFormResponses(query, member);
      case 'organizationAcls':
        need('rw_organization_admin', 'r_organization_admin');
        return this.pages.organizationAcls(query, member);
      case 'organizations':
        need('rw_organization_admin', 'r_organization_admin');
        return this.pages.organizations(segments.slice(2), query, member);
      case 'organizationsLookup':
        // LinkedIn's Organization Lookup page lists rw_organization_admin (and r_compliance, a
        // private permission) and no other: an Ads-only connection is refused.
        need('rw_organization_admin', 'r_compliance');
        return this.pages.organizationsLookup(segments.slice(2), query);
      case 'networkSizes':
        // Documented under Organization Lookup, whose page lists rw_organization_admin (and
        // r_compliance, a private permission) and no other.
        need('rw_organization_admin', 'r_compliance');
        return this.pages.networkSizes(segments.slice(2), query, member);
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
}
