import { headerValue, type SimRequest, type SimResponse } from '../apps-script/http';
import { DAY_MS, type SimMember } from './data';
import { ApiError, json } from './request-checks';

// What LinkedIn's edge does before a resource sees a request: the versions it serves, the
// headers it requires, query tunneling, daily throttles, and the failures it is seen to give.

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

/**
 * Failures LinkedIn's edge is seen to give: throttles with and without Retry-After, 5xx,
 * no answer, a body cut off, a body that is not JSON at all, and a proxy's HTML page
 * sent with 200.
 */
export type Fault =
  '403' | '429' | '429-retry-after' | '500' | '503' | 'timeout' | 'truncated' | 'malformed' | 'html';

/**
 * The headers LinkedIn requires. An unversioned (/v2) resource such as the Geo API needs only
 * the Rest.li 2.0 header: its page shows no LinkedIn-Version ("All API requests are represented
 * in protocol 2.0.0 and require the header X-Restli-Protocol-Version: 2.0.0").
 */
export function checkHeaders(request: SimRequest, liveVersions: string[], unversioned = false): void {
  // What /v2 does with a LinkedIn-Version header is not documented: it is ignored there.
  if (!unversioned) checkVersion(headerValue(request.headers, 'LinkedIn-Version'), liveVersions);
  if (headerValue(request.headers, 'X-Restli-Protocol-Version') !== '2.0.0') {
    throw new ApiError(400, 'ILLEGAL_ARGUMENT', 'This endpoint requires X-Restli-Protocol-Version: 2.0.0');
  }
}

function checkVersion(version: string | undefined, liveVersions: string[]): void {
  if (!version) {
    throw new ApiError(
      400,
      'VERSION_MISSING',
      'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
    );
  }
  if (!liveVersions.includes(version)) {
    // LinkedIn names the version as a day, YYYYMM01, in this message (as n8n users' reports show).
    const named = /^\d{6}$/.test(version) ? `${version}01` : version;
    throw new ApiError(426, 'NONEXISTENT_VERSION', `Requested version ${named} is not active`, null);
  }
}

/**
 * LinkedIn's size limits, from its query-tunneling page: "If your request exceeds any of the
 * size requirements listed below, your request will receive a 414 response." The page gives
 * them in KB without saying 1,000 or 1,024 bytes: the simulator takes 1,000, the stricter.
 */
const KB = 1000;
export const REQUEST_SIZE_LIMITS = {
  /** Raw URL, "8 KB max length (scheme + hostname + port + path + query string of the URL)" */
  rawUrl: 8 * KB,
  /** Query String, "4 KB max length" */
  queryString: 4 * KB,
  /** Request URL, "28 KB max length (headers + cookies + URI + queryString, but excluding POST data)" */
  requestUrl: 28 * KB,
  /** URL path segment, "4 KB max characters (the area between slashes in a URL)" */
  pathSegment: 4 * KB,
};

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * LinkedIn's 414 for a request past a size limit, or null. The page names the status only, so
 * the answer has no body for the client to read a reason from.
 */
export function oversizedRequest(request: SimRequest): SimResponse | null {
  const url = new URL(request.url);
  const headers = Object.entries(request.headers).reduce(
    (total, [name, value]) => total + bytes(`${name}: ${value}\r\n`),
    0,
  );
  const oversized =
    bytes(request.url) > REQUEST_SIZE_LIMITS.rawUrl ||
    bytes(url.search.replace(/^\?/, '')) > REQUEST_SIZE_LIMITS.queryString ||
    url.pathname.split('/').some((segment) => bytes(segment) > REQUEST_SIZE_LIMITS.pathSegment) ||
    headers + bytes(request.url) > REQUEST_SIZE_LIMITS.requestUrl;
  return oversized ? { status: 414, headers: {}, body: '' } : null;
}

/**
 * Query tunneling as LinkedIn's page lists it: a POST with "X-HTTP-Method-Override: GET" and
 * "Content-Type: application/x-www-form-urlencoded" carries the query string as its body.
 * What LinkedIn answers a tunneled POST without that Content-Type is not documented: the
 * simulator refuses it, so a client that leaves it out cannot pass.
 */
