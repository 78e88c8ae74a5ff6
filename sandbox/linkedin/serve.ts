// The LinkedIn simulator on loopback, in a process of its own. Prints one JSON line:
// {"url": …, "accessToken": …} with a token of the first simulated member (Ads and Pages scopes).
import { SimClock } from '../apps-script/clock';
import { startSimulatorServer } from './http-server';
import { LinkedInSimulator } from './simulator';

const linkedin = new LinkedInSimulator({ clock: new SimClock() });
const served = await startSimulatorServer(linkedin, Number(process.env.PORT ?? 0));
const { access_token: accessToken } = linkedin.issueTokens('sim1Person', [
  'r_ads',
  'r_ads_reporting',
  'rw_organization_admin',
  'r_organization_social',
]);
console.log(JSON.stringify({ url: served.url, accessToken }));
