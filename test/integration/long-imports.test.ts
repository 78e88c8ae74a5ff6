// Imports that take many steps: the progress they report, and their end state when Apps
// Script stops them anywhere. Apart from reports.test.ts so jest runs them beside it.
import { createOfflineWorld } from '../../sandbox/offline-world';
import { signIn, connectedWorld } from '../helpers/connect';
import {
  analyticsReport,
  type Progress,
  runNow,
  runThroughStops,
  saveReport,
  sheetValues,
} from '../helpers/reports';

const ANN = 'ann@example.com';
const BOB = 'bob@example.com';

const connected = (options: Parameters<typeof createOfflineWorld>[0] = {}) => connectedWorld(ANN, options);

describe('long imports', () => {
  const bigReport = analyticsReport({
    pivot: 'CREATIVE',
    dateRange: { preset: 'custom', start: '2025-01-01', end: '2025-12-31' },
    fields: ['impressions', 'clicks'],
    accountIds: ['500000001', '500000002'],
  });
  const size = { campaignGroupsPerAccount: 4, campaignsPerGroup: 5, creativesPerCampaign: 4 };

  it('moves the progress bar while it works, step by step', () => {
    // 3 accounts of 80 creatives and 40 metrics (3 requests a window), 2 windows a batch;
    // at 30 s a batch the sidebar's 25 s steps finish one batch each.
    const offline = connected({ size, latency: { baseMs: 30_000, perElementMs: 0 } });
    const metrics = (
      offline.world.callFromSidebar(ANN, 'getCatalog') as {
        streams: Array<{ id: string; fields: Array<{ key: string; type: string }> }>;
      }
    ).streams
      .find((stream) => stream.id === 'ad_analytics')!
      .fields.filter((field) => field.type === 'integer')
      .slice(0, 40)
      .map((field) => field.key);
    const report = saveReport(offline, ANN, {
      ...bigReport,
      fields: metrics,
      accountIds: ['500000001', '500000002', '500000003'],
    });
    const progress = runNow(offline, ANN, report.config.id);
    const done = progress.map((step) => step.requestsDone);
    // The creatives lookup bounds a day at 240 rows: 6 windows, 18 requests; 43 columns let a
    // batch write 2 windows.
    expect(done).toEqual([0, 6, 12, 18]);
    expect(progress.at(-1)).toMatchObject({ status: 'done', requestsDone: 18, requestsPlanned: 18 });
  });

  // 80 creatives over 300 days: the range is bet to fit one window, comes back at the cap, and is planned again.
  const lostBetReport = analyticsReport({
    pivot: 'CREATIVE',
    dateRange: { preset: 'custom', start: '2025-01-01', end: '2025-10-27' },
    fields: ['impressions', 'clicks'],
  });

  it.each([
    ['several windows', bigReport],
    ['an opening bet lost at the cap', lostBetReport],
  ])(
    'ends identical to an uninterrupted run when Apps Script kills steps at random points: %s',
    (_, report) => {
      const reference = connected({ size });
      const referenceReport = saveReport(reference, ANN, report);
      runNow(reference, ANN, referenceReport.config.id);
      const expected = sheetValues(reference, 'LinkedIn Ads');

      const offline = connected({ size, latency: { baseMs: 2000, perElementMs: 0.3 } });
      const saved = saveReport(offline, ANN, report);
      let seed = 11;
      const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
      offline.world.executionLimitMs = () => 1000 + Math.floor(random() * 19000);
      const { status, kills, failures } = runThroughStops(offline, ANN, saved.config.id, 400);
      // A run stopped before it saved its job is said to be interrupted, and started again.
      expect(failures.every((message) => message.startsWith('This run was stopped before it finished'))).toBe(
        true,
      );
      expect(kills).toBeGreaterThan(2);
      expect(status).toBe('done');
      expect(sheetValues(offline, 'LinkedIn Ads')).toEqual(expected);
    },
  );

  it('lets only one execution work on a report at a time', () => {
    const offline = connected();
    signIn(offline, BOB, 'sim1Person');
    const report = saveReport(offline, ANN, analyticsReport());
    offline.world.callFromSidebar(ANN, 'runReportNow', report.config.id);
    const route = offline.world.router;
    let bobSaw: Progress | null = null;
    offline.world.router = (requests) => {
      if (!bobSaw && requests.some((request) => request.url.includes('/rest/adAnalytics')))
        bobSaw = offline.world.callFromSidebar(BOB, 'continueReport', report.config.id) as Progress;
      return route(requests);
    };
    const annFinal = offline.world.callFromSidebar(ANN, 'continueReport', report.config.id) as Progress;
    expect(bobSaw).toMatchObject({
      status: 'busy',
      message: expect.stringContaining('another editor or a schedule'),
    });
    expect(annFinal.status).toBe('done');
    const rows = sheetValues(offline, 'LinkedIn Ads').slice(1);
    expect(new Set(rows.map((row) => `${row[0]}|${row[1]}`)).size).toBe(rows.length);
  });
});
