import type { Clock, Http, HttpRequest, HttpResponse } from '../platform';
import {
  API_BASE_URL,
  API_V2_BASE_URL,
  LINKEDIN_VERSION,
  MAX_URL_LENGTH,
  VERSION_LOOKBACK_MONTHS,
} from './api';
import {
  isDailyLimit,
  isUrlFetchQuotaSpent,
  type LinkedInError,
  OutOfTimeError,
  toLinkedInError,
  UrlFetchQuotaError,
  versionsRetiredError,
} from './errors';
import { encodeQuery, type RestliValue } from './restli';

export interface ApiCall {
  /** Path under /rest/, e.g. `adAccounts/123/adCampaigns` (under /v2/ for an `unversioned` call). */
  path: string;
  query?: Record<string, RestliValue | undefined>;
  /**
   * A call to LinkedIn's unversioned API: the path is under /v2/ and the call carries no
   * LinkedIn-Version header (only the token and the Rest.li 2.0 header). LinkedIn documents some
   * resources only there: its Geo API page shows `GET https://api.linkedin.com/v2/geo?ids=List(…)`
   * with no version header, and says "All API requests are represented in protocol 2.0.0 and
   * require the header X-Restli-Protocol-Version: 2.0.0"
   * (learn.microsoft.com/en-gb/linkedin/shared/references/v2/standardized-data/locations/geo).
   */
  unversioned?: boolean;
}

/** A small store that outlives one client (Apps Script's user cache in production). */
export interface VersionCache {
  get(key: string): string | null;
  put(key: string, value: string, expirationInSeconds?: number): void;
}

/** Where the client keeps the API version LinkedIn last accepted instead of the pinned one. */
export const VERSION_CACHE_KEY = 'linkedin.apiVersion';
/** CacheService keeps a value at most six hours; after that the pinned version is tried again. */
const VERSION_CACHE_SECONDS = 21_600;

