// The LinkedIn simulator on loopback, in a process of its own. Prints one JSON line:
// {"url": …, "accessToken": …} with a token of the first simulated member (Ads and Pages scopes).
// PORT picks the port; SIMULATOR_OPTIONS (JSON) sets the seed, size and account names;
// SIMULATOR_STATE names a file that keeps issued tokens between restarts; with
// SIMULATOR_STOP_WITH_PARENT set, it stops when its stdin closes (its parent is gone).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SimClock } from '../apps-script/clock';
import { offlineApp } from '../offline-world';
import { startSimulatorServer } from './http-server';
import { LinkedInSimulator, type SimulatorOptions, type SimulatorState } from './simulator';

const clock = new SimClock();
const options = JSON.parse(process.env.SIMULATOR_OPTIONS ?? '{}') as Partial<SimulatorOptions>;
const linkedin = new LinkedInSimulator({ apps: [offlineApp()], ...options, clock });
const stateFile = process.env.SIMULATOR_STATE;
if (stateFile && existsSync(stateFile))
  linkedin.loadState(JSON.parse(readFileSync(stateFile, 'utf8')) as SimulatorState);
const save = () => {
  if (!stateFile) return;
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, JSON.stringify(linkedin.saveState()));
};

const served = await startSimulatorServer(linkedin, {
  port: Number(process.env.PORT ?? 0),
  clock,
  afterRequest: save,
});
const { access_token: accessToken } = linkedin.issueTokens('sim1Person', [
  'r_ads',
  'r_ads_reporting',
  'rw_organization_admin',
  'r_organization_social',
]);
save();
console.log(JSON.stringify({ url: served.url, accessToken }));
if (process.env.SIMULATOR_STOP_WITH_PARENT) process.stdin.on('end', () => process.exit(0)).resume();
