import { DAY_MS, type SimData } from './data';
import { STAFF_COUNT_RANGES } from './ads-metrics';
import { integerFor } from './random';

/** Lifetime follower breakdowns: the facet each one is keyed by and how many values it has. */
export const FOLLOWER_BREAKDOWNS: Record<string, { facet: string; urnPrefix: string; count: number }> = {
  followerCountsByAssociationType: { facet: 'associationType', urnPrefix: '', count: 2 },
  followerCountsBySeniority: { facet: 'seniority', urnPrefix: 'urn:li:seniority:', count: 10 },
  followerCountsByIndustry: { facet: 'industry', urnPrefix: 'urn:li:industry:', count: 12 },
  followerCountsByFunction: { facet: 'function', urnPrefix: 'urn:li:function:', count: 26 },
  followerCountsByStaffCountRange: { facet: 'staffCountRange', urnPrefix: '', count: 9 },
  followerCountsByGeoCountry: { facet: 'geo', urnPrefix: 'urn:li:geo:', count: 10 },
  followerCountsByGeo: { facet: 'geo', urnPrefix: 'urn:li:geo:9', count: 12 },
};

/**
 * Employees, and everyone else: LinkedIn's v2 sample of lifetime follower statistics has an
 * association entry with no `associationType` at all, third-party copies an `EMPLOYEE` one.
 */
const ASSOCIATION_TYPES = ['EMPLOYEE', undefined];

/** A breakdown's value at `index`; undefined where LinkedIn leaves the facet's key out. */
export function breakdownValue(breakdown: string, index: number): string | undefined {
  if (breakdown === 'followerCountsByAssociationType') return ASSOCIATION_TYPES[index];
  if (breakdown === 'followerCountsByStaffCountRange') return STAFF_COUNT_RANGES[index];
  return `${FOLLOWER_BREAKDOWNS[breakdown].urnPrefix}${index + 1}`;
}

/** Lifetime counts grow with the simulated date, so snapshots taken on two days differ. */
export function lifetimeFollowers(
  data: SimData,
  organizationId: number,
  breakdown: string,
  index: number,
  now: number,
) {
  const ageDays = Math.floor(now / DAY_MS) - 19_000;
  const key = `${organizationId}:${breakdown}:${index}`;
  // LinkedIn rolls paid followers of a demographic into organicFollowerCount; its paidFollowerCount is not to be read.
  return {
    organicFollowerCount:
      integerFor(data.seed, `organic:${key}`, 5, 900) +
      ageDays * (index % 3) +
      integerFor(data.seed, `paid:${key}`, 0, 120),
    paidFollowerCount: 0,
  };
}

/**
 * A page's total followers (what LinkedIn's networkSizes answers as `firstDegreeSize`): every
 * follower is an employee or not, so the two association entries of the lifetime statistics add
 * up to all of them on the same day.
 */
export function totalFollowers(data: SimData, organizationId: number, now: number): number {
  const { count } = FOLLOWER_BREAKDOWNS.followerCountsByAssociationType;
  return Array.from(
    { length: count },
    (_, index) =>
      lifetimeFollowers(data, organizationId, 'followerCountsByAssociationType', index, now)
        .organicFollowerCount,
  ).reduce((sum, followers) => sum + followers, 0);
}

export function followerGains(data: SimData, organizationId: number, day: number) {
  return {
    organicFollowerGain: integerFor(data.seed, `gain:${organizationId}:${day}`, 0, 40),
    paidFollowerGain: integerFor(data.seed, `paidgain:${organizationId}:${day}`, 0, 8),
  };
}

export const PAGE_SECTIONS = [
  'allPageViews',
  'overviewPageViews',
  'careersPageViews',
  'jobsPageViews',
  'lifeAtPageViews',
  'aboutPageViews',
  'peoplePageViews',
  'insightsPageViews',
  'productsPageViews',
];

/**
 * Page views per section and device for one day: desktop + mobile = all, sections sum to
 * allPageViews. Unique views come only for the whole page; clicks only as custom-button counts
 * (the careers clicks are gone from what LinkedIn sends).
 */
