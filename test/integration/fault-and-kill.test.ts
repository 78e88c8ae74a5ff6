import { createOfflineWorld, type OfflineWorld } from '../../sandbox/offline-world';
import { AD_METRICS } from '../../src/server/catalog/ad-analytics';
import { AD_STREAMS } from '../../src/server/catalog/ads';
import { PAGES_STREAMS } from '../../src/server/catalog/pages';
import { signIn } from '../helpers/connect';
import {
  analyticsReport,
  runNow,
  saveReport,
  sheetValues,
  type Summary,
  runThroughStops,
} from '../helpers/reports';

/**
 * Seeded runs of every stream with faulty LinkedIn answers and executions stopped at
 * random points (in the middle of writes, property saves and fetches): each must end
 * with the same tab as a fault-free run of the same data. `FAULT_KILL_SEEDS` sets how
 * many seeds each stream gets (`npm run soak` runs many).
 */
const SEEDS = Number(process.env.FAULT_KILL_SEEDS ?? 1);
const ANN = 'ann@example.com';
const FAULTS = {
  '429': 0.02,
  '429-retry-after': 0.02,
  '500': 0.015,
  '503': 0.015,
  timeout: 0.015,
  truncated: 0.015,
  malformed: 0.01,
  html: 0.01,
};
const SIZE = { campaignGroupsPerAccount: 2, campaignsPerGroup: 3, creativesPerCampaign: 2 };

const base = analyticsReport({
  accountIds: ['500000001', '500000002'],
  dateRange: { preset: 'last_30_days' },
});
/** A report of every field a stream has, as the catalog says today. */
const everyField = (source: 'ads' | 'pages', stream: string) => ({
  ...base,
  source,
  stream,
  fields: [...AD_STREAMS, ...PAGES_STREAMS]
    .find((spec) => spec.id === stream)!
    .fields.map((field) => field.key),
  ...(source === 'pages' ? { organizationIds: ['10000001', '10000002'] } : {}),
});
const REPORTS: Array<[string, Record<string, unknown>]> = [
  ['ad analytics by campaign', { ...base, fields: AD_METRICS.slice(0, 24).map((field) => field.key) }],
  ['ad analytics by creative', { ...base, pivot: 'CREATIVE', dateRange: { preset: 'last_90_days' } }],
  ...['ad_accounts', 'campaign_groups', 'campaigns', 'creatives'].map(
    (stream): [string, Record<string, unknown>] => [stream, everyField('ads', stream)],
  ),
  ...PAGES_STREAMS.map((spec): [string, Record<string, unknown>] => [spec.id, everyField('pages', spec.id)]),
];

function world(seed: number, faulty: boolean): OfflineWorld {
  const offline = createOfflineWorld({
    seed: 2026,
    size: SIZE,
    latency: { baseMs: 1500, perElementMs: 0.2 },
    ...(faulty ? { faultRates: FAULTS, faultSeed: seed } : {}),
  });
  signIn(offline, ANN, 'sim1Person', ['ads', 'pages']);
  return offline;
}

function seeded(seed: number) {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

// Some runs of small streams see neither a fault nor a stop; across the suite, every run on average must.
let disruptions = 0;
let runs = 0;
afterAll(() => expect(disruptions).toBeGreaterThanOrEqual(runs));

describe.each(REPORTS)('%s, under faults and kills', (_, report) => {
  it.each(Array.from({ length: SEEDS }, (__, index) => index + 1))('seed %i ends as a clean run', (seed) => {
    const clean = world(seed, false);
    const cleanReport = saveReport(clean, ANN, report);
    expect(runNow(clean, ANN, cleanReport.config.id).at(-1)!.status).toBe('done');
    const expected = sheetValues(clean, 'LinkedIn Ads');
    expect(expected.length).toBeGreaterThan(1);

    const offline = world(seed, true);
    const saved = saveReport(offline, ANN, report);
    const random = seeded(seed * 7919);
    offline.world.executionLimitMs = () => 2_000 + Math.floor(random() * 30_000);
    // Besides the time limit, any service call may be the last: one in forty is.
    offline.world.stopAt = () => random() < 0.025;
    const { status, kills } = runThroughStops(offline, ANN, saved.config.id);
    offline.world.stopAt = () => false;
    // A run that says it is done has written every row, no more, no less.
    expect(sheetValues(offline, 'LinkedIn Ads')).toEqual(expected);
    offline.world.stopAt = () => false;
    expect(status).toBe('done');
    runs++;
    disruptions += kills + offline.linkedin.calls.filter((call) => call.status >= 429).length;
    const [summary] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
    expect(summary.state.lastError).toBeNull();
    expect(summary.running).toBeNull();
  });
});
