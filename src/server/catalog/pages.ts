import { GEO_NAMES, INDUSTRY_NAMES } from './facets';
import type { Breakdown, FieldSpec, PagesEndpoints, PagesFinder, PagesKeyedGet, StreamSpec } from './types';

/**
 * LinkedIn Pages (Community Management API) as data: streams, their endpoints, scopes,
 * columns and keys. The connector builds one row element per entry; its keys are the field keys.
 */

/**
 * LinkedIn documents the page list, follower, page and share statistics under
 * rw_organization_admin, and `posts?q=author` under r_organization_social.
 */
const ADMIN_SCOPES = ['rw_organization_admin'];
const POSTS_SCOPES = ['r_organization_social', 'rw_organization_admin'];

/** Every Pages stream names its pages by organization URN and reads their names in one batch get. */
const BY_ORGANIZATION = {
  urnPrefix: 'urn:li:organization:',
  names: { path: 'organizations', param: 'ids' },
};
const endpoints = (finder: PagesFinder, statistics?: PagesEndpoints['statistics']): PagesEndpoints => ({
  finder,
  statistics,
  ...BY_ORGANIZATION,
});
/**
 * A page's total followers: LinkedIn's Network Sizes API (under Organization Lookup), which its
 * follower statistics page points to since those "no longer return totalFollowerCounts". Its
 * newer pages and public clients of the versioned API spell the edge COMPANY_FOLLOWED_BY_MEMBER
 * (older pages and its Postman collection, CompanyFollowedByMember): see docs/linkedin-api.md.
 */
const NETWORK_SIZES: PagesKeyedGet = {
  path: 'networkSizes',
  fixed: { edgeType: 'COMPANY_FOLLOWED_BY_MEMBER' },
};
const FOLLOWER_STATISTICS: PagesFinder = {
  path: 'organizationalEntityFollowerStatistics',
  q: 'organizationalEntity',
  pageParam: 'organizationalEntity',
};
// Page statistics name the page `organization`; follower and share statistics, `organizationalEntity`.
const PAGE_STATISTICS: PagesFinder = {
  path: 'organizationPageStatistics',
  q: 'organization',
  pageParam: 'organization',
};
const SHARE_STATISTICS: PagesFinder = {
  path: 'organizationalEntityShareStatistics',
  q: 'organizationalEntity',
  pageParam: 'organizationalEntity',
};
const organizationId: FieldSpec = {
  key: 'organization_id',
  label: 'Page ID',
  type: 'id',
  group: 'Page',
  description: 'The company page id.',
  byDefault: true,
};
const pageName: FieldSpec = {
  key: 'page_name',
  label: 'Page',
  type: 'text',
  group: 'Page',
  description: 'The company page name.',
  byDefault: true,
};
const day: FieldSpec = {
  key: 'date',
  label: 'Date',
  type: 'date',
  group: 'Row',
  description: 'First day of the period (UTC).',
  byDefault: true,
};

const count = (key: string, label: string, group: string, description: string): FieldSpec => ({
  key,
  label,
  type: 'integer',
  group,
  description,
  byDefault: true,
});

/** LinkedIn keeps time-bound page statistics (followers, page views, shares) for 12 rolling months. */
const PAGE_STATISTICS_HISTORY_DAYS = 365;

/** Lifetime follower breakdowns. */
const FOLLOWER_BREAKDOWNS: Breakdown[] = [
  {
    field: 'followerCountsByAssociationType',
    facet: 'associationType',
    label: 'Association',
    withoutFacet: 'Other followers (not employees)',
  },
  { field: 'followerCountsBySeniority', facet: 'seniority', label: 'Seniority' },
  { field: 'followerCountsByIndustry', facet: 'industry', label: 'Industry', names: INDUSTRY_NAMES },
  { field: 'followerCountsByFunction', facet: 'function', label: 'Job function' },
  { field: 'followerCountsByStaffCountRange', facet: 'staffCountRange', label: 'Company size' },
  { field: 'followerCountsByGeoCountry', facet: 'geo', label: 'Country', names: GEO_NAMES },
  { field: 'followerCountsByGeo', facet: 'geo', label: 'Region', names: GEO_NAMES },
];

/**
 * Lifetime page views by audience. Industry is `pageStatisticsByIndustryV2` keyed `industryV2`
 * (LinkedIn's organizationPageStatistics page); the follower statistics keep `industry`.
 */
const PAGE_VIEW_BREAKDOWNS: Breakdown[] = [
  { field: 'pageStatisticsBySeniority', facet: 'seniority', label: 'Seniority' },
  { field: 'pageStatisticsByIndustryV2', facet: 'industryV2', label: 'Industry', names: INDUSTRY_NAMES },
  { field: 'pageStatisticsByFunction', facet: 'function', label: 'Job function' },
  { field: 'pageStatisticsByStaffCountRange', facet: 'staffCountRange', label: 'Company size' },
  { field: 'pageStatisticsByGeoCountry', facet: 'geo', label: 'Country', names: GEO_NAMES },
  { field: 'pageStatisticsByGeo', facet: 'geo', label: 'Region', names: GEO_NAMES },
];

