import { GEO_NAMES, lifetimePageViews } from '../../sandbox/linkedin/pages-data';
import { type OfflineWorld } from '../../sandbox/offline-world';
import { connectedWorld } from '../helpers/connect';
import {
  apiTraffic,
  lifetimeReport,
  monthlyBreakdown,
  runNow,
  saveAndRunCounted,
  saveReport,
  tableOf,
  trafficMark,
} from '../helpers/reports';

// Countries and regions of Pages audiences, named by LinkedIn's Geo API (/v2/geo), through the built add-on.

const ANN = 'ann@example.com';
const GEO_NOTE =
  'LinkedIn did not give the names of countries and regions: it refused the request (HTTP 403), so your LinkedIn app may not have access to the API that names them. Their rows leave “Value name” blank; everything else in them is as LinkedIn sent it.';

/** Saves and runs a lifetime report of both pages as the sidebar does; the traffic counts from after saving. */
const run = (offline: OfflineWorld, stream: string) =>
  saveAndRunCounted(offline, ANN, lifetimeReport(stream));

const geoCalls = (offline: OfflineWorld) => offline.linkedin.calls.filter((call) => call.path === '/v2/geo');
const geoRows = (rows: Array<Record<string, string>>) =>
  rows.filter((row) => row.Breakdown === 'Country' || row.Breakdown === 'Region');

