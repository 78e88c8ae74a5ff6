import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { SimulatorOptions } from './simulator';

export interface SimulatorProcess {
  /** Base URL of the simulator on loopback. */
  url: string;
  /** A token of the first simulated member, with Ads and Pages scopes. */
  accessToken: string;
  stop(): void;
}

/**
 * The simulator in a process of its own (sandbox/linkedin/serve.ts), as LinkedIn is: only
 * reachable over HTTP. Its own process, too, because a synchronous UrlFetchApp blocks this one.
 */
export function spawnSimulator(
  settings: { options?: Partial<Omit<SimulatorOptions, 'clock'>>; stateFile?: string } = {},
): Promise<SimulatorProcess> {
  // npm scripts and jest run at the repository root.
  const child = spawn(resolve('node_modules', '.bin', 'tsx'), [resolve('sandbox', 'linkedin', 'serve.ts')], {
    // Its stdin stays open while this process lives: when it closes, the simulator stops too.
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PORT: '0',
      SIMULATOR_STOP_WITH_PARENT: '1',
      SIMULATOR_OPTIONS: JSON.stringify(settings.options ?? {}),
      ...(settings.stateFile ? { SIMULATOR_STATE: settings.stateFile } : {}),
    },
  });
  return new Promise((resolvePromise, reject) => {
    child.stdout!.once('data', (chunk) => {
      const { url, accessToken } = JSON.parse(String(chunk)) as { url: string; accessToken: string };
      resolvePromise({ url, accessToken, stop: () => child.kill() });
    });
    child.once('exit', (code) => reject(new Error(`The LinkedIn simulator exited with ${code}`)));
  });
}

/** Where a request for LinkedIn goes on the simulator: its host becomes the first path segment. */
export function simulatorUrlFor(simulatorUrl: string, linkedInUrl: string): string {
  const parsed = new URL(linkedInUrl);
  return `${simulatorUrl}${parsed.host}${parsed.pathname}${parsed.search}`;
}
