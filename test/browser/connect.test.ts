/**
 * The connection panel in a real browser with Chromium's popup blocker on (Playwright
 * turns it off by default): the sign-in window, its outcome, copy and disconnect.
 */
import type { Page } from 'playwright-core';
import { offlineApp } from '../../sandbox/offline-world';
import { PREVIEW_USER } from '../../sandbox/preview/server';
import { analyticsReport } from '../helpers/reports';
import { connectThroughPopup, type Harness, openHarness } from './harness';

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Longer than Chromium's transient user activation (5 s): a window opened after this wait is blocked. */
const SLOW_SERVER_MS = 6000;

let withBlocker: Harness;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  withBlocker = await openHarness(
    {},
    async (opened) => {
      opened.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
    },
    { blockPopups: true },
  );
  page = withBlocker.page;
});

afterAll(() => withBlocker?.close());

const shot = (name: string) => withBlocker.shot(`connect-${name}`);
const sidebar = () => page.frameLocator('#sidebar');
const message = () => sidebar().locator('#connection-message');

/** Clicks "Sign in with LinkedIn" and returns the window it opened. */
async function openSignIn() {
  const [popup] = await Promise.all([page.waitForEvent('popup'), sidebar().locator('#sign-in').click()]);
  await popup.waitForURL(/\/linkedin\/oauth\/v2\/authorization\?/, { timeout: SLOW_SERVER_MS + 10_000 });
  return popup;
}

