import type { SimClock } from '../apps-script/clock';
import { computeAnalytics, dayOf, type AnalyticsQuery, type Granularity } from './ads-analytics';
import {
  AD_METRICS,
  AD_ROW_FIELDS,
  isDemographicPivot,
  isReachOrConversionMetric,
  NON_DEMOGRAPHIC_ONLY_METRICS,
  PENETRATION_PIVOTS,
  MAX_ANALYTICS_ELEMENTS,
  MAX_ANALYTICS_FIELDS,
  ENTITY_PIVOTS,
  SPLIT_PIVOTS,
} from './ads-metrics';
import { DAY_MS, type SimData, type SimMember } from './data';
import { ApiError, cursorPage, enumValue, offsetPage, rejectUnknown, text, urnList } from './request-checks';
import type { RestliValue } from './restli-query';

/** Every campaign status LinkedIn documents; a search status filter may name only these. */
const CAMPAIGN_STATUSES = [
  'ACTIVE',
  'PAUSED',
  'ARCHIVED',
  'COMPLETED',
  'CANCELED',
  'DRAFT',
  'PENDING_DELETION',
  'REMOVED',
];
/** Campaign groups document no COMPLETED: a search naming it is refused, as an unknown enum value is. */
const CAMPAIGN_GROUP_STATUSES = CAMPAIGN_STATUSES.filter((status) => status !== 'COMPLETED');
/** Ad account statuses. */
const ACCOUNT_STATUSES = ['ACTIVE', 'CANCELED', 'DRAFT', 'PENDING_DELETION', 'REMOVED'];
/** What an account search returns without a status filter (unconfirmed: modelled as the narrowest, live accounts). */
const DEFAULT_ACCOUNT_STATUSES = ['ACTIVE', 'DRAFT'];
/** What a campaign or campaign-group search returns without a status filter (unconfirmed: modelled as the narrowest). */
const DEFAULT_SEARCH_STATUSES = ['ACTIVE', 'PAUSED', 'DRAFT'];

/** The simulator's Ads resources: the member's accounts, their campaign groups, campaigns, creatives and analytics. */
export class AdsApi {
  constructor(
    private readonly data: SimData,
    private readonly clock: SimClock,
    private readonly statisticsTakesDemographics: boolean,
  ) {}

  private memberAccountIds(member: SimMember): number[] {
    return member.accountRoles.map((role) => role.accountId);
  }

  requireAccount(member: SimMember, accountId: number): void {
    if (!this.data.accounts.has(accountId))
      throw new ApiError(404, 'NOT_FOUND', `Ad account ${accountId} does not exist`);
    if (!this.memberAccountIds(member).includes(accountId)) {
      throw new ApiError(
        403,
        'ACCESS_DENIED',
        `Not enough permissions to access: the member has no role on ad account ${accountId}`,
        100,
      );
    }
  }

  adAccountUsers(query: Map<string, RestliValue>, member: SimMember) {
    rejectUnknown(query, ['q', 'start', 'count']);
    if (text(query, 'q') !== 'authenticatedUser')
      throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
    const elements = member.accountRoles.map((role) => ({
      account: `urn:li:sponsoredAccount:${role.accountId}`,
      role: role.role,
      user: `urn:li:person:${member.id}`,
    }));
    return offsetPage(query, elements, 100);
  }

  /**
   * Conversion rules of one ad account (`q=account`, the account by URN), paged by
   * start/count. Its answer's total is -1, as in LinkedIn's example: the total is not known.
   */
  conversions(query: Map<string, RestliValue>, member: SimMember) {
    rejectUnknown(query, ['q', 'account', 'start', 'count']);
    if (text(query, 'q') !== 'account') throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
    const account = /^urn:li:sponsoredAccount:(\d+)$/.exec(text(query, 'account')!);
    if (!account)
      throw new ApiError(400, 'PARAM_INVALID', 'account must be a urn:li:sponsoredAccount URN', 100);
    const accountId = Number(account[1]);
    this.requireAccount(member, accountId);
    const rules = [...this.data.conversions.values()]
      .filter((rule) => rule.accountId === accountId)
      .map((rule) => ({
        id: rule.id,
        name: rule.name,
        account: `urn:li:sponsoredAccount:${accountId}`,
        type: rule.type,
        enabled: rule.enabled,
        conversionMethod: rule.conversionMethod,
        attributionType: rule.attributionType,
        postClickAttributionWindowSize: rule.postClickAttributionWindowSize,
        viewThroughAttributionWindowSize: rule.viewThroughAttributionWindowSize,
        created: rule.created,
        lastModified: rule.lastModified,
      }));
    return offsetPage(query, rules, 100, false);
  }

