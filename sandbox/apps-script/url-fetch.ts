import type { Execution } from './execution';
import type { Router, SimRequest, SimResponse } from './http';
import { SCOPES } from './scopes';

/** UrlFetchApp gives up on a request after about a minute. */
export const FETCH_TIMEOUT_MS = 60_000;
/** UrlFetchApp's quota on URL length: longer URLs are refused before anything is sent. */
export const MAX_URL_LENGTH = 2082;
/** UrlFetchApp's documented maximum response size. */
const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
/** URL Fetch calls a consumer account may make a day (Apps Script's quotas page). */
export const URL_FETCH_DAILY_QUOTA = 20_000;
const DAY_MS = 86_400_000;

type FetchParams = GoogleAppsScript.URL_Fetch.URLFetchRequestOptions;
type FetchRequest = GoogleAppsScript.URL_Fetch.URLFetchRequest;
type Response = GoogleAppsScript.URL_Fetch.HTTPResponse;

export interface RecordedFetch extends SimRequest {
  status: number | 'timeout' | 'unreachable';
  at: number;
  user: string;
  /** The fetchAll call that sent it (the log index of its first request): one round trip each. */
  batch: number;
}

class SimHttpResponse implements Pick<
  Response,
  'getResponseCode' | 'getContentText' | 'getAllHeaders' | 'getHeaders'
> {
  constructor(private readonly response: SimResponse) {}
  getResponseCode(): number {
    return this.response.status;
  }
  getContentText(): string {
    return this.response.body;
  }
  getAllHeaders(): object {
    return { ...this.response.headers };
  }
  getHeaders(): object {
    return { ...this.response.headers };
  }
}

function formEncode(payload: object): string {
  return Object.entries(payload)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
}

function toSimRequest(url: string, params: FetchParams = {}): SimRequest {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(params.headers ?? {})) headers[key] = String(value);
  let body = '';
  if (params.payload !== undefined && params.payload !== null) {
    body = typeof params.payload === 'string' ? params.payload : formEncode(params.payload as object);
    headers['Content-Type'] = params.contentType ?? 'application/x-www-form-urlencoded';
  }
  return { url, method: (params.method ?? 'get').toUpperCase(), headers, body };
}

function truncated(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

/** UrlFetchApp routed to an in-process handler; simulated latency moves the shared clock. */
export class SimUrlFetchApp {
  constructor(
    private readonly route: Router,
    private readonly execution: Execution,
    private readonly log: RecordedFetch[],
    private readonly dailyQuota = URL_FETCH_DAILY_QUOTA,
  ) {}

  /**
   * The user's calls since their quota last reset: quotas are each user's and "reset 24 hours
   * after the first request" (Apps Script's quotas page).
   */
  private callsToday(): number {
    const now = this.execution.clock.now();
    let windowStart = -Infinity;
    let calls = 0;
    for (const fetched of this.log) {
      if (fetched.user !== this.execution.user) continue;
      if (fetched.at >= windowStart + DAY_MS) [windowStart, calls] = [fetched.at, 0];
      calls++;
    }
    return now >= windowStart + DAY_MS ? 0 : calls;
  }

  /** Every call needs "Connect to an external service" (script.external_request). */
  fetch(url: string, params: FetchParams = {}): Response {
    this.execution.requireScope('UrlFetchApp.fetch', SCOPES.externalRequest);
    return this.send([{ url, ...params }])[0];
  }

  fetchAll(requests: FetchRequest[]): Response[] {
    this.execution.requireScope('UrlFetchApp.fetchAll', SCOPES.externalRequest);
    return this.send(requests);
  }

  /** Requests run in parallel, so the batch costs the clock its slowest request. */
  private send(requests: FetchRequest[]): Response[] {
    const started = this.execution.clock.now();
    const batch = this.log.length;
    let slowest = 0;
    for (const request of requests) {
      if (request.url.length > MAX_URL_LENGTH) throw new Error('Limit Exceeded: URLFetch URL Length.');
    }
    // Every request of a fetchAll is a call. Whether a batch that would pass the quota is refused
    // whole or sent in part is not documented: refused whole here, nothing sent.
    if (this.callsToday() + requests.length > this.dailyQuota)
      throw new Error('Service invoked too many times for one day: urlfetch.');
    const simRequests = requests.map((request) => toSimRequest(request.url, request));
    const responses = this.route(simRequests);
    const outcomes = requests.map((request, index) => {
      const simRequest = simRequests[index];
      const response = responses[index];
      slowest = Math.max(slowest, response.timedOut ? FETCH_TIMEOUT_MS : (response.latencyMs ?? 0));
      this.log.push({
        ...simRequest,
        status: response.timedOut ? 'timeout' : response.unreachable ? 'unreachable' : response.status,
        at: started,
        user: this.execution.user,
        batch,
      });
      return { request, response };
    });
    this.execution.clock.advance(slowest);
    // Apps Script can stop the run while it waits: the requests were sent, their answers are lost.
    this.execution.checkDeadline();
    return outcomes.map(({ request, response }) => {
      if (response.timedOut) throw new Error(`Timeout: ${request.url}`);
      if (response.unreachable) throw new Error(`Address unavailable: ${request.url}`);
      if (Buffer.byteLength(response.body) > MAX_RESPONSE_BYTES) throw new Error('Response too large');
      if (response.status >= 400 && !request.muteHttpExceptions) {
        throw new Error(
          `Request failed for ${new URL(request.url).origin} returned code ${response.status}. ` +
            `Truncated server response: ${truncated(response.body)} (use muteHttpExceptions option to examine full response)`,
        );
      }
      return new SimHttpResponse(response) as unknown as Response;
    });
  }
}
