/**
 * adAnalytics metrics as the simulator knows them from LinkedIn's reporting schema.
 * `count` metrics sum over days and entities; `money` comes as a decimal string;
 * `derived` values are computed from an aggregated row and do not sum.
 */
export type MetricKind = 'count' | 'money' | 'derived';

const countMetrics = [
  'impressions',
  'clicks',
  'landingPageClicks',
  'textUrlClicks',
  'companyPageClicks',
  'actionClicks',
  'adUnitClicks',
  'cardClicks',
  'cardImpressions',
  'downloadClicks',
  'headlineClicks',
  'headlineImpressions',
  'subscriptionClicks',
  'likes',
  'reactions',
  'comments',
  'commentLikes',
  'shares',
  'follows',
  'otherEngagements',
  'totalEngagements',
  'opens',
  'sends',
  'fullScreenPlays',
  'externalWebsiteConversions',
  'externalWebsitePostClickConversions',
  'externalWebsitePostViewConversions',
  'oneClickLeads',
  'oneClickLeadFormOpens',
  'qualifiedLeads',
  'validWorkEmailLeads',
  'leadGenerationMailContactInfoShares',
  'leadGenerationMailInterestedClicks',
  'talentLeads',
  'jobApplications',
  'jobApplyClicks',
  'postClickJobApplications',
  'postClickJobApplyClicks',
  'postViewJobApplications',
  'postViewJobApplyClicks',
  'registrations',
  'postClickRegistrations',
  'postViewRegistrations',
  'videoStarts',
  'videoViews',
  'videoFirstQuartileCompletions',
  'videoMidpointCompletions',
  'videoThirdQuartileCompletions',
  'videoCompletions',
  'documentCompletions',
  'documentFirstQuartileCompletions',
  'documentMidpointCompletions',
  'documentThirdQuartileCompletions',
];

/** Counts LinkedIn reports no `viral…` form of (message ads, lead quality, talent). */
const WITHOUT_VIRAL = [
  'textUrlClicks',
  'actionClicks',
  'adUnitClicks',
  'headlineClicks',
  'headlineImpressions',
  'opens',
  'sends',
  'qualifiedLeads',
  'validWorkEmailLeads',
  'leadGenerationMailContactInfoShares',
  'leadGenerationMailInterestedClicks',
  'talentLeads',
];

const viralOf = countMetrics
  .filter((name) => !WITHOUT_VIRAL.includes(name))
  .map((name) => `viral${name[0].toUpperCase()}${name.slice(1)}`);

export const AD_METRICS: Record<string, MetricKind> = {
  ...Object.fromEntries([...countMetrics, ...viralOf].map((name) => [name, 'count' as const])),
  costInLocalCurrency: 'money',
  costInUsd: 'money',
  conversionValueInLocalCurrency: 'money',
  costPerQualifiedLead: 'derived',
  approximateMemberReach: 'derived',
  audiencePenetration: 'derived',
  averageDwellTime: 'derived',
};

/** Fields that describe a row rather than measure it; they count toward the 20-field limit. */
export const AD_ROW_FIELDS = ['dateRange', 'pivotValues'];

export const MAX_ANALYTICS_FIELDS = 20;
export const MAX_ANALYTICS_ELEMENTS = 15_000;
/** Reach and penetration are offered only over ranges of at most 92 days. */
export const REACH_MAX_DAYS = 92;

/** Pivots whose values are an account's own entities, conversion rules included. */
export const ENTITY_PIVOTS = ['ACCOUNT', 'CAMPAIGN_GROUP', 'CAMPAIGN', 'CREATIVE', 'CONVERSION'] as const;

/** LinkedIn's company size values, plain strings in both Pages and ad analytics answers. */
export const STAFF_COUNT_RANGES = [
  'SIZE_1',
  'SIZE_2_TO_10',
  'SIZE_11_TO_50',
  'SIZE_51_TO_200',
  'SIZE_201_TO_500',
  'SIZE_501_TO_1000',
  'SIZE_1001_TO_5000',
  'SIZE_5001_TO_10000',
  'SIZE_10001_OR_MORE',
];

