import { COMPANY_NAMES, GEO_NAMES, INDUSTRY_NAMES, TITLE_NAMES } from './facets';
import type { EntityStream } from './ad-entities';
import type { FacetNames, FieldSpec, FieldType, StreamSpec } from './types';

/**
 * LinkedIn Ads analytics as data: the adAnalytics metrics, pivots and granularities. The
 * sidebar's pickers, the request planner and the sheet headers all read this file.
 */

type MetricRow = [
  apiName: string,
  label: string,
  group: string,
  type: FieldType,
  description: string,
  byDefault?: boolean,
  viral?: 'viral',
];

/**
 * adAnalytics metrics: API name, label, group, type, description, picked by default, and
 * 'viral' where LinkedIn also reports the count from members reached through others.
 */
const METRICS: MetricRow[] = [
  ['impressions', 'Impressions', 'Delivery', 'integer', 'Times the ad was shown.', true, 'viral'],
  ['clicks', 'Clicks', 'Clicks', 'integer', 'All clicks on the ad.', true, 'viral'],
  [
    'costInLocalCurrency',
    'Cost (account currency)',
    'Cost',
    'money',
    'Spend in the account’s currency.',
    true,
  ],
  ['costInUsd', 'Cost (USD)', 'Cost', 'money', 'Spend converted to US dollars.'],
  [
    'approximateMemberReach',
    'Reach (approx.)',
    'Delivery',
    'integer',
    'Estimated unique members who saw the ad. Empty for periods over 92 days.',
  ],
  [
    'audiencePenetration',
    'Audience penetration',
    'Delivery',
    'ratio',
    'Members reached divided by the target audience size. Empty for ranges over 92 days.',
  ],
  [
    'landingPageClicks',
    'Landing page clicks',
    'Clicks',
    'integer',
    'Clicks to the ad’s landing page.',
    true,
    'viral',
  ],
  ['textUrlClicks', 'Text URL clicks', 'Clicks', 'integer', 'Clicks on URLs in the ad text.'],
  [
    'companyPageClicks',
    'Company page clicks',
    'Clicks',
    'integer',
    'Clicks to the company page.',
    false,
    'viral',
  ],
  ['actionClicks', 'Action clicks', 'Clicks', 'integer', 'Clicks on the action button of a message ad.'],
  ['adUnitClicks', 'Ad unit clicks', 'Clicks', 'integer', 'Clicks on the ad unit beside a message ad.'],
  ['cardClicks', 'Card clicks', 'Clicks', 'integer', 'Clicks on carousel cards.', false, 'viral'],
  [
    'cardImpressions',
    'Card impressions',
    'Delivery',
    'integer',
    'Impressions of carousel cards.',
    false,
    'viral',
  ],
  [
    'downloadClicks',
    'Download clicks',
    'Clicks',
    'integer',
    'Clicks to download a document ad.',
    false,
    'viral',
  ],
  ['headlineClicks', 'Headline clicks', 'Clicks', 'integer', 'Clicks on the headline of a message ad.'],
  [
    'headlineImpressions',
    'Headline impressions',
    'Delivery',
    'integer',
    'Impressions of a message ad’s headline.',
  ],
  [
    'subscriptionClicks',
    'Subscription clicks',
    'Clicks',
    'integer',
    'Clicks to subscribe to a newsletter.',
    false,
    'viral',
  ],
  ['likes', 'Likes', 'Engagement', 'integer', 'Likes of the ad.', false, 'viral'],
  ['reactions', 'Reactions', 'Engagement', 'integer', 'All reactions to the ad.', false, 'viral'],
  ['comments', 'Comments', 'Engagement', 'integer', 'Comments on the ad.', false, 'viral'],
  ['commentLikes', 'Comment likes', 'Engagement', 'integer', 'Likes of comments on the ad.', false, 'viral'],
  ['shares', 'Shares', 'Engagement', 'integer', 'Shares of the ad.', false, 'viral'],
  ['follows', 'Follows', 'Engagement', 'integer', 'Company page follows from the ad.', false, 'viral'],
  [
    'otherEngagements',
    'Other engagements',
    'Engagement',
    'integer',
    'Engagements not counted elsewhere.',
    false,
    'viral',
  ],
  [
    'totalEngagements',
    'Total engagements',
    'Engagement',
    'integer',
    'All clicks, reactions, comments, shares and follows.',
    true,
    'viral',
  ],
  ['opens', 'Opens', 'Engagement', 'integer', 'Opens of a message ad.'],
  ['sends', 'Sends', 'Delivery', 'integer', 'Message ads sent.'],
  [
    'averageDwellTime',
    'Average dwell time (s)',
    'Engagement',
    'decimal',
    'Seconds more than half the ad was in view, on average.',
  ],
  ['fullScreenPlays', 'Full screen plays', 'Video', 'integer', 'Video plays in full screen.', false, 'viral'],
  [
    'externalWebsiteConversions',
    'Conversions',
    'Conversions',
    'integer',
    'Conversions on your website.',
    true,
    'viral',
  ],
  [
    'externalWebsitePostClickConversions',
    'Post-click conversions',
    'Conversions',
    'integer',
    'Conversions after a click on the ad.',
    false,
    'viral',
  ],
  [
    'externalWebsitePostViewConversions',
    'Post-view conversions',
    'Conversions',
    'integer',
    'Conversions after a view of the ad.',
    false,
    'viral',
  ],
  [
    'conversionValueInLocalCurrency',
    'Conversion value',
    'Conversions',
    'money',
    'Value of conversions in the account currency.',
  ],
  ['oneClickLeads', 'Leads', 'Leads', 'integer', 'Lead form submissions.', true, 'viral'],
  ['oneClickLeadFormOpens', 'Lead form opens', 'Leads', 'integer', 'Lead forms opened.', false, 'viral'],
  ['qualifiedLeads', 'Qualified leads', 'Leads', 'integer', 'Leads marked qualified.'],
  ['costPerQualifiedLead', 'Cost per qualified lead', 'Leads', 'money', 'Spend divided by qualified leads.'],
  [
    'validWorkEmailLeads',
    'Leads with a work email',
    'Leads',
    'integer',
    'Leads whose email is a valid work address.',
  ],
  [
    'leadGenerationMailContactInfoShares',
    'Message contact shares',
    'Leads',
    'integer',
    'Contact details shared from a message ad.',
  ],
  [
    'leadGenerationMailInterestedClicks',
    'Message “interested” clicks',
    'Leads',
    'integer',
    '“Interested” clicks on a message ad.',
  ],
  ['talentLeads', 'Talent leads', 'Leads', 'integer', 'Leads from talent (recruitment) ads.'],
  [
    'jobApplications',
    'Job applications',
    'Jobs and events',
    'integer',
    'Job applications from the ad.',
    false,
    'viral',
  ],
  ['jobApplyClicks', 'Job apply clicks', 'Jobs and events', 'integer', 'Clicks on “Apply”.', false, 'viral'],
  [
    'postClickJobApplications',
    'Post-click job applications',
    'Jobs and events',
    'integer',
    'Applications after a click.',
    false,
    'viral',
  ],
  [
    'postClickJobApplyClicks',
    'Post-click apply clicks',
    'Jobs and events',
    'integer',
    '“Apply” clicks after a click.',
    false,
    'viral',
  ],
  [
    'postViewJobApplications',
    'Post-view job applications',
    'Jobs and events',
    'integer',
    'Applications after a view.',
    false,
    'viral',
  ],
  [
    'postViewJobApplyClicks',
    'Post-view apply clicks',
    'Jobs and events',
    'integer',
    '“Apply” clicks after a view.',
    false,
    'viral',
  ],
  [
    'registrations',
    'Event registrations',
    'Jobs and events',
    'integer',
    'Event registrations from the ad.',
    false,
    'viral',
  ],
  [
    'postClickRegistrations',
    'Post-click registrations',
    'Jobs and events',
    'integer',
    'Registrations after a click.',
    false,
    'viral',
  ],
  [
    'postViewRegistrations',
    'Post-view registrations',
    'Jobs and events',
    'integer',
    'Registrations after a view.',
    false,
    'viral',
  ],
  ['videoStarts', 'Video starts', 'Video', 'integer', 'Video plays started.', false, 'viral'],
  [
    'videoViews',
    'Video views',
    'Video',
    'integer',
    'Views of at least 2 seconds with half the video in view.',
    true,
    'viral',
  ],
  [
    'videoFirstQuartileCompletions',
    'Video 25% completions',
    'Video',
    'integer',
    'Plays that reached a quarter of the video.',
    false,
    'viral',
  ],
  [
    'videoMidpointCompletions',
    'Video 50% completions',
    'Video',
    'integer',
    'Plays that reached half of the video.',
    false,
    'viral',
  ],
  [
    'videoThirdQuartileCompletions',
    'Video 75% completions',
    'Video',
    'integer',
    'Plays that reached three quarters.',
    false,
    'viral',
  ],
  ['videoCompletions', 'Video completions', 'Video', 'integer', 'Plays to the end.', false, 'viral'],
  [
    'documentCompletions',
    'Document completions',
    'Documents',
    'integer',
    'Document ads read to the end.',
    false,
    'viral',
  ],
  [
    'documentFirstQuartileCompletions',
    'Document 25% completions',
    'Documents',
    'integer',
    'Document ads read a quarter through.',
    false,
    'viral',
  ],
  [
    'documentMidpointCompletions',
    'Document 50% completions',
    'Documents',
    'integer',
    'Document ads read half through.',
    false,
    'viral',
  ],
  [
    'documentThirdQuartileCompletions',
    'Document 75% completions',
    'Documents',
    'integer',
    'Document ads read three quarters through.',
    false,
    'viral',
  ],
];

