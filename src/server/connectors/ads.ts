import { CAMPAIGN_STATUSES } from '../catalog/ad-entities';
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
  type RowContext,
  spansAccounts,
  splitWindow,
  type Window,
  windowCalls,
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

/** The ad accounts the member has a role on, with names: what the sidebar offers to pick from. */
export function listAdAccounts(client: LinkedInClient): AdAccount[] {
  const [roles] = client.collectOffsetPages<{ account: string; role: string }>([
    { path: 'adAccountUsers', query: { q: 'authenticatedUser' } },
  ]);
  const {
    pages: [accounts],
  } = client.collectCursorPages<Element>([{ path: 'adAccounts', query: { q: 'search', pageSize: 1000 } }]);
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

export type EntityStream = 'ad_accounts' | 'campaign_groups' | 'campaigns' | 'creatives';

type PagedEntityStream = Exclude<EntityStream, 'ad_accounts'>;

/** Where LinkedIn serves an entity stream, from its catalog entry. */
const resourceOf = (stream: EntityStream) => findStream('ads', stream)!.resource!;

/** The first page of a paged entity stream for each account, as large as LinkedIn allows. */
function entityCalls(stream: PagedEntityStream, accountIds: string[]): ApiCall[] {
  const { path, finder } = resourceOf(stream);
  // Searches name every status: LinkedIn's default may leave old campaigns out.
  const search = finder!.q === 'search' ? { status: { values: CAMPAIGN_STATUSES } } : undefined;
  return accountIds.map((id) => ({
    path: `adAccounts/${id}/${path}`,
    query: { q: finder!.q, search, pageSize: finder!.pageSize },
  }));
}

const accountCalls = (accountIds: string[]): ApiCall[] =>
  accountIds.map((id) => ({ path: `adAccounts/${id}` }));

/** Every element of an entity stream for the accounts, all accounts paged side by side. */
export function fetchEntities(client: LinkedInClient, stream: EntityStream, accountIds: string[]): Element[] {
  if (stream === 'ad_accounts') return client.getAll<Element>(accountCalls(accountIds));
  return client.collectCursorPages<Element>(entityCalls(stream, accountIds)).pages.flat();
}

export function entityTable(stream: EntityStream, elements: Element[], fieldKeys: string[]): Table {
  const spec = findStream('ads', stream)!;
  const columns = columnsFor(spec, fieldKeys);
  return { columns, rows: elements.map((element) => columns.map((field) => readField(element, field))) };
}

interface EntityContext extends RowContext {
  activity: ActivitySpan[];
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

/** Over several accounts rows name their account and currency: the accounts are read with the first lookup. */
const accountLookups = (query: AdAnalyticsQuery) =>
  spansAccounts(query) ? accountCalls(query.accountIds) : [];

/** What rows of a non-entity pivot need: the accounts, when there are several. */
const accountsOnly = (client: LinkedInClient, query: AdAnalyticsQuery) =>
  accountsContext(client.getAll<Element>(accountLookups(query)));

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
    const answers = client.getAll<Element>([...accountCalls(query.accountIds), ...alongside]);
    const accounts = answers.slice(0, query.accountIds.length);
    return {
      ...accountsContext(accounts),
      activity: accounts.map(() => ALWAYS),
      alongside: answers.slice(query.accountIds.length),
    };
  }
  const streams: PagedEntityStream[] = namedBy === 'creatives' ? ['campaigns', 'creatives'] : [namedBy];
  const ofAccounts = accountLookups(query);
  const lookup = client.collectCursorPages<Element, unknown>(
    streams.flatMap((stream) => entityCalls(stream, query.accountIds)),
    [...ofAccounts, ...alongside],
  );
  // One call per account and stream, in the order of `streams`.
  const accounts = query.accountIds.length;
  const elementsOf = (stream: PagedEntityStream) => {
    const index = streams.indexOf(stream);
    return index < 0 ? [] : lookup.pages.slice(index * accounts, (index + 1) * accounts).flat();
  };
  const groups = elementsOf('campaign_groups');
  const campaigns = elementsOf('campaigns');
  const creatives = elementsOf('creatives');
  const campaignSpan = new Map(
    campaigns.map((campaign) => [String(campaign.id), spanOf(campaign.runSchedule)]),
  );
  const entries: Array<[string, string, ActivitySpan | null]> =
    namedBy === 'campaign_groups'
      ? groups.map((group) => [
          `${resourceOf('campaign_groups').urnPrefix}${group.id}`,
          String(group.name),
          spanOf(group.runSchedule),
        ])
      : namedBy === 'campaigns'
        ? campaigns.map((campaign) => [
            `${resourceOf('campaigns').urnPrefix}${campaign.id}`,
            String(campaign.name),
            campaignSpan.get(String(campaign.id)) ?? null,
          ])
        : creatives.map((creative) => [
            String(creative.id),
            String(creative.name ?? ''),
            campaignSpan.get(urnId(String(creative.campaign))) ?? null,
          ]);
  const context = accountsContext(lookup.alongside.slice(0, ofAccounts.length) as Element[]);
  for (const [urn, name] of entries) context.names.set(urn, name);
  return {
    ...context,
    accounts: entityAccounts(streams, lookup.pages, query.accountIds, namedBy),
    activity: entries.map(([, , span]) => span ?? ALWAYS),
    alongside: lookup.alongside.slice(ofAccounts.length),
  };
}

