import { createOfflineWorld } from '../../sandbox/offline-world';
import { httpRouter } from '../../sandbox/http-router';
import { type SimulatorProcess, simulatorUrlFor, spawnSimulator } from '../../sandbox/linkedin/spawn';
import { analyticsReport, runNow, saveReport, sheetValues } from '../helpers/reports';

const ANN = 'ann@example.com';
let simulator: SimulatorProcess;

beforeAll(async () => {
  simulator = await spawnSimulator();
});

afterAll(() => {
  simulator?.stop();
});

describe("the preview's live mode: UrlFetchApp over real HTTP", () => {
  it('runs the built add-on against a LinkedIn reached over the network, synchronously', () => {
    const offline = createOfflineWorld();
    const hosts: string[] = [];
    offline.world.router = httpRouter((url) => {
      hosts.push(new URL(url).host);
      return simulatorUrlFor(simulator.url, url);
    });
    expect(
      offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', simulator.accessToken),
    ).toMatchObject({
      connected: true,
    });
    const accounts = offline.world.callFromSidebar(ANN, 'listLinkedInAdAccounts') as Array<{ name: string }>;
    expect(accounts.map((account) => account.name)).toEqual([
      'Analyst Co. Ads 1',
      'Analyst Co. Ads 2',
      'Analyst Co. Ads 3',
    ]);
    expect(new Set(hosts)).toEqual(new Set(['api.linkedin.com']));
    expect(offline.linkedin.calls).toHaveLength(0);
  });

  it('sends the requests of one fetchAll together and writes the same rows as in process', () => {
    const overHttp = createOfflineWorld();
    const batches: number[] = [];
    const viaHttp = httpRouter((url) => simulatorUrlFor(simulator.url, url));
    overHttp.world.router = (requests) => {
      batches.push(requests.length);
      return viaHttp(requests);
    };
    const inProcess = createOfflineWorld();
    const tokens = inProcess.linkedin.issueTokens('sim1Person', ['r_ads', 'r_ads_reporting']);
    const sheets = [
      { offline: overHttp, token: simulator.accessToken },
      { offline: inProcess, token: tokens.access_token },
    ].map(({ offline, token }) => {
      offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', token);
      const report = saveReport(offline, ANN, analyticsReport());
      expect(runNow(offline, ANN, report.config.id).at(-1)).toMatchObject({ status: 'done' });
      return sheetValues(offline, 'LinkedIn Ads');
    });
    // The campaign lookup and the analytics request of a 30-day report share one fetchAll.
    expect(batches).toContain(2);
    expect(sheets[0].length).toBeGreaterThan(30);
    expect(sheets[0]).toEqual(sheets[1]);
  });

  it('reports a refused connection as a network failure, like UrlFetchApp', () => {
    const offline = createOfflineWorld();
    offline.world.router = httpRouter(() => 'http://127.0.0.1:9/unreachable');
    expect(() =>
      offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', simulator.accessToken),
    ).toThrow(
      'LinkedIn could not check the token: LinkedIn is not answering properly (HTTP timeout) after several tries.',
    );
    expect(offline.world.fetchLog.map((call) => call.status)).toEqual(['unreachable', 'unreachable']);
  });
});
