import { type OfflineWorld } from '../../sandbox/offline-world';
import { PAGES_STREAMS } from '../../src/server/catalog/pages';
import { connectedWorld } from '../helpers/connect';
import {
  analyticsReport,
  apiTraffic,
  type Progress,
  runNow,
  runThroughStops,
  saveReport,
  sheetValues,
  type Summary,
  trafficMark,
} from '../helpers/reports';

const ANN = 'ann@example.com';
type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const connected = (size: { organizationsPerMember?: number; postsPerOrganization?: number } = {}) =>
  connectedWorld(ANN, { size }, ['pages']);

/** The first `count` pages the simulator makes for a member. */
const pageIds = (count: number) => Array.from({ length: count }, (_, index) => String(10_000_001 + index));

const pagesReport = (stream: string, organizationIds: string[], overrides: Record<string, unknown> = {}) =>
  analyticsReport({
    name: stream,
    source: 'pages',
    stream,
    organizationIds,
    fields: PAGES_STREAMS.find((spec) => spec.id === stream)!.fields.map((field) => field.key),
    dateRange: { preset: 'last_30_days' },
    sheetName: stream,
    ...overrides,
  });

/** How many times each page was asked for, by the page parameter of `path`'s requests. */
function askedPages(offline: OfflineWorld, path: string, param: string): Map<string, number> {
  const asked = new Map<string, number>();
  for (const call of offline.linkedin.calls.filter((candidate) => candidate.path === `/rest/${path}`)) {
    const id = String(call.query!.get(param)).replace('urn:li:organization:', '');
    asked.set(id, (asked.get(id) ?? 0) + 1);
  }
  return asked;
}

/** The sidebar's next step of a run, handing back the run id of the steps so far. */
const continueRun = (offline: OfflineWorld, reportId: string, steps: Progress[]) =>
  offline.world.callFromSidebar(ANN, 'continueReport', reportId, steps.at(-1)!.runId) as Progress;

/** The ids of one column of a tab's data rows, found by its header. */
function columnOf(values: unknown[][], label: string): unknown[] {
  const index = values[0].indexOf(label);
  return values.slice(1).map((row) => row[index]);
}

