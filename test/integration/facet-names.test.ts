import { COMPANY_NAMES, INDUSTRY_NAMES, TITLE_NAMES } from '../../sandbox/linkedin/facet-names';
import { GEO_NAMES, lifetimeFollowers } from '../../sandbox/linkedin/pages-data';
import type { OfflineWorld } from '../../sandbox/offline-world';
import { connectedWorld } from '../helpers/connect';
import { lifetimeReport, monthlyBreakdown, saveAndRunCounted } from '../helpers/reports';

// Industries, job titles and member companies, which LinkedIn sends as URNs, named by its own
// lookups through the built add-on (docs/linkedin-api.md, "Names looked up").

const ANN = 'ann@example.com';
const INDUSTRIES = '/v2/industryTaxonomyVersions/DEFAULT/industries';

const header = (headers: Record<string, string>, name: string) =>
  Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
const callsTo = (offline: OfflineWorld, path: string) =>
  offline.linkedin.calls.filter((call) => call.path === path);
const noteCount = (message: string | null | undefined) =>
  (message ?? '').split('did not give the names').length - 1;

describe('Ads analytics by industry, job title and member company', () => {
  const run = (offline: OfflineWorld, pivot: string) =>
    saveAndRunCounted(offline, ANN, monthlyBreakdown(pivot));

  it.each([
    ['MEMBER_INDUSTRY', 'Industry', INDUSTRIES, INDUSTRY_NAMES, 'urn:li:industry:', ['ads']],
    ['MEMBER_JOB_TITLE', 'Job title', '/v2/titles', TITLE_NAMES, 'urn:li:title:', ['ads']],
    // Organization Lookup needs the Pages permission: a connection with both products.
    [
      'MEMBER_COMPANY',
      'Company',
      '/rest/organizationsLookup',
      COMPANY_NAMES,
      'urn:li:organization:',
      ['ads', 'pages'],
    ],
  ])(
    'names the %s pivot’s values with LinkedIn’s lookup after the statistics, 100 ids a request',
    (pivot, label, path, names, prefix, products) => {
      const offline = connectedWorld(ANN, {}, products);
      const { done, traffic, rows } = run(offline, pivot);
      expect(done.status).toBe('done');
      expect(done.message ?? '').not.toContain('did not give the names');
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row[`${label} ID`].startsWith(prefix)).toBe(true);
        expect(row[label]).toBe(names.get(row[`${label} ID`].slice(prefix.length)));
      }
      // Every distinct value asked once, at most 100 a request, all in one round trip after the statistics.
      const distinct = new Set(rows.map((row) => row[`${label} ID`].slice(prefix.length)));
      const lookups = callsTo(offline, path);
      expect(lookups).toHaveLength(Math.ceil(distinct.size / 100));
      const asked = lookups.flatMap((call) => call.query!.get('ids') as string[]);
      expect(asked.sort()).toEqual([...distinct].sort());
      for (const call of lookups) {
        expect(call.rawQuery).toMatch(/^ids=List\([\d,]+\)$/);
        expect(call.status).toBe(200);
        expect(header(call.headers, 'X-Restli-Protocol-Version')).toBe('2.0.0');
        // The standardized data is unversioned; Organization Lookup is a versioned API.
        expect(header(call.headers, 'LinkedIn-Version') === undefined).toBe(path.startsWith('/v2/'));
      }
      expect(traffic.paths).toEqual(['/rest/adAccounts', '/rest/adAnalytics', ...lookups.map(() => path)]);
      expect(traffic.roundTrips).toBe(3);
      // Progress counts the lookups among the requests done.
      expect(done).toMatchObject({ requestsDone: 1 + lookups.length, requestsPlanned: 1 + lookups.length });
    },
  );

  it('names job titles past 200 with three requests in one round trip', () => {
    const offline = connectedWorld(ANN, {}, ['ads']);
    const { rows } = run(offline, 'MEMBER_JOB_TITLE');
    expect(new Set(rows.map((row) => row['Job title ID'])).size).toBeGreaterThan(200);
    const lookups = callsTo(offline, '/v2/titles');
    expect(lookups.map((call) => (call.query!.get('ids') as string[]).length).sort()).toEqual(
      expect.arrayContaining([100, 100]),
    );
    expect(lookups).toHaveLength(3);
    expect(new Set(lookups.map((call) => call.at)).size).toBe(1);
  });

  it('writes the rows with blank industries, and says why once, when LinkedIn refuses the industry lookup', () => {
    const offline = connectedWorld(ANN, {}, ['ads']);
    offline.linkedin.refuseLookup('industryTaxonomyVersions');
    const { done, rows } = run(offline, 'MEMBER_INDUSTRY');
    expect(done.status).toBe('done');
    expect(done.message).toContain(
      'LinkedIn did not give the names of industries: it refused the request (HTTP 403), so your LinkedIn app may not have access to the API that names them. Their rows leave “Industry” blank; everything else in them is as LinkedIn sent it.',
    );
    expect(noteCount(done.message)).toBe(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.Industry === '' && /^urn:li:industry:\d+$/.test(row['Industry ID']))).toBe(
      true,
    );
    // Everything else is as a run LinkedIn named gets it.
    const named = run(connectedWorld(ANN, {}, ['ads']), 'MEMBER_INDUSTRY').rows;
    const withoutName = (row: Record<string, string>) => ({ ...row, Industry: '' });
    expect(rows).toEqual(named.map(withoutName));
    expect(named.every((row) => row.Industry !== '')).toBe(true);
  });

  it('writes member companies without names for a connection without Pages access, and says how to add it, once', () => {
    const offline = connectedWorld(ANN, {}, ['ads']);
    const { done, rows } = run(offline, 'MEMBER_COMPANY');
    expect(done.status).toBe('done');
    expect(done.message).toContain(
      'LinkedIn did not give the names of companies: it names them only for a connection with Pages access (the rw_organization_admin scope), which this connection does not have, so they were not asked; click “Add Pages access” in the LinkedIn connection panel. Their rows leave “Company” blank; everything else in them is as LinkedIn sent it.',
    );
    expect(noteCount(done.message)).toBe(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(
      rows.every((row) => row.Company === '' && /^urn:li:organization:\d+$/.test(row['Company ID'])),
    ).toBe(true);
    // The connection's scopes say LinkedIn would refuse it: not asked, and the connection stands.
    expect(callsTo(offline, '/rest/organizationsLookup')).toEqual([]);
    expect(offline.world.callFromSidebar(ANN, 'getConnection')).toMatchObject({ connected: true });
    // With Pages access too, the same report names them.
    const both = run(connectedWorld(ANN, {}, ['ads', 'pages']), 'MEMBER_COMPANY');
    expect(both.rows.map((row) => ({ ...row, Company: '' }))).toEqual(rows);
    expect(both.rows.every((row) => row.Company !== '')).toBe(true);
  });

  it('loses no row when the names lookup outlasts steps (LinkedIn throttles it, Retry-After 120 s)', () => {
    const named = run(connectedWorld(ANN, {}, ['ads']), 'MEMBER_JOB_TITLE').rows;
    const offline = connectedWorld(ANN, {}, ['ads']);
    // More throttled answers than one step can wait out: the step ends inside the lookup.
    for (let answer = 0; answer < 12; answer++)
      offline.linkedin.queueFault('429-retry-after', /\/v2\/titles/, 120);
    const { done, rows } = run(offline, 'MEMBER_JOB_TITLE');
    expect(done.status).toBe('done');
    expect(rows).toEqual(named);
  });

  it('writes the rows with blank job titles when the titles lookup answers 401 alone, and keeps the connection', () => {
    const offline = connectedWorld(ANN, {}, ['ads']);
    offline.linkedin.refuseLookup('titles', 401);
    const { done, rows } = run(offline, 'MEMBER_JOB_TITLE');
    expect(done.status).toBe('done');
    expect(done.message).toContain('LinkedIn did not give the names of job titles');
    expect(noteCount(done.message)).toBe(1);
    expect(rows.every((row) => row['Job title'] === '')).toBe(true);
    expect(offline.world.callFromSidebar(ANN, 'getConnection')).toMatchObject({ connected: true });
  });
});