export interface PivotSpec {
  id: string;
  label: string;
  /** The entity stream whose names label this pivot's values, if any. */
  namedBy?: EntityStream;
  /**
   * Each value is an entity of one ad account, its URN the one the lookup returned: rows over
   * several accounts take their account from the lookup, and `q=analytics` cannot mix two
   * accounts' numbers in one row. Not said of conversions, whose pivot URN is unconfirmed.
   */
  ofOneAccount?: boolean;
  /** Professional demographics: approximate, small counts hidden, top values only. */
  demographic?: boolean;
  /** Values LinkedIn names only through a lookup of its own (places, industries, job titles, member companies). */
  names?: FacetNames;
}

export const AD_PIVOTS: PivotSpec[] = [
  { id: 'ACCOUNT', label: 'Account', namedBy: 'ad_accounts', ofOneAccount: true },
  { id: 'CAMPAIGN_GROUP', label: 'Campaign group', namedBy: 'campaign_groups', ofOneAccount: true },
  { id: 'CAMPAIGN', label: 'Campaign', namedBy: 'campaigns', ofOneAccount: true },
  { id: 'CREATIVE', label: 'Creative', namedBy: 'creatives', ofOneAccount: true },
  { id: 'COMPANY', label: 'Company page' },
  { id: 'SHARE', label: 'Sponsored post' },
  { id: 'CONVERSION', label: 'Conversion', namedBy: 'conversions' },
  { id: 'SERVING_LOCATION', label: 'Serving location' },
  { id: 'CARD_INDEX', label: 'Carousel card' },
  { id: 'PLACEMENT_NAME', label: 'Placement' },
  { id: 'IMPRESSION_DEVICE_TYPE', label: 'Device type' },
  { id: 'MEMBER_COMPANY_SIZE', label: 'Company size', demographic: true },
  { id: 'MEMBER_INDUSTRY', label: 'Industry', demographic: true, names: INDUSTRY_NAMES },
  { id: 'MEMBER_SENIORITY', label: 'Seniority', demographic: true },
  { id: 'MEMBER_JOB_TITLE', label: 'Job title', demographic: true, names: TITLE_NAMES },
  { id: 'MEMBER_JOB_FUNCTION', label: 'Job function', demographic: true },
  { id: 'MEMBER_COUNTRY_V2', label: 'Country', demographic: true, names: GEO_NAMES },
  { id: 'MEMBER_REGION_V2', label: 'Region', demographic: true, names: GEO_NAMES },
  { id: 'MEMBER_COMPANY', label: 'Company', demographic: true, names: COMPANY_NAMES },
];

