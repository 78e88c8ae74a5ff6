import type { Route } from 'playwright-core';
import type { ReportSummary } from '../../src/server/main';
import type { Progress } from '../../src/server/reports/runner';
import type { Catalog } from '../../src/sidebar/draft';
import { SCOPES } from '../../sandbox/apps-script/scopes';
import { PREVIEW_USER } from '../../sandbox/preview/server';
import { ReportStore } from '../../src/server/reports/store';
import { analyticsReport } from '../helpers/reports';
import { connectThroughPopup, type Harness, openHarness } from './harness';

let harness: Harness;
let catalog: Catalog;

beforeAll(async () => {
  // The page's clock is Playwright's, so the list's 30 s poll can be fast-forwarded.
  harness = await openHarness({}, (page) => page.clock.install());
  await harness.sidebar().locator('#product-pages').check();
  await connectThroughPopup(harness);
  catalog = await harness.call<Catalog>('getCatalog');
});

afterAll(() => harness?.close());

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const sidebar = () => harness.sidebar();
const card = (name: string) => sidebar().locator('.card', { hasText: name });
const value = (id: string) => sidebar().locator(id).inputValue();
const checked = (id: string) => sidebar().locator(id).isChecked();
const reports = () => harness.call<ReportSummary[]>('listReports');

async function newReport(name: string, sheetName: string, account = 'Co. Ads 2'): Promise<void> {
  await sidebar().locator('#new-report').click();
  await sidebar().locator('#report-name').fill(name);
  await sidebar().locator('#account-list label', { hasText: account }).locator('input').check();
  await sidebar().locator('#report-sheet').fill(sheetName);
}

/** Stands in for the runner on the two run calls, one answer per call, each after `delayMs`. */
async function fakeRun(steps: Array<Partial<Progress>>, delayMs: number): Promise<() => Promise<void>> {
  const answer = async (route: Route) => {
    const [reportId] = route.request().postDataJSON() as [string];
    const step = steps.length > 1 ? steps.shift()! : steps[0];
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const progress: Progress = {
      reportId,
      runId: 'fake-run',
      status: 'running',
      requestsDone: 0,
      requestsPlanned: 38,
      rowsWritten: 0,
      message: null,
      ...step,
    };
    await route.fulfill({ json: { ok: true, value: progress } });
  };
  await harness.page.route('**/api/run/runReportNow', answer);
  await harness.page.route('**/api/run/continueReport', answer);
  return async () => {
    await harness.page.unroute('**/api/run/runReportNow');
    await harness.page.unroute('**/api/run/continueReport');
  };
}

/** Marks an element so a later check can tell whether it was redrawn (a new element) meanwhile. */
const mark = (id: string) =>
  sidebar()
    .locator(id)
    .evaluate((element) => element.setAttribute('data-marked', 'yes'));

