import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type FrameLocator, type Page } from 'playwright-core';
import { type PreviewOptions, startPreview, type Preview } from '../../sandbox/preview/server';
import { COVERAGE, type Counters, saveCounters } from '../../scripts/coverage-counters';
import { DIST_DIR } from '../helpers/dist';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'browser');

/** The preview (a live grid beside the real sidebar, 300 px wide) open in Debian's Chromium. */
export interface Harness {
  preview: Preview;
  page: Page;
  /** The sidebar's iframe, for locators. */
  sidebar(): FrameLocator;
  /** The sidebar's iframe, for evaluating in it. */
  frame(): Frame;
  /** A screenshot of the page, or of the sidebar alone. */
  shot(name: string, part?: 'sidebar'): Promise<void>;
  /** Calls a server function as the sidebar does, behind the sidebar's back. */
  call<T>(name: string, ...args: unknown[]): Promise<T>;
  close(): Promise<void>;
}

/**
 * A coverage build's counts in the page's frames (the sidebar's), saved before the page's
 * documents go: the browser can send nothing on its way out (a binding call is dropped, a beacon
 * holds 64 KB), and a new document counts from zero.
 */
async function saveBrowserCounters(page: Page): Promise<void> {
  for (const frame of page.frames()) {
    const counters = await frame.evaluate(() => (globalThis as { __coverage__?: Counters }).__coverage__);
    if (counters) saveCounters('browser', counters);
  }
}

export async function openHarness(
  options: Partial<PreviewOptions> = {},
  beforeOpen: (page: Page) => Promise<void> = async () => {},
  /** Keep Chromium's popup blocker, which Playwright turns off, as a user's browser has it. */
  { blockPopups = false }: { blockPopups?: boolean } = {},
): Promise<Harness> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH.`,
    );
  mkdirSync(ARTIFACTS, { recursive: true });
  const preview = await startPreview({ projectDir: DIST_DIR, ...options });
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      ...(blockPopups ? { ignoreDefaultArgs: ['--disable-popup-blocking'] } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    if (COVERAGE) {
      // Tests reload the page (the sidebar opened again); the counts so far go first.
      const reload = page.reload.bind(page);
      page.reload = async (...args) => {
        await saveBrowserCounters(page);
        return reload(...args);
      };
    }
    await beforeOpen(page);
    await page.goto(preview.url);
    const opened = browser;
    return {
      preview,
      page,
      sidebar: () => page.frameLocator('#sidebar'),
      frame: () => page.frames().find((frame) => frame.url().endsWith('/sidebar'))!,
      shot: async (name, part) => {
        const path = join(ARTIFACTS, `${name}.png`);
        await (part ? page.locator('#sidebar').screenshot({ path }) : page.screenshot({ path }));
      },
      call: async (name, ...args) => {
        const answer = (await (
          await page.request.post(`${preview.url}api/run/${name}`, { data: args })
        ).json()) as { ok: boolean; value: never; error: string };
        if (!answer.ok) throw new Error(answer.error);
        return answer.value;
      },
      close: async () => {
        if (COVERAGE) await saveBrowserCounters(page);
        await opened.close();
        await preview.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await preview.close();
    throw error;
  }
}

/** Signs in through the simulator's consent popup, as a user does, and waits for the sidebar to notice. */
export async function connectThroughPopup(harness: Harness): Promise<string> {
  const [popup] = await Promise.all([
    harness.page.waitForEvent('popup'),
    harness.sidebar().locator('#sign-in').click(),
  ]);
  await popup.locator('#allow').click();
  await popup.waitForLoadState();
  const said = (await popup.textContent('body')) ?? '';
  await harness
    .sidebar()
    .locator('#connection-state', { hasText: 'Connected to LinkedIn.' })
    .waitFor({ timeout: 15_000 });
  return said;
}