describe('the connection panel in a real browser', () => {
  it("captions the data choice, and leaves the Client ID empty while the publisher's app is in use", async () => {
    await sidebar().locator('#sign-in').waitFor();
    expect(await sidebar().locator('#products').textContent()).toBe('Data to connect: Ads Pages Lead forms');
    await sidebar().locator('#setup summary').click();
    const clientId = sidebar().locator('#client-id');
    expect(await clientId.inputValue()).toBe('');
    expect(await clientId.getAttribute('placeholder')).toBe('From your app’s Auth tab');
    // A client secret in LinkedIn's newer form, pasted into the wrong box.
    await clientId.fill('WPL_AP1.a1B2c3D4e5F6g7H8.Xy/Z+w==');
    await sidebar().locator('#client-secret').fill('a1B2c3D4e5F6g7H8');
    await sidebar().locator('#save-app').click();
    await message()
      .filter({
        hasText: 'The Client ID box seems to hold the client secret, so nothing was saved.',
      })
      .waitFor();
    await withBlocker.shot('connect-0-secret-in-id-box', 'sidebar');
    await clientId.fill('');
    await sidebar().locator('#client-secret').fill('');
    await sidebar().locator('#setup summary').click();
  });

  it('refuses a sign-in with no data ticked, keeping the boxes as the user left them', async () => {
    await sidebar().locator('#product-ads').uncheck();
    await sidebar().locator('#sign-in').click();
    await message().filter({ hasText: 'Tick Ads, Pages or Lead forms: the data to connect.' }).waitFor();
    expect(page.context().pages()).toHaveLength(1);
    // The redraw that says so leaves both boxes unticked, as the user left them.
    expect([
      await sidebar().locator('#product-ads').isChecked(),
      await sidebar().locator('#product-pages').isChecked(),
    ]).toEqual([false, false]);
    await sidebar().locator('#product-ads').check();
    // The token box is named for screen readers, not by its placeholder alone.
    expect(await sidebar().getByLabel('LinkedIn token').count()).toBe(1);
  });

  it('opens the sign-in window inside the click, even when the server answers after the activation has expired', async () => {
    await sidebar().locator('#sign-in').waitFor();
    expect(await sidebar().locator('#sign-in').getAttribute('class')).toBe('primary');
    await page.route('**/api/run/startLinkedInSignIn', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, SLOW_SERVER_MS));
      await route.continue();
    });
    const [popup] = await Promise.all([page.waitForEvent('popup'), sidebar().locator('#sign-in').click()]);
    expect(popup.url()).toBe('about:blank');
    expect(await popup.textContent('body')).toBe('Opening LinkedIn…');
    await popup.waitForURL(/\/linkedin\/oauth\/v2\/authorization\?/, { timeout: SLOW_SERVER_MS + 10_000 });
    await page.unroute('**/api/run/startLinkedInSignIn');
    await message().filter({ hasText: 'Waiting for LinkedIn' }).waitFor();
    await shot('1-waiting');
    // The callback page closes its window itself (window.top.close()), and the sidebar notices.
    const closed = popup.waitForEvent('close', { timeout: 10_000 });
    await popup.locator('#allow').click();
    await popup.locator('h2', { hasText: 'LinkedIn is connected' }).waitFor();
    await closed;
    await sidebar()
      .locator('#connection-state', { hasText: 'Connected to LinkedIn.' })
      .waitFor({ timeout: 5000 });
    // Scope codes in words.
    expect(await sidebar().locator('#connection-access').textContent()).toMatch(
      /^It can read: (your ad accounts and campaigns|Ads reports|Pages statistics|Pages posts)(; (your ad accounts and campaigns|Ads reports|Pages statistics|Pages posts))*\. /,
    );
    // Signing in again is offered, but no longer as the panel's main action.
    expect(await sidebar().locator('#sign-in').textContent()).toBe('Reconnect');
    expect(await sidebar().locator('#sign-in').getAttribute('class')).toBe('');
    await shot('2-connected');
  });

  it("stops waiting within seconds when the user cancels on LinkedIn, in the callback page's words", async () => {
    const popup = await openSignIn();
    await popup.locator('#cancel').click();
    await popup.locator('h2', { hasText: 'LinkedIn is not connected' }).waitFor();
    const started = Date.now();
    await message().filter({ hasText: 'You cancelled the LinkedIn sign-in.' }).waitFor({ timeout: 5000 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await message().getAttribute('class')).toBe('error');
    await shot('3-cancelled');
    const closed = popup.waitForEvent('close', { timeout: 5000 });
    await popup.locator('#close-window').click();
    await closed;
  });

  it('says so when the sign-in window is closed before LinkedIn sends the user back', async () => {
    const popup = await openSignIn();
    await popup.close();
    await message()
      .filter({ hasText: 'The LinkedIn window was closed before signing in finished.' })
      .waitFor({ timeout: 5000 });
    // The publisher's app is in use: its redirect URL is not the user's to register.
    expect(await message().textContent()).toBe(
      'The LinkedIn window was closed before signing in finished. Sign in again when you are ready.',
    );
  });

  it('offers a link to the sign-in page when the browser blocks the window anyway', async () => {
    const frame = page.frame({ url: /\/sidebar$/ })!;
    await frame.evaluate(() => {
      window.open = () => null;
    });
    await sidebar().locator('#sign-in').click();
    await message().filter({ hasText: 'Your browser blocked the sign-in window.' }).waitFor();
    const link = sidebar().locator('#sign-in-link');
    expect(await link.getAttribute('href')).toMatch(/\/linkedin\/oauth\/v2\/authorization\?/);
    await shot('4-blocked');
    const [popup] = await Promise.all([page.waitForEvent('popup'), link.click()]);
    await popup.locator('#allow').click();
    await sidebar()
      .locator('#connection-state', { hasText: 'Connected to LinkedIn.' })
      .waitFor({ timeout: 5000 });
    // One sentence says it: no second "connected" message below.
    expect(
      await message()
        .filter({ hasText: /connected/i })
        .count(),
    ).toBe(0);
    await page.reload();
  });

  it('says "Copied" only when the copy worked, and leaves the text selected when the clipboard is refused', async () => {
    const frame = page.frame({ url: /\/sidebar$/ })!;
    await sidebar().locator('#setup summary').click();
    const uri = (await sidebar().locator('#redirect-uri').textContent())!;
    expect(uri).toMatch(/^https:\/\/script\.google\.com\/macros\/d\/.+\/usercallback$/);

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(withBlocker.preview.url).origin,
    });
    await sidebar().locator('#copy-redirect').click();
    await sidebar().locator('#copy-redirect', { hasText: 'Copied' }).waitFor();
    expect(await frame.evaluate(() => navigator.clipboard.readText())).toBe(uri);

    // A frame that may not use the clipboard and whose copy command fails: no "Copied".
    const refusedFrame = frame;
    await refusedFrame.evaluate(() => {
      navigator.clipboard.writeText = () =>
        Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
      document.execCommand = () => false;
    });
    await sidebar().locator('#copy-redirect').click();
    await sidebar().locator('#copy-redirect', { hasText: 'Selected: press Ctrl+C' }).waitFor();
    expect(await refusedFrame.evaluate(() => window.getSelection()!.toString())).toBe(uri);
    await shot('5-copy-refused');

    // The clipboard refused but the copy command works: the fallback copied, so "Copied".
    await refusedFrame.evaluate(() => {
      document.execCommand = (command: string) => command === 'copy';
    });
    await sidebar().locator('#copy-redirect').click();
    await sidebar().locator('#copy-redirect', { hasText: 'Copied' }).waitFor();
  });

  it('asks inside the sidebar before disconnecting, with no browser dialog', async () => {
    await sidebar().locator('#disconnect').click();
    await sidebar()
      .locator('#confirm-disconnect', { hasText: 'Disconnect LinkedIn? You have no scheduled reports.' })
      .waitFor();
    // The keyboard is on the safe answer, not lost with the button that went.
    expect(await withBlocker.frame().evaluate(() => document.activeElement?.id)).toBe(
      'confirm-disconnect-no',
    );
    await shot('6-confirm-disconnect');
    await sidebar().locator('#confirm-disconnect-no').click();
    expect(await sidebar().locator('#confirm-disconnect').count()).toBe(0);
    expect(await sidebar().locator('#connection-state').textContent()).toBe('Connected to LinkedIn.');
    await sidebar().locator('#disconnect').click();
    await sidebar().locator('#confirm-disconnect-yes').click();
    await sidebar().locator('#connection-state', { hasText: 'LinkedIn is not connected.' }).waitFor();
    expect(dialogs).toEqual([]);
    await shot('7-disconnected');
  });

  it('says once, in the warning, when a connection that cannot renew itself ends', async () => {
    const world = (await (await page.request.get(`${withBlocker.preview.url}api/world`)).json()) as {
      toolsPageAccessToken: string;
    };
    await withBlocker.call('pasteLinkedInAccessToken', world.toolsPageAccessToken);
    await page.request.post(`${withBlocker.preview.url}api/advance`, { data: { hours: 46 * 24 } });
    const { accessTokenDaysLeft: days } = await withBlocker.call<{ accessTokenDaysLeft: number }>(
      'getConnection',
    );
    expect(days).toBeLessThanOrEqual(14);
    await page.reload();
    await sidebar()
      .locator('#connection-warning', {
        hasText: `The LinkedIn access token ends in ${days} days and cannot be renewed automatically.`,
      })
      .waitFor();
    expect(await sidebar().locator('#connection-access').textContent()).toBe(
      'It can read: your ad accounts and campaigns; Ads reports; Pages statistics; Pages posts.',
    );
    await withBlocker.shot('connect-7b-expiry-warning', 'sidebar');
  });
});