/** Metrics LinkedIn offers only over short periods: reach, and penetration computed from it. */
const SHORT_RANGE = ['approximateMemberReach', 'audiencePenetration'];
export const SHORT_RANGE_MAX_DAYS = 92;

/** LinkedIn's reporting page marks these "non-demographic pivots only". */
const NON_DEMOGRAPHIC_ONLY = [
  'approximateMemberReach',
  'cardClicks',
  'cardImpressions',
  'conversionValueInLocalCurrency',
  'viralCardClicks',
  'viralCardImpressions',
];
const DEMOGRAPHIC_PIVOTS = AD_PIVOTS.filter((pivot) => pivot.demographic).map((pivot) => pivot.id);
/**
 * Audience penetration by the pivots both readings allow: LinkedIn's metrics table says it "only
 * supports the CAMPAIGN pivot", while users of the API report it by account and campaign group too.
 */
const PENETRATION_PIVOTS = ['ACCOUNT', 'CAMPAIGN_GROUP', 'CAMPAIGN'];
/** LinkedIn offers neither reach nor conversion metrics by device. */
const notByDevice = (key: string) => SHORT_RANGE.includes(key) || /conversion/i.test(key);

/** Where LinkedIn does not offer a metric, and for how long a period it computes it: data the planner, validation and builder read. */
function pivotRules(key: string): Pick<FieldSpec, 'notWithPivots' | 'maxRangeDays'> {
  const notWith: Record<string, string> = {};
  if (NON_DEMOGRAPHIC_ONLY.includes(key))
    for (const pivot of DEMOGRAPHIC_PIVOTS)
      notWith[pivot] =
        'it is given only by breakdowns that are not about members (not by member company, company size, industry, seniority, job or location).';
  if (notByDevice(key))
    notWith.IMPRESSION_DEVICE_TYPE = 'reach and conversion metrics are not available by device type.';
  if (key === 'audiencePenetration')
    for (const pivot of AD_PIVOTS)
      if (!PENETRATION_PIVOTS.includes(pivot.id))
        notWith[pivot.id] ??= 'it is given by account, campaign group or campaign only.';
  return {
    ...(Object.keys(notWith).length ? { notWithPivots: notWith } : {}),
    ...(SHORT_RANGE.includes(key) ? { maxRangeDays: SHORT_RANGE_MAX_DAYS } : {}),
  };
}

