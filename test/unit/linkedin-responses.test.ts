import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AD_STREAMS } from '../../src/server/catalog/ads';
import { PAGES_STREAMS } from '../../src/server/catalog/pages';
import { type AdAnalyticsQuery, analyticsColumns } from '../../src/server/connectors/ads-analytics';
import {
  entityTable,
  fetchAnalyticsWindows,
  listAdAccounts,
  openingWindows,
  prepareAdAnalytics,
} from '../../src/server/connectors/ads';
import { COMPANY_NAMES, GEO_NAMES, INDUSTRY_NAMES, TITLE_NAMES } from '../../src/server/catalog/facets';
import { lookedUpNames } from '../../src/server/connectors/facet-names';
import { fetchPagesStream, listPages, type PagesQuery } from '../../src/server/connectors/pages';
import { LinkedInClient } from '../../src/server/linkedin/client';
import { LinkedInError } from '../../src/server/linkedin/errors';
import type { HttpRequest, HttpResponse } from '../../src/server/platform';

/**
 * Our parsers over responses shaped like LinkedIn's documented examples (written by us) and
 * over LinkedIn's own Postman responses, as they are: no simulator involved.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'linkedin');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const postman = (name: string) => fixture(`postman/${name}.linkedin-postman.json`);

/** 2026-11-20, the day the snapshots are taken. */
const NOW = Date.UTC(2026, 10, 20, 9);

/**
 * The analytics connector's calls for an import small enough for one window: the first
 * step (names, and the window when a lookup came with it), then the planned windows.
 */
function analyticsTable(client: LinkedInClient, query: AdAnalyticsQuery) {
  const { context, plan, opening } = prepareAdAnalytics(
    client,
    query,
    openingWindows(query, null, () => []),
  );
  const rest = fetchAnalyticsWindows(client, query, plan.fieldGroups, plan.windows);
  expect(rest.again).toEqual([]);
  return {
    columns: analyticsColumns(query),
    rows: [...(opening?.merge.toRows(query, context) ?? []), ...rest.merge.toRows(query, context)],
  };
}