describe('Pages runs fetch their pages together', () => {
  it.each(['follower_gains', 'page_views', 'share_statistics'])(
    '%s of two pages takes one round trip: the names and both pages',
    (stream) => {
      const offline = connected();
      const saved = saveReport(offline, ANN, pagesReport(stream, pageIds(2)));
      const from = trafficMark(offline);
      const progress = runNow(offline, ANN, saved.config.id);
      expect(progress.at(-1)).toMatchObject({ status: 'done', rowsWritten: 60 });
      expect(apiTraffic(offline, from)).toMatchObject({ requests: 3, roundTrips: 1 });
    },
  );

  it('puts as many pages in a batch as one round trip carries: 45 pages take two', () => {
    const offline = connected({ organizationsPerMember: 45 });
    const saved = saveReport(offline, ANN, pagesReport('follower_gains', pageIds(45)));
    const from = trafficMark(offline);
    expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
    // The first batch: 39 pages and the request naming all 45; the second, the 6 pages left.
    expect(apiTraffic(offline, from)).toMatchObject({ requests: 46, roundTrips: 2 });
    expect(offline.linkedin.calls.filter((call) => call.path === '/rest/organizations')).toHaveLength(1);
    expect(new Set(columnOf(sheetValues(offline, 'follower_gains'), 'Page')).size).toBe(45);
  });

  it('keeps the rows of a page whose name LinkedIn refused, and says which page it is after every batch', () => {
    const offline = connected({ organizationsPerMember: 45 });
    offline.linkedin.refuseOrganizationLookup(10_000_003);
    const saved = saveReport(offline, ANN, pagesReport('follower_gains', pageIds(45)));
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    // Two batches (39 pages, then 6): the second has the names the first read, and says it too.
    expect(offline.linkedin.calls.filter((call) => call.path === '/rest/organizations')).toHaveLength(1);
    expect(done).toMatchObject({ status: 'done', rowsWritten: 45 * 30 });
    expect(done.message).toContain(
      'LinkedIn refused the name of page 10000003 (your connection may lack access to it), so its rows show “Page 10000003” as the page name',
    );
    const values = sheetValues(offline, 'follower_gains');
    const pages = columnOf(values, 'Page');
    expect(pages.filter((name) => name === 'Page 10000003')).toHaveLength(30);
    expect(new Set(pages).size).toBe(45);
  });

  it('reads the posts of two pages of 250 in three round trips, at the fewest requests', () => {
    const offline = connected({ postsPerOrganization: 250 });
    const saved = saveReport(offline, ANN, pagesReport('posts', pageIds(2)));
    const from = trafficMark(offline);
    const progress = runNow(offline, ANN, saved.config.id);
    expect(progress.at(-1)).toMatchObject({ status: 'done', rowsWritten: 500 });
    // The names, 3 pages of 100 posts a page and 13 statistics requests of 20 posts a page.
    expect(apiTraffic(offline, from)).toMatchObject({ requests: 1 + 2 * (3 + 13), roundTrips: 3 });
    const values = sheetValues(offline, 'posts');
    const impressions = columnOf(values, 'Impressions');
    expect(impressions.every((value) => value !== '')).toBe(true);
  });

  it('fails, saying so, when the user deletes its tab between two batches, instead of finishing a partial import in a new tab', () => {
    // 30 s a round trip: a sidebar step does one batch; 45 pages take two.
    const offline = connectedWorld(
      ANN,
      { size: { organizationsPerMember: 45 }, latency: { baseMs: 30_000, perElementMs: 0 } },
      ['pages'],
    );
    const saved = saveReport(offline, ANN, pagesReport('follower_gains', pageIds(45)));
    const steps = [offline.world.callFromSidebar(ANN, 'runReportNow', saved.config.id) as Progress];
    const step = () => steps.push(continueRun(offline, saved.config.id, steps));
    while (steps.at(-1)!.rowsWritten === 0) step();
    expect(steps.at(-1)!.status).toBe('running');
    offline.world.execute(ANN, (scope: Scope) => {
      const spreadsheet = scope.SpreadsheetApp.getActive();
      spreadsheet.deleteSheet(spreadsheet.getSheetByName('follower_gains'));
    });
    step();
    expect(steps.at(-1)).toMatchObject({
      status: 'failed',
      message:
        'The tab “follower_gains” was deleted while this report was importing into it. Run the report again to import everything into a new tab.',
    });
    expect(sheetValues(offline, 'follower_gains')).toEqual([]);
    // The run is over: the card says why, and the next run starts from the beginning.
    const [card] = offline.world.callFromSidebar(ANN, 'listReports') as Summary[];
    expect(card.running).toBeNull();
    expect(card.state.lastError).toBe(steps.at(-1)!.message);
    expect(runNow(offline, ANN, saved.config.id).at(-1)).toMatchObject({
      status: 'done',
      rowsWritten: 45 * 30,
    });
  });

  it('takes fewer pages a batch once a batch of posts outlasts a step, and finishes', () => {
    // 60 s a round trip. Four pages of 1,000 posts take 8 rounds, more than a step's 4.5 minutes
    // allow; two pages take 5 (the last starting at 4 minutes).
    const offline = connectedWorld(
      ANN,
      {
        size: { organizationsPerMember: 4, postsPerOrganization: 1000 },
        latency: { baseMs: 60_000, perElementMs: 0 },
      },
      ['pages'],
    );
    const saved = saveReport(
      offline,
      ANN,
      pagesReport('posts', pageIds(4), { fields: ['post_id', 'impressions'] }),
    );
    const steps = [offline.world.callFromSidebar(ANN, 'runReportNow', saved.config.id) as Progress];
    while (steps.at(-1)!.status === 'running' && steps.length < 12)
      steps.push(continueRun(offline, saved.config.id, steps));
    expect(steps.at(-1)).toMatchObject({ status: 'done', rowsWritten: 4000 });
    // The batch of four ran out of time; then two batches of two.
    expect(steps.map((step) => step.rowsWritten)).toEqual([0, 0, 2000, 4000]);
    const ids = columnOf(sheetValues(offline, 'posts'), 'Post');
    expect(new Set(ids).size).toBe(4000);
  });

  it('counts the requests it sends, never going back', () => {
    const offline = connected({ postsPerOrganization: 250 });
    const saved = saveReport(offline, ANN, pagesReport('posts', pageIds(2)));
    const progress = runNow(offline, ANN, saved.config.id);
    for (let index = 1; index < progress.length; index++) {
      expect(progress[index].requestsDone).toBeGreaterThanOrEqual(progress[index - 1].requestsDone);
      expect(progress[index].requestsPlanned).toBeGreaterThanOrEqual(progress[index - 1].requestsPlanned);
    }
    expect(progress.at(-1)).toMatchObject({ requestsDone: 33, requestsPlanned: 33 });
  });
});

