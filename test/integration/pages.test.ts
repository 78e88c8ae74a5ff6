import {
  followerGains,
  lifetimeFollowers,
  lifetimePageViews,
  pageViews,
  shareStatistics,
  totalFollowers,
} from '../../sandbox/linkedin/pages-data';
import { createOfflineWorld } from '../../sandbox/offline-world';
import { PAGES_STREAMS } from '../../src/server/catalog/pages';
import { findStream } from '../../src/server/catalog/streams';
import { fetchPagesStream, listPages, type PagesQuery } from '../../src/server/connectors/pages';
import { LinkedInError } from '../../src/server/linkedin/errors';
import { writeTable } from '../../src/server/sheets/writer';
import { connectedWorld } from '../helpers/connect';
import { withClient } from '../helpers/core';

const ANN = 'ann@example.com';
const DAY = 86_400_000;
const ORGS = ['10000001', '10000002'];
type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const connected = (options: Parameters<typeof createOfflineWorld>[0] = {}) =>
  connectedWorld(ANN, options, ['ads', 'pages']);

const allFields = (stream: string) =>
  PAGES_STREAMS.find((spec) => spec.id === stream)!.fields.map((field) => field.key);
const query = (stream: PagesQuery['stream'], overrides: Partial<PagesQuery> = {}): PagesQuery => ({
  stream,
  organizationIds: ORGS,
  startDate: '2026-10-01',
  endDate: '2026-10-30',
  fields: allFields(stream),
  ...overrides,
});
const column = (table: { columns: Array<{ key: string }> }, key: string) =>
  table.columns.findIndex((field) => field.key === key);

