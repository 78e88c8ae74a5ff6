/**
 * The add-on within the limits the emulation enforces as the real platform does
 * (docs/platform-facts.md): long texts in cells, and what crosses google.script.run.
 */
import { toClient } from '../../sandbox/apps-script/script-run';
import { CLIENT_ID, CLIENT_SECRET, connectedWorld } from '../helpers/connect';
import { analyticsReport, runNow, saveReport, sheetValues } from '../helpers/reports';

const ANN = 'ann@example.com';

describe('texts longer than a cell holds', () => {
  it('are cut with a visible marker, and the import completes', () => {
    const offline = connectedWorld(ANN, {}, ['ads', 'pages']);
    const post = offline.linkedin.data.posts.find((candidate) => candidate.organizationId === 10000001)!;
    post.commentary = 'A long post. '.repeat(5000); // 65,000 characters
    const report = saveReport(offline, ANN, {
      ...analyticsReport(),
      name: 'Posts',
      source: 'pages',
      stream: 'posts',
      organizationIds: ['10000001'],
      fields: ['post_id', 'text'],
      sheetName: 'Posts',
    });
    const done = runNow(offline, ANN, report.config.id).at(-1)!;
    expect(done.status).toBe('done');
    const rows = sheetValues(offline, 'Posts');
    const [header] = rows;
    const row = rows.find((line) => line[header.indexOf('Post')] === post.id)!;
    const text = String(row[header.indexOf('Text')]);
    expect(text).toHaveLength(50_000);
    expect(text.startsWith('A long post. A long post.')).toBe(true);
    expect(text.endsWith('… [cut at 50,000 characters]')).toBe(true);
    const short = rows.find((line, index) => index > 0 && line !== row)!;
    expect(String(short[header.indexOf('Text')])).not.toContain('[cut at');
  });
});

describe('the connection functions the sidebar calls', () => {
  it('return only values google.script.run carries unchanged (no Date, NaN or undefined in arrays)', () => {
    const offline = connectedWorld(ANN, {}, ['ads', 'pages']);
    const { access_token } = offline.linkedin.issueTokens('sim1Person', ['r_ads', 'r_ads_reporting']);
    const calls: Array<[string, ...unknown[]]> = [
      ['getConnection'],
      ['saveLinkedInApp', CLIENT_ID, CLIENT_SECRET],
      ['startLinkedInSignIn', ['ads']],
      ['testLinkedInConnection'],
      ['listLinkedInAdAccounts'],
      ['listLinkedInPages'],
      ['pasteLinkedInAccessToken', access_token],
      ['disconnectLinkedIn'],
      ['usePublisherLinkedInApp'],
    ];
    for (const [name, ...args] of calls) {
      const raw = offline.world.run(ANN, name, ...args);
      // toEqual holds NaN equal to NaN and a Date to a Date: either would fail against null.
      expect({ name, value: toClient(raw) }).toEqual({ name, value: raw });
      expect(toClient(raw)).not.toBeNull();
    }
  });
});

describe('the report functions the sidebar calls', () => {
  it('return only values google.script.run carries unchanged, through a run', () => {
    const offline = connectedWorld(ANN);
    const carried = (name: string, ...args: unknown[]) => {
      const raw = offline.world.run(ANN, name, ...args);
      expect({ name, value: toClient(raw) }).toEqual({ name, value: raw });
      return raw as Record<string, unknown>;
    };
    carried('getCatalog');
    const [summary] = carried('saveReport', analyticsReport()) as unknown as Array<{
      config: { id: string };
    }>;
    let progress = carried('runReportNow', summary.config.id);
    while (progress.status === 'running') progress = carried('continueReport', summary.config.id);
    expect(progress.status).toBe('done');
    carried('listReports');
  });
});
