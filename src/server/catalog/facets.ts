import type { FacetNames } from './types';

/**
 * Names of LinkedIn's standardized facet values that the API returns as URNs only.
 * Seniorities and job functions are fixed lists; other facets (industries, titles, companies)
 * keep their URN, since naming them needs lookups LinkedIn limits. Countries and regions (Pages
 * audiences, Ads pivots) are named by LinkedIn's Geo API instead (`GEO_NAMES` below, the `names`
 * of their breakdowns and pivots).
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
 * Countries and regions (`urn:li:geo:N`) are named by LinkedIn's Geo API, a batch get documented
 * only unversioned: `GET https://api.linkedin.com/v2/geo?ids=List(12345,23456)&locale=(language:en,country:US)`,
 * answered `results["12345"].defaultLocalizedName.value`, an unknown id left out; no permission
 * is named (learn.microsoft.com/en-gb/linkedin/shared/references/v2/standardized-data/locations/geo).
 * LinkedIn documents no batch size. 100 ids a request keeps the URL far inside LinkedIn's
 * 4 KB query string (docs/linkedin-api.md, 414 and query tunneling) and UrlFetchApp's 2 KB URL:
 * geo ids have up to 9 digits, so 100 of them and their commas are about 1,000 characters.
 */
export const GEO_NAMES: FacetNames = {
  path: 'geo',
  unversioned: true,
  param: 'ids',
  fixed: { locale: { language: 'en', country: 'US' } },
  urnPrefix: 'urn:li:geo:',
  batchSize: 100,
  nameAt: 'defaultLocalizedName.value',
  what: 'countries and regions',
};
