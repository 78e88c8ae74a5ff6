import type { AdAnalyticsQuery } from '../../src/server/connectors/ads-analytics';
import { lookupRemembered, rememberLookup, type RunCache } from '../../src/server/reports/lookup-memo';

/** A cache as CacheService's get and put behave within their limits. */
function mapCache(): RunCache & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: (key) => values.get(key) ?? null,
    put: (key, value) => void values.set(key, value),
  };
}

const query: AdAnalyticsQuery = {
  accountIds: ['500000001', '500000002'],
  pivot: 'CREATIVE',
  granularity: 'DAILY',
  startDate: '2025-01-01',
  endDate: '2025-12-31',
  metrics: ['impressions'],
};
const spans = [
  { startDay: 20_100, endDay: null },
  { startDay: 20_150, endDay: 20_300 },
];

describe('the lookup kept for a report', () => {
  it('gives back the spans for the same pivot and accounts, in any order and over any dates', () => {
    const cache = mapCache();
    rememberLookup(cache, 'r1', query, spans);
    const later = {
      ...query,
      accountIds: ['500000002', '500000001'],
      startDate: '2026-01-01',
      endDate: '2026-02-01',
    };
    expect(lookupRemembered(cache, 'r1', later)).toEqual(spans);
  });

  it('gives nothing for another pivot, other accounts, another report, or an empty cache', () => {
    const cache = mapCache();
    expect(lookupRemembered(cache, 'r1', query)).toBeUndefined();
    rememberLookup(cache, 'r1', query, spans);
    expect(lookupRemembered(cache, 'r1', { ...query, pivot: 'CAMPAIGN' })).toBeUndefined();
    expect(lookupRemembered(cache, 'r1', { ...query, accountIds: ['500000001'] })).toBeUndefined();
    expect(lookupRemembered(cache, 'r2', query)).toBeUndefined();
  });

  it('tells a pivot without entities (null) from a lookup the cache lost (undefined)', () => {
    const cache = mapCache();
    rememberLookup(cache, 'r1', { ...query, pivot: 'MEMBER_JOB_TITLE' }, null);
    expect(lookupRemembered(cache, 'r1', { ...query, pivot: 'MEMBER_JOB_TITLE' })).toBeNull();
  });

  it('keeps nothing past what CacheService holds in one value', () => {
    const cache = mapCache();
    const many = Array.from({ length: 15_000 }, (_, index) => ({
      startDay: 20_000 + index,
      endDay: 20_500 + index,
    }));
    rememberLookup(cache, 'r1', query, many);
    expect(cache.values.size).toBe(0);
    expect(lookupRemembered(cache, 'r1', query)).toBeUndefined();
  });
});