export function effectiveQuery(request: SimRequest, rawQuery: string): string {
  if (request.method === 'GET') return rawQuery;
  if (request.method === 'POST' && headerValue(request.headers, 'X-HTTP-Method-Override') === 'GET') {
    const mediaType = (headerValue(request.headers, 'Content-Type') ?? '').split(';')[0].trim();
    if (mediaType.toLowerCase() !== 'application/x-www-form-urlencoded') {
      throw new ApiError(
        400,
        'ILLEGAL_ARGUMENT',
        'A tunneled query needs Content-Type: application/x-www-form-urlencoded',
        100,
      );
    }
    return request.body;
  }
  throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not supported here`);
}

/** LinkedIn's answer for a fault: a timeout is no answer at all. */
export function faultAnswer(fault: Fault, retryAfterSeconds: number | undefined): SimResponse {
  switch (fault) {
    case 'timeout':
      return { status: 0, headers: {}, body: '', timedOut: true };
    case 'truncated':
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"elements":[{"impr' };
    case 'malformed':
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"elements":[}]' };
    case 'html':
      return {
        status: 200,
        headers: { 'Content-Type': 'text/html' },
        body: '<!DOCTYPE html><html><body><h1>We’ll be back soon</h1></body></html>',
      };
    case '429-retry-after':
    case '429':
      // A throttle that lifts on its own ("infrastructure protection"), in the words LinkedIn's
      // error-handling page gives every 429.
      if (fault === '429-retry-after') retryAfterSeconds ??= 2;
      return json(
        429,
        {
          status: 429,
          serviceErrorCode: 101,
          code: 'TOO_MANY_REQUESTS',
          message: THROTTLE_MESSAGES.documented,
        },
        retryAfterSeconds !== undefined ? { 'Retry-After': String(retryAfterSeconds) } : {},
      );
    case '403':
      // A refusal of one resource the member's roles or the app's scopes do not cover.
      return json(403, {
        status: 403,
        serviceErrorCode: 100,
        code: 'ACCESS_DENIED',
        message: 'Not enough permissions to access this resource.',
      });
    default:
      return json(Number(fault), {
        status: Number(fault),
        code: 'INTERNAL_SERVER_ERROR',
        message: 'Internal Server Error',
      });
  }
}

/**
 * What a 429 says. LinkedIn's error-handling page
 * (learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling) gives one text
 * for every 429, `documented`; practitioners record daily limits naming the limit that was
 * reached, `application` and `member` (sources table in docs/linkedin-api.md).
 */
export const THROTTLE_MESSAGES = {
  documented: 'Resource level throttle limit for calls to this resource is reached.',
  application: 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.',
  member: 'Resource level throttle APPLICATION_AND_MEMBER DAY limit for calls to this resource is reached.',
};

/**
 * How a daily limit's 429 reads: naming the DAY limit, as practitioners record it, or in the
 * documented words, which do not say the limit is daily (as a 2019 report of the app's daily
 * limit on /me shows). Both are seen, so a test can take either.
 */
export type DailyLimitWording = 'names-day' | 'documented';

/** Counts the call against the app's and the member's daily limits, or refuses it as LinkedIn does. */
export function countUsage(
  usage: Map<string, number>,
  limits: { appDaily: number; memberDaily: number },
  now: number,
  identity: { member: SimMember; clientId: string },
  path: string,
  wording: DailyLimitWording = 'names-day',
): void {
  const day = Math.floor(now / DAY_MS);
  const resource = path.split('/')[2] ?? '';
  const appKey = `${day}|${identity.clientId}`;
  const memberKey = `${appKey}|${identity.member.id}|${resource}`;
  const appCount = (usage.get(appKey) ?? 0) + 1;
  const memberCount = (usage.get(memberKey) ?? 0) + 1;
  const refuse = (limit: 'application' | 'member') =>
    new ApiError(
      429,
      'TOO_MANY_REQUESTS',
      wording === 'documented' ? THROTTLE_MESSAGES.documented : THROTTLE_MESSAGES[limit],
      101,
    );
  if (appCount > limits.appDaily) throw refuse('application');
  if (memberCount > limits.memberDaily) throw refuse('member');
  usage.set(appKey, appCount);
  usage.set(memberKey, memberCount);
}