describe('Pages batches keeping a table’s date order', () => {
  /** Sheets calls of `name` while `work` runs. */
  const callsOf = (offline: OfflineWorld, name: string, work: () => void) => {
    let calls = 0;
    offline.world.stopAt = (point) => {
      if (point === `after ${name}`) calls++;
      return false;
    };
    work();
    offline.world.stopAt = () => false;
    return calls;
  };

  it('names a row whose day the user cleared where it is after every batch moved rows above it', () => {
    const offline = connected({ organizationsPerMember: 41 });
    const saved = saveReport(
      offline,
      ANN,
      pagesReport('follower_gains', pageIds(1), { dateRange: { preset: 'last_7_days' } }),
    );
    expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
    offline.world.execute(ANN, (scope: Scope) =>
      scope.SpreadsheetApp.getActive().getSheetByName('follower_gains').getRange(5, 1).clearContent(),
    );
    // 40 pages more: two batches, each moving its rows of a day under that day's rows.
    saveReport(offline, ANN, {
      ...pagesReport('follower_gains', pageIds(41), { dateRange: { preset: 'last_7_days' } }),
      id: saved.config.id,
    });
    let done: Progress | undefined;
    const moves = callsOf(offline, 'moveRows', () => {
      done = runNow(offline, ANN, saved.config.id).at(-1)!;
    });
    expect(moves).toBeGreaterThan(7);
    const values = sheetValues(offline, 'follower_gains') as string[][];
    const cleared = values.flatMap((cells, at) => (cells[0] === '' && cells[1] !== '' ? [at + 1] : []));
    expect(cleared).toHaveLength(1);
    // Named once, where it is now: not where a batch before the last one left it.
    const named = [...done!.message!.matchAll(/Rows? ([\d, ]+) of the tab/g)].map((match) => match[1]);
    expect(named).toEqual([String(cleared[0])]);
    // Every other row in date order.
    const days = values
      .slice(1)
      .map((cells) => cells[0])
      .filter((day) => day !== '');
    expect(days).toEqual([...days].sort());
  });

  it('leaves a page added beside another at the table’s end rather than move its rows day by day', () => {
    const offline = connected({ organizationsPerMember: 2 });
    const saved = saveReport(offline, ANN, pagesReport('follower_gains', pageIds(1)));
    expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
    const before = sheetValues(offline, 'follower_gains');
    saveReport(offline, ANN, { ...pagesReport('follower_gains', pageIds(2)), id: saved.config.id });
    const moves = callsOf(offline, 'moveRows', () => {
      expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
    });
    expect(moves).toBe(0);
    const after = sheetValues(offline, 'follower_gains');
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after).toHaveLength(2 * before.length - 1);
  });
});

describe('Pages batches, stopped', () => {
  const REPORT = pagesReport('follower_gains', pageIds(45));
  /** A clean run's tab of the 45 pages. */
  const reference = () => {
    const offline = connected({ organizationsPerMember: 45 });
    expect(runNow(offline, ANN, saveReport(offline, ANN, REPORT).config.id).at(-1)!.status).toBe('done');
    return sheetValues(offline, 'follower_gains');
  };

  it('between writing a batch and saving it as done: the batch is asked and written again, once', () => {
    const expected = reference();
    const offline = connected({ organizationsPerMember: 45 });
    const saved = saveReport(offline, ANN, REPORT);
    let written = false;
    let stopped = false;
    // Once, at the first save of properties after the first batch's rows are in: its checkpoint.
    offline.world.stopAt = (point) => {
      if (point === 'after setValues') written = true;
      if (stopped || point !== 'setProperties' || !written) return false;
      return (stopped = true);
    };
    const { status, kills } = runThroughStops(offline, ANN, saved.config.id);
    offline.world.stopAt = () => false;
    expect([status, kills]).toEqual(['done', 1]);
    const asked = askedPages(offline, 'organizationalEntityFollowerStatistics', 'organizationalEntity');
    expect(pageIds(45).map((id) => asked.get(id))).toEqual([...Array(39).fill(2), ...Array(6).fill(1)]);
    const values = sheetValues(offline, 'follower_gains');
    expect(values).toEqual(expected);
    const keys = values.slice(1).map((row) => `${row[0]}|${row[1]}`);
    expect(new Set(keys).size).toBe(45 * 30);
  });

  it('after a batch is saved as done: a later step never asks for its pages again', () => {
    const expected = reference();
    const offline = connected({ organizationsPerMember: 45 });
    const saved = saveReport(offline, ANN, REPORT);
    let writes = 0;
    // Stopped as the second batch writes: the first was saved as done.
    offline.world.stopAt = (point) => point === 'before setValues' && ++writes === 3;
    expect(runThroughStops(offline, ANN, saved.config.id).status).toBe('done');
    offline.world.stopAt = () => false;
    const asked = askedPages(offline, 'organizationalEntityFollowerStatistics', 'organizationalEntity');
    expect(pageIds(45).map((id) => asked.get(id))).toEqual([...Array(39).fill(1), ...Array(6).fill(2)]);
    expect(sheetValues(offline, 'follower_gains')).toEqual(expected);
  });
});

