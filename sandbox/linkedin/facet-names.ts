import { SPLIT_PIVOTS, splitPivotValue } from './ads-metrics';
import { breakdownValue, FOLLOWER_BREAKDOWNS } from './pages-data';

/**
 * Names of the industries, job titles and member companies the simulator's data sends as URNs
 * (Pages audiences in `pages-data.ts`, Ads demographic pivots in `ads-metrics.ts`), as LinkedIn's
 * lookups give them: what `/v2/industryTaxonomyVersions/…/industries`, `/v2/titles` and
 * `/rest/organizationsLookup` answer. The ids are the simulator's own (made up, like its geo ids);
 * the names are real ones from LinkedIn's lists. Each map is built from the values the data emits,
 * so every id it sends has exactly one name and no name is left over.
 */

/** Ids the data emits for a facet: the URNs `urns` gives, cut after `prefix`, once each. */
function emittedIds(urns: string[], prefix: string): string[] {
  return [...new Set(urns.map((urn) => urn.slice(prefix.length)))];
}

/** Pairs the emitted ids with names, one each: a count changed in the data without names fails at load. */
function namesFor(ids: string[], names: string[], what: string): ReadonlyMap<string, string> {
  if (ids.length !== names.length)
    throw new Error(`The simulator's data sends ${ids.length} ${what}, but ${names.length} are named.`);
  return new Map(ids.map((id, index) => [id, names[index]]));
}

const range = (count: number) => Array.from({ length: count }, (_, index) => index);
const splitValues = (pivot: string) =>
  range(SPLIT_PIVOTS[pivot].count).map((index) => splitPivotValue(pivot, index));

/** Industry names of LinkedIn's current (DEFAULT) taxonomy. */
const INDUSTRY_LIST = [
  'Defense and Space Manufacturing',
  'Computer Hardware Manufacturing',
  'Software Development',
  'Computer Networking Products',
  'Technology, Information and Internet',
  'Semiconductor Manufacturing',
  'Telecommunications',
  'Law Practice',
  'Legal Services',
  'Business Consulting and Services',
  'Biotechnology Research',
  'Medical Practices',
];
/** Follower and page-view breakdowns by industry and the Ads pivot by industry share their ids. */
export const INDUSTRY_NAMES = namesFor(
  emittedIds(
    [
      ...range(FOLLOWER_BREAKDOWNS.followerCountsByIndustry.count).map((index) =>
        breakdownValue('followerCountsByIndustry', index)!,
      ),
      ...splitValues('MEMBER_INDUSTRY'),
    ],
    'urn:li:industry:',
  ),
  INDUSTRY_LIST,
  'industries',
);

/** Job titles: every role at every level, as many as the Ads pivot by job title sends. */
const ROLES = [
  'Software Engineer',
  'Product Manager',
  'Data Analyst',
  'Data Scientist',
  'Marketing Manager',
  'Sales Representative',
  'Account Executive',
  'Business Analyst',
  'Project Manager',
  'Recruiter',
  'Accountant',
  'Financial Analyst',
  'Graphic Designer',
  'UX Designer',
  'Customer Success Manager',
  'Operations Manager',
  'Consultant',
  'Content Strategist',
  'Nurse',
  'Teacher',
  'Mechanical Engineer',
  'Electrical Engineer',
  'Attorney',
  'Human Resources Specialist',
  'Brand Manager',
  'Buyer',
  'Research Scientist',
  'Supply Chain Planner',
  'Network Administrator',
  'Quality Assurance Engineer',
];
const LEVELS = [
  '',
  'Senior',
  'Junior',
  'Lead',
  'Principal',
  'Associate',
  'Assistant',
  'Staff',
  'Regional',
  'Global',
];
export const TITLE_NAMES = namesFor(
  emittedIds(splitValues('MEMBER_JOB_TITLE'), 'urn:li:title:'),
  LEVELS.flatMap((level) => ROLES.map((role) => (level ? `${level} ${role}` : role))),
  'job titles',
);

/** Member companies of the Ads pivot by company, named as a member who does not administer them sees them. */
export const COMPANY_NAMES = namesFor(
  emittedIds(splitValues('MEMBER_COMPANY'), 'urn:li:organization:'),
  [
    'Northwind Traders',
    'Contoso',
    'Fabrikam',
    'Tailspin Toys',
    'Wide World Importers',
    'Adventure Works',
    'Alpine Ski House',
    'Blue Yonder Airlines',
    'Coho Winery',
    'Fourth Coffee',
    'Graphic Design Institute',
    'Humongous Insurance',
    'Litware',
    'Lucerne Publishing',
    'Margie’s Travel',
    'Proseware',
    'Relecloud',
    'Southridge Video',
    'Trey Research',
    'Woodgrove Bank',
  ],
  'member companies',
);
