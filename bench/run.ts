// npm run bench: the Ads import against the simulator with a fixed seed and simulated latency.
// Prints one table and writes it to bench/results.md. Not part of npm test.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { computeAnalytics, dayOf } from '../sandbox/linkedin/ads-analytics';
import { createOfflineWorld } from '../sandbox/offline-world';
import { AD_METRICS, SHORT_RANGE_MAX_DAYS, SHORT_RANGE_METRICS } from '../src/server/catalog/ads';
import {
  type AdAnalyticsQuery,
  AnalyticsMerge,
  analyticsColumns,
  MAX_ELEMENTS,
  METRICS_PER_REQUEST,
} from '../src/server/connectors/ads-analytics';
import { runAdAnalytics } from '../src/server/connectors/ads';
import { fetchPagesStream } from '../src/server/connectors/pages';
import { PAGES_STREAMS } from '../src/server/catalog/pages';
import { accessTokenProvider } from '../src/server/auth/connection';
import { LinkedInClient } from '../src/server/linkedin/client';
import { appsScriptHttp } from '../src/server/platform-apps-script';
import { upsertRows } from '../src/server/sheets/writer';
import { signIn } from '../test/helpers/connect';
import { authContextIn } from '../test/helpers/core';

const USER = 'bench@example.com';
const LATENCY = { baseMs: 250, perElementMs: 0.02 };
type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Workload {
  name: string;
  query: AdAnalyticsQuery;
}

const day = (iso: string) => {
  const [year, month, date] = iso.split('-').map(Number);
  return dayOf({ year, month, day: date });
};

const workloads: Workload[] = [
  {
    name: '(a) 1 account, 90 days daily by campaign, 20 metrics',
    query: {
      accountIds: ['500000001'],
      pivot: 'CAMPAIGN',
      granularity: 'DAILY',
      startDate: '2026-08-21',
      endDate: '2026-11-18',
      metrics: AD_METRICS.slice(0, 20).map((m) => m.key),
    },
  },
  {
    name: '(b) 3 accounts, 365 days daily by creative, all metrics',
    query: {
      accountIds: ['500000001', '500000002', '500000003'],
      pivot: 'CREATIVE',
      granularity: 'DAILY',
      startDate: '2025-11-19',
      endDate: '2026-11-18',
      metrics: AD_METRICS.map((m) => m.key),
    },
  },
];

/**
 * The fewest requests LinkedIn's documented limits allow: field groups of 18 metrics, each
 * window under 15,000 elements, and reach metrics only in ranges of at most 92 days.
 */
function minimumRequests(query: AdAnalyticsQuery, rows: number): number {
  const groups = Math.ceil(query.metrics.length / METRICS_PER_REQUEST);
  const windows = Math.ceil(rows / (MAX_ELEMENTS - 1));
  const days = day(query.endDate) - day(query.startDate) + 1;
  const reach = query.metrics.some((metric) => SHORT_RANGE_METRICS.includes(metric));
  return reach
    ? (groups - 1) * windows + Math.max(windows, Math.ceil(days / SHORT_RANGE_MAX_DAYS))
    : groups * windows;
}

/** A client for the signed-in bench user that never runs out of time: the bench measures, it does not checkpoint. */
function benchClient(
  offline: ReturnType<typeof createOfflineWorld>,
  scope: Scope,
  parallelism: number,
): LinkedInClient {
  const context = authContextIn(offline, scope);
  return new LinkedInClient(appsScriptHttp(scope.UrlFetchApp), context.clock, accessTokenProvider(context), {
    deadline: Infinity,
    parallelism,
  });
}