/**
 * The account of each entity of the pivot: the account whose lookup returned it. Each
 * lookup is under `adAccounts/{id}`, so this holds whatever fields LinkedIn sends.
 */
function entityAccounts(
  streams: PagedEntityStream[],
  pages: Element[][],
  accountIds: string[],
  namedBy: PagedEntityStream,
): Map<string, string> {
  const index = streams.indexOf(namedBy);
  const { urnPrefix } = resourceOf(namedBy);
  const accounts = new Map<string, string>();
  accountIds.forEach((accountId, offset) => {
    for (const element of pages[index * accountIds.length + offset]) {
      // Creatives are named by URN already; campaigns and groups by number.
      const id = String(element.id);
      accounts.set(id.startsWith('urn:') ? id : `${urnPrefix}${id}`, accountId);
    }
  });
  return accounts;
}

/** Names of the pivot's values and, over several accounts, the accounts and currencies, for a run whose plan already stands. */
export function lookUpRowContext(client: LinkedInClient, query: AdAnalyticsQuery): RowContext {
  const namedBy = pivotSpec(query.pivot).namedBy;
  if (namedBy) return entityContext(client, query, namedBy, []);
  return accountsOnly(client, query);
}

/**
 * Entities of a pivot we bet serve in one period per account, before the lookup says how
 * many do. A lost bet costs one round of requests whose answers are thrown away, never data;
 * a won bet saves the round trip of waiting for the lookup.
 */
const LIKELY_ENTITIES_PER_ACCOUNT = 30;

/** The whole range as one window, when it likely stays under the cap: fetched alongside the lookup. */
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

export interface PreparedAnalytics {
  context: RowContext;
  /** The windows still to fetch, and every request of the import (those already made included). */
  plan: AnalyticsPlan;
  /** Rows fetched while planning: the whole range, when the opening bet held. */
  fetched: AnalyticsMerge;
  requestsDone: number;
}

/**
 * The first step of every analytics import: names of the pivot's values and the request
 * plan. When the range likely fits one window, that window is fetched with the lookup.
 */
export function prepareAdAnalytics(client: LinkedInClient, query: AdAnalyticsQuery): PreparedAnalytics {
  const namedBy = pivotSpec(query.pivot).namedBy;
  if (!namedBy)
    return {
      context: accountsOnly(client, query),
      plan: planAnalytics(query, null),
      fetched: new AnalyticsMerge(),
      requestsDone: 0,
    };
  const fieldGroups = fieldGroupsOf(query.metrics);
  const bet = openingBet(query, namedBy);
  const betCalls = bet ? windowCalls(query, fieldGroups, bet) : [];
  const context = entityContext(client, query, namedBy, betCalls);
  if (!bet)
    return {
      context,
      plan: planAnalytics(query, context.activity),
      fetched: new AnalyticsMerge(),
      requestsDone: 0,
    };
  const opening = mergeWindowAnswers([bet], [betCalls.length], context.alongside as WindowAnswer[]);
  const held = opening.again.length === 0;
  // A lost bet is planned from the lookup; its wasted requests still count.
  const plan = held
    ? { fieldGroups, windows: [], requests: 0, rowsAtMost: null }
    : planAnalytics(query, context.activity);
  return {
    context,
    plan: { ...plan, requests: plan.requests + betCalls.length },
    fetched: opening.merge,
    requestsDone: betCalls.length,
  };
}

export interface WindowsFetched {
  merge: AnalyticsMerge;
  /** Windows whose answer may have been cut off at the cap: to be fetched again, in halves. */
  again: Window[];
}

type WindowAnswer = { elements: AnalyticsElement[] };

/** Fetches the windows (every field group of each, in parallel) and merges those that came back whole. */
export function fetchAnalyticsWindows(
  client: LinkedInClient,
  query: AdAnalyticsQuery,
  fieldGroups: string[][],
  windows: Window[],
): WindowsFetched {
  const callsPerWindow = windows.map((window) => windowCalls(query, fieldGroups, window));
  const answers = client.getAll<WindowAnswer>(callsPerWindow.flat());
  return mergeWindowAnswers(
    windows,
    callsPerWindow.map((calls) => calls.length),
    answers,
  );
}

/** Merges the windows whose answers all came back under the cap; the others are to be fetched again, in halves. */
function mergeWindowAnswers(
  windows: Window[],
  callsPerWindow: number[],
  answers: WindowAnswer[],
): WindowsFetched {
  const merge = new AnalyticsMerge();
  const again: Window[] = [];
  let offset = 0;
  windows.forEach((window, index) => {
    const ofWindow = answers.slice(offset, (offset += callsPerWindow[index]));
    if (ofWindow.some((answer) => answer.elements.length >= MAX_ELEMENTS)) {
      const halves = splitWindow(window);
      if (!halves) {
        throw new LinkedInError(
          `LinkedIn has more than ${MAX_ELEMENTS.toLocaleString('en-US')} rows for a single period starting ${dayToIso(window.startDay)}, and drops the rest. Choose fewer accounts, filter campaigns, or pick a finer time granularity.`,
          'request',
          400,
        );
      }
      again.push(...halves);
      return;
    }
    for (const answer of ofWindow) merge.add(answer.elements, window);
  });
  return { merge, again };
}