/**
 * Device types as LinkedIn sends them, plain strings: MOBILE_WEB and UNDETECTED in recorded real answers,
 * CONNECTED_TV in a connector's fixture. The full list is unpublished, so only these are served.
 */
export const IMPRESSION_DEVICE_TYPES = ['MOBILE_WEB', 'CONNECTED_TV', 'UNDETECTED'];

/**
 * Pivots whose values split each creative's numbers across facet values: URNs with a counter,
 * or LinkedIn's own plain values where it sends those (company sizes, device types).
 * docs/linkedin-api.md says which prefixes real answers confirm and which are still our guess.
 */
export const SPLIT_PIVOTS: Record<string, { urnPrefix: string; count: number; values?: string[] }> = {
  COMPANY: { urnPrefix: 'urn:li:organization:', count: 1 },
  SHARE: { urnPrefix: 'urn:li:share:', count: 1 },
  SERVING_LOCATION: { urnPrefix: 'urn:li:servingLocation:', count: 2 },
  CARD_INDEX: { urnPrefix: 'urn:li:cardIndex:', count: 3 },
  PLACEMENT_NAME: { urnPrefix: 'urn:li:placement:', count: 3 },
  IMPRESSION_DEVICE_TYPE: {
    urnPrefix: '',
    count: IMPRESSION_DEVICE_TYPES.length,
    values: IMPRESSION_DEVICE_TYPES,
  },
  MEMBER_COMPANY_SIZE: { urnPrefix: '', count: STAFF_COUNT_RANGES.length, values: STAFF_COUNT_RANGES },
  MEMBER_INDUSTRY: { urnPrefix: 'urn:li:industry:', count: 12 },
  MEMBER_SENIORITY: { urnPrefix: 'urn:li:seniority:', count: 10 },
  // Job titles are many: a year of them by day passes the 15,000-element cap.
  MEMBER_JOB_TITLE: { urnPrefix: 'urn:li:title:', count: 300 },
  MEMBER_JOB_FUNCTION: { urnPrefix: 'urn:li:function:', count: 26 },
  MEMBER_COUNTRY_V2: { urnPrefix: 'urn:li:geo:', count: 10 },
  MEMBER_REGION_V2: { urnPrefix: 'urn:li:geo:9', count: 12 },
  MEMBER_COMPANY: { urnPrefix: 'urn:li:organization:7', count: 20 },
};

/** The value a split pivot gives its facet value at `index`: LinkedIn's plain value, or the URN with a counter. */
export function splitPivotValue(pivot: string, index: number): string {
  const split = SPLIT_PIVOTS[pivot];
  return split.values?.[index] ?? `${split.urnPrefix}${index + 1}`;
}

export const isDemographicPivot = (pivot: string) => pivot.startsWith('MEMBER_');

/** LinkedIn's reporting page marks these "non-demographic pivots only". */
export const NON_DEMOGRAPHIC_ONLY_METRICS = [
  'approximateMemberReach',
  'cardClicks',
  'cardImpressions',
  'conversionValueInLocalCurrency',
  'viralCardClicks',
  'viralCardImpressions',
];

/**
 * Audience penetration "only supports the CAMPAIGN pivot" in LinkedIn's metrics table; users of
 * the API report it by account and campaign group too, which the simulator follows. Whether
 * LinkedIn refuses another pivot or answers it without the metric is not documented: the
 * simulator refuses, the stricter reading.
 */
export const PENETRATION_PIVOTS = ['ACCOUNT', 'CAMPAIGN_GROUP', 'CAMPAIGN'];

/** Reach and conversion metrics, which LinkedIn does not offer with IMPRESSION_DEVICE_TYPE. */
export const isReachOrConversionMetric = (metric: string) =>
  ['approximateMemberReach', 'audiencePenetration'].includes(metric) || /conversion/i.test(metric);
