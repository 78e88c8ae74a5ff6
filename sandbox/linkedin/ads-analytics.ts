import { AD_METRICS, SPLIT_PIVOTS, splitPivotValue } from './ads-metrics';
import { DAY_MS, deriveMetrics, type DailyVector, type SimCreative, type SimData } from './data';
import { unitFor } from './random';

const DERIVED_INPUTS = ['impressions', 'clicks', 'qualifiedLeads', 'costInLocalCurrency'];

export type Granularity = 'DAILY' | 'MONTHLY' | 'YEARLY' | 'ALL';

export interface AnalyticsQuery {
  pivots: string[];
  granularity: Granularity;
  /** Inclusive UTC day numbers (days since 1970-01-01). */
  startDay: number;
  endDay: number;
  facets: { accounts?: number[]; campaignGroups?: number[]; campaigns?: number[]; creatives?: number[] };
  fields: string[];
}

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export type AnalyticsElement = Record<string, unknown> & {
  dateRange?: { start: DateParts; end: DateParts };
  pivotValues?: string[];
};

export const dayOf = (parts: DateParts) => Date.UTC(parts.year, parts.month - 1, parts.day) / DAY_MS;

export function partsOf(day: number): DateParts {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function bucketOf(day: number, granularity: Granularity, query: AnalyticsQuery): [number, number] {
  const date = new Date(day * DAY_MS);
  const clip = (start: number, end: number): [number, number] => [
    Math.max(start, query.startDay),
    Math.min(end, query.endDay),
  ];
  switch (granularity) {
    case 'DAILY':
      return [day, day];
    case 'MONTHLY':
      return clip(
        Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS,
        Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0) / DAY_MS,
      );
    case 'YEARLY':
      return clip(
        Date.UTC(date.getUTCFullYear(), 0, 1) / DAY_MS,
        Date.UTC(date.getUTCFullYear(), 11, 31) / DAY_MS,
      );
    case 'ALL':
      return [query.startDay, query.endDay];
  }
}

function splitWeights(seed: number, pivot: string, count = SPLIT_PIVOTS[pivot].count): number[] {
  const raw = Array.from({ length: count }, (_, index) => 0.2 + unitFor(seed, `weight:${pivot}:${index}`));
  const total = raw.reduce((sum, weight) => sum + weight, 0);
  return raw.map((weight) => weight / total);
}

/** Each pivot's values for one creative: an entity's URN, or a split of its numbers across facet values. */
function pivotOptions(
  data: SimData,
  creative: SimCreative,
  pivot: string,
): Array<{ value: string; weight: number }> {
  const campaign = data.campaigns.get(creative.campaignId)!;
  switch (pivot) {
    case 'ACCOUNT':
      return [{ value: `urn:li:sponsoredAccount:${creative.accountId}`, weight: 1 }];
    case 'CAMPAIGN_GROUP':
      return [{ value: `urn:li:sponsoredCampaignGroup:${campaign.groupId}`, weight: 1 }];
    case 'CAMPAIGN':
      return [{ value: `urn:li:sponsoredCampaign:${campaign.id}`, weight: 1 }];
    case 'CREATIVE':
      return [{ value: `urn:li:sponsoredCreative:${creative.id}`, weight: 1 }];
    case 'CONVERSION': {
      // Conversion rules belong to an account, and LinkedIn names them urn:lla:llaPartnerConversion.
      const rules = [...data.conversions.values()].filter((rule) => rule.accountId === creative.accountId);
      const weights = splitWeights(data.seed, pivot, rules.length);
      return rules.map((rule, index) => ({
        value: `urn:lla:llaPartnerConversion:${rule.id}`,
        weight: weights[index],
      }));
    }
  }
  return splitWeights(data.seed, pivot).map((weight, index) => ({
    value: splitPivotValue(pivot, index),
    weight,
  }));
}

function combinations(
  options: Array<Array<{ value: string; weight: number }>>,
): Array<{ values: string[]; weight: number }> {
  return options.reduce<Array<{ values: string[]; weight: number }>>(
    (combos, choices) =>
      combos.flatMap((combo) =>
        choices.map((choice) => ({
          values: [...combo.values, choice.value],
          weight: combo.weight * choice.weight,
        })),
      ),
    [{ values: [], weight: 1 }],
  );
}

export function creativesInScope(data: SimData, facets: AnalyticsQuery['facets']): SimCreative[] {
  return [...data.creatives.values()].filter((creative) => {
    const campaign = data.campaigns.get(creative.campaignId)!;
    return (
      (!facets.accounts || facets.accounts.includes(creative.accountId)) &&
      (!facets.campaignGroups || facets.campaignGroups.includes(campaign.groupId)) &&
      (!facets.campaigns || facets.campaigns.includes(campaign.id)) &&
      (!facets.creatives || facets.creatives.includes(creative.id))
    );
  });
}

/** Every element LinkedIn holds for the query, in LinkedIn's order, before any response cap. */
export function computeAnalytics(data: SimData, query: AnalyticsQuery): AnalyticsElement[] {
  const groups = new Map<string, { start: number; end: number; pivotValues: string[]; sums: DailyVector }>();
  // Only what is asked for, plus what the derived metrics are computed from.
  const summed = Object.keys(AD_METRICS).filter(
    (metric) =>
      AD_METRICS[metric] !== 'derived' && (query.fields.includes(metric) || DERIVED_INPUTS.includes(metric)),
  );
  for (const creative of creativesInScope(data, query.facets)) {
    const combos = combinations(query.pivots.map((pivot) => pivotOptions(data, creative, pivot)));
    for (let day = query.startDay; day <= query.endDay; day++) {
      const vector = data.creativeDay(creative.id, day, summed);
      if (!vector) continue;
      const [start, end] = bucketOf(day, query.granularity, query);
      for (const combo of combos) {
        const key = `${start}|${combo.values.join(',')}`;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { start, end, pivotValues: combo.values, sums: {} }));
        for (const metric of summed) {
          const value = combo.weight === 1 ? vector[metric] : Math.floor(vector[metric] * combo.weight);
          group.sums[metric] = (group.sums[metric] ?? 0) + value;
        }
      }
    }
  }
  const rangeDays = query.endDay - query.startDay + 1;
  return [...groups.values()]
    .filter((group) => group.sums.impressions > 0)
    .sort((a, b) => a.start - b.start || a.pivotValues.join().localeCompare(b.pivotValues.join()))
    .map((group) => {
      const metrics = deriveMetrics(group.sums, rangeDays);
      const element: AnalyticsElement = {};
      for (const field of query.fields) {
        if (field === 'dateRange')
          element.dateRange = { start: partsOf(group.start), end: partsOf(group.end) };
        else if (field === 'pivotValues') element.pivotValues = group.pivotValues;
        else if (metrics[field] !== undefined) {
          const moneyLike = AD_METRICS[field] === 'money' || field === 'costPerQualifiedLead';
          element[field] = moneyLike ? (metrics[field] / 100).toFixed(2) : metrics[field];
        }
      }
      return element;
    });
}
