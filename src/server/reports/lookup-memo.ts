import type { ActivitySpan, AdAnalyticsQuery } from '../connectors/ads-analytics';

export type RunCache = Pick<GoogleAppsScript.Cache.Cache, 'get' | 'put'>;

/** CacheService holds values up to 100 KB; what passes this is not kept, and is looked up again. */
export const MAX_CACHE_VALUE = 90_000;
/** The longest CacheService keeps a value. */
export const CACHE_SECONDS = 6 * 3600;

type ActivitySpansOrNone = ActivitySpan[] | null;

const keyOf = (reportId: string) => `lookup.${reportId}`;

/** What a lookup speaks for: the pivot's entities of these accounts, whatever the dates. */
const lookedUp = (query: AdAnalyticsQuery) => JSON.stringify([query.pivot, [...query.accountIds].sort()]);

/**
 * Keeps when each entity of a report's pivot could serve, as a lookup (at save, or a run's
 * first step) found it: later steps of the run bound periods with it, and the next run plans
 * its opening windows from it, fetched in its own lookup's round trip. Null: a pivot without
 * entities. Only a cache: a run that finds nothing looks up again, or waits for its lookup.
 */
export function rememberLookup(
  cache: RunCache,
  reportId: string,
  query: AdAnalyticsQuery,
  activity: ActivitySpansOrNone,
): void {
  const spans = activity && activity.map((span) => [span.startDay, span.endDay]);
  const json = JSON.stringify({ of: lookedUp(query), spans });
  if (json.length < MAX_CACHE_VALUE) cache.put(keyOf(reportId), json, CACHE_SECONDS);
}

/** The activity `rememberLookup` kept for this report's accounts and pivot; undefined when the cache has none. */
export function lookupRemembered(
  cache: RunCache,
  reportId: string,
  query: AdAnalyticsQuery,
): ActivitySpansOrNone | undefined {
  const json = cache.get(keyOf(reportId));
  if (json === null) return undefined;
  const { of, spans } = JSON.parse(json) as { of: string; spans: Array<[number, number | null]> | null };
  if (of !== lookedUp(query)) return undefined;
  return spans && spans.map(([startDay, endDay]) => ({ startDay, endDay }));
}