describe('Pages audiences by industry', () => {
  const run = (offline: OfflineWorld, report: Record<string, unknown>) =>
    saveAndRunCounted(offline, ANN, report);
  const industryRows = (rows: Array<Record<string, string>>) =>
    rows.filter((row) => row.Breakdown === 'Industry');

  it.each([
    ['follower_lifetime', 'followerCountsByIndustry'],
    ['page_views_lifetime', 'pageStatisticsByIndustryV2'],
  ])('names the industries of %s (%s) with one request, beside the places’ one', (stream) => {
    const offline = connectedWorld(ANN, {}, ['pages']);
    const { done, traffic, rows } = run(offline, lifetimeReport(stream));
    expect(done.status).toBe('done');
    expect(done.message ?? '').not.toContain('did not give the names');
    const industries = industryRows(rows);
    expect(industries).toHaveLength(2 * 12);
    for (const row of industries)
      expect(row['Value name']).toBe(INDUSTRY_NAMES.get(row.Value.replace('urn:li:industry:', '')));
    expect(industries.find((row) => row.Value === 'urn:li:industry:3')!['Value name']).toBe(
      'Software Development',
    );
    // Both pages' twelve industries in one request, in the same round trip as the places.
    const [lookup] = callsTo(offline, INDUSTRIES);
    expect(callsTo(offline, INDUSTRIES)).toHaveLength(1);
    expect((lookup.query!.get('ids') as string[]).sort()).toEqual([...INDUSTRY_NAMES.keys()].sort());
    expect(lookup.rawQuery).toMatch(/^ids=List\([\d,]+\)$/);
    expect(header(lookup.headers, 'LinkedIn-Version')).toBeUndefined();
    expect(traffic.paths.slice(-2)).toEqual([INDUSTRIES, '/v2/geo']);
    expect(traffic.roundTrips).toBe(2);
  });

  it('keeps the places’ names and writes blank industries, saying why once, when LinkedIn refuses the industry lookup', () => {
    const offline = connectedWorld(ANN, {}, ['pages']);
    offline.linkedin.refuseLookup('industryTaxonomyVersions');
    const { done, rows } = run(offline, lifetimeReport('follower_lifetime'));
    expect(done).toMatchObject({ status: 'done', rowsWritten: 2 * 81 });
    expect(done.message).toContain(
      'LinkedIn did not give the names of industries: it refused the request (HTTP 403), so your LinkedIn app may not have access to the API that names them. Their rows leave “Value name” blank; everything else in them is as LinkedIn sent it.',
    );
    expect(noteCount(done.message)).toBe(1);
    const industries = industryRows(rows);
    expect(industries).toHaveLength(2 * 12);
    expect(industries.every((row) => row['Value name'] === '')).toBe(true);
    // The counts are LinkedIn's, as without the names.
    const row = industries.find(
      (entry) => entry['Page ID'] === '10000002' && entry.Value === 'urn:li:industry:5',
    )!;
    expect(Number(row.Followers.replace(/,/g, ''))).toBe(
      lifetimeFollowers(offline.linkedin.data, 10000002, 'followerCountsByIndustry', 4, offline.clock.now())
        .organicFollowerCount,
    );
    // The places' lookup, answered, still names them.
    expect(rows.find((entry) => entry.Value === 'urn:li:geo:91')!['Value name']).toBe(GEO_NAMES.get('91'));
    expect(callsTo(offline, INDUSTRIES).map((call) => call.status)).toEqual([403]);
  });

  it('asks LinkedIn for no names when the report has no “Value name” column', () => {
    const offline = connectedWorld(ANN, {}, ['pages']);
    const { done, traffic, rows } = run(
      offline,
      lifetimeReport('page_views_lifetime', ['breakdown', 'value', 'page_views']),
    );
    expect(done.status).toBe('done');
    expect(traffic.paths.filter((path) => path.startsWith('/v2/'))).toEqual([]);
    expect(industryRows(rows)).toHaveLength(2 * 12);
    expect(rows[0]).not.toHaveProperty('Value name');
  });
});