  private statusFilter(
    query: Map<string, RestliValue>,
    known: string[],
  ): { statuses?: string[]; test?: boolean } {
    const search = query.get('search');
    if (search === undefined) return {};
    if (typeof search !== 'object' || Array.isArray(search))
      throw new ApiError(400, 'PARAM_INVALID', 'search must be a Rest.li object', 100);
    const filter: { statuses?: string[]; test?: boolean } = {};
    for (const [key, value] of Object.entries(search)) {
      if (key === 'status') {
        const values = typeof value === 'object' && !Array.isArray(value) ? value.values : undefined;
        if (!Array.isArray(values))
          throw new ApiError(400, 'PARAM_INVALID', 'search.status must be (values:List(...))', 100);
        const unknown = (values as string[]).filter((status) => !known.includes(status));
        if (unknown.length)
          throw new ApiError(
            400,
            'PARAM_INVALID',
            `Unknown status ${unknown.join(', ')} in search.status`,
            100,
          );
        filter.statuses = values as string[];
      } else if (key === 'test') {
        if (value !== 'true' && value !== 'false')
          throw new ApiError(400, 'PARAM_INVALID', 'search.test must be true or false', 100);
        filter.test = value === 'true';
      } else {
        throw new ApiError(400, 'PARAM_INVALID', `Unknown search criterion "${key}"`, 100);
      }
    }
    return filter;
  }

  adAccounts(rest: string[], query: Map<string, RestliValue>, member: SimMember) {
    if (rest.length === 0) {
      rejectUnknown(query, ['q', 'search', 'pageSize', 'pageToken']);
      if (text(query, 'q') !== 'search') throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
      const filter = this.statusFilter(query, ACCOUNT_STATUSES);
      const accounts = this.memberAccountIds(member)
        .map((id) => this.data.accounts.get(id)!)
        .filter(
          (account) =>
            (filter.statuses ?? DEFAULT_ACCOUNT_STATUSES).includes(account.status) &&
            (filter.test === undefined || account.test === filter.test),
        )
        .map((account) => this.accountJson(account.id));
      return cursorPage(query, accounts, 1000);
    }
    const accountId = Number(rest[0]);
    if (!/^\d+$/.test(rest[0]))
      throw new ApiError(400, 'PARAM_INVALID', `Invalid ad account id "${rest[0]}"`, 100);
    this.requireAccount(member, accountId);
    if (rest.length === 1) {
      rejectUnknown(query, []);
      return { body: this.accountJson(accountId), elements: 1 };
    }
    const filter = this.statusFilter(
      query,
      rest[1] === 'adCampaignGroups' ? CAMPAIGN_GROUP_STATUSES : CAMPAIGN_STATUSES,
    );
    // Without a status filter the searches leave old campaigns out: the worst case of what LinkedIn
    // may do (its docs do not say which statuses the default covers).
    const accepts = (status: string) => (filter.statuses ?? DEFAULT_SEARCH_STATUSES).includes(status);
    switch (rest[1]) {
      case 'adCampaignGroups': {
        rejectUnknown(query, ['q', 'search', 'pageSize', 'pageToken']);
        if (text(query, 'q') !== 'search')
          throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
        const groups = [...this.data.campaignGroups.values()]
          .filter((group) => group.accountId === accountId && accepts(group.status))
          .map((group) => ({
            id: group.id,
            name: group.name,
            account: `urn:li:sponsoredAccount:${accountId}`,
            status: group.status,
            runSchedule: { start: group.runStart },
            test: false,
          }));
        return cursorPage(query, groups, 1000);
      }
      case 'adCampaigns': {
        rejectUnknown(query, ['q', 'search', 'pageSize', 'pageToken']);
        if (text(query, 'q') !== 'search')
          throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
        const account = this.data.accounts.get(accountId)!;
        const money = (cents: number) => ({
          amount: (cents / 100).toFixed(2),
          currencyCode: account.currency,
        });
        const campaigns = [...this.data.campaigns.values()]
          .filter((campaign) => campaign.accountId === accountId && accepts(campaign.status))
          .map((campaign) => ({
            id: campaign.id,
            name: campaign.name,
            account: `urn:li:sponsoredAccount:${accountId}`,
            campaignGroup: `urn:li:sponsoredCampaignGroup:${campaign.groupId}`,
            status: campaign.status,
            type: campaign.type,
            costType: campaign.costType,
            dailyBudget: money(campaign.dailyBudgetCents),
            unitCost: money(campaign.unitCostCents),
            objectiveType: campaign.objectiveType,
            optimizationTargetType: campaign.costType === 'CPC' ? 'MAX_CLICK' : 'MAX_IMPRESSION',
            format: campaign.type === 'TEXT_AD' ? 'TEXT_AD' : 'STANDARD_UPDATE',
            locale: { country: 'US', language: 'en' },
            runSchedule: campaign.runEnd
              ? { start: campaign.runStart, end: campaign.runEnd }
              : { start: campaign.runStart },
            changeAuditStamps: {
              created: { time: campaign.createdAt },
              lastModified: { time: campaign.lastModifiedAt },
            },
            servingStatuses: campaign.status === 'ACTIVE' ? ['RUNNABLE'] : ['STOPPED'],
            test: false,
          }));
        return cursorPage(query, campaigns, 1000);
      }
      case 'creatives': {
        rejectUnknown(query, ['q', 'campaigns', 'pageSize', 'pageToken']);
        if (text(query, 'q') !== 'criteria')
          throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
        const campaigns = urnList(query, 'campaigns', 'urn:li:sponsoredCampaign:');
        const creatives = this.data
          .creativesOfAccount(accountId)
          .filter((creative) => !campaigns || campaigns.includes(creative.campaignId))
          .map((creative) => ({
            id: `urn:li:sponsoredCreative:${creative.id}`,
            name: creative.name,
            account: `urn:li:sponsoredAccount:${accountId}`,
            campaign: `urn:li:sponsoredCampaign:${creative.campaignId}`,
            intendedStatus: creative.intendedStatus,
            isServing: creative.intendedStatus === 'ACTIVE',
            createdAt: creative.createdAt,
            lastModifiedAt: creative.lastModifiedAt,
          }));
        return cursorPage(query, creatives, 100);
      }
      default:
        throw new ApiError(404, 'NOT_FOUND', `No resource named ${rest[1]}`);
    }
  }

