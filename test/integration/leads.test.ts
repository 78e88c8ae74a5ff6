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
    expect(end).toBe(calls[0].at);
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
    expect(apiTraffic(offline, from)).toMatchObject({ requests: 2, roundTrips: 1 });
    const email = rows.find((row) => row.Field === 'EMAIL')!;
    expect(email).toMatchObject({
      'Ad account ID': String(ACCOUNT),
      Form: 'Demo request',
      Question: 'Email address',
    });
    expect(email.Answer).toMatch(/^[a-zé]+\.[a-z]+@example\.com$/);
    const color = rows.find((row) => row.Question === '¿Cuál es tu color favorito?')!;
    expect(['Rojo', 'Azul']).toContain(color.Answer);
    expect(
      rows.some((row) => row.Field === 'CONSENT' && row.Question === 'Send me product news by email'),
    ).toBe(true);
  });
});
