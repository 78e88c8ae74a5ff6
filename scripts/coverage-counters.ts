// The counters a coverage run (`npm run coverage`, COVERAGE=1) gathers outside jest's own: the
// built bundle's, run in the Apps Script emulation, and the sidebar's, run in Chromium. Each is
// saved under coverage/raw/ for scripts/coverage-report.ts.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const COVERAGE = process.env.COVERAGE === '1';

/** npm scripts and jest run at the repository root. */
export const RAW_COVERAGE_DIR = resolve('coverage', 'raw');

export type Counters = Record<string, unknown>;

/**
 * The instrumented bundle counts into its global `__coverage__`. Every execution of the emulation
 * is a fresh global scope, so all the executions of this process count into this one object.
 */
export const bundleCounters: Counters = {};

/** `where` names where the code ran: `bundle` (the emulation) or `browser` (the sidebar). */
export function saveCounters(where: 'bundle' | 'browser', counters: Counters): void {
  if (Object.keys(counters).length === 0) return;
  mkdirSync(RAW_COVERAGE_DIR, { recursive: true });
  writeFileSync(join(RAW_COVERAGE_DIR, `${where}-${randomUUID()}.json`), JSON.stringify(counters));
}

/** Saves the bundle's counts so far and starts again from none, so no count is saved twice. */
export function flushBundleCounters(): void {
  saveCounters('bundle', bundleCounters);
  for (const path of Object.keys(bundleCounters)) delete bundleCounters[path];
}
