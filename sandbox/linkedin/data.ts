import { AD_METRICS, REACH_MAX_DAYS } from './ads-metrics';
import { integerFor, unitFor, unitForNumbers } from './random';

export const DAY_MS = 86_400_000;

export interface WorldSize {
  accountsPerMember: number;
  campaignGroupsPerAccount: number;
  campaignsPerGroup: number;
  creativesPerCampaign: number;
  organizationsPerMember: number;
  postsPerOrganization: number;
}

export const DEFAULT_SIZE: WorldSize = {
  accountsPerMember: 3,
  campaignGroupsPerAccount: 2,
  campaignsPerGroup: 3,
  creativesPerCampaign: 2,
  organizationsPerMember: 2,
  postsPerOrganization: 30,
};

export type AccountRole =
  'ACCOUNT_MANAGER' | 'CAMPAIGN_MANAGER' | 'CREATIVE_MANAGER' | 'VIEWER' | 'ACCOUNT_BILLING_ADMIN';

export interface SimMember {
  id: string;
  firstName: string;
  lastName: string;
  accountRoles: Array<{ accountId: number; role: AccountRole }>;
  organizationRoles: Array<{ organizationId: number; role: 'ADMINISTRATOR' | 'ANALYST' }>;
}

export interface SimAdAccount {
  id: number;
  name: string;
  currency: string;
  status: 'ACTIVE' | 'CANCELED' | 'DRAFT';
  type: 'BUSINESS';
  test: boolean;
  reference: string;
}

export interface SimCampaignGroup {
  id: number;
  accountId: number;
  name: string;
  status: 'ACTIVE' | 'PAUSED' | 'ARCHIVED';
  runStart: number;
}

export interface SimCampaign {
  id: number;
  accountId: number;
  groupId: number;
  name: string;
  status: 'ACTIVE' | 'PAUSED' | 'COMPLETED';
  type: 'SPONSORED_UPDATES' | 'TEXT_AD';
  costType: 'CPC' | 'CPM';
  dailyBudgetCents: number;
  unitCostCents: number;
  objectiveType: string;
  runStart: number;
  runEnd: number | null;
  createdAt: number;
  lastModifiedAt: number;
}

export interface SimCreative {
  id: number;
  campaignId: number;
  accountId: number;
  name: string;
  intendedStatus: 'ACTIVE' | 'PAUSED';
  createdAt: number;
  lastModifiedAt: number;
}

/** A conversion rule of an ad account: what analytics' CONVERSION pivot splits numbers by. */
export interface SimConversion {
  id: number;
  accountId: number;
  name: string;
  type: string;
  enabled: boolean;
  conversionMethod: string;
  attributionType: string;
  postClickAttributionWindowSize: number;
  viewThroughAttributionWindowSize: number;
  created: number;
  lastModified: number;
}

export interface SimOrganization {
  id: number;
  localizedName: string;
  vanityName: string;
}

export interface SimPost {
  id: string;
  organizationId: number;
  commentary: string;
  createdAt: number;
  publishedAt: number;
  lastModifiedAt: number;
  lifecycleState: 'PUBLISHED';
}

const CURRENCIES = ['USD', 'EUR', 'GBP'];
/** Every account's conversion rules: name, type and how events reach LinkedIn. */
const CONVERSION_RULES: Array<[string, string, string]> = [
  ['Quote form sent', 'REQUEST_QUOTE', 'INSIGHT_TAG_URL_MATCH_RULES'],
  ['Meeting booked', 'BOOK_APPOINTMENT', 'INSIGHT_TAG_JAVASCRIPT_EVENT'],
  ['CRM leads', 'LEAD', 'CONVERSIONS_API'],
];
/** Fixed USD rates, so costInUsd is reproducible. */
export const USD_PER_UNIT: Record<string, number> = { USD: 1, EUR: 1.08, GBP: 1.27 };
const OBJECTIVES = [
  'WEBSITE_VISIT',
  'LEAD_GENERATION',
  'BRAND_AWARENESS',
  'VIDEO_VIEW',
  'WEBSITE_CONVERSION',
];

/** The date LinkedIn's simulated history starts: the first campaigns begin here. */
export const HISTORY_START = Date.UTC(2024, 0, 1);

