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

export function checkHeaders(request: SimRequest, liveVersions: string[]): void {
  const version = headerValue(request.headers, 'LinkedIn-Version');
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
  if (headerValue(request.headers, 'X-Restli-Protocol-Version') !== '2.0.0') {
    throw new ApiError(400, 'ILLEGAL_ARGUMENT', 'This endpoint requires X-Restli-Protocol-Version: 2.0.0');
  }
}

/** Query tunneling: a POST with X-HTTP-Method-Override: GET carries the query in its form body. */
export function effectiveQuery(request: SimRequest, rawQuery: string): string {
  if (request.method === 'GET') return rawQuery;
  if (request.method === 'POST' && headerValue(request.headers, 'X-HTTP-Method-Override') === 'GET') {
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
      if (fault === '429-retry-after') retryAfterSeconds ??= 2;
      return json(
        429,
        {
          status: 429,
          serviceErrorCode: 101,
          code: 'TOO_MANY_REQUESTS',
          message: 'Too many requests: slow down and retry.',
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

/** Counts the call against the app's and the member's daily limits, or refuses it as LinkedIn does. */
export function countUsage(
  usage: Map<string, number>,
  limits: { appDaily: number; memberDaily: number },
  now: number,
  identity: { member: SimMember; clientId: string },
  path: string,
): void {
  const day = Math.floor(now / DAY_MS);
  const resource = path.split('/')[2] ?? '';
  const appKey = `${day}|${identity.clientId}`;
  const memberKey = `${appKey}|${identity.member.id}|${resource}`;
  const appCount = (usage.get(appKey) ?? 0) + 1;
  const memberCount = (usage.get(memberKey) ?? 0) + 1;
  if (appCount > limits.appDaily) {
    throw new ApiError(
      429,
      'TOO_MANY_REQUESTS',
      'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.',
      101,
    );
  }
  if (memberCount > limits.memberDaily) {
    throw new ApiError(
      429,
      'TOO_MANY_REQUESTS',
      'Resource level throttle MEMBER DAY limit for calls to this resource is reached.',
      101,
    );
  }
  usage.set(appKey, appCount);
  usage.set(memberKey, memberCount);
}
