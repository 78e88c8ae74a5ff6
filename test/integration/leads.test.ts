import { ExecutionTimeExceeded } from '../../sandbox/apps-script/execution';
import type { OfflineWorld } from '../../sandbox/offline-world';
import { LEAD_FORM_RESPONSES } from '../../src/server/catalog/leads';
import { connectedWorld } from '../helpers/connect';
import {
  analyticsReport,
  apiTraffic,
  runNow,
  runThroughStops,
  saveReport,
  stateOf,
  tableOf,
  trafficMark,
} from '../helpers/reports';

// Lead Gen Form responses (LinkedIn's Lead Sync API) through the built add-on.

const ANN = 'ann@example.com';
const DAY = 86_400_000;
const ACCOUNT = 500000001;

const leadsReport = (overrides: Record<string, unknown> = {}) =>
  analyticsReport({
    name: 'Leads',
    stream: 'lead_form_responses',
    pivot: undefined,
    granularity: undefined,
    fields: LEAD_FORM_RESPONSES.fields.map((field) => field.key),
    dateRange: { preset: 'incremental', lookbackDays: 2, initialDays: 30 },
    sheetName: 'Leads',
    ...overrides,
  });

/** The rows the simulator's responses make of the account's leads submitted in [start, end): one an answer and consent. */
function expectedRows(offline: OfflineWorld, start: number, end: number) {
  const responses = offline.linkedin.leads.responsesOf(ACCOUNT, start, end);
  return responses.reduce(
    (rows, response) =>
      rows + response.formResponse.answers.length + response.formResponse.consentResponses.length,
    0,
  );
}

const leadsWorld = () => connectedWorld(ANN, {}, ['ads', 'leads']);

