import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createOfflineWorld } from '../../sandbox/offline-world';
import { liveRouter } from '../../sandbox/live-router';

const ANN = 'ann@example.com';
let simulator: ChildProcess;
let served: { url: string; accessToken: string };

beforeAll(async () => {
  // Its own process: the live transport blocks this one while a request is under way.
  simulator = spawn(join('node_modules', '.bin', 'tsx'), [join('sandbox', 'linkedin', 'serve.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  served = await new Promise((resolve, reject) => {
    simulator.stdout!.once('data', (chunk) => resolve(JSON.parse(String(chunk))));
    simulator.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
});

afterAll(() => {
  simulator?.kill();
});

describe("the preview's live mode: UrlFetchApp over real HTTP", () => {
  it('runs the built add-on against a LinkedIn reached over the network, synchronously', () => {
    const offline = createOfflineWorld();
    const hosts: string[] = [];
    offline.world.router = liveRouter((url) => {
      const parsed = new URL(url);
      hosts.push(parsed.host);
      return `${served.url}${parsed.host}${parsed.pathname}${parsed.search}`;
    });
    expect(offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', served.accessToken)).toMatchObject({
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

  it('reports a refused connection as a network failure, like UrlFetchApp', () => {
    const offline = createOfflineWorld();
    offline.world.router = liveRouter(() => 'http://127.0.0.1:9/unreachable');
    expect(() => offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', served.accessToken)).toThrow(
      'LinkedIn could not check the token: LinkedIn is not answering properly (HTTP timeout) after several tries.',
    );
    expect(offline.world.fetchLog.map((call) => call.status)).toEqual(['unreachable', 'unreachable']);
  });
});