/** Follower statistics document DAY, WEEK and MONTH; page and share statistics DAY and MONTH only. */
const FOLLOWER_GRANULARITIES = ['DAY', 'WEEK', 'MONTH'];
const PAGE_AND_SHARE_GRANULARITIES = ['DAY', 'MONTH'];

/** Page sections LinkedIn counts views of; each has desktop and mobile splits. */
export const PAGE_SECTIONS = [
  'all',
  'overview',
  'careers',
  'jobs',
  'lifeAt',
  'about',
  'people',
  'insights',
  'products',
] as const;
const sectionLabel = (section: string) =>
  section === 'all' ? 'All' : section === 'lifeAt' ? 'Life' : section[0].toUpperCase() + section.slice(1);

/** How posts performed: per day for all the page's posts, or per post over its lifetime. */
const postPerformance = (group: string): FieldSpec[] => [
  count('impressions', 'Impressions', group, 'Times shown.'),
  count('unique_impressions', 'Unique impressions', group, 'Distinct members who saw it.'),
  count('clicks', 'Clicks', group, 'Clicks on the content.'),
  count('likes', 'Reactions', group, 'Reactions.'),
  count('comments', 'Comments', group, 'Comments.'),
  count('shares', 'Shares', group, 'Reshares.'),
  {
    key: 'engagement',
    label: 'Engagement rate',
    type: 'ratio',
    group,
    description: '(Clicks + reactions + comments + shares) / impressions.',
    byDefault: true,
  },
];

const snapshotDate: FieldSpec = {
  key: 'snapshot_date',
  label: 'Snapshot date',
  type: 'date',
  group: 'Row',
  description: 'The day the counts were taken (UTC).',
  byDefault: true,
};

/** The columns a lifetime snapshot row starts with: when, which page, which audience. */
const snapshotFields: FieldSpec[] = [
  snapshotDate,
  organizationId,
  pageName,
  {
    key: 'breakdown',
    label: 'Breakdown',
    type: 'text',
    group: 'Row',
    description: 'What the audience is broken down by.',
    byDefault: true,
  },
  {
    key: 'value',
    label: 'Value',
    type: 'text',
    group: 'Row',
    description: 'The seniority, industry, country… (LinkedIn’s id).',
    byDefault: true,
  },
  {
    key: 'value_name',
    label: 'Value name',
    type: 'text',
    group: 'Row',
    description:
      'Its name, from LinkedIn’s standard lists or its own lookups; blank where LinkedIn gives none.',
    byDefault: true,
  },
];

