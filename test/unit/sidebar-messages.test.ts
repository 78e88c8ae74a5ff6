import { getCatalog } from '../../src/server/main';
import {
  configOf,
  draftFromConfig,
  draftProblems,
  movedField,
  newDraft,
  rebuildWarning,
  streamOf,
  tabNameFor,
  withPicked,
  withStream,
} from '../../src/sidebar/draft';
import { labelsOf, problemsByField, userMessage } from '../../src/sidebar/messages';

const catalog = getCatalog('Etc/UTC');
const labels = labelsOf(catalog);

describe('what the sidebar tells the user', () => {
  it('drops the class names Apps Script puts before a message and names fields and pivots by their labels', () => {
    expect(
      userMessage(
        new Error(
          'SetupError: Error: LinkedIn does not offer approximateMemberReach with demographic pivots.',
        ),
        labels,
      ),
    ).toBe('LinkedIn does not offer “Reach (approx.)” with demographic pivots.');
    expect(userMessage(new Error('Exception: Unknown pivot MEMBER_SENIORITY'), labels)).toBe(
      'Unknown pivot “Seniority”',
    );
    // Plain words that happen to be field keys elsewhere stay words.
    expect(userMessage('Give the report a name.', labels)).toBe('Give the report a name.');
  });

  it('puts each sentence of a refusal beside the field it is about, quoted names kept whole', () => {
    expect(
      problemsByField(
        'Give the report a name. The report “Q3. Leads” already writes to the tab “Leads”. Choose another tab. Pick an hour from 0 to 23. Something else went wrong.',
      ),
    ).toEqual({
      name: 'Give the report a name.',
      sheet: 'The report “Q3. Leads” already writes to the tab “Leads”. Choose another tab.',
      hour: 'Pick an hour from 0 to 23.',
      form: 'Something else went wrong.',
    });
    // A sentence going on about the one before stays beside the same field.
    expect(
      problemsByField(
        'LinkedIn does not offer “Reach (approx.)” by seniority: it is for non-demographic pivots only. Remove it or pick another breakdown.',
      ),
    ).toEqual({
      fields:
        'LinkedIn does not offer “Reach (approx.)” by seniority: it is for non-demographic pivots only. Remove it or pick another breakdown.',
    });
    // A period's refusal goes beside “Rows per”, though it names page views.
    expect(
      problemsByField('LinkedIn gives page views per day or month only: choose rows per day or month.'),
    ).toEqual({
      granularity: 'LinkedIn gives page views per day or month only: choose rows per day or month.',
    });
    // An address is no end of a sentence, and a quoted name says nothing of the field.
    expect(
      problemsByField('The report “Ads tab link” was saved by ann@example.com with version 1.2 settings.'),
    ).toEqual({
      form: 'The report “Ads tab link” was saved by ann@example.com with version 1.2 settings.',
    });
    // What is wrong with the spreadsheet chosen goes beside “Spreadsheet”, whole.
    expect(
      problemsByField(
        'Paste the link of a Google Sheets spreadsheet, copied from its address bar (it holds /spreadsheets/d/ and the spreadsheet’s id). Choose the spreadsheet the report writes to.',
      ),
    ).toEqual({
      spreadsheet:
        'Paste the link of a Google Sheets spreadsheet, copied from its address bar (it holds /spreadsheets/d/ and the spreadsheet’s id). Choose the spreadsheet the report writes to.',
    });
  });
});