const metricField = ([apiName, label, group, type, description, byDefault]: MetricRow): FieldSpec => ({
  key: apiName,
  label,
  type,
  group,
  description,
  source: apiName,
  byDefault: !!byDefault,
  ...pivotRules(apiName),
});

const VIRAL_METRICS = METRICS.filter((row) => row[6] === 'viral').map(([base, label, , type, description]) =>
  metricField([
    `viral${base[0].toUpperCase()}${base.slice(1)}`,
    `Viral ${label[0].toLowerCase()}${label.slice(1)}`,
    'Viral',
    type,
    `${description.replace(/\.$/, '')}, from members who saw the ad through others’ reactions, comments or shares.`,
  ]),
);

/** The metrics adAnalytics serves. */
export const AD_METRICS: FieldSpec[] = [...METRICS.map(metricField), ...VIRAL_METRICS];

type ComputedRow = [
  key: string,
  label: string,
  type: FieldType,
  description: string,
  numerator: string,
  denominator: string,
  scale?: number,
];

/**
 * Campaign Manager's rates and costs per result, which adAnalytics does not serve: each is
 * computed in the row from the two metrics Campaign Manager divides (its definitions are cited
 * in docs/linkedin-api.md). Money is in the account's currency.
 */
const COMPUTED: ComputedRow[] = [
  [
    'clickThroughRate',
    'Average CTR',
    'ratio',
    'Click-through rate: clicks divided by impressions.',
    'clicks',
    'impressions',
  ],
  [
    'averageCostPerClick',
    'Average CPC (account currency)',
    'money',
    'Cost per click: spend divided by clicks.',
    'costInLocalCurrency',
    'clicks',
  ],
  [
    'averageCostPerMille',
    'Average CPM (account currency)',
    'money',
    'Cost per mille: spend per 1,000 impressions.',
    'costInLocalCurrency',
    'impressions',
    1000,
  ],
  [
    'engagementRate',
    'Engagement rate',
    'ratio',
    'Total engagements divided by impressions.',
    'totalEngagements',
    'impressions',
  ],
  [
    'conversionRate',
    'Conversion rate',
    'ratio',
    'Website conversions divided by clicks.',
    'externalWebsiteConversions',
    'clicks',
  ],
  [
    'costPerConversion',
    'Cost per conversion (account currency)',
    'money',
    'Spend divided by website conversions.',
    'costInLocalCurrency',
    'externalWebsiteConversions',
  ],
  [
    'costPerLead',
    'Cost per lead (account currency)',
    'money',
    'CPL: spend divided by leads.',
    'costInLocalCurrency',
    'oneClickLeads',
  ],
  [
    'leadFormCompletionRate',
    'Lead form completion rate',
    'ratio',
    'Leads divided by lead form opens.',
    'oneClickLeads',
    'oneClickLeadFormOpens',
  ],
  [
    'returnOnAdSpend',
    'Return on ad spend',
    'decimal',
    'ROAS: conversion value divided by spend, both in the account’s currency.',
    'conversionValueInLocalCurrency',
    'costInLocalCurrency',
  ],
];