/** A client whose every request is answered by `answer(path, query)`: the fixture for that resource. */
function clientAnswering(answer: (path: string, query: URLSearchParams) => unknown) {
  const requests: HttpRequest[] = [];
  const client = new LinkedInClient(
    {
      fetchAll: (batch) =>
        batch.map((request) => {
          requests.push(request);
          const url = new URL(request.url);
          const query = new URLSearchParams(request.payload ?? url.search);
          const path = url.pathname.replace(/^\/(rest|v2)\//, '');
          return { status: 200, headers: {}, body: JSON.stringify(answer(path, query)) };
        }),
    },
    { now: () => NOW, sleep: () => undefined },
    () => 'token',
    { deadline: NOW + 60_000 },
  );
  return { client, requests };
}

const fieldsOf = (stream: string) =>
  [...AD_STREAMS, ...PAGES_STREAMS].find((spec) => spec.id === stream)!.fields.map((field) => field.key);
const cell = (table: { columns: Array<{ key: string }>; rows: unknown[][] }, row: number, key: string) =>
  table.rows[row][table.columns.findIndex((column) => column.key === key)];

describe('Ads responses', () => {
  it('reads ad accounts from adAccountUsers and the accounts search', () => {
    const { client } = clientAnswering((path) =>
      fixture(path === 'adAccountUsers' ? 'ad-account-users.json' : 'ad-accounts-search.json'),
    );
    expect(listAdAccounts(client)).toEqual([
      {
        id: '520000001',
        name: 'Harbor Freight Ads',
        currency: 'EUR',
        status: 'ACTIVE',
        role: 'CAMPAIGN_MANAGER',
        test: false,
      },
      {
        id: '520000002',
        name: 'Harbor Freight Test',
        currency: 'USD',
        status: 'CANCELED',
        role: 'VIEWER',
        test: true,
      },
    ]);
  });

  it('reads campaigns and creatives into typed cells, money as numbers and times as dates', () => {
    const campaigns = entityTable(
      'campaigns',
      (fixture('campaigns-search.json') as { elements: Array<Record<string, unknown>> }).elements,
      fieldsOf('campaigns'),
    );
    expect(
      campaigns.rows.map((_, row) => [
        cell(campaigns, row, 'campaign_id'),
        cell(campaigns, row, 'campaign_group_id'),
        cell(campaigns, row, 'status'),
        cell(campaigns, row, 'daily_budget'),
        cell(campaigns, row, 'total_budget'),
        cell(campaigns, row, 'run_start'),
        cell(campaigns, row, 'run_end'),
        cell(campaigns, row, 'locale'),
      ]),
    ).toEqual([
      ['610000001', '600000001', 'COMPLETED', 150, null, '2026-10-01', '2026-11-01', 'de'],
      ['610000002', '600000001', 'ACTIVE', 20, 5000, '2026-03-02', null, 'en'],
    ]);
    expect(cell(campaigns, 0, 'created')).toBe('2026-09-01T00:00:00.000Z');
    const creatives = entityTable(
      'creatives',
      (fixture('creatives-criteria.json') as { elements: Array<Record<string, unknown>> }).elements,
      fieldsOf('creatives'),
    );
    expect(creatives.rows).toEqual([
      [
        '730000001',
        'Webinar teaser, video',
        '610000001',
        '520000001',
        'ACTIVE',
        false,
        '2026-10-01T00:00:00.000Z',
        '2026-10-02T00:00:00.000Z',
      ],
    ]);
  });

  it('turns daily analytics by campaign into rows, blank where LinkedIn sent no value', () => {
    const { client } = clientAnswering((path) =>
      fixture(
        path.endsWith('adCampaigns')
          ? 'campaigns-search.json'
          : path === 'adAccounts'
            ? 'ad-accounts-search.json'
            : 'ad-analytics-campaign-daily.json',
      ),
    );
    const run = analyticsTable(client, {
      accountIds: ['520000001'],
      pivot: 'CAMPAIGN',
      granularity: 'DAILY',
      startDate: '2026-10-01',
      endDate: '2026-10-02',
      metrics: ['impressions', 'clicks', 'costInLocalCurrency', 'externalWebsiteConversions'],
    });
    expect(run.rows).toEqual([
      ['2026-10-01', '610000001', 'Autumn webinar – EMEA', 1840, 37, 52.417, 0],
      ['2026-10-01', '610000002', 'Always-on retargeting', 96, 0, 3.1, null],
      ['2026-10-02', '610000001', 'Autumn webinar – EMEA', 2211, 41, 60, 3],
    ]);
  });

  it('reads LinkedIn’s own answer by company size: plain SIZE_ values, named, without dateRange', () => {
    const { client, requests } = clientAnswering((path) =>
      path === 'adAccounts'
        ? fixture('ad-accounts-search.json')
        : postman('ads-analytics-member-company-size-all'),
    );
    const run = analyticsTable(client, {
      accountIds: ['520000001'],
      pivot: 'MEMBER_COMPANY_SIZE',
      granularity: 'ALL',
      startDate: '2026-01-01',
      endDate: '2026-03-31',
      metrics: ['externalWebsiteConversions'],
    });
    // The accounts search, then the one analytics request.
    expect(requests).toHaveLength(2);
    expect(run.columns.map((column) => column.label)).toEqual([
      'Start date',
      'End date',
      'Company size ID',
      'Company size',
      'Conversions (approx.)',
    ]);
    expect(run.rows).toEqual([
      ['2026-01-01', '2026-03-31', 'SIZE_1', '1 employee', 12],
      ['2026-01-01', '2026-03-31', 'SIZE_10001_OR_MORE', '10,001+ employees', 4],
      ['2026-01-01', '2026-03-31', 'SIZE_1001_TO_5000', '1,001–5,000 employees', 8],
      ['2026-01-01', '2026-03-31', 'SIZE_11_TO_50', '11–50 employees', 49],
      ['2026-01-01', '2026-03-31', 'SIZE_201_TO_500', '201–500 employees', 6],
      ['2026-01-01', '2026-03-31', 'SIZE_2_TO_10', '2–10 employees', 85],
      ['2026-01-01', '2026-03-31', 'SIZE_501_TO_1000', '501–1,000 employees', 7],
      ['2026-01-01', '2026-03-31', 'SIZE_51_TO_200', '51–200 employees', 17],
    ]);
  });
});

describe('Pages responses', () => {
  const pagesQuery = (stream: PagesQuery['stream'], overrides: Partial<PagesQuery> = {}): PagesQuery => ({
    stream,
    organizationIds: ['3803'],
    startDate: '2026-10-01',
    endDate: '2026-10-02',
    fields: fieldsOf(stream),
    ...overrides,
  });
  /**
   * Statistics from `statistics`, the page names from LinkedIn's own batch answer, industry names
   * from an answer shaped as LinkedIn's Industry Taxonomy Versions page shows it.
   */
  const pagesClient = (statistics: string) =>
    clientAnswering((path) => {
      if (path === 'organizations') return postman('organizations-lookup-batch');
      if (path === 'industryTaxonomyVersions/DEFAULT/industries')
        return fixture('industry-taxonomy-batch.json');
      return fixture(statistics);
    }).client;

  it('names the administered pages from LinkedIn’s own batch answers, a refused one by its id', () => {
    const lookup = clientAnswering((path) =>
      path === 'organizationAcls' ? fixture('organization-acls.json') : postman('organizations-lookup-batch'),
    );
    expect(listPages(lookup.client)).toEqual([
      { id: '79988552', name: 'FirstDemoCompany', vanityName: 'firstdemocompany', role: 'ADMINISTRATOR' },
      { id: '3803', name: 'New Century', vanityName: 'new-century', role: 'ADMINISTRATOR' },
    ]);
    const acl = (id: string) => ({
      organization: `urn:li:organization:${id}`,
      role: 'ADMINISTRATOR',
      state: 'APPROVED',
    });
    const brands = clientAnswering((path) =>
      path === 'organizationAcls'
        ? { elements: [acl('89758488'), acl('35625943')], paging: { start: 0, count: 10, total: 2 } }
        : postman('organization-brands-batch-with-error'),
    );
    expect(listPages(brands.client).map((page) => [page.id, page.name])).toEqual([
      ['89758488', 'Internal_EI_Demo'],
      ['35625943', 'Page 35625943'],
    ]);
  });

  it('keeps the rows of a page whose name LinkedIn refused, and says which page it is, in every batch of the run', () => {
    const refused =
      'LinkedIn refused the name of page 35625943 (your connection may lack access to it), so its rows show “Page 35625943” as the page name; everything else in them is as LinkedIn sent it.';
    const { client } = clientAnswering((path) =>
      path === 'organizations'
        ? postman('organization-brands-batch-with-error')
        : fixture('follower-statistics-daily.json'),
    );
    const run = ['89758488', '35625943'];
    const first = fetchPagesStream(
      client,
      pagesQuery('follower_gains', { organizationIds: ['89758488'], pageNames: run }),
      NOW,
    );
    expect(first.rows.map((row) => row.slice(1, 3))).toEqual([
      ['89758488', 'Internal_EI_Demo'],
      ['89758488', 'Internal_EI_Demo'],
    ]);
    expect(first.note).toBe(refused);
    // A later batch of the run is handed the names the first one read, as the runner keeps them.
    const later = fetchPagesStream(
      client,
      pagesQuery('follower_gains', {
        organizationIds: ['35625943'],
        pageNames: new Map(Object.entries(Object.fromEntries(first.names))),
      }),
      NOW,
    );
    expect(later.rows.map((row) => row.slice(1, 3))).toEqual([
      ['35625943', 'Page 35625943'],
      ['35625943', 'Page 35625943'],
    ]);
    expect(later.note).toBe(refused);
    const clipped = fetchPagesStream(
      client,
      pagesQuery('follower_gains', { organizationIds: run, startDate: '2025-01-01' }),
      NOW,
    );
    expect(clipped.note).toBe(
      `LinkedIn keeps page statistics for 12 months: rows start on 2025-11-21, not 2025-01-01. ${refused}`,
    );
  });

  it('lists a page whose name LinkedIn refused, and says so', () => {
    const acl = (id: string) => ({
      organization: `urn:li:organization:${id}`,
      role: 'ADMINISTRATOR',
      state: 'APPROVED',
    });
    const { client } = clientAnswering((path) =>
      path === 'organizationAcls'
        ? { elements: [acl('89758488'), acl('35625943')], paging: { start: 0, count: 10, total: 2 } }
        : postman('organization-brands-batch-with-error'),
    );
    const table = fetchPagesStream(client, pagesQuery('pages', { organizationIds: [] }), NOW);
    expect(table.rows.map((row) => row.slice(0, 2))).toEqual([
      ['89758488', 'Internal_EI_Demo'],
      ['35625943', 'Page 35625943'],
    ]);
    expect(table.note).toContain('LinkedIn refused the name of page 35625943');
    const named = fetchPagesStream(client, pagesQuery('pages', { organizationIds: ['89758488'] }), NOW);
    expect(named.note).toBeNull();
  });

  it('reads lifetime follower demographics as one total per audience', () => {
    const table = fetchPagesStream(
      pagesClient('follower-statistics-lifetime.json'),
      pagesQuery('follower_lifetime'),
      NOW,
    );
    expect(table.columns.map((column) => column.key).slice(3)).toEqual([
      'breakdown',
      'value',
      'value_name',
      'followers',
    ]);
    expect(table.rows.map((row) => row.slice(3))).toEqual([
      ['Association', 'EMPLOYEE', 'Employees', 41],
      // LinkedIn's v2 sample: the entry of everyone else carries no associationType.
      ['Association', '(none)', 'Other followers (not employees)', 1228],
      ['Seniority', 'urn:li:seniority:6', 'Director', 214],
      ['Seniority', 'urn:li:seniority:3', 'Entry', 530],
      ['Industry', 'urn:li:industry:4', 'Software Development', 377],
      ['Job function', 'urn:li:function:8', 'Engineering', 302],
      ['Company size', 'SIZE_11_TO_50', '11–50 employees', 96],
      ['Company size', 'SIZE_10001_OR_MORE', '10,001+ employees', 288],
      ['Country', 'urn:li:geo:101282230', null, 640],
      ['Region', 'urn:li:geo:90009706', null, 121],
    ]);
    expect(table.rows[0].slice(0, 3)).toEqual(['2026-11-20', '3803', 'New Century']);
  });

  it('reads lifetime page views by audience, industry from pageStatisticsByIndustryV2, blank when not sent', () => {
    const table = fetchPagesStream(
      pagesClient('page-statistics-lifetime.json'),
      pagesQuery('page_views_lifetime'),
      NOW,
    );
    expect(table.rows.map((row) => [row[3], row[4], row[5], row[6]])).toEqual([
      ['Seniority', 'urn:li:seniority:6', 'Director', 73],
      ['Industry', 'urn:li:industry:4', 'Software Development', 151],
      ['Industry', 'urn:li:industry:96', 'IT Services and IT Consulting', 64],
      ['Job function', 'urn:li:function:8', 'Engineering', 99],
      ['Company size', 'SIZE_201_TO_500', '201–500 employees', 47],
      // The fake answers the Geo API with no results: places keep a blank name.
      ['Country', 'urn:li:geo:101282230', null, 302],
      ['Region', 'urn:li:geo:90009706', null, null],
    ]);
  });

  it('reads daily page views per section and device, blank for sections LinkedIn left out', () => {
    const table = fetchPagesStream(pagesClient('page-statistics-daily.json'), pagesQuery('page_views'), NOW);
    const pick = (row: number) =>
      [
        'date',
        'all_page_views',
        'all_unique_page_views',
        'all_desktop_page_views',
        'overview_page_views',
        'overview_mobile_page_views',
        'careers_page_views',
        'jobs_page_views',
        'lifeAt_page_views',
        'about_page_views',
      ].map((key) => cell(table, row, key));
    expect(pick(0)).toEqual(['2026-10-01', 31, 19, 20, 22, 7, 9, 6, 3, null]);
    expect(pick(1)).toEqual(['2026-10-02', 4, null, 4, null, null, null, null, null, null]);
  });

  it('reads daily follower gains and post performance', () => {
    const gains = fetchPagesStream(
      pagesClient('follower-statistics-daily.json'),
      pagesQuery('follower_gains'),
      NOW,
    );
    expect(gains.rows).toEqual([
      ['2026-10-01', '3803', 'New Century', 7, 2],
      ['2026-10-02', '3803', 'New Century', 0, 0],
    ]);
    const shares = fetchPagesStream(
      pagesClient('share-statistics-daily.json'),
      pagesQuery('share_statistics'),
      NOW,
    );
    expect(shares.rows).toEqual([['2026-10-01', '3803', 'New Century', 614, 410, 18, 4, 0, 2, 0.0391]]);
  });

  it('reads posts with their lifetime statistics, shares and ugcPosts alike', () => {
    const { client, requests } = clientAnswering((path) =>
      path === 'organizations'
        ? postman('organizations-lookup-batch')
        : fixture(path === 'posts' ? 'posts-by-author.json' : 'share-statistics-posts.json'),
    );
    const table = fetchPagesStream(client, pagesQuery('posts'), NOW);
    expect(table.rows).toEqual([
      [
        'urn:li:share:7250000000000000001',
        '3803',
        'New Century',
        '2026-10-01T01:00:00.000Z',
        'Join our autumn webinar on data pipelines',
        'share',
        'PUBLISHED',
        'https://www.linkedin.com/feed/update/urn:li:share:7250000000000000001/',
        1830,
        1220,
        71,
        19,
        6,
        5,
        0.0552,
      ],
      [
        'urn:li:ugcPost:7260000000000000002',
        '3803',
        'New Century',
        '2026-10-15T00:00:00.000Z',
        null,
        'ugcPost',
        'PUBLISHED',
        'https://www.linkedin.com/feed/update/urn:li:ugcPost:7260000000000000002/',
        120,
        88,
        0,
        0,
        0,
        0,
        0,
      ],
    ]);
    const statistics = requests.find((request) =>
      request.url.includes('organizationalEntityShareStatistics'),
    )!;
    expect(decodeURIComponent(statistics.url)).toContain('shares=List(urn:li:share:7250000000000000001)');
    expect(decodeURIComponent(statistics.url)).toContain('ugcPosts=List(urn:li:ugcPost:7260000000000000002)');
  });
});

describe('Names looked up for facet values LinkedIn sends as URNs', () => {
  /** A client answering each lookup's path as `answers` says: a body, or a refusal's status. */
  function lookupClient(answers: Record<string, unknown | number>) {
    const requests: HttpRequest[] = [];
    const client = new LinkedInClient(
      {
        fetchAll: (batch) =>
          batch.map((request) => {
            requests.push(request);
            const answer = answers[new URL(request.url).pathname];
            if (typeof answer === 'number')
              return {
                status: answer,
                headers: {},
                body: JSON.stringify({
                  status: answer,
                  code: 'ACCESS_DENIED',
                  message: 'Not enough permissions',
                }),
              };
            return { status: 200, headers: {}, body: JSON.stringify(answer) };
          }),
      },
      { now: () => NOW, sleep: () => undefined },
      () => 'token',
      { deadline: NOW + 60_000 },
    );
    return { client, requests };
  }
  const INDUSTRIES = '/v2/industryTaxonomyVersions/DEFAULT/industries';
  const header = (request: HttpRequest, name: string) => request.headers?.[name];

  it('names industries, job titles and member companies from answers shaped as LinkedIn documents them, in one round trip', () => {
    const { client, requests } = lookupClient({
      [INDUSTRIES]: fixture('industry-taxonomy-batch.json'),
      '/v2/titles': fixture('titles-batch.json'),
      // LinkedIn's own answer to organizationsLookup, as its Postman collection recorded it.
      '/rest/organizationsLookup': postman('organizations-lookup-batch'),
    });
    const values = [
      { lookup: INDUSTRY_NAMES, value: 'urn:li:industry:4' },
      { lookup: INDUSTRY_NAMES, value: 'urn:li:industry:96' },
      { lookup: INDUSTRY_NAMES, value: 'urn:li:industry:5' },
      { lookup: TITLE_NAMES, value: 'urn:li:title:9' },
      { lookup: TITLE_NAMES, value: 'urn:li:title:68' },
      { lookup: COMPANY_NAMES, value: 'urn:li:organization:3803' },
      { lookup: COMPANY_NAMES, value: 'urn:li:organization:79988552' },
      // Values of no lookup, or not of its prefix, are not asked.
      { lookup: undefined, value: 'urn:li:industry:7' },
      { lookup: TITLE_NAMES, value: 'urn:li:function:8' },
    ];
    const looked = lookedUpNames(client, values, 'Value name');
    expect(looked).toEqual({
      names: new Map([
        ['urn:li:industry:4', 'Software Development'],
        ['urn:li:industry:96', 'IT Services and IT Consulting'],
        ['urn:li:title:9', 'Software Engineer'],
        ['urn:li:title:68', 'Marketing Manager'],
        ['urn:li:organization:3803', 'New Century'],
        ['urn:li:organization:79988552', 'FirstDemoCompany'],
      ]),
      note: null,
      requests: 3,
    });
    expect(requests.map((request) => decodeURIComponent(request.url))).toEqual([
      'https://api.linkedin.com/v2/industryTaxonomyVersions/DEFAULT/industries?ids=List(4,96,5)',
      'https://api.linkedin.com/v2/titles?ids=List(9,68)',
      'https://api.linkedin.com/rest/organizationsLookup?ids=List(3803,79988552)',
    ]);
    // The standardized data is unversioned; Organization Lookup is versioned. All speak Rest.li 2.0.
    expect(requests.map((request) => header(request, 'LinkedIn-Version') ?? null)).toEqual([
      null,
      null,
      expect.stringMatching(/^\d{6}$/),
    ]);
    expect(requests.every((request) => header(request, 'X-Restli-Protocol-Version') === '2.0.0')).toBe(true);
  });

  it('asks at most 100 ids a request', () => {
    const { client, requests } = lookupClient({ '/v2/titles': fixture('titles-batch.json') });
    const values = Array.from({ length: 250 }, (_, index) => ({
      lookup: TITLE_NAMES,
      value: `urn:li:title:${index + 1}`,
    }));
    expect(lookedUpNames(client, values, 'Job title').requests).toBe(3);
    expect(requests.map((request) => new URL(request.url).search.split(',').length)).toEqual([100, 100, 50]);
  });

  it('keeps the names of a lookup LinkedIn answers when it refuses another, and says once which names it did not give', () => {
    const { client, requests } = lookupClient({
      [INDUSTRIES]: 403,
      '/v2/geo': {
        statuses: {},
        results: { '101282230': { defaultLocalizedName: { value: 'Germany' } } },
        errors: {},
      },
    });
    const looked = lookedUpNames(
      client,
      [
        { lookup: INDUSTRY_NAMES, value: 'urn:li:industry:4' },
        { lookup: GEO_NAMES, value: 'urn:li:geo:101282230' },
      ],
      'Value name',
    );
    expect(looked).toEqual({
      names: new Map([['urn:li:geo:101282230', 'Germany']]),
      note: 'LinkedIn did not give the names of industries: it refused the request (HTTP 403), so your LinkedIn app may not have access to the API that names them. Their rows leave “Value name” blank; everything else in them is as LinkedIn sent it.',
      requests: 2,
    });
    // A refusal is not retried.
    expect(requests).toHaveLength(2);
  });

  it('says each refused lookup’s own reason when LinkedIn refuses two for different ones', () => {
    const { client } = lookupClient({ [INDUSTRIES]: 403, '/v2/geo': 400 });
    const looked = lookedUpNames(
      client,
      [
        { lookup: INDUSTRY_NAMES, value: 'urn:li:industry:4' },
        { lookup: GEO_NAMES, value: 'urn:li:geo:101282230' },
      ],
      'Value name',
    );
    expect(looked.note).toBe(
      'LinkedIn did not give the names of industries: it refused the request (HTTP 403), so your LinkedIn app may not have access to the API that names them. ' +
        'LinkedIn did not give the names of countries and regions: it rejected the request (HTTP 400). ' +
        'Their rows leave “Value name” blank; everything else in them is as LinkedIn sent it.',
    );
  });

  it('asks no company names of a connection LinkedIn granted no Pages scope, and says how to add it; asks them when the scopes are not known', () => {
    const companies = [{ lookup: COMPANY_NAMES, value: 'urn:li:organization:3803' }];
    const adsOnly = lookupClient({ '/rest/organizationsLookup': 403 });
    expect(lookedUpNames(adsOnly.client, companies, 'Company', ['r_ads', 'r_ads_reporting'])).toEqual({
      names: new Map(),
      note: 'LinkedIn did not give the names of companies: it names them only for a connection with Pages access (the rw_organization_admin scope), which this connection does not have, so they were not asked; click “Add Pages access” in the LinkedIn connection panel. Their rows leave “Company” blank; everything else in them is as LinkedIn sent it.',
      requests: 0,
    });
    expect(adsOnly.requests).toHaveLength(0);
    // Scopes LinkedIn did not say (a pasted token): asked, and LinkedIn's refusal said.
    const unknown = lookupClient({ '/rest/organizationsLookup': 403 });
    const looked = lookedUpNames(unknown.client, companies, 'Company', []);
    expect(unknown.requests).toHaveLength(1);
    expect(looked.note).toContain(
      'it refused the request (HTTP 403), as it names them only for a connection with Pages access',
    );
  });
});

describe('LinkedIn’s throttles', () => {
  /** A client whose requests are answered in turn by `answers`, then 200 with no elements. */
  function clientAnsweringInTurn(answers: HttpResponse[]) {
    let now = NOW;
    const sent: HttpRequest[] = [];
    const client = new LinkedInClient(
      {
        fetchAll: (batch) =>
          batch.map((request) => {
            sent.push(request);
            return answers.shift() ?? { status: 200, headers: {}, body: '{"elements":[]}' };
          }),
      },
      { now: () => now, sleep: (ms) => (now += ms) },
      () => 'token',
      { deadline: NOW + 270_000, random: () => 0.5 },
    );
    return { client, sent, waited: () => now - NOW };
  }
  const throttled = (message: string): HttpResponse => ({
    status: 429,
    headers: {},
    body: JSON.stringify({ status: 429, serviceErrorCode: 101, code: 'TOO_MANY_REQUESTS', message }),
  });
  const DOCUMENTED = 'Resource level throttle limit for calls to this resource is reached.';
  const call = { path: 'organizationAcls', query: { q: 'roleAssignee' } };
  const failure = (client: LinkedInClient): LinkedInError => {
    try {
      client.get(call);
    } catch (error) {
      return error as LinkedInError;
    }
    throw new Error('expected LinkedIn’s refusal');
  };

  it('stops at once on a 429 naming a DAY limit, quoting LinkedIn without a doubled full stop', () => {
    const { client, sent } = clientAnsweringInTurn([
      throttled(
        'Resource level throttle APPLICATION_AND_MEMBER DAY limit for calls to this resource is reached.',
      ),
    ]);
    const error = failure(client);
    expect(sent).toHaveLength(1);
    expect(error.kind).toBe('daily-limit');
    expect(error.message).toBe(
      'LinkedIn\'s daily limit of calls is reached. LinkedIn said: "Resource level throttle APPLICATION_AND_MEMBER DAY limit for calls to this resource is reached." It resets at midnight UTC, in about 15 hours: run the import again after that.',
    );
  });

  it('retries a 429 in LinkedIn’s documented words: waits out one that lifts, and after a few tries names both readings', () => {
    const short = clientAnsweringInTurn([throttled(DOCUMENTED), throttled(DOCUMENTED)]);
    expect(short.client.get(call)).toEqual({ elements: [] });
    expect(short.sent).toHaveLength(3);
    const { client, sent, waited } = clientAnsweringInTurn(
      Array.from({ length: 10 }, () => throttled(DOCUMENTED)),
    );
    const error = failure(client);
    expect(sent).toHaveLength(6);
    expect(waited()).toBeLessThan(60_000);
    expect(error.kind).toBe('throttled');
    expect(error.message).toBe(
      'LinkedIn kept refusing calls as over its limits (HTTP 429) after several tries. LinkedIn said: "Resource level throttle limit for calls to this resource is reached." ' +
        "If it is LinkedIn's daily limit, it resets at midnight UTC, in about 15 hours; if it is a short throttle, it lifts on its own: try again in a few minutes, and after midnight UTC if it still fails.",
    );
  });

  it('closes a quoted LinkedIn message with one full stop, whether or not LinkedIn ended it with one', () => {
    const refused = (message: string) =>
      failure(
        clientAnsweringInTurn([
          { status: 403, headers: {}, body: JSON.stringify({ status: 403, code: 'ACCESS_DENIED', message }) },
        ]).client,
      ).message;
    expect(refused('Not enough permissions to access: organizationAcls.GET.NO_VERSION')).toContain(
      'LinkedIn said: "Not enough permissions to access: organizationAcls.GET.NO_VERSION". Ask an admin',
    );
    expect(refused('Not enough permissions to access this resource.')).toContain(
      'LinkedIn said: "Not enough permissions to access this resource." Ask an admin',
    );
  });
});
