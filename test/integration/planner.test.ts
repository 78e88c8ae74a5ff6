import { computeAnalytics, dayOf } from '../../sandbox/linkedin/ads-analytics';
import { createOfflineWorld } from '../../sandbox/offline-world';
import { AD_METRICS } from '../../src/server/catalog/ad-analytics';
import {
  type AdAnalyticsQuery,
  type Bucket,
  fieldGroupsOf,
  MAX_ELEMENTS,
  packWindows,
  replanWindows,
  rowsPerBucket,
  servedShare,
  windowBetween,
  windowCalls,
} from '../../src/server/connectors/ads-analytics';
import { fetchAnalyticsWindows } from '../../src/server/connectors/ads';
import { LinkedInClient } from '../../src/server/linkedin/client';
import { DAY_MS, dayNumber } from '../../src/server/dates';
import { signIn } from '../helpers/connect';
import { importAnalytics, runNow, saveReport } from '../helpers/reports';

const ANN = 'ann@example.com';
const ALL_METRICS = AD_METRICS.map((metric) => metric.key);

function connected(options: Parameters<typeof createOfflineWorld>[0] = {}) {
  const offline = createOfflineWorld(options);
  signIn(offline, ANN);
  return offline;
}

/** The API requests the simulator answered after `since`, and the fetchAll calls that carried them. */
function traffic(offline: ReturnType<typeof createOfflineWorld>, since = { fetches: 0, calls: 0 }) {
  const sent = offline.world.fetchLog.slice(since.fetches).filter((fetch) => fetch.url.includes('/rest/'));
  const paths = offline.linkedin.calls
    .slice(since.calls)
    .filter((call) => call.path.startsWith('/rest/'))
    .map((call) => call.path);
  return { paths, roundTrips: new Set(sent.map((fetch) => fetch.batch)).size };
}

const mark = (offline: ReturnType<typeof createOfflineWorld>) => ({
  fetches: offline.world.fetchLog.length,
  calls: offline.linkedin.calls.length,
});

/** The elements LinkedIn (the simulator) holds for a daily import by creative. */
const elementsHeld = (offline: ReturnType<typeof createOfflineWorld>, query: AdAnalyticsQuery) => {
  const parts = (iso: string) => {
    const [year, month, day] = iso.split('-').map(Number);
    return { year, month, day };
  };
  return computeAnalytics(offline.linkedin.data, {
    pivots: [query.pivot],
    granularity: query.granularity,
    startDay: dayOf(parts(query.startDate)),
    endDay: dayOf(parts(query.endDate)),
    facets: { accounts: query.accountIds.map(Number) },
    fields: ['dateRange', 'pivotValues', 'impressions'],
  }).length;
};

const days = (first: string, last: string): Bucket[] =>
  Array.from({ length: dayNumber(last) - dayNumber(first) + 1 }, (_, index) => ({
    startDay: dayNumber(first) + index,
    endDay: dayNumber(first) + index,
  }));

