import type { FacetNames } from './types';

/**
 * Names of LinkedIn's standardized facet values that the API returns as URNs only.
 * Seniorities and job functions are fixed lists, named here. Values of lists too long or too
 * changeable to keep (countries and regions, industries, job titles, member companies) are
 * named by LinkedIn's own lookups, described below as data (`GEO_NAMES`, `INDUSTRY_NAMES`,
 * `TITLE_NAMES`, `COMPANY_NAMES`) and attached as the `names` of their breakdowns and pivots.
 * Company sizes and device types come as plain strings and are named from the value.
 */
const SENIORITIES = [
  'Unpaid',
  'Training',
  'Entry',
  'Senior',
  'Manager',
  'Director',
  'VP',
  'CXO',
  'Partner',
  'Owner',
];
const JOB_FUNCTIONS = [
  'Accounting',
  'Administrative',
  'Arts and Design',
  'Business Development',
  'Community and Social Services',
  'Consulting',
  'Education',
  'Engineering',
  'Entrepreneurship',
  'Finance',
  'Healthcare Services',
  'Human Resources',
  'Information Technology',
  'Legal',
  'Marketing',
  'Media and Communication',
  'Military and Protective Services',
  'Operations',
  'Product Management',
  'Program and Project Management',
  'Purchasing',
  'Quality Assurance',
  'Real Estate',
  'Research',
  'Sales',
  'Support',
];

const NAMED_FACETS: Record<string, string[]> = {
  'urn:li:seniority:': SENIORITIES,
  'urn:li:function:': JOB_FUNCTIONS,
};

/** Device types LinkedIn was seen to send; it publishes no full list, so any other keeps only its value. */
const DEVICE_TYPES = new Map([
  ['MOBILE_WEB', 'Mobile web'],
  ['CONNECTED_TV', 'Connected TV'],
  ['UNDETECTED', 'Not detected'],
]);

/** Company sizes come as plain strings, SIZE_11_TO_50 or SIZE_10001_OR_MORE: named from the value itself. */
function companySizeName(value: string): string | null {
  const match = /^SIZE_(\d+)(?:_TO_(\d+)|(_OR_MORE))?$/.exec(value);
  if (!match) return null;
  const [, from, to, orMore] = match;
  const count = (text: string) => Number(text).toLocaleString('en-US');
  if (to) return `${count(from)}–${count(to)} employees`;
  return orMore ? `${count(from)}+ employees` : `${count(from)} employee${from === '1' ? '' : 's'}`;
}

/** The value written for an entry that carries no value of its facet (`Breakdown.withoutFacet` names it). */
export const WITHOUT_FACET_VALUE = '(none)';

/** Association types LinkedIn documents for follower statistics: only employees are marked. */
const ASSOCIATION_TYPES = new Map([['EMPLOYEE', 'Employees']]);

export function facetName(urn: string): string | null {
  if (urn.startsWith('SIZE_')) return companySizeName(urn);
  const association = ASSOCIATION_TYPES.get(urn);
  if (association) return association;
  const deviceType = DEVICE_TYPES.get(urn);
  if (deviceType) return deviceType;
  for (const [prefix, names] of Object.entries(NAMED_FACETS)) {
    if (urn.startsWith(prefix)) return names[Number(urn.slice(prefix.length)) - 1] ?? null;
  }
  return null;
}

/**
 * Ids a lookup request asks at most. LinkedIn documents no batch size for any of the lookups
 * below. 100 ids keep the URL far inside LinkedIn's 4 KB query string (docs/linkedin-api.md, 414
 * and query tunneling) and UrlFetchApp's 2 KB URL: ids have up to 10 digits (organizations; geo
 * ids 9, industries and titles fewer), so 100 of them and their commas are about 1,100 characters.
 */
const IDS_PER_LOOKUP = 100;

/**
 * Countries and regions (`urn:li:geo:N`) are named by LinkedIn's Geo API, a batch get documented
 * only unversioned: `GET https://api.linkedin.com/v2/geo?ids=List(12345,23456)&locale=(language:en,country:US)`,
 * answered `results["12345"].defaultLocalizedName.value`, an unknown id left out; no permission
 * is named (learn.microsoft.com/en-gb/linkedin/shared/references/v2/standardized-data/locations/geo).
 */
export const GEO_NAMES: FacetNames = {
  path: 'geo',
  unversioned: true,
  param: 'ids',
  fixed: { locale: { language: 'en', country: 'US' } },
  urnPrefix: 'urn:li:geo:',
  batchSize: IDS_PER_LOOKUP,
  nameAt: 'defaultLocalizedName.value',
  what: 'countries and regions',
};

/**
 * Industries (`urn:li:industry:N`: Ads pivot `MEMBER_INDUSTRY`, follower counts keyed `industry`,
 * page views keyed `industryV2`) are named by LinkedIn's Industry Taxonomy Versions API, documented
 * unversioned: `GET https://api.linkedin.com/v2/industryTaxonomyVersions/{version}/industries`,
 * BATCH_GET, "DEFAULT points to the latest version"; each industry's name is a MultiLocaleString,
 * `name.localized.en_US`, "The en_US locale is used if the locale is not provided", so none is sent
 * (learn.microsoft.com/en-us/linkedin/shared/references/v2/standardized-data/industrytaxonomyversions).
 * Which taxonomy version analytics and follower ids are in is not documented: the latest
 * (DEFAULT) is asked, since it holds the 400+ industries LinkedIn uses today, and analytics
 * were seen to send ids that the older `/v2/industries` list (ids up to 148) does not name
 * (a practitioner's record, docs/linkedin-api.md, sources).
 */
export const INDUSTRY_NAMES: FacetNames = {
  path: 'industryTaxonomyVersions/DEFAULT/industries',
  unversioned: true,
  param: 'ids',
  urnPrefix: 'urn:li:industry:',
  batchSize: IDS_PER_LOOKUP,
  nameAt: 'name.localized.en_US',
  what: 'industries',
};

/**
 * Job titles (`urn:li:title:N`, Ads pivot `MEMBER_JOB_TITLE`) are named by LinkedIn's Titles API,
 * documented unversioned: `GET https://api.linkedin.com/v2/titles?ids=…`, BATCH_GET, each title's
 * name `name.localized.en_US` ("en_US locale is used if locale is not provided"), no permission named
 * (learn.microsoft.com/en-us/linkedin/shared/references/v2/standardized-data/titles).
 */
export const TITLE_NAMES: FacetNames = {
  path: 'titles',
  unversioned: true,
  param: 'ids',
  urnPrefix: 'urn:li:title:',
  batchSize: IDS_PER_LOOKUP,
  nameAt: 'name.localized.en_US',
  what: 'job titles',
};

/**
 * Member companies (`urn:li:organization:N`, Ads pivot `MEMBER_COMPANY`) are named by LinkedIn's
 * Organization Lookup, a versioned batch get, `GET https://api.linkedin.com/rest/organizationsLookup?ids=List(…)`
 * (LinkedIn's Postman collection), answered `results["3803"].localizedName`. Its page lists the
 * rw_organization_admin permission, and says calls that do not need administrative access return
 * only id, name, localizedName, vanityName and a few more: enough to name any company
 * (learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-lookup-api).
 */
export const COMPANY_NAMES: FacetNames = {
  path: 'organizationsLookup',
  param: 'ids',
  urnPrefix: 'urn:li:organization:',
  batchSize: IDS_PER_LOOKUP,
  nameAt: 'localizedName',
  what: 'companies',
  // A connection with Ads access only lacks it: LinkedIn refuses the lookup (403).
  scopes: ['rw_organization_admin'],
};