describe('LinkedIn Pages', () => {
  it('lists the pages the member administers, by name', () => {
    const offline = connected();
    expect(withClient(offline, ANN, (client) => listPages(client))).toEqual([
      { id: '10000002', name: 'Contoso Robotics', vanityName: 'contoso-robotics', role: 'ADMINISTRATOR' },
      {
        id: '10000001',
        name: 'Northwind Analytics',
        vanityName: 'northwind-analytics',
        role: 'ADMINISTRATOR',
      },
    ]);
  });

  it('reads daily follower gains for several pages, the last day included once (LinkedIn ends are exclusive)', () => {
    const offline = connected();
    const table = withClient(offline, ANN, (client) =>
      fetchPagesStream(client, query('follower_gains'), offline.clock.now()),
    );
    expect(table.rows).toHaveLength(60);
    const data = offline.linkedin.data;
    for (const row of table.rows) {
      const day = Date.parse(`${row[column(table, 'date')]}T00:00:00Z`) / DAY;
      const truth = followerGains(data, Number(row[column(table, 'organization_id')]), day);
      expect([row[column(table, 'organic_follower_gain')], row[column(table, 'paid_follower_gain')]]).toEqual(
        [truth.organicFollowerGain, truth.paidFollowerGain],
      );
    }
    const dates = table.rows.map((row) => row[column(table, 'date')]);
    expect(dates.filter((date) => date === '2026-10-30')).toHaveLength(2);
    expect(dates).not.toContain('2026-10-31');
  });

  it('asks for the page names in the same round trip as the statistics', () => {
    const offline = connected({ latency: { baseMs: 1000, perElementMs: 0 } });
    const started = offline.clock.now();
    const table = withClient(offline, ANN, (client) =>
      fetchPagesStream(client, query('page_views'), offline.clock.now()),
    );
    expect(offline.clock.now() - started).toBe(1000);
    expect(
      offline.linkedin.calls.filter((call) => call.path.startsWith('/rest/')).map((call) => call.path),
    ).toEqual([
      '/rest/organizations',
      '/rest/organizationPageStatistics',
      '/rest/organizationPageStatistics',
    ]);
    expect(new Set(table.rows.map((row) => row[column(table, 'page_name')]))).toEqual(
      new Set(['Northwind Analytics', 'Contoso Robotics']),
    );
  });

  it('sums follower gains per week and per calendar month', () => {
    const offline = connected();
    const gains = (timeGranularity: 'WEEK' | 'MONTH', startDate: string, endDate: string) =>
      withClient(offline, ANN, (client) =>
        fetchPagesStream(
          client,
          query('follower_gains', { timeGranularity, startDate, endDate, organizationIds: ['10000001'] }),
          offline.clock.now(),
        ),
      );
    const daily = (from: string, days: number) =>
      Array.from(
        { length: days },
        (_, offset) =>
          followerGains(offline.linkedin.data, 10000001, Date.parse(`${from}T00:00:00Z`) / DAY + offset)
            .organicFollowerGain,
      ).reduce((a, b) => a + b, 0);
    const weeks = gains('WEEK', '2026-10-01', '2026-10-28');
    expect(weeks.rows.map((row) => row[0])).toEqual(['2026-10-01', '2026-10-08', '2026-10-15', '2026-10-22']);
    expect(weeks.rows[1][column(weeks, 'organic_follower_gain')]).toBe(daily('2026-10-08', 7));
    const months = gains('MONTH', '2026-09-01', '2026-10-31');
    expect(months.rows.map((row) => row[0])).toEqual(['2026-09-01', '2026-10-01']);
    expect(months.rows[1][column(months, 'organic_follower_gain')]).toBe(daily('2026-10-01', 31));
  });

  it('reads page views per section and device, and share statistics, exactly', () => {
    const offline = connected();
    const views = withClient(offline, ANN, (client) =>
      fetchPagesStream(client, query('page_views'), offline.clock.now()),
    );
    const shares = withClient(offline, ANN, (client) =>
      fetchPagesStream(client, query('share_statistics'), offline.clock.now()),
    );
    const data = offline.linkedin.data;
    for (const row of views.rows) {
      const day = Date.parse(`${row[0]}T00:00:00Z`) / DAY;
      const truth = pageViews(data, Number(row[1]), day);
      expect(row[column(views, 'all_page_views')]).toBe(truth.views.allPageViews.pageViews);
      expect(row[column(views, 'all_unique_page_views')]).toBe(truth.views.allPageViews.uniquePageViews);
      expect(row[column(views, 'careers_mobile_page_views')]).toBe(
        truth.views.mobileCareersPageViews.pageViews,
      );
      expect(
        (row[column(views, 'all_desktop_page_views')] as number) +
          (row[column(views, 'all_mobile_page_views')] as number),
      ).toBe(row[column(views, 'all_page_views')]);
    }
    for (const row of shares.rows) {
      const start = Date.parse(`${row[0]}T00:00:00Z`);
      const truth = shareStatistics(data, `${row[1]}:${start}:${start + DAY}`);
      expect(row[column(shares, 'impressions')]).toBe(truth.impressionCount);
      expect(row[column(shares, 'engagement')]).toBe(truth.engagement);
    }
    expect(shares.rows).toHaveLength(60);
    // Only what LinkedIn still sends has a column: no per-section unique views, no careers clicks.
    const keys = PAGES_STREAMS.find((stream) => stream.id === 'page_views')!.fields.map((field) => field.key);
    expect(keys.filter((key) => /unique|click/.test(key))).toEqual(['all_unique_page_views']);
  });

  it('offers weeks only where LinkedIn documents them: follower statistics, not page or share statistics', () => {
    const offline = connected();
    expect(
      PAGES_STREAMS.filter((stream) => stream.granularities).map((stream) => [
        stream.id,
        stream.granularities,
      ]),
    ).toEqual([
      ['follower_gains', ['DAY', 'WEEK', 'MONTH']],
      ['page_views', ['DAY', 'MONTH']],
      ['share_statistics', ['DAY', 'MONTH']],
    ]);
    const weekly = (stream: PagesQuery['stream']) => {
      try {
        withClient(offline, ANN, (client) =>
          fetchPagesStream(client, query(stream, { timeGranularity: 'WEEK' }), offline.clock.now()),
        );
      } catch (error) {
        return (error as LinkedInError).message;
      }
      return 'no error';
    };
    const before = offline.linkedin.calls.length;
    expect(weekly('page_views')).toBe(
      'LinkedIn gives page views per day or month only: choose rows per day or month.',
    );
    expect(weekly('share_statistics')).toBe(
      'LinkedIn gives post performance per day or month only: choose rows per day or month.',
    );
    expect(offline.linkedin.calls.length).toBe(before);
  });

  it('reads every post across several pages of 100, with its statistics fetched in batches', () => {
    const offline = connected({ size: { postsPerOrganization: 250 } });
    const table = withClient(offline, ANN, (client) =>
      fetchPagesStream(client, query('posts'), offline.clock.now()),
    );
    expect(table.rows).toHaveLength(500);
    const postCalls = offline.linkedin.calls.filter((call) => call.path === '/rest/posts');
    expect(postCalls.map((call) => call.query!.get('start'))).toEqual(['0', '0', '100', '200', '100', '200']);
    const data = offline.linkedin.data;
    for (const row of table.rows.slice(0, 50)) {
      expect(row[column(table, 'impressions')]).toBe(shareStatistics(data, String(row[0])).impressionCount);
    }
    expect(
      data.posts
        .filter((post) => post.organizationId === 10000001)
        .map((post) => post.id)
        .sort(),
    ).toEqual(
      table.rows
        .filter((row) => row[1] === '10000001')
        .map((row) => row[0])
        .sort(),
    );
  });

  it('clips a range reaching past 12 months, with a note instead of an error', () => {
    const offline = connected();
    const table = withClient(offline, ANN, (client) =>
      fetchPagesStream(
        client,
        query('follower_gains', { startDate: '2025-06-01', endDate: '2026-11-19' }),
        offline.clock.now(),
      ),
    );
    expect(table.note).toBe(
      'LinkedIn keeps page statistics for 12 months: rows start on 2025-11-21, not 2025-06-01.',
    );
    expect(table.rows[0][0]).toBe('2025-11-21');
    expect(table.rows.at(-1)![0]).toBe('2026-11-19');
  });

  it('stops at LinkedIn’s daily limit in either wording: at once when it names the DAY limit, after a few tries when not', () => {
    const failure = (offline: ReturnType<typeof connected>) =>
      withClient(offline, ANN, (client) => {
        const before = offline.linkedin.calls.length;
        try {
          fetchPagesStream(client, query('follower_gains'), offline.clock.now());
        } catch (error) {
          return { error: error as LinkedInError, calls: offline.linkedin.calls.length - before };
        }
        throw new Error('expected the daily limit');
      });
    const named = failure(connected({ limits: { memberDaily: 0 } }));
    expect(named.error.kind).toBe('daily-limit');
    expect(named.error.message).toContain(
      'LinkedIn said: "Resource level throttle APPLICATION_AND_MEMBER DAY limit for calls to this resource is reached." It resets at midnight UTC',
    );
    expect(named.calls).toBe(3);
    const documented = failure(connected({ limits: { memberDaily: 0 }, dailyLimitWording: 'documented' }));
    expect(documented.error.kind).toBe('throttled');
    expect(documented.error.message).toMatch(
      /^LinkedIn kept refusing calls as over its limits \(HTTP 429\) after several tries\. LinkedIn said: "Resource level throttle limit for calls to this resource is reached\." If it is LinkedIn's daily limit, it resets at midnight UTC, in about \d+ hours; if it is a short throttle, it lifts on its own/,
    );
    // The names and both pages' statistics, each tried six times.
    expect(documented.calls).toBe(3 * 6);
  });

  it('says which scope is missing', () => {
    const offline = connected();
    const fail = (stream: PagesQuery['stream'], scopes: string[]) => {
      const { access_token } = offline.linkedin.issueTokens('sim1Person', scopes);
      offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', access_token);
      try {
        withClient(offline, ANN, (client) => fetchPagesStream(client, query(stream), offline.clock.now()));
      } catch (error) {
        return (error as LinkedInError).message;
      }
      return 'no error';
    };
    expect(fail('posts', ['rw_organization_admin'])).toContain(
      'needs the r_organization_social and rw_organization_admin scopes',
    );
    expect(fail('follower_gains', ['r_organization_social'])).toContain(
      'needs the rw_organization_admin scope',
    );
    // Post performance is documented under rw_organization_admin, not r_organization_social.
    expect(fail('share_statistics', ['r_organization_social'])).toContain(
      'LinkedIn refused post performance: it needs the rw_organization_admin scope and an admin role',
    );
  });

  it('reads lifetime page views by audience for one page and for several', () => {
    const offline = connected();
    const one = withClient(offline, ANN, (client) =>
      fetchPagesStream(
        client,
        query('page_views_lifetime', { organizationIds: ['10000002'] }),
        offline.clock.now(),
      ),
    );
    const both = withClient(offline, ANN, (client) =>
      fetchPagesStream(client, query('page_views_lifetime'), offline.clock.now()),
    );
    // Seniority 10, industry 12, function 26, company size 9, country 10, region 12 values.
    expect(one.rows).toHaveLength(79);
    expect(both.rows).toHaveLength(158);
    const seniority = one.rows.find((row) => row[column(one, 'value')] === 'urn:li:seniority:8')!;
    expect(seniority[column(one, 'breakdown')]).toBe('Seniority');
    expect(seniority[column(one, 'value_name')]).toBe('CXO');
    expect(seniority[column(one, 'page_views')]).toBe(
      lifetimePageViews(offline.linkedin.data, 10000002, 'pageStatisticsBySeniority', 7),
    );
    // Industry rows come from pageStatisticsByIndustryV2, keyed industryV2.
    const industries = one.rows.filter((row) => row[column(one, 'breakdown')] === 'Industry');
    expect(industries).toHaveLength(12);
    expect(industries[3][column(one, 'value')]).toBe('urn:li:industry:4');
    expect(industries[3][column(one, 'page_views')]).toBe(
      lifetimePageViews(offline.linkedin.data, 10000002, 'pageStatisticsByIndustryV2', 3),
    );
    expect(one.columns.map((field) => field.label)).toEqual([
      'Snapshot date',
      'Page ID',
      'Page',
      'Breakdown',
      'Value',
      'Value name',
      'Page views',
    ]);
  });

  it('keeps lifetime follower snapshots from different days side by side', () => {
    const offline = connected();
    const snapshot = () =>
      withClient(offline, ANN, (client) =>
        fetchPagesStream(client, query('follower_lifetime'), offline.clock.now()),
      );
    const spec = PAGES_STREAMS.find((stream) => stream.id === 'follower_lifetime')!;
    const first = snapshot();
    const write = (table: typeof first) =>
      offline.world.execute(ANN, (scope: Scope) =>
        writeTable(
          scope.SpreadsheetApp.getActive().getActiveSheet(),
          { columns: table.columns, keyFields: spec.key, rows: table.rows, ownLabels: new Set() },
          26_000,
        ),
      );
    write(first);
    offline.clock.advance(DAY);
    const second = snapshot();
    write(second);
    const dates = offline.world.execute(ANN, (scope: Scope) => {
      const sheet = scope.SpreadsheetApp.getActive().getActiveSheet();
      return sheet
        .getRange(2, 1, sheet.getLastRow() - 1, 1)
        .getDisplayValues()
        .map((row: string[]) => row[0]);
    });
    expect(first.rows).toHaveLength(2 * (2 + 10 + 12 + 26 + 9 + 10 + 12));
    expect(new Set(dates)).toEqual(new Set(['2026-11-20', '2026-11-21']));
    expect(dates).toHaveLength(2 * first.rows.length);
    // One count per audience, LinkedIn's organicFollowerCount, which holds organic and paid followers together.
    expect(first.columns.map((field) => field.label).slice(6)).toEqual(['Followers']);
    const director = first.rows.find((row) => row[column(first, 'value')] === 'urn:li:seniority:6')!;
    expect(director[column(first, 'followers')]).toBe(
      lifetimeFollowers(
        offline.linkedin.data,
        10000001,
        'followerCountsBySeniority',
        5,
        offline.clock.now() - DAY,
      ).organicFollowerCount,
    );
    const nameColumn = column(first, 'value_name');
    expect(first.rows.find((row) => row[column(first, 'value')] === 'urn:li:seniority:6')![nameColumn]).toBe(
      'Director',
    );
  });
});