describe('the planner', () => {
  it('packs windows from real row counts up to the cap: as few as the rows need', () => {
    const year = days('2025-01-01', '2025-12-31');
    // 200 rows a day: 74 days stay under 15,000, so 5 windows, the fewest 73,000 rows allow.
    const windows = packWindows(year, () => 200);
    expect(windows).toHaveLength(Math.ceil((365 * 200) / (MAX_ELEMENTS - 1)));
    expect(windows.map((window) => window.buckets.length)).toEqual([74, 74, 74, 74, 69]);
    // Quieter days let a window run longer: 50 rows a day from July on. The third window holds
    // 33 busy days (6,600 rows) and 167 quiet ones (8,350): 14,950.
    const uneven = packWindows(year, (bucket) => (bucket.startDay < dayNumber('2025-07-01') ? 200 : 50));
    expect(uneven.map((window) => window.buckets.length)).toEqual([74, 74, 200, 17]);
  });

  it('packs the windows left from the share of the bound a fetched window really held', () => {
    const query: AdAnalyticsQuery = {
      accountIds: ['1', '2', '3'],
      pivot: 'CREATIVE',
      granularity: 'DAILY',
      startDate: '2025-11-19',
      endDate: '2026-11-18',
      metrics: ['impressions'],
    };
    // 300 creatives, all created before the range: the lookup bounds a day at 300 rows.
    const activity = Array.from({ length: 300 }, () => ({ startDay: 0, endDay: null }));
    const [first, ...rest] = packWindows(days(query.startDate, query.endDate), () => 300);
    expect(first.buckets).toHaveLength(49);
    // That window really held 210 rows a day: 70% of its bound.
    const share = servedShare(query, activity, first, 210 * 49);
    expect(share).toBeCloseTo(0.7);
    // 221 rows a day expected (5% over what was seen): 67 days a window, 5 windows for 316 days,
    // the fewest 316 days of 210 rows allow.
    const left = replanWindows(query, activity, rest, share);
    expect(left.map((window) => window.buckets.length)).toEqual([67, 67, 67, 67, 48]);
    expect(left).toHaveLength(Math.ceil((316 * 210) / (MAX_ELEMENTS - 1)));
  });

  it('never packs across a gap between periods', () => {
    const buckets = [...days('2025-01-01', '2025-01-10'), ...days('2025-02-01', '2025-02-10')];
    const windows = packWindows(buckets, () => 1);
    expect(windows.map((window) => [window.startDay, window.endDay])).toEqual([
      [dayNumber('2025-01-01'), dayNumber('2025-01-10')],
      [dayNumber('2025-02-01'), dayNumber('2025-02-10')],
    ]);
  });

  it('counts the rows an answer holds in each period of its window', () => {
    const query: AdAnalyticsQuery = {
      accountIds: ['1'],
      pivot: 'CREATIVE',
      granularity: 'MONTHLY',
      startDate: '2025-01-15',
      endDate: '2025-03-31',
      metrics: ['impressions'],
    };
    const window = windowBetween(query, dayNumber('2025-01-15'), dayNumber('2025-03-31'));
    const element = (month: number, day: number) => ({
      dateRange: { start: { year: 2025, month, day } },
      pivotValues: ['urn:li:sponsoredCreative:1'],
    });
    const counts = rowsPerBucket(window, [element(1, 15), element(1, 15), element(3, 1)]);
    expect(window.buckets.map((bucket) => counts.get(bucket))).toEqual([2, 0, 1]);
  });

  it('asks any group holding reach in ranges of at most 92 days, wherever it stands', () => {
    const query: AdAnalyticsQuery = {
      accountIds: ['1'],
      pivot: 'CAMPAIGN',
      granularity: 'DAILY',
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      metrics: ALL_METRICS,
    };
    const groups = fieldGroupsOf(query.metrics);
    const window = windowBetween(query, dayNumber(query.startDate), dayNumber(query.endDate));
    // The reach group alone: 4 pieces; the others alone: one request each.
    expect(windowCalls(query, groups.slice(0, 1), window)).toHaveLength(4);
    expect(windowCalls(query, groups.slice(1), window)).toHaveLength(groups.length - 1);
  });
});

/**
 * A LinkedIn answering adAnalytics with `perDay(fields)` rows a day of the asked range, cut at
 * the 15,000-element cap as LinkedIn cuts.
 */
function analyticsAnswering(perDay: (fields: string) => number) {
  const asked: string[] = [];
  const client = new LinkedInClient(
    {
      fetchAll: (batch) =>
        batch.map((request) => {
          const url = decodeURIComponent(request.url);
          const fields = /fields=([^&]*)/.exec(url)![1];
          const [, y1, m1, d1, y2, m2, d2] =
            /start:\(year:(\d+),month:(\d+),day:(\d+)\),end:\(year:(\d+),month:(\d+),day:(\d+)\)/
              .exec(url)!
              .map(Number);
          asked.push(fields);
          const first = Date.UTC(y1, m1 - 1, d1) / DAY_MS;
          const last = Date.UTC(y2, m2 - 1, d2) / DAY_MS;
          const elements = [];
          for (let day = first; day <= last; day++) {
            const date = new Date(day * DAY_MS);
            const parts = {
              year: date.getUTCFullYear(),
              month: date.getUTCMonth() + 1,
              day: date.getUTCDate(),
            };
            for (let value = 0; value < perDay(fields); value++)
              elements.push({
                dateRange: { start: parts, end: parts },
                pivotValues: [`urn:li:sponsoredCreative:${value}`],
              });
          }
          return {
            status: 200,
            headers: {},
            body: JSON.stringify({ elements: elements.slice(0, MAX_ELEMENTS) }),
          };
        }),
    },
    { now: () => 0, sleep: () => undefined },
    () => 'token',
    { deadline: 60_000 },
  );
  return { client, asked };
}

describe('a later field group holding more rows than the first counted', () => {
  it('loses no row: its windows come back whole, and the import stops letting the first group go alone', () => {
    const query: AdAnalyticsQuery = {
      accountIds: ['1'],
      pivot: 'CREATIVE',
      granularity: 'DAILY',
      startDate: '2025-01-01',
      endDate: '2025-01-10',
      metrics: ALL_METRICS.filter(
        (key) => key !== 'approximateMemberReach' && key !== 'audiencePenetration',
      ).slice(0, 20),
    };
    const groups = fieldGroupsOf(query.metrics);
    const windows = [
      windowBetween(query, dayNumber('2025-01-01'), dayNumber('2025-01-05')),
      windowBetween(query, dayNumber('2025-01-06'), dayNumber('2025-01-10')),
    ];
    // The first group counts 1,000 rows a day, so ten days fit one later request: the later group holds 2,000.
    const perDay = (fields: string) => (fields.includes('impressions') ? 1000 : 2000);
    const { client, asked } = analyticsAnswering(perDay);
    const fetched = fetchAnalyticsWindows(client, query, groups, windows);
    expect(asked).toHaveLength(3);
    expect(fetched.laterCut).toBe(true);
    expect(fetched.again).toEqual(windows);
    expect(fetched.merge.toRows(query, new Map())).toEqual([]);
    // Fetched again with every group at once, each window fits: 10,000 rows of both groups.
    const again = fetchAnalyticsWindows(client, query, groups, fetched.again, false);
    expect(again.again).toEqual([]);
    expect(again.merge.toRows(query, new Map())).toHaveLength(20_000);
  });
});