  private accountJson(accountId: number) {
    const account = this.data.accounts.get(accountId)!;
    return {
      id: account.id,
      name: account.name,
      currency: account.currency,
      status: account.status,
      type: account.type,
      test: account.test,
      reference: account.reference,
      servingStatuses: ['RUNNABLE'],
      notifiedOnCampaignOptimization: false,
    };
  }

  private dateParts(value: RestliValue | undefined, name: string): number {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new ApiError(400, 'PARAM_INVALID', `${name} must be (year:Y,month:M,day:D)`, 100);
    }
    const keys = Object.keys(value).sort().join();
    if (keys !== 'day,month,year')
      throw new ApiError(400, 'PARAM_INVALID', `${name} must have exactly year, month and day`, 100);
    const [year, month, day] = [value.year, value.month, value.day].map((part) => Number(part));
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      throw new ApiError(400, 'PARAM_INVALID', `${name} is not a real date`, 100);
    }
    return dayOf({ year, month, day });
  }

  adAnalytics(query: Map<string, RestliValue>, member: SimMember) {
    const finder = text(query, 'q');
    const facetNames = ['accounts', 'campaignGroups', 'campaigns', 'creatives', 'companies'];
    rejectUnknown(query, ['q', 'pivot', 'pivots', 'timeGranularity', 'dateRange', 'fields', ...facetNames]);
    let pivots: string[];
    if (finder === 'analytics') {
      if (query.has('pivots'))
        throw new ApiError(
          400,
          'PARAM_INVALID',
          'The analytics finder takes one pivot; use q=statistics for pivots',
          100,
        );
      pivots = [enumValue(query, 'pivot')];
    } else if (finder === 'statistics') {
      const list = query.get('pivots');
      if (!Array.isArray(list) || list.length < 1 || list.length > 3) {
        throw new ApiError(400, 'PARAM_INVALID', 'pivots must be List(...) of one to three pivots', 100);
      }
      pivots = list as string[];
      const demographic = pivots.find((pivot) => pivot.startsWith('MEMBER_'));
      if (demographic && !this.statisticsTakesDemographics)
        throw new ApiError(
          400,
          'PARAM_INVALID',
          `Invalid pivot "${demographic}" for the statistics finder`,
          100,
        );
    } else {
      throw new ApiError(400, 'PARAM_INVALID', `Unsupported finder "${finder}"`, 100);
    }
    for (const pivot of pivots) {
      if (!(ENTITY_PIVOTS as readonly string[]).includes(pivot) && !(pivot in SPLIT_PIVOTS)) {
        throw new ApiError(400, 'PARAM_INVALID', `Invalid pivot "${pivot}"`, 100);
      }
    }
    const granularity = enumValue(query, 'timeGranularity') as Granularity;
    if (!['DAILY', 'MONTHLY', 'YEARLY', 'ALL'].includes(granularity)) {
      throw new ApiError(400, 'PARAM_INVALID', `Invalid timeGranularity "${granularity}"`, 100);
    }
    const range = query.get('dateRange');
    if (!range || typeof range !== 'object' || Array.isArray(range) || !('start' in range)) {
      throw new ApiError(
        400,
        'PARAM_INVALID',
        'dateRange=(start:(year:Y,month:M,day:D),end:(...)) is required',
        100,
      );
    }
    const today = Math.floor(this.clock.now() / DAY_MS);
    const startDay = this.dateParts(range.start, 'dateRange.start');
    const endDay = Math.min(
      range.end === undefined ? today : this.dateParts(range.end, 'dateRange.end'),
      today,
    );
    if (startDay > endDay)
      throw new ApiError(400, 'PARAM_INVALID', 'dateRange.start is after dateRange.end', 100);

    const facets: AnalyticsQuery['facets'] = {
      accounts: urnList(query, 'accounts', 'urn:li:sponsoredAccount:'),
      campaignGroups: urnList(query, 'campaignGroups', 'urn:li:sponsoredCampaignGroup:'),
      campaigns: urnList(query, 'campaigns', 'urn:li:sponsoredCampaign:'),
      creatives: urnList(query, 'creatives', 'urn:li:sponsoredCreative:'),
    };
    if (Object.values(facets).every((facet) => facet === undefined)) {
      throw new ApiError(
        400,
        'PARAM_INVALID',
        'At least one facet (accounts, campaignGroups, campaigns, creatives, companies) is required',
        100,
      );
    }
    const visible = new Set(this.memberAccountIds(member));
    const accountOf = {
      accounts: (id: number) => id,
      campaignGroups: (id: number) => this.data.campaignGroups.get(id)?.accountId,
      campaigns: (id: number) => this.data.campaigns.get(id)?.accountId,
      creatives: (id: number) => this.data.creatives.get(id)?.accountId,
    };
    // "An empty response is returned if there's no activity to report or if you don't have read
    // access to the requested advertising data" (LinkedIn's reporting page): what the member may
    // not read is left out of the answer, never refused.
    for (const facet of Object.keys(facets) as Array<keyof typeof accountOf>) {
      const ids = facets[facet];
      if (!ids) continue;
      facets[facet] = ids.filter((id) => {
        const accountId = accountOf[facet](id);
        return accountId !== undefined && visible.has(accountId);
      });
    }

    const fields = (text(query, 'fields', false) ?? 'impressions,clicks').split(',');
    if (fields.length > MAX_ANALYTICS_FIELDS) {
      throw new ApiError(
        400,
        'PARAM_INVALID',
        `Too many fields: at most ${MAX_ANALYTICS_FIELDS} may be requested, ${fields.length} were`,
        100,
      );
    }
    for (const field of fields) {
      if (!(field in AD_METRICS) && !AD_ROW_FIELDS.includes(field)) {
        throw new ApiError(400, 'PARAM_INVALID', `Unknown field "${field}" in fields`, 100);
      }
      if (NON_DEMOGRAPHIC_ONLY_METRICS.includes(field) && pivots.some(isDemographicPivot)) {
        throw new ApiError(
          400,
          'PARAM_INVALID',
          `${field} is available for non-demographic pivots only`,
          100,
        );
      }
      if (isReachOrConversionMetric(field) && pivots.includes('IMPRESSION_DEVICE_TYPE')) {
        throw new ApiError(
          400,
          'PARAM_INVALID',
          `${field} is not available with IMPRESSION_DEVICE_TYPE`,
          100,
        );
      }
      if (field === 'audiencePenetration' && pivots.some((pivot) => !PENETRATION_PIVOTS.includes(pivot))) {
        throw new ApiError(
          400,
          'PARAM_INVALID',
          `${field} is available for the ${PENETRATION_PIVOTS.join(', ')} pivots only`,
          100,
        );
      }
    }
    const all = computeAnalytics(this.data, { pivots, granularity, startDay, endDay, facets, fields });
    // LinkedIn returns at most 15,000 elements and says nothing about the rest.
    const elements = all.slice(0, MAX_ANALYTICS_ELEMENTS);
    return { body: { elements, paging: { start: 0, count: 10, links: [] } }, elements: elements.length };
  }
}
