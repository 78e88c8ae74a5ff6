import type { EntityStream } from '../catalog/ad-entities';
import { findStream } from '../catalog/streams';
import { columnsFor, type FieldSpec } from '../catalog/types';
import type { ApiCall, LinkedInClient } from '../linkedin/client';
import { LinkedInError } from '../linkedin/errors';
import { DAY_MS, dayToIso } from '../dates';
import { type Cell, readField, urnId } from '../rows';
import {
  type ActivitySpan,
  type AdAnalyticsQuery,
  ACCOUNT_URN,
  AnalyticsMerge,
  type AnalyticsElement,
  type AnalyticsPlan,
  fieldGroupsOf,
  MAX_ELEMENTS,
  emptyRowContext,
  pivotSpec,
  planAnalytics,
  rowsAtMost,
  type RowContext,
  splitWindow,
  type Window,
  windowCalls,
  withRequestAccount,
} from './ads-analytics';

export interface AdAccount {
  id: string;
  name: string;
  currency: string;
  status: string;
  role: string;
  test: boolean;
}

export interface Table {
  columns: FieldSpec[];
  rows: Cell[][];
}

type Element = Record<string, unknown>;

/** The member's ad accounts, with names and currencies, as many a page as LinkedIn allows. */
const ACCOUNTS_SEARCH: ApiCall = { path: 'adAccounts', query: { q: 'search', pageSize: 1000 } };

/** The member's roles on ad accounts: every account the member may read, whatever its status. */
const ACCOUNT_ROLES: ApiCall = { path: 'adAccountUsers', query: { q: 'authenticatedUser' } };