export type DailyVector = Record<string, number>;

// Negative stream numbers keep these draws apart from the per-metric ones (metric index >= 0).
const SERVES_STREAM = -1;
const IMPRESSIONS_STREAM = -2;
const CTR_STREAM = -3;
const CPC_STREAM = -4;
const VALUE_STREAM = -5;

/**
 * The simulated LinkedIn world: members, their ad accounts and pages, and every number
 * LinkedIn would report, each a pure function of the seed and the entity.
 */
export class SimData {
  readonly members: SimMember[] = [];
  readonly accounts = new Map<number, SimAdAccount>();
  readonly campaignGroups = new Map<number, SimCampaignGroup>();
  readonly campaigns = new Map<number, SimCampaign>();
  readonly creatives = new Map<number, SimCreative>();
  readonly conversions = new Map<number, SimConversion>();
  readonly organizations = new Map<number, SimOrganization>();
  readonly posts: SimPost[] = [];
  /** Keyed by creative id × 100,000 + day: numbers, not strings, on the simulator's hottest path. */
  private readonly dailyCache = new Map<number, DailyVector | null>();
  /** Each counted metric's share of its base (impressions or clicks), fixed per seed. */
  private readonly countPlan: Map<string, { index: number; impressionBased: boolean; rate: number }>;

  constructor(
    readonly seed: number,
    readonly size: WorldSize = DEFAULT_SIZE,
    accountNames: string[] = [],
  ) {
    this.countPlan = new Map(
      Object.keys(AD_METRICS)
        .filter((metric) => AD_METRICS[metric] === 'count' && metric !== 'impressions' && metric !== 'clicks')
        .map((metric, index) => [
          metric,
          {
            index,
            impressionBased: /Impressions$/.test(metric),
            rate: 0.05 + 0.6 * unitFor(seed, `rate:${metric}`),
          },
        ]),
    );
    const memberNames = [
      ['Alex', 'Analyst'],
      ['Blake', 'Buyer'],
    ];
    let accountSerial = 0;
    let organizationSerial = 0;
    memberNames.forEach(([firstName, lastName], memberIndex) => {
      const member: SimMember = {
        id: `sim${memberIndex + 1}Person`,
        firstName,
        lastName,
        accountRoles: [],
        organizationRoles: [],
      };
      for (let a = 0; a < size.accountsPerMember; a++) {
        const accountId = 500_000_001 + accountSerial;
        member.accountRoles.push({
          accountId,
          role: a === 0 ? 'ACCOUNT_MANAGER' : a === 1 ? 'VIEWER' : 'CAMPAIGN_MANAGER',
        });
        this.addAccount(
          accountId,
          accountNames[accountSerial] ?? `${lastName} Co. Ads ${a + 1}`,
          accountSerial,
        );
        accountSerial++;
      }
      for (let o = 0; o < size.organizationsPerMember; o++) {
        const organizationId = 10_000_001 + organizationSerial;
        member.organizationRoles.push({ organizationId, role: 'ADMINISTRATOR' });
        this.addOrganization(organizationId, organizationSerial);
        organizationSerial++;
      }
      this.members.push(member);
    });
  }

