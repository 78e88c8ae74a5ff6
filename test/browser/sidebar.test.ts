import { PREVIEW_USER } from '../../sandbox/preview/server';
import { ANALYTICS_REPORT_HEADER } from '../helpers/reports';
import { connectThroughPopup, type Harness, openHarness } from './harness';

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

let harness: Harness;
let page: Harness['page'];
let preview: Harness['preview'];

beforeAll(async () => {
  harness = await openHarness({ simulator: { accountNames: [HOSTILE] } });
  ({ page, preview } = harness);
});

afterAll(() => harness?.close());

const shot = (name: string) => harness.shot(name);
const sidebar = () => harness.sidebar();

describe('the sidebar in a real browser, against the offline preview', () => {
  it('connects through the LinkedIn consent popup and notices by itself', async () => {
    await sidebar().locator('#sign-in').waitFor();
    await sidebar().locator('#product-pages').check();
    await shot('1-not-connected');
    expect(await connectThroughPopup(harness)).toContain('LinkedIn is connected');
    await shot('2-connected');
  });

  it('builds an Ads report, showing a hostile account name as text', async () => {
    await sidebar().locator('#new-report').click();
    await sidebar().locator('#save-report').click();
    // The one problem shows beside the account list, the field at fault.
    expect(await sidebar().locator('.problem').allTextContents()).toEqual([
      'Choose at least one ad account.',
    ]);
    expect(await sidebar().locator('#problem-accounts').isVisible()).toBe(true);
    const hostile = sidebar().locator('#account-list label', { hasText: HOSTILE });
    await hostile.waitFor({ timeout: 15_000 });
    expect(await sidebar().locator('#account-list img').count()).toBe(0);
    await hostile.locator('input').check();
    await sidebar().locator('#report-sheet').fill('LinkedIn Ads');
    await shot('3-builder');
    await sidebar().locator('#save-report').click();
    await sidebar().locator('.card', { hasText: 'LinkedIn Ads: Ad analytics' }).waitFor();
    expect(
      await page.evaluate(() => (window.frames[0] as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
  });

  it('runs it with a progress bar that reaches 100% and rows appearing in the grid', async () => {
    await sidebar().locator('.card .run').click();
    await sidebar().locator('#reports-message', { hasText: 'rows written' }).waitFor({ timeout: 30_000 });
    expect(await sidebar().locator('#run-progress .bar').getAttribute('aria-valuenow')).toBe('100');
    expect(await sidebar().locator('#progress-text').textContent()).toMatch(/^100% · (\d+) of \1 requests/);
    await page.locator('#tabs button[data-tab="LinkedIn Ads"]').click();
    await page.locator('#grid-table tr:nth-child(3)').waitFor({ timeout: 10_000 });
    expect(await page.locator('#grid-table tr:first-child td').allTextContents()).toEqual([
      ...ANALYTICS_REPORT_HEADER,
      'Landing page clicks',
      'Total engagements',
      'Conversions',
      'Leads',
      'Video views',
    ]);
    await shot('4-run-done');
  });

  it('schedules it, keeping one trigger', async () => {
    await sidebar().locator('.card .edit').click();
    await sidebar().locator('#report-schedule').selectOption('daily');
    await sidebar().locator('#report-hour').selectOption('7');
    await sidebar().locator('#save-report').click();
    await sidebar().locator('.card', { hasText: 'Daily at 7:00' }).waitFor();
    const world = (await (await page.request.get(`${preview.url}api/world`)).json()) as {
      triggers: Array<{ handler: string }>;
    };
    expect(world.triggers.map((trigger) => trigger.handler)).toEqual(['runScheduledReports']);
    await shot('5-scheduled');
  });

  it('fast-forwards the simulated clock and watches the scheduled run write', async () => {
    const worldNow = async () =>
      ((await (await page.request.get(`${preview.url}api/world`)).json()) as { now: number }).now;
    const lastRun = async () => {
      const answer = (await (
        await page.request.post(`${preview.url}api/run/listReports`, { data: [] })
      ).json()) as { value: Array<{ state: { lastRunAt: number | null; lastError: string | null } }> };
      return answer.value[0].state;
    };
    const before = await worldNow();
    expect((await lastRun()).lastRunAt).toBeLessThanOrEqual(before);
    await page.locator('#advance-day').click();
    await page
      .locator('#status', { hasText: new Date(before + 86_400_000).toISOString().slice(0, 10) })
      .waitFor({ timeout: 30_000 });
    // A daily schedule falls due once in any 24 hours: the trigger ran it on the simulated clock.
    const state = await lastRun();
    expect(state.lastRunAt).toBeGreaterThan(before);
    expect(state.lastError).toBeNull();
    await expect(page.locator('#status').textContent()).resolves.toContain(
      'triggers: runScheduledReports (hourly)',
    );
    await shot('6-fast-forwarded');
  });

  it('builds and runs a Pages report, picking pages by name', async () => {
    await sidebar().locator('#new-report').click();
    await sidebar().locator('#report-stream').selectOption('pages:follower_gains');
    const page = sidebar().locator('#account-list label', { hasText: 'Northwind Analytics' });
    await page.waitFor({ timeout: 15_000 });
    await page.locator('input').check();
    await sidebar().locator('#report-name').fill('Follower gains');
    await sidebar().locator('#report-sheet').fill('Followers');
    expect(await sidebar().locator('#report-pivot').count()).toBe(0);
    await sidebar().locator('#save-report').click();
    const card = sidebar().locator('.card', { hasText: 'Follower gains' });
    await card.locator('.run').click();
    await sidebar()
      .locator('#reports-message', { hasText: '30 rows written to “Followers”' })
      .waitFor({ timeout: 30_000 });
    await shot('7-pages-report');
  });

  it('offers the follower count from the catalog alone: a snapshot of picked pages, with no dates or periods', async () => {
    await sidebar().locator('#new-report').click();
    await sidebar().locator('#report-stream').selectOption('pages:follower_count');
    expect(await sidebar().locator('#report-name').inputValue()).toBe('LinkedIn Pages: Follower count');
    const page = sidebar().locator('#account-list label', { hasText: 'Northwind Analytics' });
    await page.waitFor({ timeout: 15_000 });
    await page.locator('input').check();
    expect(await sidebar().locator('#report-preset').count()).toBe(0);
    expect(await sidebar().locator('#report-page-granularity').count()).toBe(0);
    expect(await sidebar().locator('#field-list label', { hasText: 'Followers' }).count()).toBe(1);
    // Left unsaved: the tests after this one count the reports (the integration tests run it).
    await sidebar().locator('#cancel-edit').click();
    await sidebar().locator('#new-report').waitFor();
  });

  it('builds and runs an Ads list of campaigns, the tab headed by the list’s own fields', async () => {
    await sidebar().locator('#new-report').click();
    await sidebar().locator('#report-stream').selectOption('ads:campaigns');
    const account = sidebar().locator('#account-list label', { hasText: HOSTILE });
    await account.waitFor({ timeout: 15_000 });
    await account.locator('input').check();
    expect(await sidebar().locator('#report-pivot').count()).toBe(0);
    expect(await sidebar().locator('#report-preset').count()).toBe(0);
    await sidebar().locator('#report-sheet').fill('Campaigns');
    await sidebar().locator('#save-report').click();
    const card = sidebar().locator('.card', { hasText: 'Campaigns' });
    await card.locator('.run').click();
    // The simulator's account holds 2 campaign groups of 3 campaigns.
    await sidebar()
      .locator('#reports-message', { hasText: '6 rows written to “Campaigns”' })
      .waitFor({ timeout: 30_000 });
    await page.locator('#tabs button[data-tab="Campaigns"]').click();
    await page.locator('#grid-table tr:nth-child(7)').waitFor({ timeout: 10_000 });
    expect(await page.locator('#grid-table tr:first-child td').allTextContents()).toEqual([
      'Campaign ID',
      'Campaign',
      'Campaign group ID',
      'Status',
      'Type',
      'Objective',
      'Daily budget',
      'Starts',
      'Ends',
    ]);
    await shot('7b-campaigns-list');
  });

  it('adds Lead forms access, then builds and runs a Lead form responses report: a row per answer', async () => {
    await sidebar()
      .locator('#missing-leads', {
        hasText:
          'Lead forms reports need access to Lead Gen Form responses (LinkedIn’s Lead Sync API), which this connection does not have.',
      })
      .waitFor();
    // The builder offers the stream, and says what to add first.
    await sidebar().locator('#new-report').click();
    await sidebar().locator('#report-stream').selectOption('ads:lead_form_responses');
    await sidebar()
      .locator('.hint', {
        hasText:
          'This connection does not have Lead forms access yet: click “Add Lead forms access” above first.',
      })
      .waitFor();
    await sidebar().locator('#cancel-edit').click();
    const [popup] = await Promise.all([page.waitForEvent('popup'), sidebar().locator('#add-leads').click()]);
    await popup.waitForURL(/\/oauth\/v2\/authorization\?/);
    // What is held now, plus the Lead Sync scope alone.
    expect(new URL(popup.url()).searchParams.get('scope')).toBe(
      'r_ads r_ads_reporting r_organization_social rw_organization_admin r_marketing_leadgen_automation',
    );
    await popup.locator('#allow').click();
    await sidebar().locator('#missing-leads').waitFor({ state: 'detached', timeout: 15_000 });
    await sidebar().locator('#new-report').click();
    await sidebar().locator('#report-stream').selectOption('ads:lead_form_responses');
    expect(await sidebar().locator('.hint', { hasText: 'Lead forms access' }).count()).toBe(0);
    const account = sidebar().locator('#account-list label', { hasText: HOSTILE });
    await account.waitFor({ timeout: 15_000 });
    await account.locator('input').check();
    expect(await sidebar().locator('#report-pivot').count()).toBe(0);
    expect(await sidebar().locator('#report-granularity').count()).toBe(0);
    await sidebar().locator('#report-preset').selectOption('incremental');
    await sidebar().locator('#report-sheet').fill('Leads');
    await sidebar().locator('#save-report').click();
    const card = sidebar().locator('.card', { hasText: 'Lead form responses' });
    await card.locator('.run').click();
    await sidebar()
      .locator('#reports-message', { hasText: 'rows written to “Leads”' })
      .waitFor({ timeout: 30_000 });
    await page.locator('#tabs button[data-tab="Leads"]').click();
    await page.locator('#grid-table tr:nth-child(3)').waitFor({ timeout: 10_000 });
    expect(await page.locator('#grid-table tr:first-child td').allTextContents()).toEqual([
      'Submitted at',
      'Response ID',
      'Ad account ID',
      'Form ID',
      'Form',
      'Campaign ID',
      'Campaign',
      'Question ID',
      'Field',
      'Question',
      'Answer',
      'Test lead',
    ]);
    await shot('7c-lead-form-responses');
    // Deleted again: the tests after this one count the reports.
    await card.locator('.delete').click();
    await sidebar().locator('.confirm button.danger').click();
    await card.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('says which Google permission an action needs when the preview’s consent screen leaves it unticked', async () => {
    const permission = page.locator('#google-permission-list input[value$="script.external_request"]');
    await page.locator('#google-permissions summary').click();
    const saved = () => page.waitForResponse((answer) => answer.url().endsWith('/api/permissions'));
    await Promise.all([saved(), permission.uncheck()]);
    await sidebar().locator('#check-connection').click();
    const said = sidebar().locator('#connection-message');
    await said.filter({ hasText: 'Connect to an external service' }).waitFor();
    expect(await said.textContent()).toBe(
      'Connecting to LinkedIn needs Google’s permission to “Connect to an external service”, which LinkedIn Data was not given. Choose Extensions > LinkedIn Data > Grant permissions, tick it when Google asks, then try again.',
    );
    await shot('7-permission-missing');
    await Promise.all([saved(), permission.check()]);
    await sidebar().locator('#check-connection').click();
    await said.filter({ hasText: 'Connection works.' }).waitFor();
  });

  it('disconnects', async () => {
    await sidebar().locator('#disconnect').click();
    await sidebar().locator('#confirm-disconnect-yes').click();
    await sidebar().locator('#connection-state', { hasText: 'LinkedIn is not connected.' }).waitFor();
    // The reports stay listed, Run now disabled until the next sign-in.
    await sidebar().locator('#reports-disconnected').waitFor();
    expect(await sidebar().locator('.card .run:disabled').count()).toBe(3);
    // The last run's words and bar spoke of the connection before: they go.
    expect(await sidebar().locator('#reports-message').count()).toBe(0);
    expect(await sidebar().locator('#run-progress').count()).toBe(0);
    // As the confirmation said, the daily report waits for the next sign-in instead of failing.
    expect(
      await sidebar()
        .locator('.card', { hasText: 'LinkedIn Ads: Ad analytics' })
        .locator('[data-part="schedule"]')
        .textContent(),
    ).toMatch(/^Daily at .* · paused until you sign in with LinkedIn$/);
    await shot('8-disconnected');
  });

  it('connects again the manual way: an access token from the OAuth 2.0 tools page, pasted', async () => {
    await page.locator('#tools-page summary').click();
    const token = (await page.locator('#tools-page-token').textContent())!;
    expect(token).toMatch(/^\S{8,}$/);
    await sidebar().locator('#manual-token summary').click();
    await sidebar().locator('#pasted-token').fill(token);
    await sidebar().locator('#paste-access').click();
    await sidebar()
      .locator('#connection-state', { hasText: 'Connected to LinkedIn.' })
      .waitFor({ timeout: 15_000 });
    // A pasted access token does not renew itself: the panel says when it ends instead.
    expect(await sidebar().locator('#connection-access').textContent()).not.toContain('Stays connected for');
    expect(await sidebar().locator('#connection-access').textContent()).toMatch(/\d+ days/);
    await shot('9-connected-by-pasted-token');
  });

  it('keeps the reports listed when the connection has expired: the failed run’s error, pausing and deleting', async () => {
    // The pasted access token runs out: the daily run of “LinkedIn Ads: Ad analytics” fails on it.
    const expiredAt = Math.floor(preview.world.clock.now() / 1000) - 60;
    preview.world.execute(PREVIEW_USER, (scope: Scope) => {
      const token = JSON.parse(scope.PropertiesService.getUserProperties().getProperty('oauth2.linkedin'));
      const expired = JSON.stringify({ ...token, expiresAt: expiredAt });
      scope.PropertiesService.getUserProperties().setProperty('oauth2.linkedin', expired);
      scope.CacheService.getUserCache().put('oauth2.linkedin', expired, 21600);
    });
    const before = preview.world.clock.now();
    await page.locator('#advance-day').click();
    await page
      .locator('#status', { hasText: new Date(before + 86_400_000).toISOString().slice(0, 10) })
      .waitFor({ timeout: 30_000 });
    // The sidebar opened again, as the user does after the failure email.
    await page.reload();
    await sidebar().locator('#connection-state.error', { hasText: 'expired' }).waitFor({ timeout: 15_000 });
    const failed = sidebar().locator('.card', { hasText: 'LinkedIn Ads: Ad analytics' });
    await failed.waitFor({ timeout: 15_000 });
    expect(await sidebar().locator('#reports').isVisible()).toBe(true);
    expect(await sidebar().locator('.card .card-title').allTextContents()).toEqual([
      'LinkedIn Ads: Ad analytics',
      'Follower gains',
      'LinkedIn Ads: Campaigns',
    ]);
    expect(await failed.locator('[data-part="attempt"]').textContent()).toMatch(/\(failed\)$/);
    expect(await failed.locator('[data-part="error"]').textContent()).toMatch(
      /^The LinkedIn connection has expired\./,
    );
    // What needs LinkedIn is disabled, with the reason; the rest works.
    const reason =
      'Sign in with LinkedIn above to run reports or build new ones. You can still edit them, change their schedule or delete them.';
    expect(await sidebar().locator('#reports-disconnected').textContent()).toBe(reason);
    expect(await sidebar().locator('#sign-in').textContent()).toBe('Sign in with LinkedIn');
    expect(
      await sidebar()
        .locator('.card .run')
        .evaluateAll((runs) => runs.map((run) => run.hasAttribute('disabled'))),
    ).toEqual([true, true, true]);
    expect(await failed.locator('.run').getAttribute('title')).toBe(reason);
    expect(await sidebar().locator('#new-report').isDisabled()).toBe(true);
    expect(await sidebar().locator('#run-all').isDisabled()).toBe(true);
    await shot('10-connection-expired');
    await harness.shot('10-connection-expired-sidebar', 'sidebar');
    // Paused without LinkedIn: the builder keeps the chosen account it cannot list.
    await failed.locator('.edit').click();
    expect(await sidebar().locator('#account-list').textContent()).toBe(
      'Sign in with LinkedIn above to list your ad accounts. Saving keeps the ones the report reads.',
    );
    // A step to take, not a failure: muted, not red.
    expect(await sidebar().locator('#account-list p').getAttribute('class')).toBe('muted');
    await sidebar().locator('#report-schedule').selectOption('none');
    await sidebar().locator('#save-report').click();
    await sidebar().locator('#reports-message', { hasText: 'Report saved.' }).waitFor();
    expect(await failed.locator('[data-part="schedule"]').textContent()).toBe('Not scheduled');
    // Its last error stays until a run works again.
    expect(await failed.locator('[data-part="error"]').count()).toBe(1);
    // Deleted without LinkedIn.
    const campaigns = sidebar().locator('.card', { hasText: 'LinkedIn Ads: Campaigns' });
    await campaigns.locator('.delete').click();
    await campaigns.locator('.confirm .danger').click();
    await sidebar().locator('#reports-message', { hasText: 'Deleted.' }).waitFor();
    expect(await sidebar().locator('.card .card-title').allTextContents()).toEqual([
      'LinkedIn Ads: Ad analytics',
      'Follower gains',
    ]);
    await harness.shot('11-paused-and-deleted-while-expired', 'sidebar');
  });
});