describe('Pages audiences by country and region', () => {
  it('names every region and country of a follower report with one Geo API request after the statistics', () => {
    const offline = connectedWorld(ANN, {}, ['pages']);
    const { done, traffic, rows } = run(offline, 'follower_lifetime');
    expect(done).toMatchObject({ status: 'done', rowsWritten: 2 * 81 });
    expect(done.message ?? '').not.toContain('did not give the names');
    const bayArea = rows.filter((row) => row.Value === 'urn:li:geo:91');
    expect(bayArea.map((row) => [row['Page ID'], row.Breakdown, row['Value name']])).toEqual(
      expect.arrayContaining([
        ['10000001', 'Region', 'San Francisco Bay Area'],
        ['10000002', 'Region', 'San Francisco Bay Area'],
      ]),
    );
    expect(bayArea).toHaveLength(2);
    const countries = rows.filter((row) => row.Breakdown === 'Country');
    expect(countries.find((row) => row.Value === 'urn:li:geo:1')!['Value name']).toBe('United States');
    expect(rows.find((row) => row.Value === 'urn:li:geo:98')!['Value name']).toBe('São Paulo, Brazil');
    // Every country and region row carries the name the simulator's Geo API holds for its id.
    const named = geoRows(rows);
    expect(named).toHaveLength(2 * (10 + 12));
    for (const row of named)
      expect(row['Value name']).toBe(GEO_NAMES.get(row.Value.replace('urn:li:geo:', '')));
    // Names from the catalog's fixed lists are untouched.
    expect(rows.find((row) => row.Value === 'urn:li:seniority:6')!['Value name']).toBe('Director');
    // Employees, and the entry of everyone else, which LinkedIn sends without an associationType.
    expect(
      rows.filter((row) => row.Breakdown === 'Association').map((row) => [row.Value, row['Value name']]),
    ).toEqual([
      ['EMPLOYEE', 'Employees'],
      ['(none)', 'Other followers (not employees)'],
      ['EMPLOYEE', 'Employees'],
      ['(none)', 'Other followers (not employees)'],
    ]);
    // The page names and both pages' statistics in one round trip, then the 22 geo ids in one
    // request, beside the one naming the industries (test/integration/facet-names.test.ts).
    expect(traffic).toEqual({
      paths: [
        '/rest/organizations',
        '/rest/organizationalEntityFollowerStatistics',
        '/rest/organizationalEntityFollowerStatistics',
        '/v2/industryTaxonomyVersions/DEFAULT/industries',
        '/v2/geo',
      ],
      requests: 5,
      roundTrips: 2,
    });
    const [geo] = geoCalls(offline);
    expect((geo.query!.get('ids') as string[]).sort()).toEqual([...GEO_NAMES.keys()].sort());
    expect(geo.query!.get('locale')).toEqual({ language: 'en', country: 'US' });
    expect(geo.rawQuery).toMatch(/^ids=List\([\d,]+\)&locale=\(language:en,country:US\)$/);
    // As LinkedIn's Geo page shows the call: unversioned, with the Rest.li 2.0 header.
    const header = (name: string) =>
      Object.entries(geo.headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
    expect(header('LinkedIn-Version')).toBeUndefined();
    expect(header('X-Restli-Protocol-Version')).toBe('2.0.0');
    expect(geo.status).toBe(200);
  });

  it('writes page views with blank country and region names, and says once why, when LinkedIn refuses the Geo API', () => {
    const offline = connectedWorld(ANN, {}, ['pages']);
    offline.linkedin.refuseLookup('geo');
    const { done, traffic, rows } = run(offline, 'page_views_lifetime');
    expect(done).toMatchObject({ status: 'done', rowsWritten: 2 * 79 });
    expect(done.message).toContain(GEO_NOTE);
    expect(done.message!.split('did not give the names')).toHaveLength(2);
    const refused = geoRows(rows);
    expect(refused).toHaveLength(2 * (10 + 12));
    expect(refused.every((row) => row['Value name'] === '')).toBe(true);
    // The counts are LinkedIn's, as without the names.
    const region = refused.find((row) => row['Page ID'] === '10000002' && row.Value === 'urn:li:geo:93')!;
    expect(region.Breakdown).toBe('Region');
    expect(Number(region['Page views'].replace(/,/g, ''))).toBe(
      lifetimePageViews(offline.linkedin.data, 10000002, 'pageStatisticsByGeo', 2),
    );
    expect(rows.find((row) => row.Value === 'urn:li:seniority:8')!['Value name']).toBe('CXO');
    // A refusal is not retried: one Geo API request, answered 403, beside the industries' lookup.
    expect(geoCalls(offline).map((call) => call.status)).toEqual([403]);
    expect(traffic).toMatchObject({ requests: 5, roundTrips: 2 });
    // The card keeps the note as the run's last word.
    const cards = offline.world.callFromSidebar(ANN, 'listReports') as Array<{
      config: { name: string };
      state: { lastNote?: string | null };
    }>;
    expect(cards.find((card) => card.config.name === 'page_views_lifetime')!.state.lastNote).toContain(
      GEO_NOTE,
    );
  });

  it('keeps the connection when the Geo API alone answers 401: the statistics took the token', () => {
    const offline = connectedWorld(ANN, {}, ['pages']);
    offline.linkedin.refuseLookup('geo', 401);
    const { done, rows } = run(offline, 'follower_lifetime');
    expect(done.status).toBe('done');
    expect(done.message).toContain('LinkedIn did not give the names of countries and regions');
    expect(geoRows(rows).every((row) => row['Value name'] === '')).toBe(true);
    expect(offline.world.callFromSidebar(ANN, 'getConnection')).toMatchObject({ connected: true });
  });
});

describe('a Pages audience report without the “Value name” column', () => {
  it('asks LinkedIn for no names', () => {
    const offline = connectedWorld(ANN, {}, ['pages']);
    const report = lifetimeReport('follower_lifetime');
    const saved = saveReport(offline, ANN, { ...report, fields: ['breakdown', 'value', 'followers'] });
    const from = trafficMark(offline);
    expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
    expect(apiTraffic(offline, from).paths).not.toContain('/v2/geo');
    expect(geoCalls(offline)).toHaveLength(0);
    expect(tableOf(offline, 'follower_lifetime')[0]).not.toHaveProperty('Value name');
  });
});

describe('Ads analytics by country and region', () => {
  it.each([
    ['MEMBER_COUNTRY_V2', 'Country'],
    ['MEMBER_REGION_V2', 'Region'],
  ])('names the %s pivot’s places with one Geo API request after the statistics', (pivot, label) => {
    const offline = connectedWorld(ANN, {}, ['ads']);
    const saved = saveReport(offline, ANN, monthlyBreakdown(pivot));
    const from = trafficMark(offline);
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    expect(done.status).toBe('done');
    const rows = tableOf(offline, pivot);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows)
      expect(row[label]).toBe(GEO_NAMES.get(row[`${label} ID`].replace('urn:li:geo:', '')));
    // The accounts search, the statistics, then one request naming their places: progress counts it.
    const traffic = apiTraffic(offline, from);
    expect(traffic.paths).toEqual(['/rest/adAccounts', '/rest/adAnalytics', '/v2/geo']);
    expect(traffic.roundTrips).toBe(3);
    expect(done).toMatchObject({ requestsDone: 2, requestsPlanned: 2 });
  });

  it('writes the rows with blank places, and says why once, when LinkedIn refuses the Geo API', () => {
    const offline = connectedWorld(ANN, {}, ['ads']);
    offline.linkedin.refuseLookup('geo');
    const saved = saveReport(offline, ANN, monthlyBreakdown('MEMBER_COUNTRY_V2'));
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    expect(done.status).toBe('done');
    expect(done.message).toContain(
      'LinkedIn did not give the names of countries and regions: it refused the request (HTTP 403), so your LinkedIn app may not have access to the API that names them. Their rows leave “Country” blank; everything else in them is as LinkedIn sent it.',
    );
    const rows = tableOf(offline, 'MEMBER_COUNTRY_V2');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.Country === '' && /^urn:li:geo:\d+$/.test(row['Country ID']))).toBe(true);
  });
});