describe('Lead form responses', () => {
  it('writes a row per answer with its form, campaign and question, asking responses and forms in one round trip', () => {
    const offline = leadsWorld();
    const saved = saveReport(offline, ANN, leadsReport());
    const from = trafficMark(offline);
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    const rows = tableOf(offline, 'Leads');
    const calls = offline.linkedin.calls
      .slice(from.calls)
      .filter((call) => call.path.startsWith('/rest/lead'));
    expect(calls[0].path).toBe('/rest/leadFormResponses');
    const [, start, end] = /submittedAtTimeRange=\(start:(\d+),end:(\d+)\)/
      .exec(calls[0].rawQuery)!
      .map(Number);
    // From the first day the first run reaches back to, up to the moment it asks: today's leads too.
    expect(start).toBe((Math.floor(end / DAY) - 30) * DAY);
    expect(end).toBe(Math.floor(calls[0].at));
    expect(calls[0].rawQuery).toBe(
      `q=owner&owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A${ACCOUNT})&leadType=(leadType:SPONSORED)` +
        `&submittedAtTimeRange=(start:${start},end:${end})&start=0&count=100`,
    );
    expect(done.status).toBe('done');
    expect(rows.length).toBe(expectedRows(offline, start, end));
    expect(rows.length).toBeGreaterThan(50);
    expect(calls[1].rawQuery).toBe(
      `q=owner&owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A${ACCOUNT})&start=0&count=100`,
    );
    // Then the account's campaigns, which name them.
    expect(apiTraffic(offline, from)).toMatchObject({ requests: 3, roundTrips: 2 });
    const email = rows.find((row) => row.Field === 'EMAIL')!;
    expect(email).toMatchObject({
      'Ad account ID': String(ACCOUNT),
      Form: 'Demo request',
      Question: 'Email address',
    });
    for (const row of rows)
      expect(row.Campaign).toBe(offline.linkedin.data.campaigns.get(Number(row['Campaign ID']))!.name);
    expect(email.Answer).toMatch(/^[a-zé]+\.[a-z]+@example\.com$/);
    const color = rows.find((row) => row.Question === '¿Cuál es tu color favorito?')!;
    expect(['Rojo', 'Azul']).toContain(color.Answer);
    expect(
      rows.some((row) => row.Field === 'CONSENT' && row.Question === 'Send me product news by email'),
    ).toBe(true);
  });

  it('a scheduled re-run reads only since the last run, less its lookback, and updates those rows instead of adding them again', () => {
    const offline = leadsWorld();
    const saved = saveReport(offline, ANN, leadsReport());
    runNow(offline, ANN, saved.config.id);
    const first = tableOf(offline, 'Leads');
    expect(stateOf(offline, ANN, saved.config.id).lastCoveredEnd).toBe(
      new Date(offline.clock.now()).toISOString().slice(0, 10),
    );
    offline.clock.advance(3 * DAY);
    const from = trafficMark(offline);
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    const rows = tableOf(offline, 'Leads');
    const call = offline.linkedin.calls
      .slice(from.calls)
      .find((candidate) => candidate.path === '/rest/leadFormResponses')!;
    const [, start, end] = /submittedAtTimeRange=\(start:(\d+),end:(\d+)\)/.exec(call.rawQuery)!.map(Number);
    // The last run covered through its day; the lookback of 2 days reads again from the day before it.
    expect(start).toBe((Math.floor(end / DAY) - 3 - 1) * DAY);
    const keys = rows.map((row) => `${row['Response ID']}/${row['Question ID']}`);
    expect(new Set(keys).size).toBe(rows.length);
    const firstStart = (Math.floor(end / DAY) - 3 - 30) * DAY;
    expect(rows.length).toBe(expectedRows(offline, firstStart, end));
    expect(rows.length).toBeGreaterThan(first.length);
    // Rows read twice are updated in place: the first run's rows stay where they were.
    expect(rows.slice(0, first.length)).toEqual(first);
    expect(done.rowsWritten).toBe(expectedRows(offline, start, end));
  });

  it('a re-run days later with no lookback still reads the rest of the last run’s day', () => {
    const offline = leadsWorld();
    const saved = saveReport(
      offline,
      ANN,
      leadsReport({ dateRange: { preset: 'incremental', lookbackDays: 0, initialDays: 30 } }),
    );
    // The first run in the morning (UTC).
    offline.clock.advance(
      (Math.floor(offline.clock.now() / DAY) + 1) * DAY + 6 * 3_600_000 - offline.clock.now(),
    );
    runNow(offline, ANN, saved.config.id);
    const firstEnd = offline.clock.now();
    const firstStart = (Math.floor(firstEnd / DAY) - 30) * DAY;
    offline.clock.advance(3 * DAY);
    runNow(offline, ANN, saved.config.id);
    // The last run read its day only up to its moment: the leads submitted later that day are read now.
    const missed = offline.linkedin.leads.responsesOf(
      ACCOUNT,
      firstEnd,
      (Math.floor(firstEnd / DAY) + 1) * DAY,
    );
    expect(missed.length).toBeGreaterThan(0);
    expect(tableOf(offline, 'Leads').length).toBe(expectedRows(offline, firstStart, offline.clock.now()));
  });

  it('a run stopped at any of its service calls, then run again, writes each answer once', () => {
    const problems: string[] = [];
    for (let k = 0; ; k++) {
      const offline = leadsWorld();
      const saved = saveReport(offline, ANN, leadsReport({ dateRange: { preset: 'last_7_days' } }));
      let calls = 0;
      offline.world.stopAt = () => calls++ === k;
      const from = trafficMark(offline);
      let stopped = false;
      try {
        runNow(offline, ANN, saved.config.id);
      } catch (error) {
        if (!(error instanceof ExecutionTimeExceeded)) throw error;
        stopped = true;
      }
      offline.world.stopAt = () => false;
      if (stopped) expect(runThroughStops(offline, ANN, saved.config.id).status).toBe('done');
      const rows = tableOf(offline, 'Leads');
      const keys = new Set(rows.map((row) => `${row['Response ID']}/${row['Question ID']}`));
      const asked = offline.linkedin.calls
        .slice(from.calls)
        .filter((call) => call.path === '/rest/leadFormResponses');
      const [, start, end] = /\(start:(\d+),end:(\d+)\)/.exec(asked.at(-1)!.rawQuery)!.map(Number);
      if (keys.size !== rows.length || rows.length !== expectedRows(offline, start, end))
        problems.push(`stopped at call ${k}: ${rows.length} rows, ${keys.size} keys`);
      if (!stopped) break;
    }
    expect(problems).toEqual([]);
  });

  it('reaches back no further than LinkedIn keeps responses, paging 100 at a time, and says so', () => {
    const offline = leadsWorld();
    const saved = saveReport(
      offline,
      ANN,
      leadsReport({ dateRange: { preset: 'custom', start: '2025-01-01', end: '2026-11-19' } }),
    );
    const from = trafficMark(offline);
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    const calls = offline.linkedin.calls
      .slice(from.calls)
      .filter((call) => call.path === '/rest/leadFormResponses');
    const earliest = Math.ceil((offline.clock.now() - 365 * DAY) / DAY) * DAY;
    expect(calls.every((call) => call.status === 200 && call.rawQuery.includes(`(start:${earliest},`))).toBe(
      true,
    );
    expect(calls.map((call) => /&start=(\d+)&count=100$/.exec(call.rawQuery)![1])).toEqual(
      Array.from({ length: calls.length }, (_, page) => String(page * 100)),
    );
    expect(calls.length).toBeGreaterThan(3);
    // The first pages tell the total: the rest go out together; then the campaigns that name them.
    expect(apiTraffic(offline, from).roundTrips).toBe(3);
    expect(done.message).toContain(
      `LinkedIn keeps lead form responses for 12 months: rows start on ${new Date(earliest).toISOString().slice(0, 10)}, not 2025-01-01.`,
    );
    expect(tableOf(offline, 'Leads').length).toBe(expectedRows(offline, earliest, Date.UTC(2026, 10, 20)));
  });

  it('leaves the Campaign column blank, saying why, for a connection with Lead forms access only', () => {
    const offline = connectedWorld(ANN, {}, ['leads']);
    const saved = saveReport(offline, ANN, leadsReport());
    const from = trafficMark(offline);
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    expect(done.status).toBe('done');
    expect(done.message).toContain(
      'Campaign names need Ads access (the r_ads scope), which this connection does not have: the Campaign column is blank; click “Add Ads access” in the LinkedIn connection panel to name them.',
    );
    // Not asked: LinkedIn would refuse it.
    expect(offline.linkedin.calls.slice(from.calls).map((call) => call.path)).not.toContain(
      `/rest/adAccounts/${ACCOUNT}/adCampaigns`,
    );
    const rows = tableOf(offline, 'Leads');
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.every((row) => row.Campaign === '' && row['Campaign ID'] !== '')).toBe(true);
  });

  it('fails with the scope and the LinkedIn product to add when the connection has no lead access', () => {
    const offline = connectedWorld(ANN);
    const saved = saveReport(offline, ANN, leadsReport());
    const done = runNow(offline, ANN, saved.config.id).at(-1)!;
    expect(done.status).toBe('failed');
    expect(done.message).toContain(
      'LinkedIn refused lead form responses: it needs the r_marketing_leadgen_automation scope and a role on the ad account',
    );
    expect(done.message).toContain('Reconnect LinkedIn with “Lead forms” ticked');
    expect(done.message).toContain('request the Lead Sync API product for your app');
    expect(tableOf(offline, 'Leads')).toEqual([]);
  });
});