describe('the builder’s draft', () => {
  it('refuses an empty hour rather than reading it as midnight', () => {
    const draft = { ...newDraft(catalog, []), chosen: ['1'], scheduleKind: 'daily' as const, hour: '' };
    expect(draftProblems(draft, catalog)).toEqual({ hour: 'Pick an hour from 0 to 23.' });
    expect(configOf({ ...draft, hour: '0' }, catalog).schedule).toEqual({ kind: 'daily', hour: 0 });
  });

  it('gives each new report its own id, one the server takes as the builder’s', () => {
    const [first, second] = [newDraft(catalog, []), newDraft(catalog, [])];
    expect(first.newId).toMatch(/^[0-9a-f]{32}$/);
    expect(second.newId).not.toBe(first.newId);
    expect(configOf({ ...first, chosen: ['1'] }, catalog).newId).toBe(first.newId);
  });

  it('names a new report and its tab after the source, avoiding tabs in use, until the user types', () => {
    const draft = newDraft(catalog, ['LinkedIn Ads - Ad analytics']);
    expect([draft.name, draft.sheetName]).toEqual([
      'LinkedIn Ads: Ad analytics',
      'LinkedIn Ads - Ad analytics 2',
    ]);
    const pages = withStream(draft, catalog, 'pages:page_views', []);
    expect([pages.name, pages.sheetName]).toEqual([
      'LinkedIn Pages: Page views',
      'LinkedIn Pages - Page views',
    ]);
    const typed = withStream({ ...pages, name: 'Mine', nameEdited: true }, catalog, 'ads:campaigns', []);
    expect([typed.name, typed.sheetName]).toEqual(['Mine', 'Mine']);
    const tabTyped = { ...typed, sheetName: 'Tab', sheetEdited: true };
    expect(withStream(tabTyped, catalog, 'ads:ad_analytics', []).sheetName).toBe('Tab');
  });

  it('gives a typed name’s tab only characters Sheets takes, within 100, another report’s tab avoided', () => {
    expect(tabNameFor('Q4: leads / won [EU]*', 'fallback', [])).toBe('Q4 leads won EU');
    expect(tabNameFor('Spend', 'fallback', ['Spend', 'Spend 2'])).toBe('Spend 3');
    expect(tabNameFor('spend', 'fallback', ['Spend', 'SPEND 2'])).toBe('spend 3');
    expect(tabNameFor(' :/ ', 'fallback', [])).toBe('fallback');
    expect(tabNameFor('x'.repeat(150), 'fallback', []).length).toBeLessThanOrEqual(100);
  });

  it('saves metrics in the order the user gave them and keeps what the builder does not show', () => {
    const config = {
      ...configOf(newDraft(catalog, []), catalog),
      id: 'r1',
      owner: 'me@example.com',
      fields: ['videoViews', 'noSuchMetric', 'clicks', 'impressions'],
      dateRange: { preset: 'incremental' as const, initialDays: 60 },
    };
    const saved = configOf(draftFromConfig(catalog, config), catalog);
    expect(saved.fields).toEqual(['videoViews', 'clicks', 'impressions']);
    expect([saved.id, saved.owner, saved.dateRange?.initialDays]).toEqual(['r1', 'me@example.com', 60]);
  });

  it('places a ticked metric after its nearest chosen catalog neighbour, whatever order it was ticked in', () => {
    const analytics = streamOf(catalog, 'ads:ad_analytics');
    let fields: string[] = [];
    for (const key of ['videoViews', 'clicks', 'impressions']) fields = withPicked(analytics, fields, [key]);
    expect(fields).toEqual(['impressions', 'clicks', 'videoViews']);
    // The user moves impressions last; a new pick goes after clicks, its catalog predecessor among the chosen.
    fields = movedField(fields, 'impressions', 2);
    expect(fields).toEqual(['clicks', 'videoViews', 'impressions']);
    expect(withPicked(analytics, fields, ['costInUsd', 'landingPageClicks'])).toEqual([
      'clicks',
      'costInUsd',
      'landingPageClicks',
      'videoViews',
      'impressions',
    ]);
    expect(movedField(fields, 'videoViews', -3)).toEqual(['videoViews', 'clicks', 'impressions']);
  });
});

describe('the warning above Save when an edit rebuilds the tab', () => {
  const saved = {
    id: 'r1',
    name: 'Campaigns',
    source: 'ads' as const,
    stream: 'ad_analytics',
    accountIds: ['1'],
    fields: ['impressions'],
    pivot: 'CAMPAIGN',
    granularity: 'DAILY' as const,
    sheetName: 'Campaigns',
  };
  const edited = (patch: Partial<ReturnType<typeof draftFromConfig>>) => ({
    ...draftFromConfig(catalog, saved),
    rowsInTab: 1200,
    ...patch,
  });

  it('names the change that makes the rows stand for something else, and the rows removed', () => {
    const tail =
      ', so its next run rebuilds the tab “Campaigns”: the 1,200 rows there now are removed, and only the days that run reads are written.';
    expect(rebuildWarning(catalog, edited({ pivot: 'CREATIVE' }))).toBe(
      `Saving this gives it another breakdown${tail}`,
    );
    expect(rebuildWarning(catalog, edited({ chosen: ['1', '2'] }))).toBe(
      `Saving this gives it rows per account${tail}`,
    );
    expect(rebuildWarning(catalog, edited({ granularity: 'YEARLY' }))).toBe(
      `Saving this gives it rows per year instead of per day${tail}`,
    );
    const twoAccounts = {
      ...draftFromConfig(catalog, { ...saved, accountIds: ['1', '2'] }),
      rowsInTab: 1200,
    };
    expect(rebuildWarning(catalog, { ...twoAccounts, chosen: ['2'] })).toBe(
      `Saving this gives it rows no longer split by account${tail}`,
    );
  });

  it('says nothing for changes that keep the rows, another tab, or a tab with no rows', () => {
    expect(rebuildWarning(catalog, edited({ fields: ['impressions', 'clicks'] }))).toBeNull();
    expect(rebuildWarning(catalog, edited({ granularity: 'MONTHLY', sheetName: 'Monthly' }))).toBeNull();
    expect(rebuildWarning(catalog, edited({ granularity: 'MONTHLY', rowsInTab: 0 }))).toBeNull();
    // The account breakdown names its accounts in its own column: more accounts keep the key.
    const byAccount = { ...draftFromConfig(catalog, { ...saved, pivot: 'ACCOUNT' }), rowsInTab: 5 };
    expect(rebuildWarning(catalog, { ...byAccount, chosen: ['1', '2'] })).toBeNull();
  });
});