  private addAccount(accountId: number, name: string, serial: number): void {
    this.accounts.set(accountId, {
      id: accountId,
      name,
      currency: CURRENCIES[serial % CURRENCIES.length],
      status: 'ACTIVE',
      type: 'BUSINESS',
      test: false,
      reference: `urn:li:organization:${10_000_001 + serial}`,
    });
    CONVERSION_RULES.forEach(([name, type, conversionMethod], k) => {
      const id = 900_000_000 + (accountId - 500_000_000) * 10 + k;
      this.conversions.set(id, {
        id,
        accountId,
        name,
        type,
        enabled: k < 2,
        conversionMethod,
        attributionType: 'LAST_TOUCH_BY_CAMPAIGN',
        postClickAttributionWindowSize: 30,
        viewThroughAttributionWindowSize: 7,
        created: HISTORY_START - 30 * DAY_MS,
        lastModified: HISTORY_START - 20 * DAY_MS,
      });
    });
    for (let g = 0; g < this.size.campaignGroupsPerAccount; g++) {
      const groupId = 600_000_000 + (accountId - 500_000_000) * 100 + g;
      const runStart = HISTORY_START + integerFor(this.seed, `group-start:${groupId}`, 0, 60) * DAY_MS;
      this.campaignGroups.set(groupId, {
        id: groupId,
        accountId,
        name: `Group ${g + 1} of ${name}`,
        status: 'ACTIVE',
        runStart,
      });
      for (let c = 0; c < this.size.campaignsPerGroup; c++) {
        const campaignId = 700_000_000 + (groupId - 600_000_000) * 100 + c;
        const campaignStart =
          runStart + integerFor(this.seed, `campaign-start:${campaignId}`, 0, 30) * DAY_MS;
        const ended = c === this.size.campaignsPerGroup - 1 && c > 0;
        this.campaigns.set(campaignId, {
          id: campaignId,
          accountId,
          groupId,
          name: `Campaign ${g + 1}.${c + 1} (${OBJECTIVES[c % OBJECTIVES.length].toLowerCase()})`,
          status: ended ? 'COMPLETED' : c % 3 === 1 ? 'PAUSED' : 'ACTIVE',
          type: c % 4 === 3 ? 'TEXT_AD' : 'SPONSORED_UPDATES',
          costType: c % 2 === 0 ? 'CPC' : 'CPM',
          dailyBudgetCents: integerFor(this.seed, `budget:${campaignId}`, 20, 500) * 100,
          unitCostCents: integerFor(this.seed, `unit:${campaignId}`, 150, 1200),
          objectiveType: OBJECTIVES[c % OBJECTIVES.length],
          runStart: campaignStart,
          runEnd: ended ? campaignStart + 400 * DAY_MS : null,
          createdAt: campaignStart - 3 * DAY_MS,
          lastModifiedAt: campaignStart + 10 * DAY_MS,
        });
        for (let k = 0; k < this.size.creativesPerCampaign; k++) {
          const creativeId = 800_000_000 + (campaignId - 700_000_000) * 10 + k;
          this.creatives.set(creativeId, {
            id: creativeId,
            campaignId,
            accountId,
            name: `Creative ${k + 1} of campaign ${g + 1}.${c + 1}`,
            intendedStatus: k === 0 ? 'ACTIVE' : 'PAUSED',
            createdAt: campaignStart - DAY_MS,
            lastModifiedAt: campaignStart + 5 * DAY_MS,
          });
        }
      }
    }
  }

  private addOrganization(organizationId: number, serial: number): void {
    const names = ['Northwind Analytics', 'Contoso Robotics', 'Fabrikam Foods', 'Tailspin Travel'];
    const name = names[serial % names.length] + (serial >= names.length ? ` ${serial}` : '');
    this.organizations.set(organizationId, {
      id: organizationId,
      localizedName: name,
      vanityName: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    });
    for (let p = 0; p < this.size.postsPerOrganization; p++) {
      const createdAt =
        HISTORY_START +
        300 * DAY_MS +
        p * 2 * DAY_MS +
        integerFor(this.seed, `post:${organizationId}:${p}`, 0, 86_399) * 1000;
      this.posts.push({
        id:
          p % 3 === 2
            ? `urn:li:ugcPost:${7_100_000_000 + serial * 10_000 + p}`
            : `urn:li:share:${7_000_000_000 + serial * 10_000 + p}`,
        organizationId,
        commentary: `Post ${p + 1} from ${name}: what we learned this week`,
        createdAt,
        publishedAt: createdAt + 60_000,
        lastModifiedAt: createdAt + 120_000,
        lifecycleState: 'PUBLISHED',
      });
    }
  }

  member(memberId: string): SimMember | undefined {
    return this.members.find((member) => member.id === memberId);
  }

