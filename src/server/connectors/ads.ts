import { AD_STREAMS } from '../catalog/ads';
import { columnsFor, type FieldSpec } from '../catalog/types';
import type { ApiCall, LinkedInClient } from '../linkedin/client';
import { LinkedInError } from '../linkedin/errors';
import { type Cell, readField, urnId } from '../rows';
import {
  type ActivitySpan,
  type AdAnalyticsQuery,
  AnalyticsMerge,
  analyticsColumns,
  type AnalyticsElement,
  type AnalyticsPlan,
  MAX_ELEMENTS,
  pivotSpec,
  planAnalytics,
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
  const [accounts] = client.collectCursorPages<Element>(
    [{ path: 'adAccounts', query: { q: 'search' } }],
    1000,
  );
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

function entityCalls(stream: EntityStream, accountIds: string[]): ApiCall[] {
  switch (stream) {
    case 'ad_accounts':
      return [];
    case 'campaign_groups':
      return accountIds.map((id) => ({ path: `adAccounts/${id}/adCampaignGroups`, query: { q: 'search' } }));
    case 'campaigns':
      return accountIds.map((id) => ({ path: `adAccounts/${id}/adCampaigns`, query: { q: 'search' } }));
    case 'creatives':
      return accountIds.map((id) => ({ path: `adAccounts/${id}/creatives`, query: { q: 'criteria' } }));
  }
}

/** Every element of an entity stream for the accounts, all accounts paged side by side. */
export function fetchEntities(client: LinkedInClient, stream: EntityStream, accountIds: string[]): Element[] {
  if (stream === 'ad_accounts') {
    return client.getAll<Element>(accountIds.map((id) => ({ path: `adAccounts/${id}` })));
  }
  // Creatives allow 100 a page; the search finders allow 1000.
  return client
    .collectCursorPages<Element>(entityCalls(stream, accountIds), stream === 'creatives' ? 100 : 1000)
    .flat();
}

export function streamSpec(stream: string) {
  const spec = AD_STREAMS.find((candidate) => candidate.id === stream);
  if (!spec) throw new Error(`Unknown Ads stream ${stream}`);
  return spec;
}

export function entityTable(stream: EntityStream, elements: Element[], fieldKeys: string[]): Table {
  const spec = streamSpec(stream);
  const columns = columnsFor(spec, fieldKeys);
  return { columns, rows: elements.map((element) => columns.map((field) => readField(element, field))) };
}

const URN_PREFIX: Record<EntityStream, string> = {
  ad_accounts: 'urn:li:sponsoredAccount:',
  campaign_groups: 'urn:li:sponsoredCampaignGroup:',
  campaigns: 'urn:li:sponsoredCampaign:',
  creatives: 'urn:li:sponsoredCreative:',
};

interface EntityContext {
  names: Map<string, string>;
  activity: ActivitySpan[] | null;
}

const spanOf = (schedule: unknown): ActivitySpan | null => {
  const run = schedule as { start?: number; end?: number } | undefined;
  if (!run?.start) return null;
  return {
    startDay: Math.floor(run.start / 86_400_000),
    endDay: run.end ? Math.floor(run.end / 86_400_000) : null,
  };
};

/**
 * Names for the pivot's values, and when each entity could have served: read once per
 * import, from the entity streams, so the planner can bound the rows of every period.
 */
function entityContext(client: LinkedInClient, query: AdAnalyticsQuery): EntityContext {
  const namedBy = pivotSpec(query.pivot).namedBy;
  if (!namedBy) return { names: new Map(), activity: null };
  const always = { startDay: 0, endDay: null };
  if (namedBy === 'ad_accounts') {
    const accounts = fetchEntities(client, 'ad_accounts', query.accountIds);
    return {
      names: new Map(
        accounts.map((account) => [`${URN_PREFIX.ad_accounts}${account.id}`, String(account.name)]),
      ),
      activity: accounts.map(() => always),
    };
  }
  const groups =
    namedBy === 'campaign_groups' ? fetchEntities(client, 'campaign_groups', query.accountIds) : [];
  const campaigns = namedBy === 'campaign_groups' ? [] : fetchEntities(client, 'campaigns', query.accountIds);
  const creatives = namedBy === 'creatives' ? fetchEntities(client, 'creatives', query.accountIds) : [];
  const campaignSpan = new Map(
    campaigns.map((campaign) => [String(campaign.id), spanOf(campaign.runSchedule)]),
  );
  const inFilter = (campaignId: string, groupId: string) =>
    (!query.campaignIds || query.campaignIds.includes(campaignId)) &&
    (!query.campaignGroupIds || query.campaignGroupIds.includes(groupId));
  const campaignGroup = new Map(
    campaigns.map((campaign) => [String(campaign.id), urnId(String(campaign.campaignGroup))]),
  );
  const entries: Array<[string, string, ActivitySpan | null]> =
    namedBy === 'campaign_groups'
      ? groups
          .filter((group) => !query.campaignGroupIds || query.campaignGroupIds.includes(String(group.id)))
          .map((group) => [
            `${URN_PREFIX.campaign_groups}${group.id}`,
            String(group.name),
            spanOf(group.runSchedule),
          ])
      : namedBy === 'campaigns'
        ? campaigns
            .filter((campaign) => inFilter(String(campaign.id), campaignGroup.get(String(campaign.id))!))
            .map((campaign) => [
              `${URN_PREFIX.campaigns}${campaign.id}`,
              String(campaign.name),
              campaignSpan.get(String(campaign.id)) ?? null,
            ])
        : creatives
            .filter((creative) => {
              const campaignId = urnId(String(creative.campaign));
              return inFilter(campaignId, campaignGroup.get(campaignId) ?? '');
            })
            .map((creative) => [
              String(creative.id),
              String(creative.name ?? ''),
              campaignSpan.get(urnId(String(creative.campaign))) ?? null,
            ]);
  return {
    names: new Map(entries.map(([urn, name]) => [urn, name])),
    activity: entries.map(([, , span]) => span ?? always),
  };
}

export interface PreparedAnalytics {
  names: Map<string, string>;
  plan: AnalyticsPlan;
}

/** Names of the pivot's values and the request plan: the first step of every analytics import. */
export function prepareAdAnalytics(client: LinkedInClient, query: AdAnalyticsQuery): PreparedAnalytics {
  const context = entityContext(client, query);
  return { names: context.names, plan: planAnalytics(query, context.activity) };
}

export interface WindowsFetched {
  merge: AnalyticsMerge;
  /** Windows whose answer may have been cut off at the cap: to be fetched again, in halves. */
  again: Window[];
}

/** Fetches the windows (every field group of each, in parallel) and merges those that came back whole. */
export function fetchAnalyticsWindows(
  client: LinkedInClient,
  query: AdAnalyticsQuery,
  fieldGroups: string[][],
  windows: Window[],
): WindowsFetched {
  const callsPerWindow = windows.map((window) => windowCalls(query, fieldGroups, window));
  const responses = client.getAll<{ elements: AnalyticsElement[] }>(callsPerWindow.flat());
  const merge = new AnalyticsMerge();
  const again: Window[] = [];
  let offset = 0;
  windows.forEach((window, index) => {
    const answers = responses.slice(offset, (offset += callsPerWindow[index].length));
    if (answers.some((answer) => answer.elements.length >= MAX_ELEMENTS)) {
      const halves = splitWindow(window);
      if (!halves) {
        throw new LinkedInError(
          `LinkedIn has more than ${MAX_ELEMENTS.toLocaleString('en-US')} rows for a single period starting ${new Date(window.startDay * 86_400_000).toISOString().slice(0, 10)}, and drops the rest. Choose fewer accounts, filter campaigns, or pick a finer time granularity.`,
          'request',
          400,
        );
      }
      again.push(...halves);
      return;
    }
    for (const answer of answers) merge.add(answer.elements);
  });
  return { merge, again };
}

export interface AnalyticsRun extends Table {
  plannedRequests: number;
  /** Windows refetched in halves because their response came back at the element cap. */
  splits: number;
}

/**
 * Ad analytics for the query in one go: planned, fetched in parallel, any window whose
 * response may have been cut off at 15,000 elements split and fetched again, then merged.
 */
export function runAdAnalytics(client: LinkedInClient, query: AdAnalyticsQuery): AnalyticsRun {
  const { names, plan } = prepareAdAnalytics(client, query);
  const rows: Cell[][] = [];
  let windows: Window[] = plan.windows;
  let splits = 0;
  while (windows.length > 0) {
    const fetched = fetchAnalyticsWindows(client, query, plan.fieldGroups, windows);
    rows.push(...fetched.merge.toRows(query, names));
    splits += fetched.again.length / 2;
    windows = fetched.again;
  }
  rows.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  return {
    columns: analyticsColumns(query),
    rows,
    plannedRequests: plan.requests,
    splits,
  };
}