/** The ad accounts the member has a role on, with names: what the sidebar offers to pick from. */
export function listAdAccounts(client: LinkedInClient): AdAccount[] {
  const [roles] = client.collectOffsetPages<{ account: string; role: string }>([ACCOUNT_ROLES]);
  const {
    pages: [accounts],
  } = client.collectCursorPages<Element>([ACCOUNTS_SEARCH]);
  const byId = new Map(accounts.map((account) => [String(account.id), account]));
  return roles
    .map((role) => {
      const id = urnId(role.account);
      const account = byId.get(id);
      return {
        id,
        name: String(account?.name ?? `Account ${id}`),
        currency: String(account?.currency ?? ''),
        status: String(account?.status ?? ''),
        role: role.role,
        test: account?.test === true,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

type PagedEntityStream = Exclude<EntityStream, 'ad_accounts'>;

/** Where LinkedIn serves an entity stream, from its catalog entry. */
const resourceOf = (stream: EntityStream) => findStream('ads', stream)!.resource!;

/** The first page of a paged entity stream for each account, of the size its catalog entry asks. */
function entityCalls(stream: PagedEntityStream, accountIds: string[]): ApiCall[] {
  const { path, accountParam, finder } = resourceOf(stream);
  const { q, pageSize, paging, statuses } = finder!;
  const search = statuses ? { status: { values: [...statuses] } } : undefined;
  return accountIds.map((id) => ({
    path: accountParam ? path : `adAccounts/${id}/${path}`,
    query: {
      q,
      ...(accountParam ? { [accountParam]: `${ACCOUNT_URN}${id}` } : {}),
      search,
      // Offset pages carry their size in `count`, set page by page.
      ...(paging === 'cursor' ? { pageSize } : {}),
    },
  }));
}

const accountCalls = (accountIds: string[]): ApiCall[] =>
  accountIds.map((id) => ({ path: `adAccounts/${id}` }));

/**
 * Every page of a paged entity stream, one list an account in the order of `accountIds`, the
 * accounts paged side by side; the `alongside` calls ride in the first round trip.
 */
function entityPages(
  client: LinkedInClient,
  stream: PagedEntityStream,
  accountIds: string[],
  alongside: ApiCall[] = [],
): { pages: Element[][]; alongside: unknown[] } {
  const calls = entityCalls(stream, accountIds);
  const { paging, pageSize } = resourceOf(stream).finder!;
  if (paging === 'cursor') return client.collectCursorPages<Element, unknown>(calls, alongside);
  let alongsideSent = false;
  const firstRoundOnly = () => {
    if (alongsideSent) return [];
    alongsideSent = true;
    return alongside;
  };
  const { pages, followed } = client.collectOffsetPagesWith<Element, unknown>(
    calls,
    firstRoundOnly,
    pageSize,
  );
  return { pages, alongside: followed };
}

/** Every element of an entity stream for the accounts, all accounts paged side by side. */
export function fetchEntities(client: LinkedInClient, stream: EntityStream, accountIds: string[]): Element[] {
  if (stream === 'ad_accounts') return client.getAll<Element>(accountCalls(accountIds));
  return entityPages(client, stream, accountIds).pages.flat();
}

export function entityTable(stream: EntityStream, elements: Element[], fieldKeys: string[]): Table {
  const spec = findStream('ads', stream)!;
  const columns = columnsFor(spec, fieldKeys);
  return { columns, rows: elements.map((element) => columns.map((field) => readField(element, field))) };
}

interface EntityContext extends RowContext {
  activity: ActivitySpan[];
  /** For a creative pivot, the campaign of each entity, in the order of `activity`. */
  campaigns: string[];
  /** The parsed answers of the calls sent alongside the lookup. */
  alongside: unknown[];
}

const spanOf = (schedule: unknown): ActivitySpan | null => {
  const run = schedule as { start?: number; end?: number } | undefined;
  if (!run?.start) return null;
  return {
    startDay: Math.floor(run.start / DAY_MS),
    endDay: run.end ? Math.floor(run.end / DAY_MS) : null,
  };
};

/**
 * A creative cannot serve before it exists. Its end is left open: `isServing` speaks only of
 * now, and a campaign can stop serving it without the creative changing.
 */
const creativeSpan = (creative: Element): ActivitySpan | null =>
  typeof creative.createdAt === 'number'
    ? { startDay: Math.floor(creative.createdAt / DAY_MS), endDay: null }
    : null;

const ALWAYS: ActivitySpan = { startDay: 0, endDay: null };

/** The accounts' names (by URN) and currencies (by id), from their `adAccounts/{id}` answers. */
function accountsContext(accounts: Element[]): RowContext {
  const context = emptyRowContext();
  for (const account of accounts) {
    context.names.set(`${ACCOUNT_URN}${account.id}`, String(account.name));
    context.currencies.set(String(account.id), String(account.currency ?? ''));
  }
  return context;
}

/**
 * Every analytics import reads the member's accounts search (up to 1,000 a page) in its first
 * round trip: LinkedIn answers analytics of an account the member may not read with no rows,
 * as it answers a quiet one, so only this list tells the two apart. Over several accounts it
 * also names each row's account and currency.
 */
const ACCOUNT_LOOKUPS: ApiCall[] = [ACCOUNTS_SEARCH];

type AccountsPage = { elements?: Element[]; metadata?: { nextPageToken?: string } };

/**
 * The report's accounts from the search's first page (and its next pages, only when an account
 * is not on the first). Whether the search without a status filter lists canceled or removed
 * accounts is not documented, so an account it leaves out is looked for among the member's
 * roles (`adAccountUsers`), and read by itself for its name and currency. An account the member
 * has no role on stops the import before it writes a row: its empty answers would otherwise
 * pass for no activity, and in replace mode remove the rows the tab holds.
 */
function readableAccounts(client: LinkedInClient, firstPage: unknown, query: AdAnalyticsQuery): Element[] {
  const page = firstPage as AccountsPage;
  let listed = page.elements ?? [];
  const missing = () => query.accountIds.filter((id) => !listed.some((account) => String(account.id) === id));
  const token = page.metadata?.nextPageToken;
  if (missing().length > 0 && token) {
    const rest = client.collectCursorPages<Element>([
      { ...ACCOUNTS_SEARCH, query: { ...ACCOUNTS_SEARCH.query, pageToken: token } },
    ]);
    listed = [...listed, ...rest.pages[0]];
  }
  if (missing().length > 0) {
    const [roles] = client.collectOffsetPages<{ account: string }>([ACCOUNT_ROLES]);
    const withRole = missing().filter((id) => roles.some((role) => urnId(role.account) === id));
    listed = [...listed, ...client.getAll<Element>(accountCalls(withRole))];
  }
  const unreadable = missing();
  if (unreadable.length > 0)
    throw new LinkedInError(
      `Your LinkedIn connection may no longer read the ad account${unreadable.length > 1 ? 's' : ''} ${unreadable.join(', ')}, ` +
        'and LinkedIn reports such accounts as having no activity, so nothing was imported and the tab is as it was. ' +
        'Ask an admin of the account for a role on it in Campaign Manager, or edit the report to leave it out.',
      // Not among the member's accounts: a names lookup LinkedIn refused (403) is another matter.
      'not-found',
      404,
    );
  return listed.filter((account) => query.accountIds.includes(String(account.id)));
}

/** What rows of a pivot without a names lookup need: the accounts, checked readable. */
const accountsOnly = (client: LinkedInClient, query: AdAnalyticsQuery) =>
  accountsContext(readableAccounts(client, client.getAll<unknown>(ACCOUNT_LOOKUPS)[0], query));

/**
 * Names for the pivot's values, and when each entity could have served: read once per
 * import, from the entity streams, so the planner can bound the rows of every period.
 * Every lookup and the `alongside` calls share the first round trip.
 */
function entityContext(
  client: LinkedInClient,
  query: AdAnalyticsQuery,
  namedBy: EntityStream,
  alongside: ApiCall[],
): EntityContext {
  if (namedBy === 'ad_accounts') {
    // The accounts search names them: the pivot needs no lookup of its own.
    const [search, ...others] = client.getAll<unknown>([...ACCOUNT_LOOKUPS, ...alongside]);
    const readable = readableAccounts(client, search, query);
    const accounts = query.accountIds.map((id) => readable.find((account) => String(account.id) === id)!);
    return {
      ...accountsContext(accounts),
      activity: accounts.map(() => ALWAYS),
      campaigns: [],
      alongside: others,
    };
  }
  // One lookup of the pivot's own entities: what it carries bounds when each could serve.
  const lookup = entityPages(client, namedBy, query.accountIds, [...ACCOUNT_LOOKUPS, ...alongside]);
  const entities = lookup.pages.flat();
  const entries: Array<[string, string, ActivitySpan | null]> =
    namedBy === 'creatives'
      ? entities.map((creative) => [String(creative.id), String(creative.name ?? ''), creativeSpan(creative)])
      : entities.map((entity) => [
          `${resourceOf(namedBy).urnPrefix}${entity.id}`,
          String(entity.name),
          spanOf(entity.runSchedule),
        ]);
  const context = accountsContext(readableAccounts(client, lookup.alongside[0], query));
  for (const [urn, name] of entries) context.names.set(urn, name);
  return {
    ...context,
    accounts: entityAccounts(lookup.pages, query.accountIds, namedBy),
    activity: entries.map(([, , span]) => span ?? ALWAYS),
    campaigns: namedBy === 'creatives' ? entities.map((creative) => String(creative.campaign ?? '')) : [],
    alongside: lookup.alongside.slice(ACCOUNT_LOOKUPS.length),
  };
}

/**
 * The account of each entity of the pivot: the account whose lookup returned it. Each
 * lookup names one account (in its path, or for conversions its `account` parameter), so this
 * holds whatever fields LinkedIn sends.
 */
function entityAccounts(
  pages: Element[][],
  accountIds: string[],
  namedBy: PagedEntityStream,
): Map<string, string> {
  const { urnPrefix } = resourceOf(namedBy);
  const accounts = new Map<string, string>();
  accountIds.forEach((accountId, offset) => {
    for (const element of pages[offset]) {
      // Creatives are named by URN already; campaigns and groups by number.
      const id = String(element.id);
      accounts.set(id.startsWith('urn:') ? id : `${urnPrefix}${id}`, accountId);
    }
  });
  return accounts;
}

/**
 * The names lookup of a pivot, or null when LinkedIn refuses it (403) and the rows do not need
 * it: a conversion's name is a courtesy, and its rows' accounts come from LinkedIn's answers.
 * Pivots of one account's entities need their lookup to tell each row's account.
 */
function namesLookup(
  client: LinkedInClient,
  query: AdAnalyticsQuery,
  namedBy: EntityStream,
  alongside: ApiCall[],
): EntityContext | null {
  try {
    return entityContext(client, query, namedBy, alongside);
  } catch (error) {
    const refused = error instanceof LinkedInError && error.status === 403;
    if (!refused || pivotSpec(query.pivot).ofOneAccount) throw error;
    return null;
  }
}

/** Said in the run message when LinkedIn refused a pivot's names. */
export const NAMES_REFUSED =
  'LinkedIn refused the names of this breakdown’s values (your connection may lack access to them), so their Name column is empty; the numbers are complete.';

/** Names of the pivot's values and, over several accounts, the accounts and currencies, for a run whose plan already stands. */
export function lookUpRowContext(client: LinkedInClient, query: AdAnalyticsQuery): RowContext {
  const namedBy = pivotSpec(query.pivot).namedBy;
  return (namedBy && namesLookup(client, query, namedBy, [])) || accountsOnly(client, query);
}

/**
 * Entities of a pivot we bet serve in one period per account, before the lookup says how
 * many do. A lost bet costs one round of requests whose answers are thrown away, never data;
 * a won bet saves the round trip of waiting for the lookup.
 */
const LIKELY_ENTITIES_PER_ACCOUNT = 30;

/** The whole range as one window, when it likely stays under the cap. */
function openingBet(query: AdAnalyticsQuery, namedBy: EntityStream): Window | null {
  const likely =
    namedBy === 'ad_accounts'
      ? query.accountIds.length
      : LIKELY_ENTITIES_PER_ACCOUNT * query.accountIds.length;
  const { windows } = planAnalytics(
    query,
    Array.from({ length: likely }, () => ALWAYS),
  );
  return windows.length === 1 ? windows[0] : null;
}

/**
 * The windows fetched alongside the lookup, before it says when the pivot's entities serve.
 * An earlier lookup of the same accounts and pivot (`prior`) plans them as this one most likely
 * will, and `firstBatch` keeps what one step fetches; without it, the opening bet. An answer
 * under the cap is whole whatever the lookup then says, so a stale prior costs at most the
 * requests of windows cut off at the cap, never data.
 */
export function openingWindows(
  query: AdAnalyticsQuery,
  prior: ActivitySpan[] | null | undefined,
  firstBatch: (windows: Window[], activity: ActivitySpan[]) => Window[],
): Window[] {
  const namedBy = pivotSpec(query.pivot).namedBy;
  if (!namedBy) return [];
  if (prior) return firstBatch(planAnalytics(query, prior).windows, prior);
  const bet = openingBet(query, namedBy);
  return bet ? [bet] : [];
}

/** Each creative's span cut to its campaign's run: one campaigns search an account. */
function narrowedByCampaigns(
  client: LinkedInClient,
  query: AdAnalyticsQuery,
  context: EntityContext,
): ActivitySpan[] {
  const campaigns = entityPages(client, 'campaigns', query.accountIds).pages.flat();
  const runs = new Map(campaigns.map((campaign) => [String(campaign.id), spanOf(campaign.runSchedule)]));
  return context.activity.map((span, index) => {
    const run = runs.get(urnId(context.campaigns[index]));
    if (!run) return span;
    const ends = [span.endDay, run.endDay].filter((day): day is number => day !== null);
    return {
      startDay: Math.max(span.startDay, run.startDay),
      endDay: ends.length ? Math.min(...ends) : null,
    };
  });
}

/**
 * The most rows an import can return, judged from lookups alone (no analytics request): what a
 * report is checked against when it is saved. A creative serves only while its campaign runs,
 * and the creatives alone bound a busy year loosely (every creative every day since it was
 * made); when that bound does not fit, the campaigns' schedules tell a report that cannot fit
 * from one that only looked too big. Also the pivot's activity as a run's lookup finds it (the
 * campaigns aside), for the run to plan its opening windows from. Null when its pivot has no
 * entities to count.
 */
export function analyticsRowsAtMost(
  client: LinkedInClient,
  query: AdAnalyticsQuery,
  fits: (rowsAtMost: number) => boolean,
): { rows: number; activity: ActivitySpan[] } | null {
  const namedBy = pivotSpec(query.pivot).namedBy;
  if (!namedBy) return null;
  const context = entityContext(client, query, namedBy, []);
  const loose = rowsAtMost(query, context.activity);
  const rows =
    namedBy !== 'creatives' || fits(loose)
      ? loose
      : rowsAtMost(query, narrowedByCampaigns(client, query, context));
  return { rows, activity: context.activity };
}

/**
 * The most rows an import can return, when a run's lookup (its `activity`) bounds them as
 * closely as saving judged them: not for creatives, whose campaigns a run does not read.
 */
export const runRowsAtMost = (query: AdAnalyticsQuery, activity: ActivitySpan[] | null) =>
  activity && pivotSpec(query.pivot).namedBy !== 'creatives' ? rowsAtMost(query, activity) : null;

export interface PreparedAnalytics {
  context: RowContext;
  /** The windows still to fetch: the range but for the opening windows that came back whole. */
  plan: AnalyticsPlan;
  /** What the opening windows' answers held; null when none went out. */
  opening: WindowsFetched | null;
  /** When the pivot's entities could serve, for later steps to bound periods with; null without a lookup. */
  activity: ActivitySpan[] | null;
  /** The most rows the import can return, as `runRowsAtMost` judges them. */
  rowsAtMost: number | null;
  /** Whether LinkedIn refused the lookup that names the pivot's values (see `namesLookup`). */
  namesRefused: boolean;
}

/**
 * The first step of every analytics import: names of the pivot's values and the request
 * plan. The `opening` windows (see `openingWindows`) are fetched in the lookup's round trip.
 */
export function prepareAdAnalytics(
  client: LinkedInClient,
  query: AdAnalyticsQuery,
  opening: Window[],
): PreparedAnalytics {
  const namedBy = pivotSpec(query.pivot).namedBy;
  const withoutNames = (namesRefused: boolean): PreparedAnalytics => ({
    context: accountsOnly(client, query),
    plan: planAnalytics(query, null),
    opening: null,
    activity: null,
    rowsAtMost: null,
    namesRefused,
  });
  if (!namedBy) return withoutNames(false);
  const fieldGroups = fieldGroupsOf(query.metrics);
  const openingCalls = opening.flatMap((window) => windowCalls(query, fieldGroups, window));
  const context = namesLookup(client, query, namedBy, openingCalls);
  // The opening's answers went with the refused round: the import is planned as if it had no names.
  if (!context) return withoutNames(true);
  const fetched = opening.length ? windowsFetched(query, fieldGroups, opening, context.alongside) : null;
  return {
    context,
    plan: planAnalytics(query, context.activity, fetched?.whole),
    opening: fetched,
    activity: context.activity,
    rowsAtMost: runRowsAtMost(query, context.activity),
    namesRefused: false,
  };
}

export interface WindowsFetched {
  merge: AnalyticsMerge;
  /** Windows whose answers all came back under the cap: their rows are merged. */
  whole: Window[];
  /** Windows whose answer may have been cut off at the cap: to be fetched again, in halves. */
  again: Window[];
  /** Requests made. */
  requests: number;
  /** Rows of each window that came back whole, or the cap for one cut off at it (it holds at least that). */
  counted: Array<{ window: Window; rows: number }>;
}

type WindowAnswer = { elements: AnalyticsElement[] };

const cutOff = (answers: WindowAnswer[]) => answers.some((answer) => answer.elements.length >= MAX_ELEMENTS);

/** A window whose answer may have been cut off, in halves; a single period at the cap cannot be fetched whole. */
function halvesOf(window: Window): Window[] {
  const halves = splitWindow(window);
  if (!halves) {
    throw new LinkedInError(
      `LinkedIn has more than ${MAX_ELEMENTS.toLocaleString('en-US')} rows for a single period starting ${dayToIso(window.startDay)}, and drops the rest. Choose fewer accounts, filter campaigns, or pick a finer time granularity.`,
      'request',
      400,
    );
  }
  return halves;
}

/** Fetches the windows (every field group of each, in parallel) and merges those that came back whole. */
export function fetchAnalyticsWindows(
  client: LinkedInClient,
  query: AdAnalyticsQuery,
  fieldGroups: string[][],
  windows: Window[],
): WindowsFetched {
  const calls = windows.flatMap((window) => windowCalls(query, fieldGroups, window));
  return windowsFetched(query, fieldGroups, windows, client.getAll<WindowAnswer>(calls));
}

/**
 * What the answers to the windows' requests hold (in the order `windowCalls` gives them, window
 * after window): the windows that came back under the cap are merged, the others are to be
 * fetched again, in halves.
 */
function windowsFetched(
  query: AdAnalyticsQuery,
  fieldGroups: string[][],
  windows: Window[],
  answers: unknown[],
): WindowsFetched {
  const merge = new AnalyticsMerge();
  const fetched: WindowsFetched = { merge, whole: [], again: [], requests: 0, counted: [] };
  for (const window of windows) {
    const calls = windowCalls(query, fieldGroups, window);
    const ofWindow = calls.map((call, index) => ({
      elements: withRequestAccount(query, call, (answers[fetched.requests + index] as WindowAnswer).elements),
    }));
    fetched.requests += calls.length;
    // The first group's answers of a window hold one element a row, whatever groups came with them.
    const firstGroup = ofWindow.slice(0, windowCalls(query, fieldGroups.slice(0, 1), window).length);
    const whole = !cutOff(ofWindow);
    fetched.counted.push({
      window,
      rows: whole ? firstGroup.reduce((total, answer) => total + answer.elements.length, 0) : MAX_ELEMENTS,
    });
    if (!whole) fetched.again.push(...halvesOf(window));
    else {
      fetched.whole.push(window);
      for (const answer of ofWindow) merge.add(answer.elements, window);
    }
  }
  return fetched;
}
