// npm run bench: the imports against the simulator with a fixed seed and simulated latency.
// Each workload runs in a process of its own so its peak memory is its own. Prints one
// table and writes it to bench/results.md. Not part of npm test.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeAnalytics, dayOf } from '../sandbox/linkedin/ads-analytics';
import { createOfflineWorld, type OfflineWorld } from '../sandbox/offline-world';
import type { WorldSize } from '../sandbox/linkedin/data';
import { AD_METRICS, AD_STREAMS, SHORT_RANGE_MAX_DAYS, SHORT_RANGE_METRICS } from '../src/server/catalog/ads';
import { PAGES_STREAMS } from '../src/server/catalog/pages';
import type { FieldSpec } from '../src/server/catalog/types';
import {
  type AdAnalyticsQuery,
  AnalyticsMerge,
  analyticsColumns,
  MAX_ELEMENTS,
  METRICS_PER_REQUEST,
} from '../src/server/connectors/ads-analytics';
import { ENTITY_PAGE_SIZE, runAdAnalytics } from '../src/server/connectors/ads';
import {
  fetchPagesStream,
  POSTS_PAGE_SIZE,
  POSTS_PER_STATISTICS_REQUEST,
} from '../src/server/connectors/pages';
import { accessTokenProvider } from '../src/server/auth/connection';
import { LinkedInClient } from '../src/server/linkedin/client';
import { appsScriptHttp } from '../src/server/platform-apps-script';
import type { Cell } from '../src/server/rows';
import { writeTable } from '../src/server/sheets/writer';
import { signIn } from '../test/helpers/connect';
import { authContextIn } from '../test/helpers/core';

const USER = 'bench@example.com';
const LATENCY = { baseMs: 250, perElementMs: 0.02 };
type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Write = (tab: string, columns: FieldSpec[], key: string[], rows: Cell[][]) => void;

interface Workload {
  id: string;
  name: string;
  size?: Partial<WorldSize>;
  products: string[];
  /** Imports and writes the workload; returns the rows written and the fewest requests LinkedIn's documented limits allow. */
  run(client: LinkedInClient, write: Write, offline: OfflineWorld): { rows: number; minimum: number };
}

interface Measurement {
  requests: number;
  minimum: number;
  rows: number;
  simulatedMs: number;
  /** The slowest request over all of them: the least parallel / sequential any schedule of these requests reaches. */
  floor: number;
  cpuMs: number;
  peakRssMiB: number;
}

const day = (iso: string) => {
  const [year, month, date] = iso.split('-').map(Number);
  return dayOf({ year, month, day: date });
};

/**
 * The fewest analytics requests LinkedIn's limits allow: field groups of 18 metrics, each
 * window under 15,000 elements, and reach metrics only in ranges of at most 92 days.
 */
function minimumAnalyticsRequests(query: AdAnalyticsQuery, rows: number): number {
  const groups = Math.ceil(query.metrics.length / METRICS_PER_REQUEST);
  const windows = Math.ceil(rows / (MAX_ELEMENTS - 1));
  const days = day(query.endDate) - day(query.startDate) + 1;
  const reach = query.metrics.some((metric) => SHORT_RANGE_METRICS.includes(metric));
  return reach
    ? (groups - 1) * windows + Math.max(windows, Math.ceil(days / SHORT_RANGE_MAX_DAYS))
    : groups * windows;
}

/** The names lookup: pages of campaigns, and for the creative pivot pages of creatives, per account. */
function minimumLookupRequests(offline: OfflineWorld, query: AdAnalyticsQuery): number {
  const pagesOf = (count: number, pageSize: number) => Math.max(1, Math.ceil(count / pageSize));
  return query.accountIds.reduce((total, id) => {
    const inAccount = (entity: { accountId: number }) => entity.accountId === Number(id);
    const campaigns = [...offline.linkedin.data.campaigns.values()].filter(inAccount).length;
    const creatives = [...offline.linkedin.data.creatives.values()].filter(inAccount).length;
    return (
      total +
      pagesOf(campaigns, ENTITY_PAGE_SIZE.campaigns) +
      (query.pivot === 'CREATIVE' ? pagesOf(creatives, ENTITY_PAGE_SIZE.creatives) : 0)
    );
  }, 0);
}

