import { resolve } from 'node:path';
import { SimClock } from './apps-script/clock';
import { redirectUriFor } from './apps-script/oauth2';
import { AppsScriptWorld } from './apps-script/world';
import { DEFAULT_APP, LinkedInSimulator, type SimulatorOptions } from './linkedin/simulator';

export interface OfflineWorld {
  world: AppsScriptWorld;
  linkedin: LinkedInSimulator;
  clock: SimClock;
  redirectUri: string;
}

/**
 * The add-on's built bundle inside emulated Apps Script, with UrlFetchApp wired to the
 * LinkedIn simulator, whose default app has the script's redirect URI registered.
 */
export function createOfflineWorld(
  options: Partial<Omit<SimulatorOptions, 'clock'>> & { projectDir?: string } = {},
): OfflineWorld {
  const clock = new SimClock();
  const scriptId = '1SimulatedScriptId0123456789abcdefghijklmnopqrstuvwxyzAB';
  const redirectUri = redirectUriFor(scriptId);
  const linkedin = new LinkedInSimulator({
    apps: [{ ...DEFAULT_APP, redirectUris: [redirectUri] }],
    ...options,
    clock,
  });
  const world = new AppsScriptWorld({
    // npm scripts and jest run at the repository root, where the build writes dist/.
    projectDir: options.projectDir ?? resolve('dist'),
    router: (request) => linkedin.handle(request),
    clock,
    scriptId,
  });
  return { world, linkedin, clock, redirectUri };
}