/** A computed metric is offered wherever both its metrics are (none of them is limited to short periods). */
function computedField([
  key,
  label,
  type,
  description,
  numerator,
  denominator,
  scale,
]: ComputedRow): FieldSpec {
  const inputs = [numerator, denominator].map((input) => AD_METRICS.find((metric) => metric.key === input)!);
  const notWith = Object.assign({}, ...inputs.map((input) => input.notWithPivots ?? {}));
  return {
    key,
    label,
    type,
    group: 'Rates and costs',
    description: `${description} Computed from LinkedIn’s numbers.`,
    computed: { numerator, denominator, ...(scale ? { scale } : {}) },
    ...(Object.keys(notWith).length ? { notWithPivots: notWith } : {}),
  };
}

export const COMPUTED_METRICS: FieldSpec[] = COMPUTED.map(computedField);

/**
 * Every metric a report may have as a column, in the builder's order: rates and costs, which
 * marketers read first, right after the cost metrics; the viral counts last.
 */
export const REPORT_METRICS: FieldSpec[] = (() => {
  const linkedIns = AD_METRICS.filter((metric) => !VIRAL_METRICS.includes(metric));
  const afterCosts = linkedIns.findIndex((metric) => metric.key === 'costInUsd') + 1;
  return [
    ...linkedIns.slice(0, afterCosts),
    ...COMPUTED_METRICS,
    ...linkedIns.slice(afterCosts),
    ...VIRAL_METRICS,
  ];
})();

/** Metrics LinkedIn offers only when the request's date range spans at most SHORT_RANGE_MAX_DAYS. */
export const SHORT_RANGE_METRICS = AD_METRICS.filter((metric) => metric.maxRangeDays).map(
  (metric) => metric.key,
);

export const TIME_GRANULARITIES = ['DAILY', 'MONTHLY', 'YEARLY', 'ALL'] as const;
export type TimeGranularity = (typeof TIME_GRANULARITIES)[number];

/** Columns every analytics row starts with; the metrics follow. */
export const ANALYTICS_ROW_FIELDS: FieldSpec[] = [
  {
    key: 'start_date',
    label: 'Date',
    type: 'date',
    group: 'Row',
    description: 'First day of the row’s period (UTC).',
  },
  {
    key: 'end_date',
    label: 'End date',
    type: 'date',
    group: 'Row',
    description: 'Last day of the row’s period (UTC).',
  },
  {
    key: 'account_id',
    label: 'Account ID',
    type: 'text',
    group: 'Row',
    description: 'The ad account of the row, when the report reads several.',
  },
  {
    key: 'account_name',
    label: 'Account',
    type: 'text',
    group: 'Row',
    description: 'That ad account’s name.',
  },
  {
    key: 'pivot_id',
    label: 'ID',
    type: 'text',
    group: 'Row',
    description: 'The id of the account, campaign, creative or demographic value.',
  },
  {
    key: 'pivot_name',
    label: 'Name',
    type: 'text',
    group: 'Row',
    description: 'Its name, where LinkedIn provides one.',
  },
  {
    key: 'currency',
    label: 'Currency',
    type: 'text',
    group: 'Row',
    description: 'The currency of the account’s money columns, when the report reads several accounts.',
  },
];

export const AD_ANALYTICS_STREAM: StreamSpec = {
  id: 'ad_analytics',
  source: 'ads',
  fetch: 'ad-analytics',
  // LinkedIn's reporting page: 20 fields a request, at most 15,000 elements an answer; the
  // statistics finder groups by up to three pivots.
  analytics: {
    path: 'adAnalytics',
    onePivot: { q: 'analytics', param: 'pivot' },
    severalPivots: { q: 'statistics', param: 'pivots' },
    accountsParam: 'accounts',
    maxFields: 20,
    maxElements: 15_000,
  },
  // adAnalytics needs r_ads_reporting; the names of its campaigns and creatives, r_ads.
  scopes: ['r_ads', 'r_ads_reporting'],
  dated: true,
  granularities: TIME_GRANULARITIES,
  label: 'Ad analytics',
  description: 'Performance by day, month, year or in total, by account, campaign, creative or audience.',
  // account_id only where the report's columns hold it (several accounts): see analyticsColumns.
  key: ['start_date', 'account_id', 'pivot_id'],
  // Only rows of longer periods than a day have the column.
  periodEnd: 'end_date',
  fields: [...ANALYTICS_ROW_FIELDS, ...REPORT_METRICS],
};