const adsWorkload = (id: string, name: string, query: AdAnalyticsQuery): Workload => ({
  id,
  name,
  products: ['ads'],
  run(client, write, offline) {
    const run = runAdAnalytics(client, query);
    write('Ads', run.columns, AD_STREAMS.find((spec) => spec.id === 'ad_analytics')!.key, run.rows);
    const truthRows = computeAnalytics(offline.linkedin.data, {
      pivots: [query.pivot],
      granularity: query.granularity,
      startDay: day(query.startDate),
      endDay: day(query.endDate),
      facets: { accounts: query.accountIds.map(Number) },
      fields: ['dateRange', 'pivotValues', 'impressions'],
    }).length;
    return {
      rows: run.rows.length,
      minimum: minimumLookupRequests(offline, query) + minimumAnalyticsRequests(query, truthRows),
    };
  },
});

const POSTS_PER_ORGANIZATION = 250;

const workloads: Workload[] = [
  adsWorkload('a', '(a) 1 account, 90 days daily by campaign, 20 metrics', {
    accountIds: ['500000001'],
    pivot: 'CAMPAIGN',
    granularity: 'DAILY',
    startDate: '2026-08-21',
    endDate: '2026-11-18',
    metrics: AD_METRICS.slice(0, 20).map((m) => m.key),
  }),
  adsWorkload('b', '(b) 3 accounts, 365 days daily by creative, all metrics', {
    accountIds: ['500000001', '500000002', '500000003'],
    pivot: 'CREATIVE',
    granularity: 'DAILY',
    startDate: '2025-11-19',
    endDate: '2026-11-18',
    metrics: AD_METRICS.map((m) => m.key),
  }),
  {
    id: 'c',
    name: '(c) Pages: 2 organizations, 12 months of follower gains, page views and share statistics, 500 posts',
    size: { postsPerOrganization: POSTS_PER_ORGANIZATION },
    products: ['pages'],
    // Each stream looks up the page names once, plus one request per organization for a
    // time-bound stream (12 months fit one), and for posts their pages and statistics batches.
    run(client, write, offline) {
      const now = offline.clock.now();
      const endDate = new Date(now - 86_400_000).toISOString().slice(0, 10);
      const startDate = new Date(now - 364 * 86_400_000).toISOString().slice(0, 10);
      const organizationIds = ['10000001', '10000002'];
      let rows = 0;
      for (const stream of ['follower_gains', 'page_views', 'share_statistics', 'posts'] as const) {
        const spec = PAGES_STREAMS.find((candidate) => candidate.id === stream)!;
        const fields = spec.fields.map((field) => field.key);
        const table = fetchPagesStream(client, { stream, organizationIds, startDate, endDate, fields }, now);
        write(stream, table.columns, spec.key, table.rows);
        rows += table.rows.length;
      }
      const postPages = Math.ceil(POSTS_PER_ORGANIZATION / POSTS_PAGE_SIZE);
      const statisticsBatches = Math.ceil(POSTS_PER_ORGANIZATION / POSTS_PER_STATISTICS_REQUEST);
      const minimum =
        3 * (1 + organizationIds.length) + 1 + (postPages + statisticsBatches) * organizationIds.length;
      return { rows, minimum };
    },
  },
];

/** A client for the signed-in bench user that never runs out of time: the bench measures, it does not checkpoint. */
function benchClient(offline: OfflineWorld, scope: Scope, parallelism: number): LinkedInClient {
  const context = authContextIn(offline, scope);
  return new LinkedInClient(appsScriptHttp(scope.UrlFetchApp), context.clock, accessTokenProvider(context), {
    deadline: Infinity,
    parallelism,
  });
}

/** Upserts into a tab of the emulated spreadsheet, as a report run does. */
function sheetWriter(scope: Scope): Write {
  const spreadsheet = scope.SpreadsheetApp.getActive();
  return (tab, columns, key, rows) => {
    const sheet = spreadsheet.getSheetByName(tab) ?? spreadsheet.insertSheet(tab);
    const cells = spreadsheet
      .getSheets()
      .reduce((total: number, each: Scope) => total + each.getMaxRows() * each.getMaxColumns(), 0);
    writeTable(sheet, { columns, keyFields: key, rows, ownLabels: new Set() }, cells);
  };
}