  /**
   * One creative's numbers on one UTC day for the metrics asked, or null when it did not serve
   * (LinkedIn omits such rows). Each metric is drawn the first time it is asked: a query of two
   * metrics does not pay for the hundred others.
   */
  creativeDay(creativeId: number, day: number, metrics: readonly string[]): DailyVector | null {
    const key = creativeId * 100_000 + day;
    let vector = this.dailyCache.get(key);
    if (vector === undefined) {
      const creative = this.creatives.get(creativeId)!;
      const campaign = this.campaigns.get(creative.campaignId)!;
      const dayStart = day * DAY_MS;
      const serving =
        dayStart >= campaign.runStart &&
        (campaign.runEnd === null || dayStart <= campaign.runEnd) &&
        unitForNumbers(this.seed, creativeId, day, SERVES_STREAM) > 0.12;
      vector = serving ? this.servedDay(creativeId, day) : null;
      this.dailyCache.set(key, vector);
    }
    if (vector) for (const metric of metrics) this.drawMetric(vector, creativeId, day, metric);
    return vector;
  }

  private servedDay(creativeId: number, day: number): DailyVector {
    const impressions =
      40 + Math.floor(3961 * unitForNumbers(this.seed, creativeId, day, IMPRESSIONS_STREAM));
    const clicks = Math.floor(
      impressions * (0.004 + 0.03 * unitForNumbers(this.seed, creativeId, 0, CTR_STREAM)),
    );
    return { impressions, clicks };
  }

  private drawMetric(vector: DailyVector, creativeId: number, day: number, metric: string): number {
    if (vector[metric] !== undefined) return vector[metric];
    const counted = this.countPlan.get(metric);
    let value: number;
    if (counted) {
      const bound = BOUNDED_COUNTS[metric];
      const base = bound
        ? this.drawMetric(vector, creativeId, day, bound.base)
        : counted.impressionBased
          ? vector.impressions
          : vector.clicks;
      value =
        Math.floor(base * counted.rate * unitForNumbers(this.seed, creativeId, day, counted.index)) +
        (bound?.includesBase ? base : 0);
    } else if (metric === 'costInLocalCurrency') {
      value =
        vector.clicks * (200 + Math.floor(701 * unitForNumbers(this.seed, creativeId, 0, CPC_STREAM))) +
        Math.floor(vector.impressions / 10);
    } else if (metric === 'costInUsd') {
      const account = this.accounts.get(this.creatives.get(creativeId)!.accountId)!;
      const localCents = this.drawMetric(vector, creativeId, day, 'costInLocalCurrency');
      value = Math.round(localCents * USD_PER_UNIT[account.currency]);
    } else if (metric === 'conversionValueInLocalCurrency') {
      value =
        this.drawMetric(vector, creativeId, day, 'externalWebsiteConversions') *
        (500 + Math.floor(8501 * unitForNumbers(this.seed, creativeId, 0, VALUE_STREAM)));
    } else {
      throw new Error(`${metric} is computed from sums (deriveMetrics), not drawn per day`);
    }
    vector[metric] = value;
    return value;
  }

  creativesOfAccount(accountId: number): SimCreative[] {
    return [...this.creatives.values()].filter((creative) => creative.accountId === accountId);
  }
}

/**
 * Counts another count of the same row bounds, as LinkedIn defines them: leads come from lead
 * forms opened, and total engagements count every click with the other interactions. Drawn from
 * that count, so no row has more leads than opened forms, or fewer engagements than clicks.
 */
const BOUNDED_COUNTS: Record<string, { base: string; includesBase?: boolean }> = {
  oneClickLeads: { base: 'oneClickLeadFormOpens' },
  viralOneClickLeads: { base: 'viralOneClickLeadFormOpens' },
  totalEngagements: { base: 'clicks', includesBase: true },
  viralTotalEngagements: { base: 'viralClicks', includesBase: true },
};

/** Metrics computed from an aggregated row: they do not add up across rows, as on LinkedIn. */
export function deriveMetrics(row: DailyVector, days: number): DailyVector {
  const derived: DailyVector = { ...row };
  if (days <= REACH_MAX_DAYS) {
    derived.approximateMemberReach = Math.floor(row.impressions * 0.62);
    derived.audiencePenetration =
      Math.round(Math.min(1, derived.approximateMemberReach / 250_000) * 1e6) / 1e6;
  }
  derived.averageDwellTime = Math.round((2 + (row.clicks % 13) * 0.37) * 100) / 100;
  if (row.qualifiedLeads > 0)
    derived.costPerQualifiedLead = Math.round(row.costInLocalCurrency / row.qualifiedLeads);
  return derived;
}