describe('Pages batches in replace mode', () => {
  it('removes the stale rows of the pages a write fetched, and no other page’s', () => {
    const offline = connected({ organizationsPerMember: 3 });
    const saved = saveReport(offline, ANN, pagesReport('posts', pageIds(2), { writeMode: 'replace' }));
    runNow(offline, ANN, saved.config.id);
    const fresh = sheetValues(offline, 'posts');
    // A post LinkedIn no longer returns, of a page the report fetches, and a row of a third page it does not.
    offline.world.execute(ANN, (scope: Scope) => {
      const sheet = scope.SpreadsheetApp.getActive().getSheetByName('posts');
      const header = sheet.getRange(1, 1, 1, sheet.getLastColumn()).getValues()[0] as string[];
      const [sample] = sheet.getRange(2, 1, 1, sheet.getLastColumn()).getValues();
      const row = (postId: string, organizationId: string) => {
        const copy = [...sample];
        copy[header.indexOf('Post')] = postId;
        copy[header.indexOf('Page ID')] = organizationId;
        return copy;
      };
      const rows = [row('urn:li:share:1', '10000002'), row('urn:li:share:2', '10000003')];
      sheet.getRange(sheet.getLastRow() + 1, 1, rows.length, rows[0].length).setValues(rows);
    });
    expect(runNow(offline, ANN, saved.config.id).at(-1)!.status).toBe('done');
    const values = sheetValues(offline, 'posts');
    const posts = columnOf(values, 'Post');
    expect(posts).not.toContain('urn:li:share:1');
    expect(posts).toContain('urn:li:share:2');
    expect(values.length).toBe(fresh.length + 1);
  });
});

describe('a report saved with other settings while its run is under way', () => {
  const before = pagesReport('follower_gains', pageIds(45), {
    fields: ['page_name', 'organic_follower_gain'],
  });

  it.each([
    ['a column added', { fields: ['page_name', 'organic_follower_gain', 'paid_follower_gain'] }],
    ['rows per week instead of per day', { timeGranularity: 'WEEK' }],
  ])('%s: the run starts again, ending as the saved report run whole', (_, change) => {
    const reference = connected({ organizationsPerMember: 45 });
    runNow(reference, ANN, saveReport(reference, ANN, { ...before, ...change }).config.id);
    const expected = sheetValues(reference, 'follower_gains');
    // At 30 s a round trip, a step of the sidebar's writes one batch of pages: 39, then 6.
    const offline = connectedWorld(
      ANN,
      { size: { organizationsPerMember: 45 }, latency: { baseMs: 30_000, perElementMs: 0 } },
      ['pages'],
    );
    const saved = saveReport(offline, ANN, before);
    const steps = [offline.world.callFromSidebar(ANN, 'runReportNow', saved.config.id) as Progress];
    steps.push(continueRun(offline, saved.config.id, steps));
    expect(steps.at(-1)).toMatchObject({ status: 'running', rowsWritten: 39 * 30 });
    saveReport(offline, ANN, { ...saved.config, ...change });
    while (steps.at(-1)!.status === 'running') steps.push(continueRun(offline, saved.config.id, steps));
    expect(sheetValues(offline, 'follower_gains')).toEqual(expected);
    expect(steps.at(-1)).toMatchObject({
      status: 'done',
      message: expect.stringContaining('The report was saved with other settings while this run imported'),
    });
  });
});