/** Monthly versions from the current month back VERSION_LOOKBACK_MONTHS, newest first. */
function fallbackVersions(now: number): string[] {
  const today = new Date(now);
  return Array.from({ length: VERSION_LOOKBACK_MONTHS + 1 }, (_, back) => {
    const month = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - back, 1));
    return `${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

/**
 * Requests sent together in one UrlFetchApp.fetchAll: the client's batches, and the analytics
 * windows a runner step fetches at once. LinkedIn's throttles count requests per day (per
 * application and per member), not at once, and fetchAll documents no cap, so width costs no
 * quota; a round trip costs the slowest request, so the width is what sets wall time. What
 * bounds it is memory: a full analytics answer (15,000 elements of 20 fields) measures about
 * 7.3 MB of JSON, so 40 of them hold under 300 MB at worst, and 40 carry the five 18-metric
 * groups of an all-metrics import across eight windows (a year of 300 creatives) in one round.
 */
export const PARALLEL_REQUESTS = 40;

export interface ClientOptions {
  /** Epoch ms by which this step must be done; waits that would pass it end the step instead. */
  deadline: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  random?: () => number;
  /**
   * Remembers a version found after LinkedIn refused the pinned one (426), so the next
   * client starts with it instead of searching again. Without it, each client searches once.
   */
  versionCache?: VersionCache;
  /** Told when LinkedIn no longer accepts the token (401), so the connection can say it needs the user. */
  onConnectionRefused?: (error: LinkedInError) => void;
}

const TRANSIENT_STATUSES = [429, 500, 502, 503, 504];
const MAX_BACKOFF_MS = 60_000;

export interface CursorPages<T, A> {
  /** Every element of each stream, in the order of its calls. */
  pages: T[][];
  /** The parsed answers of the calls sent alongside. */
  alongside: A[];
}

export interface OffsetPages<T, A> {
  /** Every element of each stream, in the order of its calls. */
  pages: T[][];
  /** The answers of the calls `follow` named, in the order it named them. */
  followed: A[];
}

interface Pending {
  call: ApiCall;
  index: number;
  attempt: number;
}

/**
 * LinkedIn's REST API over UrlFetchApp.fetchAll: every request carries the token, the
 * one API version and the Rest.li 2.0 header; transient failures are retried with
 * exponential backoff and jitter (or as Retry-After says) within the step's deadline.
 */
export class LinkedInClient {
  /** Every HTTP request sent, retries included: what the benchmark and tests count. */
  requestsSent = 0;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly random: () => number;
  /** The API version requests go out with: the pinned one, or the one a 426 led to. */
  private version: string;
  /** The version the cache holds (or the pinned one): a different accepted version is written to it. */
  private rememberedVersion: string;
  private readonly refusedVersions: string[] = [];

  constructor(
    private readonly http: Http,
    private readonly clock: Clock,
    private readonly accessToken: () => string,
    private readonly options: ClientOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 6;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.random = options.random ?? Math.random;
    const cached = options.versionCache?.get(VERSION_CACHE_KEY);
    this.version = cached && /^\d{6}$/.test(cached) ? cached : LINKEDIN_VERSION;
    this.rememberedVersion = this.version;
  }

  /**
   * LinkedIn answers 426 to every call with a version it does not serve (retired, or never
   * released: it skips months). Moves to the next newest version not yet refused, or stops
   * with a message that the add-on needs an update.
   */
  private refuseVersion(version: string, body: string): void {
    if (version !== this.version) return; // Another answer of the same batch moved on already.
    this.refusedVersions.push(version);
    const next = fallbackVersions(this.clock.now()).find(
      (candidate) => !this.refusedVersions.includes(candidate),
    );
    if (!next) throw versionsRetiredError(this.refusedVersions, body);
    this.version = next;
  }

  private acceptVersion(version: string): void {
    if (version !== this.version || version === this.rememberedVersion) return;
    this.options.versionCache?.put(VERSION_CACHE_KEY, version, VERSION_CACHE_SECONDS);
    this.rememberedVersion = version;
  }

  private toHttpRequest(call: ApiCall, token: string, version: string): HttpRequest {
    const query = encodeQuery(call.query ?? {});
    const base = call.unversioned ? API_V2_BASE_URL : API_BASE_URL;
    const url = `${base}${call.path}${query ? `?${query}` : ''}`;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      ...(call.unversioned ? {} : { 'LinkedIn-Version': version }),
      'X-Restli-Protocol-Version': '2.0.0',
    };
    if (url.length <= MAX_URL_LENGTH) return { url, method: 'get', headers };
    // Query tunneling: LinkedIn reads a POST marked as GET with the query in a form body.
    return {
      url: `${base}${call.path}`,
      method: 'post',
      headers: {
        ...headers,
        'X-HTTP-Method-Override': 'GET',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      payload: query,
    };
  }

  private delayFor(response: HttpResponse | null, attempt: number): number {
    const retryAfter = Number(response?.headers['Retry-After'] ?? response?.headers['retry-after']);
    if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
    const exponential = Math.min(MAX_BACKOFF_MS, this.baseDelayMs * 2 ** attempt);
    return Math.round(exponential / 2 + (this.random() * exponential) / 2);
  }

  /** Fetches every call (in parallel batches) and returns the parsed bodies in order; the first refusal throws. */
  getAll<T>(calls: ApiCall[]): T[] {
    return this.fetchEach<T>(calls, false) as T[];
  }

  /**
   * Like `getAll`, but a call LinkedIn refuses (any 4xx, or a 5xx after the retries) gives its
   * error in its place instead of throwing, and the other calls are still sent: for lookups whose
   * refusal costs only their own answers. Running out of time, Apps Script's quota and retired
   * versions still throw, as they end the step whatever the calls are.
   */
  getAllSettled<T>(calls: ApiCall[]): Array<T | LinkedInError> {
    return this.fetchEach<T>(calls, true);
  }

  private fetchEach<T>(calls: ApiCall[], settle: boolean): Array<T | LinkedInError> {
    const results = new Array<T | LinkedInError>(calls.length);
    let pending: Pending[] = calls.map((call, index) => ({ call, index, attempt: 0 }));
    while (pending.length > 0) {
      if (this.clock.now() >= this.options.deadline) throw new OutOfTimeError();
      const batch = pending.slice(0, PARALLEL_REQUESTS);
      const later = pending.slice(PARALLEL_REQUESTS);
      const token = this.accessToken();
      const version = this.version;
      let responses: Array<HttpResponse | null>;
      try {
        responses = this.http.fetchAll(batch.map((item) => this.toHttpRequest(item.call, token, version)));
      } catch (error) {
        // Apps Script's own daily quota: no retry helps before it resets.
        if (isUrlFetchQuotaSpent(error)) throw new UrlFetchQuotaError(error);
        // A network failure (timeout, reset) fails the whole fetchAll: every request in it is retried.
        responses = batch.map(() => null);
      }
      this.requestsSent += batch.length;
      const retries: Pending[] = [];
      let wait = 0;
      responses.forEach((response, position) => {
        const item = batch[position];
        if (response && response.status >= 200 && response.status < 300) {
          try {
            results[item.index] = JSON.parse(response.body) as T;
            // An unversioned call's answer says nothing of the version.
            if (!item.call.unversioned) this.acceptVersion(version);
            return;
          } catch {
            // A cut-off body: retried like a server error.
          }
        }
        const status = response?.status ?? 0;
        const body = response?.body ?? '';
        if (status === 426) {
          // Asked again with another version: not an attempt of the call itself.
          this.refuseVersion(version, body);
          retries.push(item);
          return;
        }
        const transient =
          !response ||
          (status >= 200 && status < 300) ||
          (TRANSIENT_STATUSES.includes(status) && !isDailyLimit(status, body));
        if (!transient || item.attempt + 1 >= this.maxAttempts) {
          const error = toLinkedInError(status, body, this.clock.now());
          // An unversioned lookup's 401 may be that API not taking the token: the versioned calls,
          // which the connection is for, say whether LinkedIn still accepts it.
          if (error.kind === 'reconnect' && !item.call.unversioned) this.options.onConnectionRefused?.(error);
          if (!settle) throw error;
          results[item.index] = error;
          return;
        }
        retries.push({ ...item, attempt: item.attempt + 1 });
        wait = Math.max(wait, this.delayFor(response, item.attempt));
      });
      if (retries.length > 0) {
        if (this.clock.now() + wait >= this.options.deadline) throw new OutOfTimeError();
        this.clock.sleep(wait);
      }
      pending = [...retries, ...later];
    }
    return results;
  }

  get<T>(call: ApiCall): T {
    return this.getAll<T>([call])[0];
  }

  /**
   * Pages `pageToken` streams side by side (each call names its own pageSize): one batch per
   * page depth, until no stream has a next page. The `alongside` calls ride in the first
   * batch, so work that does not wait for the streams costs no round trip of its own.
   */
  collectCursorPages<T, A = never>(calls: ApiCall[], alongside: ApiCall[] = []): CursorPages<T, A> {
    type Page = { elements: T[]; metadata?: { nextPageToken?: string } };
    const pages: T[][] = calls.map(() => []);
    let open = calls.map((call, index) => ({ index, call }));
    const first = this.getAll<Page | A>([...calls, ...alongside]);
    let answers = first.slice(0, calls.length) as Page[];
    while (open.length > 0) {
      const next: typeof open = [];
      answers.forEach((page, position) => {
        const stream = open[position];
        pages[stream.index].push(...page.elements);
        const token = page.metadata?.nextPageToken;
        if (token)
          next.push({
            index: stream.index,
            call: { ...stream.call, query: { ...stream.call.query, pageToken: token } },
          });
      });
      open = next;
      answers = open.length > 0 ? this.getAll<Page>(open.map((stream) => stream.call)) : [];
    }
    return { pages, alongside: first.slice(calls.length) as A[] };
  }

  /** Pages `start`/`count` streams side by side; see `collectOffsetPagesWith`. */
  collectOffsetPages<T>(calls: ApiCall[], count = 100): T[][] {
    return this.collectOffsetPagesWith<T, never>(calls, () => [], count).pages;
  }

  /**
   * Pages `start`/`count` streams: the first page of each tells the total, then every
   * remaining page is fetched in one round. Without a total (or with -1), pages follow one
   * another until one comes back empty.
   * Before each round, `follow` names calls that need only the elements listed so far
   * (`complete` says which streams have no page left); they ride in that round, so work on
   * early pages costs no round trip of its own. After the last page it is asked until it names
   * none. Their answers come back in the order they were named.
   */
  collectOffsetPagesWith<T, A>(
    calls: ApiCall[],
    follow: (listed: T[][], complete: boolean[]) => ApiCall[],
    count = 100,
  ): OffsetPages<T, A> {
    type Page = { elements: T[]; paging?: { total?: number } };
    const listed: T[][] = calls.map(() => []);
    const followed: A[] = [];
    let requests = calls.map((_, stream) => ({ stream, start: 0 }));
    let complete = calls.map(() => false);
    for (;;) {
      const riders = follow(listed, complete);
      if (requests.length === 0 && riders.length === 0) return { pages: listed, followed };
      const answers = this.getAll<Page | A>([
        ...requests.map(({ stream, start }) => ({
          ...calls[stream],
          query: { ...calls[stream].query, start, count },
        })),
        ...riders,
      ]);
      followed.push(...(answers.slice(requests.length) as A[]));
      const next: typeof requests = [];
      requests.forEach(({ stream, start }, position) => {
        const page = answers[position] as Page;
        listed[stream].push(...page.elements);
        const total = page.paging?.total;
        // Some finders answer total -1 (conversions, in LinkedIn's example): not known. A finder
        // may also give fewer than asked a page, so only an empty page ends such a stream.
        if (total === undefined || total < 0) {
          if (page.elements.length > 0) next.push({ stream, start: start + page.elements.length });
        } else if (start === 0) {
          for (let rest = count; rest < total; rest += count) next.push({ stream, start: rest });
        }
      });
      complete = complete.map((_, stream) => !next.some((request) => request.stream === stream));
      requests = next;
    }
  }
}