export const PAGES_STREAMS: StreamSpec[] = [
  {
    id: 'pages',
    source: 'pages',
    fetch: 'pages-together',
    scopes: ADMIN_SCOPES,
    endpoints: endpoints({
      path: 'organizationAcls',
      q: 'roleAssignee',
      fixed: { role: 'ADMINISTRATOR', state: 'APPROVED' },
      pageSize: 100,
    }),
    label: 'Pages',
    description: 'The company pages you administer.',
    key: ['organization_id'],
    fields: [
      organizationId,
      pageName,
      {
        key: 'vanity_name',
        label: 'Vanity name',
        type: 'text',
        group: 'Page',
        description: 'The page’s address name on linkedin.com/company/…',
        byDefault: true,
      },
      {
        key: 'role',
        label: 'Your role',
        type: 'text',
        group: 'Page',
        description: 'Your role on the page.',
        byDefault: true,
      },
    ],
  },
  {
    id: 'follower_lifetime',
    source: 'pages',
    fetch: 'pages-together',
    scopes: ADMIN_SCOPES,
    endpoints: endpoints(FOLLOWER_STATISTICS),
    breakdowns: FOLLOWER_BREAKDOWNS,
    label: 'Followers (lifetime, by audience)',
    description:
      'Followers now, by association, seniority, industry, function, company size, country and region. Each run adds a dated snapshot.',
    key: ['snapshot_date', 'organization_id', 'breakdown', 'value'],
    fields: [
      ...snapshotFields,
      count(
        'followers',
        'Followers',
        'Followers',
        'All followers in this audience: LinkedIn counts organic and ad-driven followers together in its demographic breakdowns.',
      ),
    ],
  },
  {
    id: 'follower_count',
    source: 'pages',
    fetch: 'pages-together',
    scopes: ADMIN_SCOPES,
    endpoints: { keyed: NETWORK_SIZES, ...BY_ORGANIZATION },
    label: 'Follower count',
    description:
      'The page’s total number of followers now. Each run adds a dated snapshot, so the tab follows it over time.',
    key: ['snapshot_date', 'organization_id'],
    fields: [
      snapshotDate,
      organizationId,
      pageName,
      count(
        'followers',
        'Followers',
        'Followers',
        'Everyone following the page, organic and from ads: LinkedIn’s network size of the page.',
      ),
    ],
  },
  {
    id: 'follower_gains',
    source: 'pages',
    fetch: 'pages-per-organization',
    scopes: ADMIN_SCOPES,
    endpoints: endpoints(FOLLOWER_STATISTICS),
    dated: true,
    historyDays: PAGE_STATISTICS_HISTORY_DAYS,
    label: 'Follower gains',
    description: 'New followers per day, week or month, organic and from ads (last 12 months).',
    key: ['date', 'organization_id'],
    granularities: FOLLOWER_GRANULARITIES,
    fields: [
      day,
      organizationId,
      pageName,
      count('organic_follower_gain', 'Organic follower gain', 'Followers', 'New organic followers.'),
      count('paid_follower_gain', 'Paid follower gain', 'Followers', 'New followers from ads.'),
    ],
  },
  {
    id: 'page_views',
    source: 'pages',
    fetch: 'pages-per-organization',
    scopes: ADMIN_SCOPES,
    endpoints: endpoints(PAGE_STATISTICS),
    dated: true,
    historyDays: PAGE_STATISTICS_HISTORY_DAYS,
    label: 'Page views',
    description: 'Views of each page section, on desktop and mobile, per day or month (last 12 months).',
    key: ['date', 'organization_id'],
    granularities: PAGE_AND_SHARE_GRANULARITIES,
    fields: [
      day,
      organizationId,
      pageName,
      ...PAGE_SECTIONS.flatMap((section) => [
        count(
          `${section}_page_views`,
          `${sectionLabel(section)} page views`,
          'Views',
          `Views of the ${section === 'all' ? 'whole page' : `${sectionLabel(section)} section`}.`,
        ),
        {
          ...count(
            `${section}_desktop_page_views`,
            `${sectionLabel(section)} page views (desktop)`,
            'Views by device',
            'On desktop.',
          ),
          byDefault: false,
        },
        {
          ...count(
            `${section}_mobile_page_views`,
            `${sectionLabel(section)} page views (mobile)`,
            'Views by device',
            'On mobile.',
          ),
          byDefault: false,
        },
      ]),
      count(
        'all_unique_page_views',
        'Unique page views',
        'Unique views',
        'Distinct members who viewed the page; blank for periods LinkedIn sends no unique count for.',
      ),
    ],
  },
  {
    id: 'page_views_lifetime',
    source: 'pages',
    fetch: 'pages-together',
    scopes: ADMIN_SCOPES,
    endpoints: endpoints(PAGE_STATISTICS),
    breakdowns: PAGE_VIEW_BREAKDOWNS,
    label: 'Page views (lifetime, by audience)',
    description:
      'All page views by seniority, industry, function, company size, country and region. Each run adds a dated snapshot.',
    key: ['snapshot_date', 'organization_id', 'breakdown', 'value'],
    fields: [
      ...snapshotFields,
      count('page_views', 'Page views', 'Views', 'All page views by members of this audience.'),
    ],
  },
  {
    id: 'share_statistics',
    source: 'pages',
    fetch: 'pages-per-organization',
    scopes: ADMIN_SCOPES,
    endpoints: endpoints(SHARE_STATISTICS),
    dated: true,
    historyDays: PAGE_STATISTICS_HISTORY_DAYS,
    label: 'Post performance',
    description:
      'Impressions, clicks, reactions, comments, shares and engagement of the page’s posts per day or month (last 12 months).',
    key: ['date', 'organization_id'],
    granularities: PAGE_AND_SHARE_GRANULARITIES,
    fields: [day, organizationId, pageName, ...postPerformance('Posts')],
  },
  {
    id: 'posts',
    source: 'pages',
    // A page's posts and their statistics take many requests: each batch of pages is saved as done.
    fetch: 'pages-per-organization',
    scopes: POSTS_SCOPES,
    // Posts come 100 a page at most; 20 post URNs a statistics request keep its URL under UrlFetchApp's 2 KB.
    endpoints: endpoints(
      { path: 'posts', q: 'author', pageParam: 'author', pageSize: 100 },
      { ...SHARE_STATISTICS, batchSize: 20 },
    ),
    label: 'Posts',
    description: 'Every post of the page with its text and lifetime performance.',
    key: ['post_id', 'organization_id'],
    fields: [
      {
        key: 'post_id',
        label: 'Post',
        type: 'text',
        group: 'Post',
        description: 'LinkedIn’s id of the post (urn:li:share or urn:li:ugcPost).',
        byDefault: true,
      },
      organizationId,
      pageName,
      {
        key: 'published',
        label: 'Published',
        type: 'datetime',
        group: 'Post',
        description: 'When the post was published (UTC).',
        byDefault: true,
      },
      {
        key: 'text',
        label: 'Text',
        type: 'text',
        group: 'Post',
        description: 'The post’s commentary.',
        byDefault: true,
      },
      {
        key: 'post_type',
        label: 'Type',
        type: 'text',
        group: 'Post',
        description: 'share or ugcPost.',
        byDefault: true,
      },
      {
        key: 'lifecycle_state',
        label: 'State',
        type: 'text',
        group: 'Post',
        description: 'PUBLISHED, DRAFT…',
        byDefault: false,
      },
      {
        key: 'url',
        label: 'URL',
        type: 'text',
        group: 'Post',
        description: 'Link to the post on LinkedIn.',
        byDefault: true,
      },
      ...postPerformance('Performance'),
    ],
  },
];