export function pageViews(data: SimData, organizationId: number, day: number) {
  const views: Record<string, { pageViews: number; uniquePageViews?: number }> = {};
  let allDesktop = 0;
  let allMobile = 0;
  for (const section of PAGE_SECTIONS.slice(1)) {
    const desktop = integerFor(data.seed, `views:${organizationId}:${day}:${section}:desktop`, 0, 60);
    const mobile = integerFor(data.seed, `views:${organizationId}:${day}:${section}:mobile`, 0, 80);
    allDesktop += desktop;
    allMobile += mobile;
    const base = section.replace(/PageViews$/, '');
    views[section] = { pageViews: desktop + mobile };
    views[`desktop${base[0].toUpperCase()}${base.slice(1)}PageViews`] = { pageViews: desktop };
    views[`mobile${base[0].toUpperCase()}${base.slice(1)}PageViews`] = { pageViews: mobile };
  }
  views.allPageViews = {
    pageViews: allDesktop + allMobile,
    uniquePageViews: Math.ceil((allDesktop + allMobile) * 0.7),
  };
  views.allDesktopPageViews = { pageViews: allDesktop };
  views.allMobilePageViews = { pageViews: allMobile };
  const buttonClicks = (device: string) => [
    {
      customButtonType: 'VISIT_WEBSITE',
      clicks: integerFor(data.seed, `clicks:${organizationId}:${day}:${device}`, 0, 9),
    },
  ];
  return {
    views,
    clicks: {
      desktopCustomButtonClickCounts: buttonClicks('desktop'),
      mobileCustomButtonClickCounts: buttonClicks('mobile'),
    },
  };
}

export function shareStatistics(data: SimData, key: string) {
  const impressionCount = integerFor(data.seed, `impr:${key}`, 50, 5000);
  const clickCount = Math.floor(impressionCount * 0.03);
  const likeCount = integerFor(data.seed, `likes:${key}`, 0, 90);
  const commentCount = integerFor(data.seed, `comments:${key}`, 0, 20);
  const shareCount = integerFor(data.seed, `shares:${key}`, 0, 12);
  return {
    impressionCount,
    uniqueImpressionsCount: Math.floor(impressionCount * 0.7),
    clickCount,
    likeCount,
    commentCount,
    shareCount,
    engagement:
      Math.round(((clickCount + likeCount + commentCount + shareCount) / impressionCount) * 1e6) / 1e6,
  };
}

/**
 * Lifetime page views by audience: LinkedIn's `pageStatisticsBy…` counterparts of the follower
 * breakdowns, except that industry is `pageStatisticsByIndustryV2` keyed `industryV2`.
 */
export const PAGE_VIEW_BREAKDOWNS = Object.entries(FOLLOWER_BREAKDOWNS)
  .filter(([breakdown]) => breakdown !== 'followerCountsByAssociationType')
  .map(([breakdown, spec]) => {
    const industry = breakdown === 'followerCountsByIndustry';
    return {
      field: `${breakdown.replace('followerCountsBy', 'pageStatisticsBy')}${industry ? 'V2' : ''}`,
      followerField: breakdown,
      ...spec,
      facet: industry ? 'industryV2' : spec.facet,
    };
  });

export function lifetimePageViews(
  data: SimData,
  organizationId: number,
  field: string,
  index: number,
): number {
  return integerFor(data.seed, `lifetime-views:${organizationId}:${field}:${index}`, 0, 5000);
}

/**
 * English names of the geo ids the breakdowns above use (countries `urn:li:geo:1`–`10`, regions
 * `urn:li:geo:91`–`912`, the same as the Ads pivots by country and region in `ads-metrics.ts`),
 * as LinkedIn's Geo API gives them: what `/v2/geo` answers.
 */
const COUNTRY_NAMES = [
  'United States',
  'India',
  'United Kingdom',
  'Germany',
  'France',
  'Canada',
  'Brazil',
  'Netherlands',
  'Australia',
  'Spain',
];
const REGION_NAMES = [
  'San Francisco Bay Area',
  'Greater New York City Area',
  'Greater London',
  'Greater Paris Metropolitan Region',
  'Berlin Metropolitan Area',
  'Greater Bengaluru Area',
  'Greater Toronto Area',
  'São Paulo, Brazil',
  'Amsterdam Area',
  'Greater Sydney Area',
  'Greater Madrid Metropolitan Area',
  'Greater Seattle Area',
];
export const GEO_NAMES: ReadonlyMap<string, string> = new Map(
  [
    ...COUNTRY_NAMES.map((name, index) => [breakdownValue('followerCountsByGeoCountry', index), name]),
    ...REGION_NAMES.map((name, index) => [breakdownValue('followerCountsByGeo', index), name]),
  ].map(([urn, name]) => [urn!.replace('urn:li:geo:', ''), name] as [string, string]),
);
