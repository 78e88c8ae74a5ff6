import { resolve } from 'node:path';
import { SimClock } from './apps-script/clock';
import type { Router } from './apps-script/http';
import { redirectUriFor } from './apps-script/oauth2';
import { AppsScriptWorld } from './apps-script/world';
import { DEFAULT_APP, LinkedInSimulator, type SimApp, type SimulatorOptions } from './linkedin/simulator';

export interface OfflineWorld {
  world: AppsScriptWorld;
  linkedin: LinkedInSimulator;
  clock: SimClock;
  redirectUri: string;
}

const SCRIPT_ID = '1SimulatedScriptId0123456789abcdefghijklmnopqrstuvwxyzAB';

/** The publisher's LinkedIn app, with the emulated script's redirect URI registered: a fresh copy that tests may change. */
export const offlineApp = (): SimApp => ({ ...DEFAULT_APP, redirectUris: [redirectUriFor(SCRIPT_ID)] });

/** The add-on's built bundle inside emulated Apps Script, its UrlFetchApp answered by `router`. */
export function createScriptWorld(router: Router, clock: SimClock, projectDir?: string): AppsScriptWorld {
  return new AppsScriptWorld({
    // npm scripts and jest run at the repository root, where the build writes dist/.
    projectDir: projectDir ?? resolve('dist'),
    router,
    clock,
    scriptId: SCRIPT_ID,
  });
}

/** The emulated script with UrlFetchApp wired to a LinkedIn simulator in this process, on one clock. */
export function createOfflineWorld(
  options: Partial<Omit<SimulatorOptions, 'clock'>> & { projectDir?: string } = {},
): OfflineWorld {
  const clock = new SimClock();
  const app = offlineApp();
  const linkedin = new LinkedInSimulator({ apps: [app], ...options, clock });
  const world = createScriptWorld(
    (requests) => requests.map((request) => linkedin.handle(request)),
    clock,
    options.projectDir,
  );
  return { world, linkedin, clock, redirectUri: app.redirectUris[0] };
}
