import type { Clock, Http } from './platform';

/** UrlFetchApp as the core's Http: errors come back as statuses, never as exceptions. */
export function appsScriptHttp(urlFetchApp: Pick<GoogleAppsScript.URL_Fetch.UrlFetchApp, 'fetchAll'>): Http {
  return {
    fetchAll: (requests) =>
      urlFetchApp
        .fetchAll(
          requests.map(({ url, method, headers, payload }) => {
            // UrlFetchApp takes the body's type as an option, not as a header.
            const { 'Content-Type': contentType, ...otherHeaders } = headers;
            return { url, method, headers: otherHeaders, payload, contentType, muteHttpExceptions: true };
          }),
        )
        .map((response) => ({
          status: response.getResponseCode(),
          headers: response.getAllHeaders() as Record<string, string>,
          body: response.getContentText(),
        })),
  };
}

export function appsScriptClock(utilities: Pick<GoogleAppsScript.Utilities.Utilities, 'sleep'>): Clock {
  return { now: () => Date.now(), sleep: (milliseconds) => utilities.sleep(milliseconds) };
}