/** Runs one workload in this process; CPU spent inside the simulator is not the add-on's and is left out. */
function measure(workload: Workload, parallelism: number): Measurement {
  const offline = createOfflineWorld({ seed: 2026, latency: LATENCY, size: workload.size });
  signIn(offline, USER, 'sim1Person', workload.products);
  let simulatorCpuMs = 0;
  const handle = offline.linkedin.handle.bind(offline.linkedin);
  offline.linkedin.handle = (request) => {
    const before = process.cpuUsage();
    try {
      return handle(request);
    } finally {
      const spent = process.cpuUsage(before);
      simulatorCpuMs += (spent.user + spent.system) / 1000;
    }
  };
  return offline.world.execute(USER, (scope: Scope) => {
    const client = benchClient(offline, scope, parallelism);
    const firstCall = offline.linkedin.calls.length;
    const simulatedStart = offline.clock.now();
    const cpuStart = process.cpuUsage();
    const { rows, minimum } = workload.run(client, sheetWriter(scope), offline);
    const cpu = process.cpuUsage(cpuStart);
    const latencies = offline.linkedin.calls.slice(firstCall).map((call) => call.latencyMs);
    return {
      requests: client.requestsSent,
      minimum,
      rows,
      simulatedMs: offline.clock.now() - simulatedStart,
      floor: Math.max(...latencies) / latencies.reduce((sum, latency) => sum + latency, 0),
      cpuMs: (cpu.user + cpu.system) / 1000 - simulatorCpuMs,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
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
    const write = { columns, keyFields: ['start_date', 'pivot_id'], rows, ownLabels: new Set<string>() };
    writeTable(sheet, write, 26_000);
    const mergedAndWritten = process.cpuUsage(cpuStart);
    const again = process.cpuUsage();
    writeTable(sheet, write, 26_000 + 100_001 * 26);
    const rewritten = process.cpuUsage(again);
    return {
      rows: rows.length,
      firstMs: (mergedAndWritten.user + mergedAndWritten.system) / 1000,
      upsertAgainMs: (rewritten.user + rewritten.system) / 1000,
    };
  });
}

/** Runs a measurement in a fresh process: this script again, told what to measure. */
function apart<T>(...args: string[]): T {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`Measuring ${args.join(' ')} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as T;
}

const MERGE_RUNS = 3;

function report() {
  const lines = [
    '| workload | requests | minimum requests | rows | simulated wall time, fetchAll | simulated wall time, one at a time | parallel / sequential | floor for these requests | CPU (planning, merging, writing) | peak memory (RSS) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const workload of workloads) {
    const parallel = apart<Measurement>('--measure', workload.id, '8');
    const sequential = apart<Measurement>('--measure', workload.id, '1');
    lines.push(
      `| ${workload.name} | ${parallel.requests} | ${parallel.minimum} | ${parallel.rows.toLocaleString('en-US')} | ${(parallel.simulatedMs / 1000).toFixed(2)} s | ${(sequential.simulatedMs / 1000).toFixed(2)} s | ${(parallel.simulatedMs / sequential.simulatedMs).toFixed(3)} | ${parallel.floor.toFixed(3)} | ${parallel.cpuMs.toFixed(0)} ms | ${parallel.peakRssMiB.toFixed(0)} MiB |`,
    );
  }
  const mergeRuns = Array.from({ length: MERGE_RUNS }, () =>
    apart<ReturnType<typeof mergeAndUpsert>>('--merge'),
  ).sort((a, b) => a.firstMs - b.firstMs);
  const merged = mergeRuns[Math.floor(MERGE_RUNS / 2)];
  const summary = [
    '# Benchmark',
    '',
    `Seed 2026, simulated latency ${LATENCY.baseMs} ms a request + ${LATENCY.perElementMs} ms an element. Node ${process.version}.`,
    '',
    ...lines,
    '',
    `Merge of two field groups into ${merged.rows.toLocaleString('en-US')} rows and their first upsert into an emulated sheet, median of ${MERGE_RUNS} fresh processes: **${merged.firstMs.toFixed(0)} ms CPU** (target: under 2,000 ms; runs: ${mergeRuns.map((run) => run.firstMs.toFixed(0)).join(', ')} ms). Upserting the same rows again (all updates): ${merged.upsertAgainMs.toFixed(0)} ms.`,
    '',
    'Requests count every request of the import, names lookups included. The minimum: one page of',
    'each lookup per account, metrics in groups of 18 plus dateRange and pivotValues, windows under',
    '15,000 elements, reach in ranges of at most 92 days; for Pages, as listed under (c) in bench/run.ts.',
    'Parallel / sequential cannot go below the floor: the slowest request over the sum of all of them,',
    'reached when every request goes out in one round trip. CPU leaves out the simulator; peak memory',
    'is that of a process running the workload alone, simulator and emulated spreadsheet included.',
  ];
  console.log(summary.join('\n'));
  writeFileSync(resolve('bench/results.md'), `${summary.join('\n')}\n`);
}

const [mode, workloadId, parallelism] = process.argv.slice(2);
if (mode === '--measure') {
  const workload = workloads.find((candidate) => candidate.id === workloadId)!;
  console.log(JSON.stringify(measure(workload, Number(parallelism))));
} else if (mode === '--merge') {
  console.log(JSON.stringify(mergeAndUpsert()));
} else {
  report();
}