describe('LinkedIn Pages requests follow the catalog entry', () => {
  // Each test edits this file's own copy of the catalog module; the edits are undone after it.
  const entry = (stream: string) => findStream('pages', stream)!;
  const saved = PAGES_STREAMS.map((spec) => ({
    spec,
    endpoints: structuredClone(spec.endpoints),
    breakdowns: spec.breakdowns,
    scopes: spec.scopes,
  }));
  afterEach(() => {
    for (const { spec, endpoints, breakdowns, scopes } of saved)
      Object.assign(spec, { endpoints, breakdowns, scopes });
  });
  const restCalls = (offline: ReturnType<typeof connected>, path: string) =>
    offline.linkedin.calls.filter((call) => call.path === `/rest/${path}`);

  it('pages posts and batches their statistics as the posts entry sizes them', () => {
    const posts = entry('posts').endpoints!;
    posts.finder!.pageSize = 40;
    posts.statistics!.batchSize = 7;
    const offline = connected({ size: { postsPerOrganization: 90 } });
    const table = withClient(offline, ANN, (client) =>
      fetchPagesStream(client, query('posts', { organizationIds: ['10000001'] }), offline.clock.now()),
    );
    expect(table.rows).toHaveLength(90);
    const pages = restCalls(offline, 'posts');
    expect(pages.map((call) => [call.query!.get('start'), call.query!.get('count')])).toEqual([
      ['0', '40'],
      ['40', '40'],
      ['80', '40'],
    ]);
    const batches = restCalls(offline, 'organizationalEntityShareStatistics').map(
      (call) =>
        ((call.query!.get('shares') as string[] | undefined) ?? []).length +
        ((call.query!.get('ugcPosts') as string[] | undefined) ?? []).length,
    );
    expect(batches).toEqual([...Array(12).fill(7), 6]);
    const first = table.rows.find(
      (row) => row[column(table, 'post_id')] === String(offline.linkedin.data.posts[0].id),
    )!;
    expect(first[column(table, 'impressions')]).toBe(
      shareStatistics(offline.linkedin.data, String(first[column(table, 'post_id')])).impressionCount,
    );
  });

  it('asks the follower count where the entry’s keyed get says, in either spelling of the edge type', () => {
    const counts = (offline: ReturnType<typeof connected>) =>
      offline.linkedin.calls
        .filter((call) => call.path.startsWith('/rest/networkSizes/'))
        .map((call) => [call.path, call.rawQuery, call.status]);
    const offline = connected();
    const table = withClient(offline, ANN, (client) =>
      fetchPagesStream(client, query('follower_count'), offline.clock.now()),
    );
    expect(counts(offline)).toEqual(
      ORGS.map((id) => [
        `/rest/networkSizes/urn%3Ali%3Aorganization%3A${id}`,
        'edgeType=COMPANY_FOLLOWED_BY_MEMBER',
        200,
      ]),
    );
    expect(table.rows.map((row) => row[column(table, 'followers')])).toEqual(
      ORGS.map((id) => totalFollowers(offline.linkedin.data, Number(id), offline.clock.now())),
    );
    // The older spelling, as LinkedIn's Postman collection sends it: one value of the entry to change.
    entry('follower_count').endpoints!.keyed!.fixed = { edgeType: 'CompanyFollowedByMember' };
    const older = connected();
    const again = withClient(older, ANN, (client) =>
      fetchPagesStream(client, query('follower_count'), older.clock.now()),
    );
    expect(counts(older).map(([, rawQuery, status]) => [rawQuery, status])).toEqual([
      ['edgeType=CompanyFollowedByMember', 200],
      ['edgeType=CompanyFollowedByMember', 200],
    ]);
    expect(again.rows).toEqual(table.rows);
  });

  it('asks the finder the entry names, for the breakdowns it lists', () => {
    const gains = entry('follower_gains');
    // Page views' finder in the follower-gains entry: the requests must go where the entry says.
    gains.endpoints = entry('page_views').endpoints;
    entry('follower_lifetime').breakdowns = [
      { field: 'followerCountsBySeniority', facet: 'seniority', label: 'Rank' },
    ];
    const offline = connected();
    withClient(offline, ANN, (client) =>
      fetchPagesStream(client, query('follower_gains'), offline.clock.now()),
    );
    expect(restCalls(offline, 'organizationalEntityFollowerStatistics')).toHaveLength(0);
    expect(
      restCalls(offline, 'organizationPageStatistics').map((call) => call.query!.get('organization')),
    ).toEqual(['urn:li:organization:10000001', 'urn:li:organization:10000002']);
    const snapshot = withClient(offline, ANN, (client) =>
      fetchPagesStream(client, query('follower_lifetime'), offline.clock.now()),
    );
    expect(new Set(snapshot.rows.map((row) => row[column(snapshot, 'breakdown')]))).toEqual(
      new Set(['Rank']),
    );
    expect(snapshot.rows).toHaveLength(2 * 10);
  });

  it('asks the names of countries and regions in batches of the entry’s size, in one round trip', () => {
    const lookup = entry('follower_lifetime').breakdowns!.find(
      (breakdown) => breakdown.label === 'Region',
    )!.names!;
    const batchSize = lookup.batchSize;
    lookup.batchSize = 5;
    try {
      const offline = connected({ latency: { baseMs: 1000, perElementMs: 0 } });
      const started = offline.clock.now();
      const snapshot = withClient(offline, ANN, (client) =>
        fetchPagesStream(client, query('follower_lifetime'), offline.clock.now()),
      );
      // The statistics' round trip, then the geo lookups' own.
      expect(offline.clock.now() - started).toBe(2000);
      const asked = offline.linkedin.calls
        .filter((call) => call.path === '/v2/geo')
        .map((call) => call.query!.get('ids') as string[]);
      // 10 countries and 12 regions, each id once though both pages have it.
      expect(asked.map((ids) => ids.length)).toEqual([5, 5, 5, 5, 2]);
      expect(new Set(asked.flat()).size).toBe(22);
      const region = snapshot.rows.find((row) => row[column(snapshot, 'value')] === 'urn:li:geo:912')!;
      expect(region[column(snapshot, 'value_name')]).toBe('Greater Seattle Area');
      expect(snapshot.note).toBeNull();
    } finally {
      lookup.batchSize = batchSize;
    }
  });

  it('retries the geo lookup past a passing 5xx, and keeps the rows without names when LinkedIn keeps failing', () => {
    const offline = connected();
    offline.linkedin.queueFault('503', /^\/v2\/geo$/);
    const retried = withClient(offline, ANN, (client) =>
      fetchPagesStream(client, query('follower_lifetime'), offline.clock.now()),
    );
    expect(
      retried.rows.find((row) => row[column(retried, 'value')] === 'urn:li:geo:2')![
        column(retried, 'value_name')
      ],
    ).toBe('India');
    expect(retried.note).toBeNull();
    for (let fault = 0; fault < 10; fault++) offline.linkedin.queueFault('500', /^\/v2\/geo$/);
    const failed = withClient(offline, ANN, (client) =>
      fetchPagesStream(client, query('follower_lifetime'), offline.clock.now()),
    );
    expect(failed.rows).toHaveLength(retried.rows.length);
    const geo = failed.rows.filter((row) => String(row[column(failed, 'value')]).startsWith('urn:li:geo:'));
    expect(geo).toHaveLength(2 * 22);
    expect(geo.map((row) => row[column(failed, 'value_name')])).toEqual(geo.map(() => null));
    expect(failed.note).toBe(
      'LinkedIn did not give the names of countries and regions: it was not answering properly (HTTP 500) after several tries. Their rows leave “Value name” blank; everything else in them is as LinkedIn sent it.',
    );
  });

  it('names the entry’s scopes when LinkedIn refuses', () => {
    entry('page_views').scopes = ['rw_organization_admin', 'r_test_scope'];
    const offline = connected();
    const { access_token } = offline.linkedin.issueTokens('sim1Person', ['r_organization_social']);
    offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', access_token);
    expect(() =>
      withClient(offline, ANN, (client) =>
        fetchPagesStream(client, query('page_views'), offline.clock.now()),
      ),
    ).toThrow('it needs the rw_organization_admin and r_test_scope scopes');
  });
});