describe('the reports panel in Chromium, 300 px wide', () => {
  it('keeps every field as the user left it when the server refuses, the message beside the field at fault', async () => {
    await newReport('Reach by seniority', 'Seniority');
    await sidebar().locator('#report-preset').selectOption('last_7_days');
    await sidebar().locator('#field-approximateMemberReach').check();
    // Ticked before the breakdown changed: it stays ticked, and Save says why it cannot be.
    await sidebar().locator('#report-pivot').selectOption('MEMBER_SENIORITY');
    // Boxes LinkedIn does not give by seniority cannot be ticked, and "All" leaves them out.
    expect(await sidebar().locator('#field-cardClicks').isDisabled()).toBe(true);
    expect(
      await sidebar()
        .locator('label', { has: sidebar().locator('#field-cardClicks') })
        .textContent(),
    ).toBe(' Card clicks · not by this breakdown');
    // The metric ticked before is named above the list, with a way to untick it, and marked among the columns.
    expect(await sidebar().locator('#not-offered').textContent()).toBe(
      '“Reach (approx.)” is not given by seniority. Untick it',
    );
    expect(await sidebar().locator('#metric-order li.not-offered').allTextContents()).toEqual([
      expect.stringContaining('Reach (approx.)'),
    ]);
    const tickedIds = () =>
      sidebar()
        .locator('#field-list input:checked')
        .evaluateAll((boxes) => boxes.map((box) => box.id));
    const before = await tickedIds();
    await sidebar().locator('#all-Clicks').click();
    expect(await checked('#field-cardClicks')).toBe(false);
    expect(await checked('#field-landingPageClicks')).toBe(true);
    for (const id of (await tickedIds()).filter((id) => !before.includes(id)))
      await sidebar().locator(`#${id}`).uncheck();
    expect(await tickedIds()).toEqual(before);
    await sidebar().locator('#save-report').click();
    const problem = sidebar().locator('#problem-fields');
    await problem.waitFor();
    // The catalog's label, no class-name prefix, no API field name.
    expect(await problem.textContent()).toBe(
      'LinkedIn does not offer “Reach (approx.)” by seniority: it is given only by breakdowns that are not about members (not by member company, company size, industry, seniority, job or location). Remove it or pick another breakdown.',
    );
    expect(await sidebar().locator('#builder').textContent()).not.toMatch(/approximateMemberReach|Error:/);
    expect(await value('#report-name')).toBe('Reach by seniority');
    expect(await value('#report-pivot')).toBe('MEMBER_SENIORITY');
    expect(await value('#report-preset')).toBe('last_7_days');
    expect(await value('#report-sheet')).toBe('Seniority');
    expect(await checked('#field-approximateMemberReach')).toBe(true);
    expect(await sidebar().locator('#account-list input:checked').count()).toBe(1);
    await harness.shot('r1-refusal-keeps-input');
    // The message goes once the user changes the field it is about.
    await sidebar().locator('#field-approximateMemberReach').uncheck();
    expect(await sidebar().locator('.problem').count()).toBe(0);
    expect(await sidebar().locator('#not-offered').isHidden()).toBe(true);
    await sidebar().locator('#save-report').click();
    await card('Reach by seniority').waitFor();
  });

  it('refuses a tab another report writes and a bad tab name beside the tab, keeping the rest', async () => {
    await newReport('Second on the same tab', 'Seniority');
    await sidebar().locator('#save-report').click();
    await sidebar().locator('#problem-sheet').waitFor();
    expect(await sidebar().locator('#problem-sheet').textContent()).toBe(
      'The report “Reach by seniority” already writes to the tab “Seniority”. Choose another tab.',
    );
    expect(await value('#report-name')).toBe('Second on the same tab');
    expect(await sidebar().locator('#account-list input:checked').count()).toBe(1);
    await sidebar().locator('#report-sheet').fill('Q3: leads');
    await sidebar().locator('#save-report').click();
    await sidebar().locator('#problem-sheet', { hasText: 'Tab names cannot hold' }).waitFor();
    expect(await sidebar().locator('.problem').allTextContents()).toEqual([
      'Tab names cannot hold [ ] * ? : / \\ or pass 100 characters.',
    ]);
    expect(await value('#report-sheet')).toBe('Q3: leads');
    await sidebar().locator('#cancel-edit').click();
  });

  it('unticks in one click the metrics a new breakdown does not give, so Save goes through', async () => {
    await newReport('Rates by device', 'Devices');
    await sidebar().locator('#field-conversionRate').check();
    await sidebar().locator('#field-clickThroughRate').check();
    await sidebar().locator('#report-pivot').selectOption('IMPRESSION_DEVICE_TYPE');
    const notice = sidebar().locator('#not-offered');
    expect(await notice.textContent()).toMatch(
      /^“Conversion rate” and “Conversions” are not given by device type\. Untick these 2$/,
    );
    await sidebar().locator('#untick-not-offered').click();
    expect(await notice.isHidden()).toBe(true);
    expect([await checked('#field-conversionRate'), await checked('#field-clickThroughRate')]).toEqual([
      false,
      true,
    ]);
    expect(await sidebar().locator('#metric-order li.not-offered').count()).toBe(0);
    await harness.shot('r2-untick-not-offered');
    await sidebar().locator('#save-report').click();
    await card('Rates by device').waitFor();
  });

  it('reads an Apps Script failure without its class-name prefix, in the catalog’s words', async () => {
    await harness.page.route('**/api/run/saveReport', (route) =>
      route.fulfill({
        json: {
          ok: false,
          error:
            'SetupError: Error: LinkedIn does not offer approximateMemberReach with demographic pivots: remove it or pick another pivot.',
        },
      }),
    );
    await newReport('Prefixed refusal', 'Prefixed');
    await sidebar().locator('#save-report').click();
    await sidebar().locator('#problem-fields').waitFor();
    expect(await sidebar().locator('#problem-fields').textContent()).toBe(
      'LinkedIn does not offer “Reach (approx.)” with demographic pivots: remove it or pick another pivot.',
    );
    await harness.page.unroute('**/api/run/saveReport');
    await sidebar().locator('#cancel-edit').click();
  });

  it('never redraws the builder or loses typing while a run reports progress', async () => {
    const stop = await fakeRun(
      [...Array.from({ length: 30 }, (_, step) => ({ requestsDone: step })), { requestsDone: 30 }],
      150,
    );
    await card('Reach by seniority').locator('.run').click();
    await sidebar().locator('#progress-text', { hasText: '38 requests' }).waitFor();
    await sidebar().locator('#new-report').click();
    await mark('#report-name');
    await sidebar().locator('#report-name').fill('');
    const before = await sidebar().locator('#progress-text').textContent();
    await sidebar().locator('#report-name').pressSequentially('Typed during a run', { delay: 80 });
    expect(await sidebar().locator('#progress-text').textContent()).not.toBe(before);
    expect(await value('#report-name')).toBe('Typed during a run');
    expect(await sidebar().locator('#report-name').getAttribute('data-marked')).toBe('yes');
    expect(await harness.frame().evaluate(() => document.activeElement?.id)).toBe('report-name');
    await harness.shot('r2-typing-during-run');
    await sidebar().locator('#cancel-run').click();
    await sidebar().locator('#reports-message', { hasText: 'Run cancelled' }).waitFor({ timeout: 10_000 });
    await stop();
    expect(await value('#report-name')).toBe('Typed during a run');
    await sidebar().locator('#cancel-edit').click();
  });

  it('moves the bar while a long step is under way, at the pace of the step before, and keeps the numbers confirmed', async () => {
    const stop = await fakeRun(
      [
        { requestsDone: 0, requestsPlanned: 0 },
        { requestsDone: 10, requestsPlanned: 40 },
        { requestsDone: 20, requestsPlanned: 40 },
        { status: 'done', requestsDone: 40, requestsPlanned: 40, message: 'Done here.' },
      ],
      4_000,
    );
    /** The bar at one instant: the confirmed part, the step in flight (shares of the bar) and the words. */
    const bar = () =>
      sidebar()
        .locator('#run-progress')
        .evaluate((progress) => {
          const share = (selector: string) => {
            const element = progress.querySelector(selector)!;
            return (
              element.getBoundingClientRect().width / element.parentElement!.getBoundingClientRect().width
            );
          };
          return {
            confirmed: share('.fill'),
            inFlight: share('#progress-in-flight'),
            text: progress.querySelector('#progress-text')!.textContent,
            value: progress.querySelector('.bar')!.getAttribute('aria-valuenow'),
            className: progress.querySelector('.bar')!.getAttribute('class'),
          };
        });
    await card('Reach by seniority').locator('.run').click();
    // Planning: no pace known yet, so the bar sweeps instead of standing at 0%.
    await sidebar().locator('#run-progress .bar.starting').waitFor();
    await sidebar().locator('#progress-text', { hasText: '10 of 40 requests' }).waitFor({ timeout: 15_000 });
    await harness.page.waitForTimeout(1_500);
    const early = await bar();
    await harness.page.waitForTimeout(800);
    const later = await bar();
    await harness.shot('r9-step-in-flight');
    // Still the same step: the solid part and the words are what the server confirmed.
    for (const moment of [early, later])
      expect(moment).toMatchObject({
        text: expect.stringMatching(/^25% · 10 of 40 requests/),
        value: '25',
        className: 'bar',
      });
    expect(early.confirmed).toBeCloseTo(0.25, 1);
    // The last step did 10 of 40 requests in about 4 s: the step in flight grows at that pace, never past 90% of them.
    expect(early.inFlight).toBeGreaterThan(0.03);
    expect(later.inFlight).toBeGreaterThan(early.inFlight);
    expect(later.inFlight).toBeLessThanOrEqual(0.25 * 0.9 + 0.01);
    await sidebar().locator('#reports-message', { hasText: 'Done here.' }).waitFor({ timeout: 20_000 });
    expect((await bar()).inFlight).toBe(0);
    await stop();
  });

  it('says a run finished when it finished before Cancel landed', async () => {
    const stop = await fakeRun(
      [
        { requestsDone: 5 },
        {
          status: 'done',
          requestsDone: 38,
          rowsWritten: 380,
          message: '380 rows written to “Seniority”.',
        },
      ],
      800,
    );
    await card('Reach by seniority').locator('.run').click();
    await sidebar().locator('#cancel-run').click();
    await sidebar().locator('#reports-message').waitFor({ timeout: 10_000 });
    expect(await sidebar().locator('#reports-message').textContent()).toBe(
      'The run finished before it could be cancelled. 380 rows written to “Seniority”.',
    );
    expect(await sidebar().locator('#progress-text').textContent()).toMatch(/^100% · 38 of 38 requests/);
    await stop();
  });

  it('says how far a cancelled run got, from the server’s own counts', async () => {
    const stop = await fakeRun([{ requestsDone: 10, rowsWritten: 100 }], 400);
    await card('Reach by seniority').locator('.run').click();
    await sidebar().locator('#cancel-run').click();
    await sidebar().locator('#reports-message').waitFor({ timeout: 10_000 });
    expect(await sidebar().locator('#reports-message').textContent()).toBe(
      'Run cancelled after 10 of 38 requests. The 100 rows already written stay in the tab.',
    );
    expect(await sidebar().locator('#run-progress').count()).toBe(0);
    await stop();
  });

  it('clears earlier messages from a fresh builder and shows Hour, Day and the disclaimer only when they apply', async () => {
    await harness.page.route('**/api/run/duplicateReport', (route) =>
      route.fulfill({ json: { ok: false, error: 'Error: That report no longer exists.' } }),
    );
    await card('Reach by seniority').locator('.duplicate').click();
    await sidebar().locator('#reports-message', { hasText: 'That report no longer exists.' }).waitFor();
    expect(await sidebar().locator('#reports-message').textContent()).toBe('That report no longer exists.');
    await harness.page.unroute('**/api/run/duplicateReport');
    await sidebar().locator('#new-report').click();
    expect(await sidebar().locator('#reports-message').count()).toBe(0);
    expect(await sidebar().locator('#builder .error:visible').count()).toBe(0);

    const visible = async () =>
      [
        await sidebar().locator('#report-hour').count(),
        await sidebar().locator('#report-weekday').count(),
      ].join(',');
    expect(await visible()).toBe('0,0');
    await sidebar().locator('#report-schedule').selectOption('daily');
    expect(await visible()).toBe('1,0');
    await sidebar().locator('#report-schedule').selectOption('weekly');
    expect(await visible()).toBe('1,1');
    await sidebar().locator('#report-schedule').selectOption('hourly');
    expect(await visible()).toBe('0,0');

    const disclaimer = sidebar().getByText('Demographic breakdowns are approximate', { exact: false });
    expect(await disclaimer.count()).toBe(0);
    await sidebar().locator('#report-pivot').selectOption('MEMBER_INDUSTRY');
    expect(await disclaimer.count()).toBe(1);
    await sidebar().locator('#report-pivot').selectOption('CAMPAIGN');
    expect(await disclaimer.count()).toBe(0);
  });

  it('names a new report after its source until the user types a name, and offers only the periods LinkedIn gives it', async () => {
    const periods = (id: string) => sidebar().locator(`#${id} option`).allTextContents();
    expect(await value('#report-name')).toBe('LinkedIn Ads: Ad analytics');
    expect(await periods('report-granularity')).toEqual(['day', 'month', 'year', 'whole date range']);
    await sidebar().locator('#report-stream').selectOption('pages:follower_gains');
    expect(await value('#report-name')).toBe('LinkedIn Pages: Follower gains');
    expect(await value('#report-sheet')).toBe('LinkedIn Pages - Follower gains');
    expect(await periods('report-page-granularity')).toEqual(['day', 'week', 'month']);
    // A custom start older than LinkedIn keeps page statistics: said before saving.
    await sidebar().locator('#report-preset').selectOption('custom');
    await sidebar().locator('#report-start').fill('2015-01-01');
    await sidebar().locator('#report-end').fill('2015-02-01');
    expect(await sidebar().locator('#history-hint').textContent()).toMatch(
      /^LinkedIn keeps these statistics for the last 12 months: rows will start around 2025-11-\d\d \(at the first whole week or month\), not 2015-01-01\.$/,
    );
    await sidebar().locator('#report-start').fill(catalog.today);
    expect(await sidebar().locator('#history-hint').count()).toBe(0);
    await sidebar().locator('#report-preset').selectOption('last_30_days');
    const wholePeriods = sidebar().getByText('Each row covers a whole', { exact: false });
    expect(await wholePeriods.count()).toBe(0);
    await sidebar().locator('#report-page-granularity').selectOption('WEEK');
    expect(await wholePeriods.textContent()).toBe(
      'Each row covers a whole week from Monday: a run reads from the Monday of the week its range begins in.',
    );
    await harness.shot('r2-whole-weeks', 'sidebar');
    // A stream that has weeks keeps them across a visit to ad analytics.
    await sidebar().locator('#report-stream').selectOption('ads:ad_analytics');
    await sidebar().locator('#report-stream').selectOption('pages:follower_gains');
    expect(await value('#report-page-granularity')).toBe('WEEK');
    // The tab follows the name the user types, without the characters tab names cannot hold.
    await sidebar().locator('#report-name').fill('Q4: page views/visits');
    expect(await value('#report-sheet')).toBe('Q4 page views visits');
    await sidebar().locator('#report-name').fill('My page views');
    await sidebar().locator('#report-stream').selectOption('pages:page_views');
    expect(await value('#report-name')).toBe('My page views');
    expect(await value('#report-sheet')).toBe('My page views');
    // LinkedIn has no weekly page views: the week chosen for follower gains gives way to days.
    expect(await periods('report-page-granularity')).toEqual(['day', 'month']);
    expect(await value('#report-page-granularity')).toBe('DAY');
    expect(await wholePeriods.count()).toBe(0);
    await sidebar().locator('#cancel-edit').press('Enter');
    // Keyboard focus comes back to the list instead of being lost with the form.
    expect(await harness.frame().evaluate(() => document.activeElement?.id)).toBe('new-report');
  });

  it('picks the time of day from a list in the spreadsheet’s time zone, the day of the week before it', async () => {
    await newReport('Hourless', 'Hourless');
    await sidebar().locator('#report-schedule').selectOption('weekly');
    // The time speaks the spreadsheet's time zone, named (the preview's spreadsheet is in UTC).
    expect(await sidebar().locator('label[for="report-hour"]').textContent()).toBe(
      'Time (Etc/UTC, the spreadsheet’s time zone)',
    );
    const hours = await sidebar().locator('#report-hour option').allTextContents();
    expect([hours.length, hours[0], hours[23]]).toEqual([24, '0:00', '23:00']);
    // Read as a sentence: which day, then what time.
    expect(await sidebar().locator('#builder label').allTextContents()).toEqual(
      expect.arrayContaining(['Day', 'Time (Etc/UTC, the spreadsheet’s time zone)']),
    );
    const labels = await sidebar().locator('#builder label').allTextContents();
    expect(labels.indexOf('Day')).toBeLessThan(labels.indexOf('Time (Etc/UTC, the spreadsheet’s time zone)'));
    await sidebar().locator('#report-schedule').selectOption('daily');
    await sidebar().locator('#report-hour').selectOption('9');
    await sidebar().locator('#save-report').click();
    await card('Hourless').waitFor();
    expect(await card('Hourless').locator('[data-part="schedule"]').textContent()).toMatch(
      /^Daily at 9:00 · next /,
    );
  });

  it('counts, selects per group and clears metrics, explains them on hover and keeps the catalog’s order', async () => {
    const analytics = catalog.streams.find((stream) => stream.id === 'ad_analytics')!;
    const metrics = analytics.fields.filter((field) => field.group !== 'Row');
    const defaults = metrics.filter((field) => field.byDefault).length;
    await sidebar().locator('#new-report').click();
    expect(await sidebar().locator('#field-count').textContent()).toBe(`${defaults} metrics selected`);
    const reach = metrics.find((field) => field.key === 'approximateMemberReach')!;
    expect(
      await sidebar()
        .locator('#field-list label', { has: sidebar().locator('#field-approximateMemberReach') })
        .getAttribute('title'),
    ).toBe(reach.description);

    const delivery = metrics.filter((field) => field.group === 'Delivery');
    await sidebar().locator('#all-Delivery').click();
    const added = delivery.filter((field) => !field.byDefault).length;
    expect(await sidebar().locator('#field-count').textContent()).toBe(
      `${defaults + added} metrics selected`,
    );
    for (const field of delivery) expect(await checked(`#field-${field.key}`)).toBe(true);
    await sidebar().locator('#clear-fields').click();
    expect(await sidebar().locator('#field-count').textContent()).toBe('0 metrics selected');

    const picked = [metrics[0], metrics[7], metrics[12]].map((field) => field.key);
    for (const key of [...picked].reverse()) await sidebar().locator(`#field-${key}`).check();
    expect(await sidebar().locator('#field-count').textContent()).toBe('3 metrics selected');
    await sidebar().locator('#report-name').fill('Order test');
    await sidebar().locator('#account-list label', { hasText: 'Co. Ads 2' }).locator('input').check();
    await sidebar().locator('#report-sheet').fill('Order');
    await sidebar().locator('#save-report').click();
    await card('Order test').waitFor();
    const saved = (await reports()).find((summary) => summary.config.name === 'Order test')!;
    expect(saved.config.fields).toEqual(picked);
  });

  it('shows on each card what the report is, and its last success and attempt apart', async () => {
    const order = card('Order test');
    const part = (name: string) => order.locator(`[data-part="${name}"]`).textContent();
    expect(await part('what')).toBe('LinkedIn Ads · Ad analytics by Campaign, per day · Last 30 days');
    // No run yet, so no tab: the card says so instead of offering a link to nothing.
    expect(await part('tab')).toBe('Tab “Order” is not in the spreadsheet: Run now makes it.');
    expect(await order.locator('.open-tab').count()).toBe(0);
    expect(await part('schedule')).toBe('Not scheduled');
    expect(await part('success')).toBe('Last success: never');
    expect(await part('attempt')).toBe('Last attempt: never');
    await order.locator('.run').click();
    await sidebar().locator('#reports-message', { hasText: 'rows written' }).waitFor({ timeout: 30_000 });
    const gridRows = Number(
      /\((\d+) rows\)/.exec(
        (await harness.page.locator('#tabs button[data-tab="Order"]').textContent())!,
      )![1],
    );
    expect(gridRows).toBeGreaterThan(0);
    expect(await part('tab')).toBe(`Tab “Order” · ${gridRows.toLocaleString('en-US')} rows`);
    expect(await part('success')).not.toBe('Last success: never');
    expect((await part('attempt'))!.replace('attempt', 'success')).toBe(await part('success'));
    await harness.shot('r3-cards');
  });

  it('orders metric columns by dragging and by keyboard, the sheet’s header in that order', async () => {
    const orderOf = () =>
      sidebar()
        .locator('#metric-order li')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-key')));
    await newReport('Column order', 'Columns');
    await sidebar().locator('#clear-fields').click();
    // Nothing chosen, nothing to order.
    expect(await sidebar().locator('#metric-order').isVisible()).toBe(false);
    for (const key of ['costInUsd', 'clicks', 'impressions'])
      await sidebar().locator(`#field-${key}`).check();
    // Ticked in any order, the columns start in the catalog's order.
    expect(await orderOf()).toEqual(['impressions', 'clicks', 'costInUsd']);
    const item = (key: string) => sidebar().locator(`#metric-order li[data-key="${key}"]`);
    await item('costInUsd').dragTo(item('impressions'));
    expect(await orderOf()).toEqual(['costInUsd', 'impressions', 'clicks']);
    await harness.shot('r6-column-order-dragged');
    // Keyboard: the arrow buttons move a metric, and focus stays on the metric moved.
    await sidebar().locator('#move-down-impressions').focus();
    await harness.page.keyboard.press('Enter');
    expect(await orderOf()).toEqual(['costInUsd', 'clicks', 'impressions']);
    expect(await harness.frame().evaluate(() => document.activeElement?.id)).toBe('move-up-impressions');
    await harness.page.keyboard.press('Enter');
    expect(await orderOf()).toEqual(['costInUsd', 'impressions', 'clicks']);
    // A metric ticked now goes after its nearest chosen neighbour in the catalog, leaving the user's order.
    await sidebar().locator('#field-landingPageClicks').check();
    expect(await orderOf()).toEqual(['costInUsd', 'landingPageClicks', 'impressions', 'clicks']);
    await sidebar().locator('#save-report').click();
    await card('Column order').waitFor();
    const saved = (await reports()).find((summary) => summary.config.name === 'Column order')!;
    expect(saved.config.fields).toEqual(['costInUsd', 'landingPageClicks', 'impressions', 'clicks']);
    // Edit keeps the saved order.
    await card('Column order').locator('.edit').click();
    expect(await orderOf()).toEqual(['costInUsd', 'landingPageClicks', 'impressions', 'clicks']);
    await sidebar().locator('#cancel-edit').click();
    await card('Column order').locator('.run').click();
    await sidebar().locator('#reports-message', { hasText: 'rows written' }).waitFor({ timeout: 30_000 });
    // The card's tab link shows the tab in the spreadsheet; the grid beside follows Sheets' active tab.
    await harness.page.locator('#tabs button[data-tab="Order"]').click();
    await card('Column order').locator('.open-tab').click();
    await sidebar().locator('#reports-message', { hasText: 'Showing the tab “Columns”' }).waitFor();
    await harness.page.locator('#tabs button.active[data-tab="Columns"]').waitFor();
    const header = await harness.page
      .locator('#grid-table tr')
      .first()
      .locator('td')
      .evaluateAll((cells) => cells.map((cell) => cell.textContent));
    expect(header).toEqual([
      'Date',
      'Campaign ID',
      'Campaign',
      'Cost (USD)',
      'Landing page clicks',
      'Impressions',
      'Clicks',
    ]);
    await harness.shot('r7-tab-opened-from-card');
  });

  it('warns before saving that rows per month would rebuild the tab, and how many rows it removes', async () => {
    const columns = card('Column order');
    await columns.locator('.edit').click();
    const warning = sidebar().locator('#rebuild-warning');
    expect(await warning.isHidden()).toBe(true);
    await sidebar().locator('#report-granularity').selectOption('MONTHLY');
    const rows = (await reports()).find((summary) => summary.config.name === 'Column order')!.state.tableRows;
    await warning.waitFor();
    expect(await warning.textContent()).toBe(
      `Saving this gives it rows per month instead of per day, so its next run rebuilds the tab “Columns”: the ${rows} rows there now are removed, and only the days that run reads are written.`,
    );
    await harness.shot('r7-rebuild-warning', 'sidebar');
    await sidebar().locator('#report-granularity').selectOption('DAILY');
    await warning.waitFor({ state: 'hidden' });
    // A metric unticked: its column goes with its values, the rows stay.
    await sidebar().locator('#field-landingPageClicks').uncheck();
    await warning.waitFor();
    expect(await warning.textContent()).toBe(
      `Saving this removes “Landing page clicks” with the values in it from the tab “Columns” at its next run; its ${rows} rows stay.`,
    );
    await sidebar().locator('#field-landingPageClicks').check();
    await warning.waitFor({ state: 'hidden' });
    await sidebar().locator('#cancel-edit').click();
  });

  it('says on saving that the next run reorders the columns, keeping the rows, and keeps the run’s note on the card', async () => {
    const columns = card('Column order');
    await columns.locator('.edit').click();
    await sidebar().locator('#move-down-costInUsd').click();
    await sidebar().locator('#save-report').click();
    await sidebar().locator('#reports-message', { hasText: 'Report saved.' }).waitFor();
    expect(await sidebar().locator('#reports-message').textContent()).toBe(
      'Report saved. Its next run puts the columns in their new order in the tab “Columns”; rows of earlier runs stay.',
    );
    await harness.shot('r7-reorder-notice', 'sidebar');
    await columns.locator('.run').click();
    await sidebar().locator('#reports-message', { hasText: 'rows written' }).waitFor({ timeout: 30_000 });
    expect(await columns.locator('[data-part="note"]').textContent()).toBe('Columns put in their new order.');
    await harness.shot('r7-reordered-card', 'sidebar');
  });

  it('says on the card when its tab is gone, and when the link finds it gone', async () => {
    const columns = card('Column order');
    // Deleted behind the sidebar's back: the link still shows until the list refreshes, and then says why.
    harness.preview.world.execute('ann@example.com', (scope: Scope) => {
      const spreadsheet = scope.SpreadsheetApp.getActive();
      spreadsheet.deleteSheet(spreadsheet.getSheetByName('Columns'));
    });
    await columns.locator('.open-tab').click();
    await sidebar()
      .locator('#reports-message', {
        hasText:
          'The tab “Columns” is not in this spreadsheet: it was deleted or renamed, or the report has not run yet. Run it to make the tab.',
      })
      .waitFor();
    await sidebar().locator('#refresh-reports').click();
    await columns
      .locator('[data-part="tab"]', {
        hasText: 'Tab “Columns” is not in the spreadsheet (deleted or renamed?): Run now makes it.',
      })
      .waitFor();
    expect(await columns.locator('.open-tab').count()).toBe(0);
    await harness.shot('r8-card-tab-missing');
  });

  it('refreshes the list on demand and by itself, leaving an open builder alone', async () => {
    const template = (await reports()).find((summary) => summary.config.name === 'Order test')!.config;
    const saveElsewhere = (name: string) =>
      harness.call('saveReport', { ...template, id: '', name, sheetName: name });
    await saveElsewhere('Saved elsewhere');
    expect(await card('Saved elsewhere').count()).toBe(0);
    await sidebar().locator('#refresh-reports').click();
    await card('Saved elsewhere').waitFor();

    await sidebar().locator('#new-report').click();
    await mark('#report-name');
    await sidebar().locator('#report-name').fill('Still typing');
    await saveElsewhere('Saved while building');
    await harness.page.clock.fastForward(31_000);
    await harness.page.waitForTimeout(500);
    expect(await value('#report-name')).toBe('Still typing');
    expect(await sidebar().locator('#report-name').getAttribute('data-marked')).toBe('yes');
    await sidebar().locator('#cancel-edit').click();
    await card('Saved while building').waitFor();

    await saveElsewhere('Saved while idle');
    await harness.page.clock.fastForward(31_000);
    await card('Saved while idle').waitFor();
  });

  it('lets a message above the list go after two minutes, the cards keeping what lasts', async () => {
    await card('Order test').locator('.edit').click();
    await sidebar().locator('#save-report').click();
    await sidebar().locator('#reports-message', { hasText: 'Report saved.' }).waitFor();
    await harness.page.clock.fastForward(61_000);
    await harness.page.waitForTimeout(300);
    expect(await sidebar().locator('#reports-message').textContent()).toBe('Report saved.');
    await harness.page.clock.fastForward(90_000);
    await sidebar().locator('#reports-message').waitFor({ state: 'detached' });
  });

  it('edits, duplicates and deletes a report from its card', async () => {
    await card('Hourless').locator('.edit').click();
    expect(await value('#report-hour')).toBe('9');
    await sidebar().locator('#report-name').fill('Nine o’clock');
    await sidebar().locator('#save-report').click();
    await card('Nine o’clock').waitFor();
    expect(await card('Nine o’clock').locator('[data-part="tab"]').textContent()).toMatch(/^Tab “Hourless”/);

    await card('Nine o’clock').locator('.duplicate').click();
    const copy = card('Nine o’clock (copy)');
    await copy.waitFor();
    expect(await copy.locator('[data-part="tab"]').textContent()).toBe(
      'Tab “Hourless (copy)” is not in the spreadsheet: Run now makes it.',
    );
    expect(await copy.locator('[data-part="schedule"]').textContent()).toBe('Not scheduled');

    // Delete asks inside the card (HtmlService's frames may block confirm()); "Cancel" keeps it.
    const dialogs: string[] = [];
    harness.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await copy.locator('.delete').click();
    await copy
      .locator('[role="alertdialog"]', {
        hasText: 'Delete “Nine o’clock (copy)”? The tab and its rows stay.',
      })
      .waitFor();
    await copy.locator('button', { hasText: 'Cancel' }).click();
    await copy.locator('.delete').waitFor();
    await copy.locator('.delete').click();
    await copy.locator('button.danger', { hasText: 'Delete' }).click();
    await sidebar().locator('#reports-message', { hasText: 'Deleted.' }).waitFor();
    expect(dialogs).toEqual([]);
    expect(await copy.count()).toBe(0);
    expect((await reports()).map((summary) => summary.config.name)).not.toContain('Nine o’clock (copy)');
  });

  it('runs all reports one after the other', async () => {
    const names = (await reports()).map((summary) => summary.config.name);
    await sidebar().locator('#run-all').click();
    await sidebar().locator('#reports-message').waitFor({ timeout: 60_000 });
    const said = (await sidebar().locator('#reports-message').textContent())!;
    // One line per report, in the list's order.
    expect(said.split('\n').map((line) => line.split(': ')[0])).toEqual(names);
    for (const name of names)
      expect(await card(name).locator('[data-part="success"]').textContent()).not.toBe('Last success: never');
  });

  it('brings the run’s bar and message into view when a card lower down is run', async () => {
    const names = (await reports()).map((summary) => summary.config.name);
    const last = card(names[names.length - 1]);
    await last.scrollIntoViewIfNeeded();
    const inView = (id: string) =>
      harness
        .frame()
        .locator(id)
        .evaluate((element) => {
          const box = element.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        });
    expect(await inView('#reports-status')).toBe(false);
    await last.locator('.run').click();
    await sidebar().locator('#reports-message').waitFor({ timeout: 60_000 });
    expect(await inView('#reports-message')).toBe(true);
  });

  it('shows which report of how many Run all is on, and names those a Cancel left unrun', async () => {
    const names = (await reports()).map((summary) => summary.config.name);
    expect(names.length).toBeGreaterThan(2);
    const stop = await fakeRun([{ requestsDone: 10, rowsWritten: 100 }], 400);
    await sidebar().locator('#run-all').click();
    await sidebar()
      .locator('#progress-name', { hasText: `${names[0]} (report 1 of ${names.length})` })
      .waitFor({ timeout: 10_000 });
    await sidebar().locator('#cancel-run').click();
    await sidebar().locator('#reports-message').waitFor({ timeout: 10_000 });
    const lines = (await sidebar().locator('#reports-message').textContent())!.split('\n');
    expect(lines).toEqual([
      `${names[0]}: Run cancelled after 10 of 38 requests. The 100 rows already written stay in the tab.`,
      `Not run, as cancelled: ${names.slice(1).join(', ')}.`,
    ]);
    await stop();
  });

  it('fits 300 px without horizontal scroll, card buttons on one row inside the card, keyboard focus visible', async () => {
    const overflow = () =>
      harness.frame().evaluate(() => {
        const page = document.documentElement;
        const cards = Array.from(document.querySelectorAll('.card'));
        const outside = cards.flatMap((card) =>
          Array.from(card.querySelectorAll('.actions button'))
            .filter(
              (button, _, all) =>
                button.getBoundingClientRect().right > card.getBoundingClientRect().right ||
                button.getBoundingClientRect().top !== all[0].getBoundingClientRect().top,
            )
            .map((button) => button.textContent),
        );
        return { scroll: page.scrollWidth - page.clientWidth, width: page.clientWidth, outside };
      });
    expect(await overflow()).toEqual({ scroll: 0, width: 300, outside: [] });
    await sidebar().locator('#refresh-reports').focus();
    await harness.page.keyboard.press('Tab');
    const focus = await harness.frame().evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return `${document.activeElement!.textContent} ${style.outlineStyle} ${style.outlineWidth}`;
    });
    // Every report has run (Run all), so the first card starts with the link to its tab.
    expect(focus).toBe('Tab “Seniority” solid 2px');
    await harness.shot('r4-cards-300px');
    await sidebar().locator('#new-report').click();
    expect((await overflow()).scroll).toBe(0);
    await harness.shot('r5-builder-300px');
    await sidebar().locator('#cancel-edit').click();
  });

  it('finishes a run left unfinished (sidebar closed mid-run) when the sidebar opens again', async () => {
    const [first] = await reports();
    // A "Run now" whose sidebar was closed after its first answer: the job is there, nobody steps it.
    await harness.call('runReportNow', first.config.id);
    expect(
      (await reports()).find((summary) => summary.config.id === first.config.id)!.running,
    ).not.toBeNull();
    await harness.page.reload();
    await sidebar()
      .locator('#reports-message', { hasText: `rows written to “${first.config.sheetName}”` })
      .waitFor({ timeout: 60_000 });
    expect((await reports()).find((summary) => summary.config.id === first.config.id)!.running).toBeNull();
  });

  it('offers to take over a tab of other data and to replace the table each run, and saves both', async () => {
    harness.preview.world.execute('ann@example.com', (scope: Scope) =>
      scope.SpreadsheetApp.getActive().insertSheet('Budget').getRange(1, 1).setValue('Q1 plan'),
    );
    await newReport('Into the budget tab', 'Budget');
    await sidebar().locator('#report-sheet').dispatchEvent('change');
    await sidebar().locator('#report-take-over').waitFor();
    expect(await sidebar().locator('#sheet-warning').textContent()).toBe(
      'The tab “Budget” already holds other data. Pick another tab, or take it over below.',
    );
    await sidebar().locator('#save-report').click();
    await sidebar().locator('#problem-sheet').waitFor();
    expect(await sidebar().locator('#problem-sheet').textContent()).toContain('tick “take over this tab”');
    await sidebar().locator('#report-take-over').check();
    await sidebar().locator('#report-write-mode').selectOption('replace');
    await sidebar().locator('#save-report').click();
    await card('Into the budget tab').waitFor();
    const saved = (await reports()).find((summary) => summary.config.name === 'Into the budget tab')!;
    expect(saved.config).toMatchObject({ sheetName: 'Budget', writeMode: 'replace' });
    expect(
      harness.preview.world.execute('ann@example.com', (scope: Scope) =>
        scope.SpreadsheetApp.getActive().getSheetByName('Budget').getLastRow(),
      ),
    ).toBe(0);
  });

  it('says, before saving and without offering to take it over, that another report writes to the tab', async () => {
    await newReport('Second into budget', 'Budget');
    await sidebar().locator('#report-sheet').dispatchEvent('change');
    await sidebar().locator('#problem-sheet').waitFor();
    expect(await sidebar().locator('#problem-sheet').textContent()).toBe(
      'The report “Into the budget tab” already writes to the tab “Budget”. Choose another tab.',
    );
    expect(await sidebar().locator('#report-take-over').count()).toBe(0);
    expect(await sidebar().locator('#sheet-warning').textContent()).toBe('');
    await sidebar().locator('#report-sheet').fill('Budget 2');
    await sidebar().locator('#report-sheet').dispatchEvent('change');
    await sidebar().locator('#problem-sheet').waitFor({ state: 'detached' });
    await sidebar().locator('#cancel-edit').click();
  });

  it('refuses to save a report the spreadsheet has no room for, with the numbers beside the metrics, and saves it once there is room', async () => {
    const world = harness.preview.world;
    // The spreadsheet is filled, by a tab of the user's own, to 500 cells short of Google's 10 million.
    world.execute('ann@example.com', (scope: Scope) => {
      const spreadsheet = scope.SpreadsheetApp.getActive();
      const cells = (
        spreadsheet.getSheets() as Array<{ getMaxRows(): number; getMaxColumns(): number }>
      ).reduce((total, sheet) => total + sheet.getMaxRows() * sheet.getMaxColumns(), 0);
      const filler = spreadsheet.insertSheet('Filler');
      filler.deleteColumns(2, filler.getMaxColumns() - 1);
      filler.insertRowsAfter(1, 10_000_000 - 500 - cells - filler.getMaxRows());
    });
    await newReport('Creatives this month', 'Creatives');
    await sidebar().locator('#report-pivot').selectOption('CREATIVE');
    await sidebar().locator('#save-report').click();
    const beside = sidebar().locator('#problem-fields');
    await beside.waitFor();
    expect(await beside.textContent()).toMatch(
      /^The report could need up to [\d,]+ rows of \d+ columns \([\d,]+ cells\), but the spreadsheet it writes to has room for 500 more \(Google Sheets holds 10,000,000\): choose fewer metrics, monthly rows, fewer accounts or a shorter range, or build it in a new spreadsheet \(choose “A new spreadsheet” under “Spreadsheet”\)\.$/,
    );
    expect(await sidebar().locator('#problem-form').textContent()).toBe('The report was not saved.');
    expect(await value('#report-name')).toBe('Creatives this month');
    expect(await value('#report-pivot')).toBe('CREATIVE');
    expect((await reports()).map((summary) => summary.config.name)).not.toContain('Creatives this month');
    await harness.shot('r9-no-room-refused');
    // The way out the message names: a new spreadsheet, made on save.
    await sidebar().locator('#report-spreadsheet').selectOption('new');
    expect(await sidebar().locator('#spreadsheet-hint').textContent()).toBe(
      'Made in your Google Drive when you save, named after the report; other editors who run the report need it shared with them.',
    );
    await sidebar().locator('#save-report').click();
    const link = card('Creatives this month').locator('a.open-spreadsheet');
    await link.waitFor();
    const saved = (await reports()).find((summary) => summary.config.name === 'Creatives this month')!;
    const made = world.spreadsheetData(saved.config.spreadsheet!.id)!;
    expect([made.name, made.sheets.map((sheet) => sheet.name)]).toEqual([
      'Creatives this month',
      ['Creatives'],
    ]);
    expect(await link.textContent()).toBe('Tab “Creatives” in “Creatives this month”');
    expect(await link.getAttribute('href')).toBe(`https://docs.google.com/spreadsheets/d/${made.id}/edit`);
    expect(await link.getAttribute('target')).toBe('_blank');
    world.execute('ann@example.com', (scope: Scope) => {
      const spreadsheet = scope.SpreadsheetApp.getActive();
      spreadsheet.deleteSheet(spreadsheet.getSheetByName('Filler'));
    });
  });

  it('writes to a spreadsheet by its pasted link, naming it before saving, and refuses a link it cannot open', async () => {
    const world = harness.preview.world;
    const archiveId = '1ArchiveSpreadsheetForBrowserTests0123456789';
    world.addSpreadsheet(archiveId, 'Ads archive', [PREVIEW_USER]);
    // Both spreadsheets have a tab “Plan” of other data.
    world.execute(PREVIEW_USER, (scope: Scope) => {
      scope.SpreadsheetApp.openById(archiveId).insertSheet('Plan').getRange(1, 1).setValue('Q1 plan');
      scope.SpreadsheetApp.getActive().insertSheet('Plan').getRange(1, 1).setValue('Q2 plan');
    });
    await newReport('Archived campaigns', 'Plan');
    await sidebar().locator('#report-spreadsheet').selectOption('link');
    // Nothing is checked, and nothing is refused, before a link is pasted.
    expect(await sidebar().locator('#problem-spreadsheet').count()).toBe(0);
    const linkInput = sidebar().locator('#report-spreadsheet-link');
    await linkInput.fill(`https://docs.google.com/spreadsheets/d/${archiveId}/edit`);
    await linkInput.dispatchEvent('change');
    await sidebar().locator('#report-take-over').waitFor();
    await sidebar().locator('#report-take-over').check();
    // The take-over spoke of the archive's “Plan”: this spreadsheet's is asked about afresh.
    await sidebar().locator('#report-spreadsheet').selectOption('this');
    await sidebar().locator('#report-take-over').waitFor();
    expect(await checked('#report-take-over')).toBe(false);
    await sidebar().locator('#report-sheet').fill('Campaigns');
    await sidebar().locator('#report-spreadsheet').selectOption('link');
    await sidebar().locator('#report-spreadsheet-link').fill('');
    await sidebar().locator('#save-report').click();
    await sidebar().locator('#problem-spreadsheet').waitFor();
    expect(await sidebar().locator('#problem-spreadsheet').textContent()).toBe(
      'Paste the link of the spreadsheet the report writes to.',
    );
    await linkInput.fill(
      'https://docs.google.com/spreadsheets/d/1NobodySharedThisSpreadsheet000000000000000/edit',
    );
    await linkInput.dispatchEvent('change');
    await sidebar().locator('#problem-spreadsheet', { hasText: 'Could not open' }).waitFor();
    expect(await sidebar().locator('#problem-spreadsheet').textContent()).toMatch(
      /^Could not open the spreadsheet at that link \(.+\)\. Check the link, and that the spreadsheet is shared with your Google account as an editor\.$/,
    );
    // Saved with an empty name too: both messages stay, the fix is counted beside Save, and the
    // keyboard lands on the first field at fault.
    await sidebar().locator('#report-name').fill('');
    await sidebar().locator('#save-report').click();
    await sidebar().locator('#problem-name').waitFor();
    expect(await sidebar().locator('#problem-spreadsheet').textContent()).toMatch(/^Could not open/);
    expect(await sidebar().locator('#save-refused').textContent()).toBe(
      'Not saved: fix the 2 fields marked above.',
    );
    expect(
      await sidebar()
        .locator('#report-name')
        .evaluate((input) => input === document.activeElement),
    ).toBe(true);
    await harness.shot('r10-save-refused', 'sidebar');
    await sidebar().locator('#report-name').fill('Archived campaigns');
    expect(await sidebar().locator('#save-refused').textContent()).toBe(
      'Not saved: fix the field marked above.',
    );
    await linkInput.fill(`https://docs.google.com/spreadsheets/d/${archiveId}/edit#gid=0`);
    await linkInput.dispatchEvent('change');
    await sidebar().locator('#spreadsheet-hint', { hasText: 'Writes to “Ads archive”.' }).waitFor();
    expect(await sidebar().locator('#problem-spreadsheet').count()).toBe(0);
    await harness.shot('r10-write-to-another-spreadsheet', 'sidebar');
    await sidebar().locator('#save-report').click();
    const link = card('Archived campaigns').locator('a.open-spreadsheet');
    await link.waitFor();
    expect(await link.textContent()).toBe('Tab “Campaigns” in “Ads archive”');
    await card('Archived campaigns').locator('.edit').click();
    expect(await value('#report-spreadsheet')).toBe('link');
    expect(await value('#report-spreadsheet-link')).toBe(
      `https://docs.google.com/spreadsheets/d/${archiveId}/edit`,
    );
    await sidebar().locator('#cancel-edit').click();
  });

  it('says on the card and in the builder whose schedule runs a report another editor scheduled', async () => {
    const world = harness.preview.world;
    // As if bob@example.com had saved it scheduled: his trigger runs it.
    world.execute(PREVIEW_USER, (scope: Scope) => {
      const store = new ReportStore(scope.PropertiesService.getDocumentProperties());
      const report = store.list().find((config) => config.name === 'Archived campaigns')!;
      store.save({ ...report, owner: 'bob@example.com', schedule: { kind: 'daily', hour: 6 } });
    });
    await sidebar().locator('#refresh-reports').click();
    const schedule = card('Archived campaigns').locator('[data-part="schedule"]');
    await schedule.filter({ hasText: 'on bob@example.com’s schedule' }).waitFor();
    await card('Archived campaigns').locator('.edit').click();
    await sidebar()
      .locator('.hint', {
        hasText:
          'Runs on bob@example.com’s schedule now; saving it scheduled makes it run on yours, with your LinkedIn connection.',
      })
      .waitFor();
    await sidebar().locator('#cancel-edit').click();
  });

  it('says on a long overdue scheduled card which Google permission its hourly run lacks', async () => {
    const world = harness.preview.world;
    const [{ config }] = (
      await harness.call<ReportSummary[]>('saveReport', {
        ...analyticsReport(),
        name: 'Held schedule',
        sheetName: 'Held schedule',
        schedule: { kind: 'hourly' },
      })
    ).filter((summary) => summary.config.name === 'Held schedule');
    world.withholdScopes(PREVIEW_USER, [SCOPES.scriptApp]);
    world.triggers = world.triggers.filter((trigger) => trigger.user !== PREVIEW_USER);
    world.advanceTimeTo(world.clock.now() + 5 * 3_600_000);
    await sidebar().locator('#refresh-reports').click();
    await card('Held schedule')
      .locator('[data-part="held"]', {
        hasText:
          'Scheduled imports are not running: the hourly run needs Google’s permission to “Allow this application to run when you are not present”, which LinkedIn Data was not given. Choose Extensions > LinkedIn Data > Grant permissions and tick it; the imports then run at the next hourly run.',
      })
      .waitFor();
    await card('Held schedule').scrollIntoViewIfNeeded();
    await harness.shot('r13-card-schedule-held', 'sidebar');
    expect(await card('Held schedule').locator('[data-part="schedule"]').textContent()).toBe(
      'Every hour · due, runs within the hour',
    );
    world.addGrantedScopes(PREVIEW_USER, [SCOPES.scriptApp]);
    await sidebar().locator('#refresh-reports').click();
    await card('Held schedule').locator('[data-part="held"]').waitFor({ state: 'detached' });
    await harness.call('deleteReport', config.id);
  });

  it('counts the boxes the user ticked, not the key columns every table has', async () => {
    await sidebar().locator('#new-report').click();
    const count = sidebar().locator('#field-count');
    const ticked = () => sidebar().locator('#field-list input:checked').count();
    // The review's cases: 7, 13 and 4 counted where 2, 11 and 3 boxes are ticked.
    for (const [stream, boxes] of [
      ['pages:follower_lifetime', 2],
      ['pages:page_views', 11],
      ['pages:pages', 3],
    ] as const) {
      await sidebar().locator('#report-stream').selectOption(stream);
      expect(await ticked()).toBe(boxes);
      expect(await count.textContent()).toBe(`${boxes} fields selected`);
    }
    await sidebar().locator('#report-stream').selectOption('ads:ad_analytics');
    expect(await count.textContent()).toBe(`${await ticked()} metrics selected`);
    // The count follows the boxes, and Clear clears only what has a box.
    await sidebar().locator('#report-stream').selectOption('pages:follower_lifetime');
    await sidebar().locator('#field-followers').uncheck();
    expect(await count.textContent()).toBe('1 field selected');
    await sidebar().locator('#clear-fields').click();
    expect([await ticked(), await count.textContent()]).toEqual([0, '0 fields selected']);
    await sidebar().locator('#field-followers').check();
    await count.scrollIntoViewIfNeeded();
    await harness.shot('r12-field-count', 'sidebar');
    await sidebar().locator('#report-name').fill('Followers by audience');
    await sidebar()
      .locator('#account-list label', { hasText: 'Northwind Analytics' })
      .locator('input')
      .check();
    await sidebar().locator('#report-sheet').fill('Audience');
    await sidebar().locator('#save-report').click();
    await card('Followers by audience').waitFor();
    const saved = (await reports()).find((summary) => summary.config.name === 'Followers by audience')!;
    // “Value name” has no box: clearing the boxes kept it.
    expect(saved.config.fields).toEqual(expect.arrayContaining(['value_name', 'followers']));
    expect(saved.config.fields).not.toContain('page_name');
  });

  it('does not call the list empty when the spreadsheet permission was withheld and it could not be read', async () => {
    const grant = async (granted: string[]) => {
      await harness.page.request.post(`${harness.preview.url}api/permissions`, { data: { granted } });
      await harness.page.reload();
    };
    await harness.call('saveReport', analyticsReport({ name: 'Kept while unreadable', sheetName: 'Kept' }));
    const declared = harness.preview.world.declaredScopes;
    await grant(declared.filter((scope) => !scope.endsWith('/auth/spreadsheets')));
    await sidebar()
      .locator('#reports-message', { hasText: 'See, edit, create, and delete all your Google Sheets' })
      .waitFor({ timeout: 15_000 });
    expect(await sidebar().locator('#reports-body').textContent()).not.toContain('No reports yet.');
    await harness.shot('r13-list-not-readable', 'sidebar');
    await grant(declared);
    await card('Kept while unreadable').waitFor({ timeout: 15_000 });
  });

  it('gives a card’s times in the spreadsheet’s time zone, which its schedule’s hour speaks, and names it', async () => {
    // 5:45 ahead of UTC: a time shown in the browser's zone instead cannot end in “7:00 AM”.
    harness.preview.world.spreadsheet.timeZone = 'Asia/Kathmandu';
    await harness.call(
      'saveReport',
      analyticsReport({
        name: 'Kathmandu mornings',
        sheetName: 'Mornings',
        schedule: { kind: 'daily', hour: 7 },
      }),
    );
    await harness.page.reload();
    const schedule = card('Kathmandu mornings').locator('[data-part="schedule"]');
    await schedule.waitFor({ timeout: 15_000 });
    expect(await schedule.textContent()).toMatch(/^Daily at 7:00 · next \w{3} \d+, \d{4}, 7:00\sAM$/);
    expect(await sidebar().locator('#reports-time-zone').textContent()).toBe(
      'Times are in the spreadsheet’s time zone, Asia/Kathmandu.',
    );
    await harness.shot('r14-spreadsheet-time-zone', 'sidebar');
    // A spreadsheet in the browser's own zone: nothing to say.
    harness.preview.world.spreadsheet.timeZone = await harness
      .frame()
      .evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    await harness.page.reload();
    await card('Kathmandu mornings').waitFor({ timeout: 15_000 });
    expect(await sidebar().locator('#reports-time-zone').count()).toBe(0);
    harness.preview.world.spreadsheet.timeZone = 'Etc/UTC';
  });

  it('opens Edit from a card low in the list at the form’s top, focused, and shows what Save said', async () => {
    for (const name of ['Low 1', 'Low 2', 'Low 3', 'Low 4'])
      await harness.call('saveReport', analyticsReport({ name, sheetName: name }));
    // A laptop's sidebar: the list runs past the fold.
    await harness.page.setViewportSize({ width: 1200, height: 600 });
    await harness.page.reload();
    const inView = (selector: string) =>
      sidebar()
        .locator(selector)
        .evaluate((element) => {
          const { top, bottom } = element.getBoundingClientRect();
          return top >= 0 && bottom <= window.innerHeight;
        });
    await card('Low 4').locator('.edit').scrollIntoViewIfNeeded();
    expect(await inView('#reports-status')).toBe(false);
    await card('Low 4').locator('.edit').click();
    await sidebar().locator('#builder h2', { hasText: 'Edit report' }).waitFor();
    expect(await inView('#builder h2')).toBe(true);
    expect(await harness.frame().evaluate(() => document.activeElement?.id)).toBe('report-name');
    await sidebar().locator('#report-name').fill('Low 4 (renamed)');
    await sidebar().locator('#save-report').click();
    await sidebar().locator('#reports-message', { hasText: 'Report saved.' }).waitFor();
    expect(await inView('#reports-message')).toBe(true);
    await card('Low 4 (renamed)').waitFor();
    await harness.page.setViewportSize({ width: 1200, height: 900 });
  });

  it('does not ask whether a tab was deleted that a failed first run never made', async () => {
    // An ad account this connection cannot read: the run stops before making the tab.
    await harness.call(
      'saveReport',
      analyticsReport({ name: 'Never made', sheetName: 'Never made', accountIds: ['599999999'] }),
    );
    await harness.page.reload();
    await card('Never made').locator('.run').click();
    await sidebar().locator('#reports-message.error').waitFor({ timeout: 15_000 });
    const tab = card('Never made').locator('[data-part="tab"]');
    await tab.waitFor({ timeout: 15_000 });
    expect(await card('Never made').locator('[data-part="attempt"]').textContent()).toMatch(/\(failed\)$/);
    expect(await tab.textContent()).toBe('Tab “Never made” is not in the spreadsheet: Run now makes it.');
  });

  it('puts the keyboard on Cancel when a card asks before deleting', async () => {
    await card('Never made').locator('.delete').click();
    await card('Never made').locator('.confirm').waitFor();
    expect(await harness.frame().evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await harness.page.keyboard.press('Enter');
    expect(await card('Never made').locator('.confirm').count()).toBe(0);
  });
});