describe('requests at the documented minimum', () => {
  it('imports a year by creative with all metrics from the creatives lookup alone, in two round trips', () => {
    const offline = connected();
    const query: AdAnalyticsQuery = {
      accountIds: ['500000001', '500000002', '500000003'],
      pivot: 'CREATIVE',
      granularity: 'DAILY',
      startDate: '2025-11-19',
      endDate: '2026-11-18',
      metrics: ALL_METRICS,
    };
    const run = importAnalytics(offline, ANN, query);
    expect(run.done.status).toBe('done');
    const { paths, roundTrips } = traffic(offline);
    // One creatives page per account (12 creatives each), no campaign lookup.
    expect(paths.filter((path) => path !== '/rest/adAnalytics').sort()).toEqual([
      '/rest/adAccounts/500000001/creatives',
      '/rest/adAccounts/500000002/creatives',
      '/rest/adAccounts/500000003/creatives',
    ]);
    // The rows fit one window: 5 groups of 18 metrics once, the reach group in 4 pieces of 92 days.
    expect(elementsHeld(offline, query)).toBeLessThan(MAX_ELEMENTS);
    const groups = fieldGroupsOf(ALL_METRICS).length;
    expect(paths.filter((path) => path === '/rest/adAnalytics')).toHaveLength(groups - 1 + 4);
    expect(run.done).toMatchObject({ requestsPlanned: groups + 3, requestsDone: groups + 3 });
    // The lookup, then every analytics request at once.
    expect(roundTrips).toBe(2);
  });

  it('packs the later field groups from the rows the first group counted, not from the lookup', () => {
    // 160 creatives: the lookup bounds a day at 160 rows (4 windows a year); they really serve fewer.
    const offline = connected({
      size: { campaignGroupsPerAccount: 4, campaignsPerGroup: 5, creativesPerCampaign: 4 },
    });
    const query: AdAnalyticsQuery = {
      accountIds: ['500000001', '500000002'],
      pivot: 'CREATIVE',
      granularity: 'DAILY',
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      metrics: ALL_METRICS.filter(
        (key) => key !== 'approximateMemberReach' && key !== 'audiencePenetration',
      ).slice(0, 20),
    };
    const run = importAnalytics(offline, ANN, query);
    expect(run.done.status).toBe('done');
    const held = elementsHeld(offline, query);
    expect(run.rows).toHaveLength(held);
    const fewest = Math.ceil(held / (MAX_ELEMENTS - 1));
    expect(fewest).toBe(3);
    const analytics = offline.linkedin.calls.filter((call) => call.path === '/rest/adAnalytics');
    const secondGroup = analytics.filter(
      (call) => (call.query!.get('fields') as string).split(',').length === 4,
    );
    // The first group in the lookup's 4 windows; the second in the fewest windows its rows need.
    expect(analytics).toHaveLength(4 + fewest);
    expect(secondGroup).toHaveLength(fewest);
    expect(traffic(offline).roundTrips).toBe(3);
    expect(run.done).toMatchObject({ requestsPlanned: 4 + fewest, requestsDone: 4 + fewest });
  });
});

describe('Pages runs fetched one page at a time', () => {
  it('name every page with the first page’s requests, and ask no names again', () => {
    const offline = createOfflineWorld();
    signIn(offline, ANN, 'sim1Person', ['pages']);
    const { config } = saveReport(offline, ANN, {
      name: 'Gains',
      source: 'pages',
      stream: 'follower_gains',
      accountIds: [],
      organizationIds: ['10000001', '10000002'],
      fields: ['organization_id', 'page_name', 'date', 'organic_follower_gain'],
      dateRange: { preset: 'custom', start: '2026-10-01', end: '2026-10-31' },
      sheetName: 'Gains',
      schedule: { kind: 'none' },
    });
    const before = mark(offline);
    const done = runNow(offline, ANN, config.id).at(-1)!;
    expect(done.status).toBe('done');
    const { paths } = traffic(offline, before);
    const names = paths.filter((path) => path === '/rest/organizations');
    expect(names).toHaveLength(1);
    expect(paths.filter((path) => path === '/rest/organizationalEntityFollowerStatistics')).toHaveLength(2);
  });
});
