import { DAY_MS } from '../dates';
/** A failure the user can act on: `message` says what happened and what to do. */
export class LinkedInError extends Error {
  constructor(
    message: string,
    readonly kind:
      | 'reconnect'
      | 'permission'
      | 'request'
      | 'version'
      | 'daily-limit'
      | 'throttled'
      | 'unavailable'
      | 'not-found',
    readonly status: number,
  ) {
    super(message);
    this.name = 'LinkedInError';
  }
}

/**
 * Apps Script refuses URL Fetch calls once the user's daily quota is spent, with an exception
 * naming the service ("Service invoked too many times for one day: urlfetch.", as practitioners
 * quote it; the quotas page says only that the message names the limit).
 */
export const isUrlFetchQuotaSpent = (error: unknown) =>
  /too many times for one day: urlfetch/i.test(error instanceof Error ? error.message : String(error));

/**
 * Apps Script's daily quota of requests is spent: not LinkedIn's doing, so no lookup that carries
 * on without LinkedIn's answer (names, say) may take it for a refusal of LinkedIn's.
 */
export class UrlFetchQuotaError extends Error {
  constructor(error: unknown) {
    super(
      'Google Apps Script’s daily quota of web requests for your Google account is used up (20,000 a day for a Gmail account, 100,000 for Google Workspace, counted across every add-on and script you run), so LinkedIn could not be asked. ' +
        `It resets 24 hours after the day's first request: try again then; scheduled reports run again on their own. Apps Script said: "${error instanceof Error ? error.message : String(error)}"`,
    );
    this.name = 'UrlFetchQuotaError';
  }
}

/** The step ran out of its time budget; the job saves its cursor and continues in the next step. */
export class OutOfTimeError extends Error {
  constructor() {
    super('This step used its time budget; the import continues in the next step.');
    this.name = 'OutOfTimeError';
  }
}

interface LinkedInErrorBody {
  status?: number;
  code?: string;
  message?: string;
  serviceErrorCode?: number;
}

export function parseErrorBody(body: string): LinkedInErrorBody {
  try {
    const parsed = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * LinkedIn's own words inside our sentence. Its messages may end with a full stop or not, so
 * the closing stop is added only when they do not: never `."."`.
 */
function linkedInSaid(message: string | undefined): string {
  const words = message?.trim();
  if (!words) return '';
  return ` LinkedIn said: "${words}"${/[.!?]$/.test(words) ? '' : '.'}`;
}

/** LinkedIn refused every API version the client may use (426): only a new release of the add-on helps. */
export function versionsRetiredError(tried: string[], body: string): LinkedInError {
  const { message } = parseErrorBody(body);
  return new LinkedInError(
    `LinkedIn no longer serves any API version this add-on can use (tried ${tried.join(', ')}).` +
      `${linkedInSaid(message)} The add-on needs an update: ask whoever installed it to update it, or report this to its developers.`,
    'version',
    426,
  );
}

const hoursUntilMidnightUtc = (now: number) => Math.ceil((DAY_MS - (now % DAY_MS)) / 3_600_000);

/**
 * A 429 that names a daily limit ("… APPLICATION DAY limit …", "… APPLICATION_AND_MEMBER DAY
 * limit …"): no retry can help before midnight UTC. A 429 in LinkedIn's documented words names
 * no limit, so it is retried like a short throttle (see toLinkedInError).
 */
export function isDailyLimit(status: number, body: string): boolean {
  return status === 429 && /DAY limit/i.test(parseErrorBody(body).message ?? '');
}

/** Turns LinkedIn's answer into a message that tells the user what to do next. */
export function toLinkedInError(status: number, body: string, now: number): LinkedInError {
  const { code, message } = parseErrorBody(body);
  const said = linkedInSaid(message);
  if (status === 401) {
    return new LinkedInError(
      'LinkedIn no longer accepts this connection: it was revoked, or ended. Sign in with LinkedIn again.',
      'reconnect',
      status,
    );
  }
  if (status === 403) {
    return new LinkedInError(
      `LinkedIn refused access.${said} Ask an admin of the ad account or page to give you a role on it, ` +
        'and check that your LinkedIn app has the Advertising API or Community Management API product and that you granted its scopes when connecting.',
      'permission',
      status,
    );
  }
  if (status === 429 && isDailyLimit(status, body)) {
    return new LinkedInError(
      `LinkedIn's daily limit of calls is reached.${said} It resets at midnight UTC, in about ${hoursUntilMidnightUtc(now)} hours: run the import again after that.`,
      'daily-limit',
      status,
    );
  }
  if (status === 404) {
    return new LinkedInError(
      `LinkedIn could not find what was asked for.${said} Check that the account or page still exists.`,
      'not-found',
      status,
    );
  }
  if (status === 429) {
    // Still refused after the client's retries, with no daily limit named: LinkedIn's documented
    // words are the same whether the day's calls are spent or it throttles briefly "as part of
    // infrastructure protection", so the user is told both and when each ends.
    return new LinkedInError(
      `LinkedIn kept refusing calls as over its limits (HTTP 429) after several tries.${said} ` +
        `If it is LinkedIn's daily limit, it resets at midnight UTC, in about ${hoursUntilMidnightUtc(now)} hours; ` +
        'if it is a short throttle, it lifts on its own: try again in a few minutes, and after midnight UTC if it still fails.',
      'throttled',
      status,
    );
  }
  if (status >= 400 && status < 500) {
    return new LinkedInError(
      `LinkedIn rejected the request (${code ?? status}).${said} Narrow the date range or choose fewer fields; if it persists, please report it.`,
      'request',
      status,
    );
  }
  return new LinkedInError(
    `LinkedIn is not answering properly (HTTP ${status || 'timeout'}) after several tries. Try again in a few minutes.`,
    'unavailable',
    status,
  );
}
