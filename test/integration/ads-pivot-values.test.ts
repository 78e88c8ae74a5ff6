import { connectedWorld } from '../helpers/connect';
import { importAnalytics } from '../helpers/reports';

const ANN = 'ann@example.com';

describe('breakdowns whose values LinkedIn sends as plain strings', () => {
  it('keeps device types as LinkedIn sends them and names the ones it was seen to send', () => {
    const offline = connectedWorld(ANN);
    const run = importAnalytics(offline, ANN, {
      accountIds: ['500000001'],
      pivot: 'IMPRESSION_DEVICE_TYPE',
      granularity: 'ALL',
      startDate: '2025-01-01',
      endDate: '2025-01-31',
      metrics: ['impressions'],
    });
    expect(run.labels).toEqual(['Start date', 'End date', 'Device type ID', 'Device type', 'Impressions']);
    expect(run.rows.map((row) => [row[2], row[3]])).toEqual(
      expect.arrayContaining([
        ['MOBILE_WEB', 'Mobile web'],
        ['UNDETECTED', 'Not detected'],
      ]),
    );
  });
});