describe('a connection that is never lost by mistake', () => {
  const OWN_ID = 'own-app-id';
  const OWN_SECRET = 'own-app-secret';
  /** The user's own app whose Auth tab lacks the add-on's redirect URL. */
  const UNREGISTERED_ID = 'unregistered-app-id';
  const UNREGISTERED_SECRET = 'unregistered-app-secret';
  let harness: Harness;
  const panel = () => harness.sidebar();
  const state = () => panel().locator('#connection-state');
  const said = () => panel().locator('#connection-message');

  beforeAll(async () => {
    // The publisher's app and the user's own, both on the simulated LinkedIn.
    harness = await openHarness({
      simulator: {
        apps: [
          offlineApp(),
          { ...offlineApp(), clientId: OWN_ID, clientSecret: OWN_SECRET },
          { ...offlineApp(), clientId: UNREGISTERED_ID, clientSecret: UNREGISTERED_SECRET, redirectUris: [] },
        ],
      },
    });
    // Ads only, as the panel offers by default: the connection lacks Pages access.
    expect(await panel().locator('#product-pages').isChecked()).toBe(false);
    await connectThroughPopup(harness);
  });

  afterAll(() => harness?.close());

  it('says at once which access a Pages report lacks, and adds it with the access held now', async () => {
    await panel()
      .locator('#missing-pages', {
        hasText:
          'Pages reports need access to Pages statistics and posts (LinkedIn’s Community Management API), which this connection does not have.',
      })
      .waitFor();
    await panel().locator('#new-report').click();
    await panel().locator('#report-stream').selectOption('pages:page_views');
    await panel()
      .locator('#account-list', {
        hasText:
          'This LinkedIn connection has no Pages statistics and posts access. Click “Add Pages access”',
      })
      .waitFor({ timeout: 3000 });
    await harness.shot('connect-8-missing-pages');
    const [popup] = await Promise.all([
      harness.page.waitForEvent('popup'),
      panel().locator('#add-pages').click(),
    ]);
    await popup.waitForURL(/\/oauth\/v2\/authorization\?/);
    expect(new URL(popup.url()).searchParams.get('scope')).toBe(
      'r_ads r_ads_reporting r_organization_social rw_organization_admin',
    );
    await popup.locator('#allow').click();
    await panel().locator('#missing-pages').waitFor({ state: 'detached', timeout: 15_000 });
    expect(await state().textContent()).toBe('Connected to LinkedIn.');
    // The open builder lists the pages now, instead of the refusal it showed.
    await panel().locator('#account-list input[type="checkbox"]').first().waitFor({ timeout: 5000 });
    expect(await panel().locator('#account-list').textContent()).not.toContain('no Pages statistics');
    await panel().locator('#cancel-edit').click();
  });

  it('asks before a pasted token replaces a connection that renews itself; Cancel keeps it', async () => {
    await panel().locator('#manual-token summary').click();
    await panel().locator('#pasted-token').fill('AQV-pasted-by-hand');
    await panel().locator('#paste-access').click();
    await panel()
      .locator('#confirm-paste', {
        hasText: 'The current connection renews itself. Replace it with this access token?',
      })
      .waitFor();
    await harness.shot('connect-9-confirm-paste');
    await panel().locator('#confirm-paste-no').click();
    expect(await panel().locator('#confirm-paste').count()).toBe(0);
    expect(await panel().locator('#pasted-token').inputValue()).toBe('AQV-pasted-by-hand');
    expect(await panel().locator('#connection-access').textContent()).toContain('Stays connected for');
    expect((await harness.call<{ hasRefreshToken: boolean }>('getConnection')).hasRefreshToken).toBe(true);
    // Replace sends it: LinkedIn does not know this token, so the connection there was stays.
    await panel().locator('#paste-access').click();
    await panel().locator('#confirm-paste-yes').click();
    await said().filter({ hasText: 'LinkedIn does not recognise that access token' }).waitFor();
    expect(await state().textContent()).toBe('Connected to LinkedIn.');
  });

  it('names how many scheduled reports stop before disconnecting', async () => {
    for (const name of ['Daily spend', 'Weekly spend'])
      await harness.call('saveReport', {
        ...analyticsReport({ name, sheetName: name }),
        schedule:
          name === 'Daily spend' ? { kind: 'daily', hour: 6 } : { kind: 'weekly', hour: 6, weekDay: 1 },
      });
    await panel().locator('#check-connection').click();
    await said().filter({ hasText: 'Connection works.' }).waitFor();
    await panel().locator('#disconnect').click();
    await panel()
      .locator('#confirm-disconnect', {
        hasText: 'Disconnect LinkedIn? Your 2 scheduled reports stop until you connect again.',
      })
      .waitFor();
    await harness.shot('connect-10-disconnect-count');
    await panel().locator('#confirm-disconnect-no').click();
    expect(await state().textContent()).toBe('Connected to LinkedIn.');
  });

  it('refuses a wrong app without dropping the connection, keeps what was typed, and always offers the way back', async () => {
    await panel().locator('#setup summary').click();
    await panel().locator('#client-id').fill(OWN_ID);
    await panel().locator('#client-secret').fill('not-the-secret');
    await panel().locator('#save-app').click();
    await said()
      .filter({ hasText: 'LinkedIn did not accept that client ID and secret, so nothing was changed.' })
      .waitFor();
    expect(await said().getAttribute('class')).toBe('error');
    expect(await panel().locator('#client-id').inputValue()).toBe(OWN_ID);
    expect(await panel().locator('#client-secret').inputValue()).toBe('not-the-secret');
    expect(await state().textContent()).toBe('Connected to LinkedIn.');
    await harness.shot('connect-11-wrong-app');

    await panel().locator('#client-secret').fill(OWN_SECRET);
    await panel().locator('#save-app').click();
    await panel()
      .locator('#pending-app', { hasText: `LinkedIn accepted the app ${OWN_ID}. Sign in with it to switch` })
      .waitFor();
    expect(await state().textContent()).toBe('Connected to LinkedIn.');
    expect(await panel().locator('#sign-in').textContent()).toBe('Sign in with your new app');
    await harness.shot('connect-12-app-waiting');
    // A sign-in with the new app that does not finish leaves the connection there was.
    const [popup] = await Promise.all([
      harness.page.waitForEvent('popup'),
      panel().locator('#sign-in').click(),
    ]);
    await popup.waitForURL(/\/oauth\/v2\/authorization\?/);
    expect(new URL(popup.url()).searchParams.get('client_id')).toBe(OWN_ID);
    await popup.locator('#cancel').click();
    await said().filter({ hasText: 'You cancelled the LinkedIn sign-in.' }).waitFor({ timeout: 5000 });
    await popup.close();
    expect(await state().textContent()).toBe('Connected to LinkedIn.');
    expect(await panel().locator('#pending-app').count()).toBe(1);
    await panel().locator('#use-publisher-app').click();
    await panel().locator('#pending-app').waitFor({ state: 'detached' });
    expect(await state().textContent()).toBe('Connected to LinkedIn.');

    // Not connected, the user's app saved: the way back is still offered.
    await panel().locator('#disconnect').click();
    await panel().locator('#confirm-disconnect-yes').click();
    await state().filter({ hasText: 'LinkedIn is not connected.' }).waitFor();
    await panel().locator('#client-id').fill(OWN_ID);
    await panel().locator('#client-secret').fill(OWN_SECRET);
    await panel().locator('#save-app').click();
    await panel()
      .locator('label[for="client-secret"]', { hasText: 'Client secret (saved; enter to change)' })
      .waitFor();
    await harness.shot('connect-13-own-app-offline');
    // Signing in now goes through the user's own app, and connects.
    expect(await connectThroughPopup(harness)).toContain('LinkedIn is connected');
    expect(await harness.call('getConnection')).toMatchObject({ connected: true, appCredentials: 'user' });
    await harness.shot('connect-14-own-app-connected');
    // Going back to the publisher's app ends the connection made through the user's own.
    await panel().locator('#use-publisher-app').click();
    await panel().locator('#confirm-publisher-app', { hasText: 'LinkedIn disconnects' }).waitFor();
    await panel().locator('#confirm-publisher-app-yes').click();
    await state().filter({ hasText: 'LinkedIn is not connected.' }).waitFor();
    await said().filter({ hasText: 'Your app and its secret are forgotten.' }).waitFor();
    expect(await panel().locator('#use-publisher-app').count()).toBe(0);
    // Back on the publisher's app, whose client ID is not the user's to enter.
    expect(await panel().locator('#client-id').inputValue()).toBe('');
  });

  it("points to the redirect URL and the app's Auth tab when the window of the user's own app closes", async () => {
    await panel().locator('#client-id').fill(UNREGISTERED_ID);
    await panel().locator('#client-secret').fill(UNREGISTERED_SECRET);
    await panel().locator('#save-app').click();
    await said().filter({ hasText: 'LinkedIn accepted the app.' }).waitFor();
    await panel().locator('#setup summary').click();
    expect(await panel().locator('#setup').getAttribute('open')).toBeNull();
    const [popup] = await Promise.all([
      harness.page.waitForEvent('popup'),
      panel().locator('#sign-in').click(),
    ]);
    await popup.waitForURL(/\/oauth\/v2\/authorization\?/);
    await popup.locator('#allow').click();
    await popup.getByText('The redirect_uri does not match the registered value').waitFor();
    await popup.close();
    await said()
      .filter({ hasText: 'The LinkedIn window was closed before signing in finished.' })
      .waitFor({ timeout: 5000 });
    expect(await said().textContent()).toBe(
      'The LinkedIn window was closed before signing in finished. If LinkedIn said “The redirect_uri does not match the registered value”, copy the redirect URL under “Setup: your LinkedIn app” below, add it on your app’s Auth tab in the LinkedIn Developer portal, then sign in again.',
    );
    // The redirect URL the message points to is on screen.
    expect(await panel().locator('#setup').getAttribute('open')).toBe('');
    expect(await panel().locator('#redirect-uri').isVisible()).toBe(true);
    await harness.shot('connect-15-redirect-not-registered', 'sidebar');
  });
});