function measure(workload: Workload, parallelism: number) {
  const offline = createOfflineWorld({ seed: 2026, latency: LATENCY });
  signIn(offline, USER);
  return offline.world.execute(USER, (scope: Scope) => {
    const client = benchClient(offline, scope, parallelism);
    const simulatedStart = offline.clock.now();
    const cpuStart = process.cpuUsage();
    const run = runAdAnalytics(client, workload.query);
    const cpu = process.cpuUsage(cpuStart);
    const analyticsRequests = offline.linkedin.calls.filter(
      (call) => call.path === '/rest/adAnalytics',
    ).length;
    const truthRows = computeAnalytics(offline.linkedin.data, {
      pivots: [workload.query.pivot],
      granularity: workload.query.granularity,
      startDay: day(workload.query.startDate),
      endDay: day(workload.query.endDate),
      facets: { accounts: workload.query.accountIds.map(Number) },
      fields: ['dateRange', 'pivotValues', 'impressions'],
    }).length;
    return {
      requests: client.requestsSent,
      analyticsRequests,
      minimumAnalytics: minimumRequests(workload.query, truthRows),
      rows: run.rows.length,
      simulatedMs: offline.clock.now() - simulatedStart,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  });
}

/**
 * Pages: each stream looks up the page names once, then one request per organization for
 * a time-bound stream (12 months fit one), post pages of 100 and post statistics for 20 posts a request.
 */
function measurePages(parallelism: number) {
  const offline = createOfflineWorld({ seed: 2026, latency: LATENCY, size: { postsPerOrganization: 250 } });
  signIn(offline, USER, 'sim1Person', ['pages']);
  return offline.world.execute(USER, (scope: Scope) => {
    const client = benchClient(offline, scope, parallelism);
    const start = offline.clock.now();
    const cpuStart = process.cpuUsage();
    const endDate = new Date(start - 86_400_000).toISOString().slice(0, 10);
    const startDate = new Date(start - 364 * 86_400_000).toISOString().slice(0, 10);
    let rows = 0;
    for (const stream of ['follower_gains', 'page_views', 'share_statistics', 'posts'] as const) {
      const fields = PAGES_STREAMS.find((spec) => spec.id === stream)!.fields.map((field) => field.key);
      rows += fetchPagesStream(
        client,
        { stream, organizationIds: ['10000001', '10000002'], startDate, endDate, fields },
        start,
      ).rows.length;
    }
    const cpu = process.cpuUsage(cpuStart);
    const minimum = 3 * (1 + 2) + (1 + 3 * 2 + Math.ceil(250 / 20) * 2);
    return {
      requests: client.requestsSent,
      minimum,
      rows,
      simulatedMs: offline.clock.now() - start,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  });
}

/** 100,000 rows merged from two field groups and upserted into an emulated sheet, then upserted again. */
function mergeAndUpsert() {
  const offline = createOfflineWorld({ seed: 2026 });
  const query: AdAnalyticsQuery = {
    accountIds: ['1'],
    pivot: 'CREATIVE',
    granularity: 'DAILY',
    startDate: '2025-01-01',
    endDate: '2025-12-31',
    metrics: ['impressions', 'clicks', 'costInLocalCurrency', 'landingPageClicks'],
  };
  const groups = [
    ['impressions', 'clicks'],
    ['costInLocalCurrency', 'landingPageClicks'],
  ];
  const elements = groups.map((fields) =>
    Array.from({ length: 100_000 }, (_, index) => {
      const date = new Date(Date.UTC(2025, 0, 1 + (index % 365)));
      const parts = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
      return {
        dateRange: { start: parts, end: parts },
        pivotValues: [`urn:li:sponsoredCreative:${1000 + Math.floor(index / 365)}`],
        ...Object.fromEntries(
          fields.map((field) => [field, field.startsWith('cost') ? '12.34' : index % 97]),
        ),
      };
    }),
  );
  return offline.world.execute(USER, (scope: Scope) => {
    const sheet = scope.SpreadsheetApp.getActive().getActiveSheet();
    const columns = analyticsColumns(query);
    const cpuStart = process.cpuUsage();
    const merge = new AnalyticsMerge();
    for (const group of elements) merge.add(group);
    const rows = merge.toRows(query, new Map());
    const first = upsertRows(sheet, columns, ['start_date', 'pivot_id'], rows, null, 26_000);
    const mergedAndWritten = process.cpuUsage(cpuStart);
    const again = process.cpuUsage();
    upsertRows(sheet, columns, ['start_date', 'pivot_id'], rows, first.table, 26_000 + 100_001 * 26);
    const rewritten = process.cpuUsage(again);
    return {
      rows: rows.length,
      firstMs: (mergedAndWritten.user + mergedAndWritten.system) / 1000,
      upsertAgainMs: (rewritten.user + rewritten.system) / 1000,
    };
  });
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const lines = [
  '| workload | requests (analytics) | minimum requests (analytics) | rows | simulated wall time, fetchAll | simulated wall time, one at a time | parallel / sequential | CPU (planning, merging, simulator) |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const workload of workloads) {
  const parallel = measure(workload, 8);
  const sequential = measure(workload, 1);
  lines.push(
    `| ${workload.name} | ${parallel.requests} (${parallel.analyticsRequests}) | ${parallel.minimumAnalytics} | ${parallel.rows.toLocaleString('en-US')} | ${(parallel.simulatedMs / 1000).toFixed(1)} s | ${(sequential.simulatedMs / 1000).toFixed(1)} s | ${(parallel.simulatedMs / sequential.simulatedMs).toFixed(2)} | ${parallel.cpuMs.toFixed(0)} ms |`,
  );
}
{
  const parallel = measurePages(8);
  const sequential = measurePages(1);
  lines.push(
    `| (c) Pages: 2 organizations, 12 months of follower gains, page views and post statistics, 500 posts | ${parallel.requests} | ${parallel.minimum} | ${parallel.rows.toLocaleString('en-US')} | ${(parallel.simulatedMs / 1000).toFixed(1)} s | ${(sequential.simulatedMs / 1000).toFixed(1)} s | ${(parallel.simulatedMs / sequential.simulatedMs).toFixed(2)} | ${parallel.cpuMs.toFixed(0)} ms |`,
  );
}
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const merged = mergeAndUpsert();
clearInterval(sampler);
const summary = [
  '# Benchmark',
  '',
  `Seed 2026, simulated latency ${LATENCY.baseMs} ms a request + ${LATENCY.perElementMs} ms an element. Node ${process.version}.`,
  '',
  ...lines,
  '',
  `Merge of two field groups into ${merged.rows.toLocaleString('en-US')} rows and their first upsert into an emulated sheet: **${merged.firstMs.toFixed(0)} ms CPU** (target: under 2,000 ms). Upserting the same rows again (all updates): ${merged.upsertAgainMs.toFixed(0)} ms.`,
  '',
  `Peak memory (RSS): ${(peakRss / 1024 / 1024).toFixed(0)} MiB.`,
  '',
  'Targets: analytics requests equal to the minimum (metrics in groups of 18 plus dateRange and pivotValues, windows under 15,000 elements); parallel wall time at most a third of sequential.',
];
console.log(summary.join('\n'));
writeFileSync(resolve('bench/results.md'), `${summary.join('\n')}\n`);