describe('a connection LinkedIn ends while the sidebar is open', () => {
  let harness: Harness;
  const panel = () => harness.sidebar();

  beforeAll(async () => {
    harness = await openHarness();
    await connectThroughPopup(harness);
    await harness.call('saveReport', analyticsReport());
    await harness.page.reload();
    await panel().locator('.card .run').waitFor();
  });

  afterAll(() => harness?.close());

  it('answers Save app and a pasted token under their buttons, in view, and refuses an empty token without asking', async () => {
    const inView = (section: string) =>
      panel()
        .locator(`#${section} #connection-message`)
        .evaluate((said) => {
          const { top, bottom } = said.getBoundingClientRect();
          return top >= 0 && bottom <= window.innerHeight;
        });
    await panel().locator('#setup summary').click();
    await panel().locator('#manual-token summary').click();
    // Nothing to replace the connection with: no question, the refusal at once.
    await panel().locator('#paste-access').click();
    await panel()
      .locator('#manual-token #connection-message', { hasText: 'Paste the access token first' })
      .waitFor();
    expect(await panel().locator('#confirm-paste').count()).toBe(0);
    expect(await inView('manual-token')).toBe(true);
    await panel().locator('#save-app').click();
    await panel().locator('#setup #connection-message', { hasText: 'Enter your app' }).waitFor();
    expect(await inView('setup')).toBe(true);
    expect(await panel().locator('#connection-message').count()).toBe(1);
    await harness.shot('connect-17-said-under-save-app', 'sidebar');
    await panel().locator('#setup summary').click();
    await panel().locator('#manual-token summary').click();
  });

  it('says so in the connection panel once a run fails on it, offering to sign in again', async () => {
    // Both tokens run out while the sidebar stays open, still saying “Connected”.
    const ended = Math.floor(harness.preview.world.clock.now() / 1000) - 60;
    harness.preview.world.execute(PREVIEW_USER, (scope: Scope) => {
      const token = JSON.parse(scope.PropertiesService.getUserProperties().getProperty('oauth2.linkedin'));
      const expired = JSON.stringify({ ...token, expiresAt: ended, refreshTokenExpiresAt: ended });
      scope.PropertiesService.getUserProperties().setProperty('oauth2.linkedin', expired);
      scope.CacheService.getUserCache().put('oauth2.linkedin', expired, 21600);
    });
    expect(await panel().locator('#connection-state').textContent()).toBe('Connected to LinkedIn.');
    await panel().locator('.card .run').click();
    await panel().locator('#connection-state.error', { hasText: 'expired' }).waitFor({ timeout: 15_000 });
    expect(await panel().locator('#sign-in').textContent()).toBe('Sign in with LinkedIn');
    expect(await panel().locator('.card .run').isDisabled()).toBe(true);
    await harness.shot('connect-16-ended-by-a-run', 'sidebar');
  });
});
