import type { Product } from '../linkedin/products';

/** How a value is typed in the sheet: drives parsing, number formats and the sidebar's hints. */
export type FieldType =
  'text' | 'id' | 'integer' | 'decimal' | 'money' | 'ratio' | 'date' | 'datetime' | 'boolean';

/** How an API value becomes a cell: a URN cut to its id, epoch ms to a date, a money object to its amount. */
export type Transform =
  'urn-id' | 'epoch-date' | 'epoch-datetime' | 'money-amount' | 'money-currency' | 'list';

export interface FieldSpec {
  /** Stable column key, also the report config's field id. */
  key: string;
  label: string;
  type: FieldType;
  group: string;
  description: string;
  /** Where the value sits in an API element, dotted. */
  source?: string;
  transform?: Transform;
  /** Picked when a report is first built. */
  byDefault?: boolean;
  /**
   * adAnalytics metrics only: the pivots LinkedIn does not offer this metric with, each with
   * the reason in a sentence the builder can show. Requests never ask it there, and a report
   * asking it is refused with that sentence.
   */
  notWithPivots?: Record<string, string>;
  /** adAnalytics metrics only: LinkedIn returns it only for periods of at most this many days; longer ones stay blank. */
  maxRangeDays?: number;
  /**
   * A rate or cost LinkedIn's API does not give, computed in each row from two metrics it does:
   * `numerator` divided by `denominator`, times `scale` (1,000 for a cost per thousand). Requests
   * ask for those two instead; a row without both, or with a zero denominator, is left blank.
   */
  computed?: { numerator: string; denominator: string; scale?: number };
}

/** Where LinkedIn serves an Ads entity stream, per ad account. */
export interface AccountResource {
  /** Path under `adAccounts/{id}`; '' for the account itself, read with a GET. With `accountParam`, a path of its own. */
  path: string;
  /** A finder at a path of its own names the account in this parameter, by URN. */
  accountParam?: string;
  /**
   * The finder (`q=`), the page size asked, and how it pages: by cursor (`pageSize`,
   * `pageToken`) or by offset (`start`, `count`).
   */
  finder?: {
    q: string;
    pageSize: number;
    paging: 'cursor' | 'offset';
    /** A search names every status its entities can have: LinkedIn's default may leave old ones out. */
    statuses?: readonly string[];
  };
  /** How LinkedIn names an element in other streams and in analytics pivots. */
  urnPrefix: string;
}

/** A Pages finder: one request per page (organization), which it names by URN. */
export interface PagesFinder {
  /** Path under /rest/. */
  path: string;
  /** The finder (`q=`). */
  q: string;
  /** The parameter that carries the page's URN; absent for the finder that names the member instead. */
  pageParam?: string;
  /** Parameters the finder always carries. */
  fixed?: Record<string, string>;
  /** Offset-paged finders (`start`/`count`): the most elements asked a page. */
  pageSize?: number;
}

/**
 * A get by key: the page's URN, Rest.li-encoded, is the last segment of the path (LinkedIn's
 * `networkSizes/{urn}`), one request a page.
 */
export interface PagesKeyedGet {
  /** Path under /rest/, before the page's URN. */
  path: string;
  /** Parameters the request always carries. */
  fixed: Record<string, string>;
}

/** Where LinkedIn serves a Pages stream: a finder naming the page by parameter, or a get by its URN. */
export interface PagesEndpoints {
  finder?: PagesFinder;
  keyed?: PagesKeyedGet;
  /** Posts: their lifetime statistics, asked for at most `batchSize` post URNs a request. */
  statistics?: PagesFinder & { batchSize: number };
  /** How LinkedIn names a page: this prefix, then its id. */
  urnPrefix: string;
  /** Where the pages' names are read: one batch get (`param=List(ids)`) for every page of a run. */
  names: { path: string; param: string };
}

/** Where LinkedIn serves ad analytics, how a request names its pivots, and the limits every request obeys. */
export interface AnalyticsEndpoint {
  /** Path under /rest/. */
  path: string;
  /** One pivot: the finder and the parameter naming it. */
  onePivot: { q: string; param: string };
  /** Several pivots (up to three): rows keep one value of each, so several accounts stay apart. */
  severalPivots: { q: string; param: string };
  /** The parameter listing the ad accounts, by URN. */
  accountsParam: string;
  /** Fields a request may ask, `dateRange` and `pivotValues` included. */
  maxFields: number;
  /** Elements an answer holds at most; LinkedIn drops the rest without saying so. */
  maxElements: number;
}

/**
 * Where LinkedIn names a facet's values that it sends as URNs only: a batch get of their
 * numeric ids (`param=List(ids)`), answered `results[id]`, at most `batchSize` ids a request.
 */
export interface FacetNames {
  /** Path under /v2/ when `unversioned`, else under /rest/. */
  path: string;
  /** Served by LinkedIn's unversioned API only (see `ApiCall.unversioned`). */
  unversioned?: boolean;
  param: string;
  /** Parameters every request carries (the locale). */
  fixed?: Record<string, string | Record<string, string>>;
  /** The values it names: this prefix, then the id asked. */
  urnPrefix: string;
  batchSize: number;
  /** Where the name is read in an answer's `results[id]`, dotted. */
  nameAt: string;
  /** What the run's message calls these values when LinkedIn gives no names. */
  what: string;
  /**
   * The scopes LinkedIn's page lists for the lookup (the standardized-data pages name none): a
   * refusal then says which access the connection needs for the names.
   */
  scopes?: readonly string[];
}

/** A lifetime audience breakdown: LinkedIn's field, the facet key inside each entry, and the row's label. */
export interface Breakdown {
  field: string;
  facet: string;
  label: string;
  /** Values LinkedIn names only through a lookup of its own; without it, `facetName` names them or none does. */
  names?: FacetNames;
  /**
   * What an entry without the facet's key stands for, named: LinkedIn's sample of lifetime
   * follower statistics gives non-employees an association entry with no `associationType`.
   */
  withoutFacet?: string;
}

/**
 * Where LinkedIn serves an ad account's lead form responses and the forms that name their
 * questions: two `start`/`count` finders at paths of their own, each naming the account as a
 * member of the `owner` union (`owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A123)`).
 */
export interface LeadsEndpoints {
  /** The parameter naming the account, and the union member it is named under. */
  owner: { param: string; member: string };
  responses: LeadsFinder & {
    /** The parameter filtering responses by submission time, `(start:ms,end:ms)`. */
    timeRange: string;
  };
  forms: LeadsFinder;
  /** Elements asked a page of either finder. */
  pageSize: number;
}

export interface LeadsFinder {
  /** Path under /rest/. */
  path: string;
  /** The finder (`q=`). */
  q: string;
  /** Parameters every request carries. */
  fixed?: Record<string, string | Record<string, string>>;
}

export type FetchStrategy =
  'ad-entities' | 'ad-analytics' | 'ad-leads' | 'pages-per-organization' | 'pages-together';

export interface StreamSpec {
  id: string;
  source: 'ads' | 'pages';
  label: string;
  description: string;
  /** Columns that identify a row: re-runs update rows with the same key instead of adding them. */
  key: string[];
  /**
   * Dated streams whose rows say their last day: that field. A row covering days that a newer
   * row of the same key but another first day covers too is replaced by it (see `writeTable`).
   */
  periodEnd?: string;
  /**
   * How a run fetches it: entity pages for all accounts at once; analytics in planned windows,
   * a batch a step; Pages statistics a batch of pages a round trip, each batch saved as done;
   * or every page in one go.
   */
  fetch: FetchStrategy;
  /**
   * The OAuth scopes LinkedIn documents for every request the stream makes: a connection needs
   * all of them, and a refusal names them.
   */
  scopes: string[];
  /**
   * The product that grants `scopes` when it is not the source's own: its scopes are asked only
   * of a user who ticks it, and a refusal names it.
   */
  product?: Product;
  /** Ads entity streams: where LinkedIn serves them. */
  resource?: AccountResource;
  /** Pages streams: where LinkedIn serves them. */
  endpoints?: PagesEndpoints;
  /** Lead form responses: where LinkedIn serves them and their forms. */
  leads?: LeadsEndpoints;
  /** Ad analytics: where and how LinkedIn serves it. */
  analytics?: AnalyticsEndpoint;
  /** Pages lifetime streams: the audience breakdowns each snapshot has rows for. */
  breakdowns?: readonly Breakdown[];
  /** Whether a run covers a date range (else it reads what is there now). */
  dated?: boolean;
  /** Dated streams LinkedIn keeps for a rolling window: its days. An older start is moved up, with a note. */
  historyDays?: number;
  /**
   * Dated streams whose rows are final once they appear (a lead is submitted once): a range
   * since the last run reads through today, not only to yesterday as for restated statistics.
   */
  throughToday?: boolean;
  /**
   * Dated streams: the periods a row may cover, as LinkedIn names them (adAnalytics'
   * `timeGranularity`; Pages statistics' `timeGranularityType`), the first the default.
   */
  granularities?: readonly string[];
  fields: FieldSpec[];
}

/** The word for the period a row covers, by LinkedIn's name for it: the sidebar's “Rows per day”. */
export const PERIOD_WORDS: Record<string, string> = {
  DAILY: 'day',
  MONTHLY: 'month',
  YEARLY: 'year',
  ALL: 'whole date range',
  DAY: 'day',
  WEEK: 'week',
  MONTH: 'month',
};

/**
 * What the sidebar says under a moving date range about periods LinkedIn counts on the calendar
 * (`periodStartDay` in dates.ts moves the range's first day to where its period starts).
 */
export const WHOLE_PERIOD_NOTES: Record<string, string> = {
  WEEK: 'Each row covers a whole week from Monday: a run reads from the Monday of the week its range begins in.',
  MONTHLY: 'Each row covers a whole month: a run reads from the first day of the month its range begins in.',
  MONTH: 'Each row covers a whole month: a run reads from the first day of the month its range begins in.',
  YEARLY: 'Each row covers a whole year: a run reads from 1 January of the year its range begins in.',
};

/**
 * The label of the column holding a row's first day, by the period the row covers. Each
 * period has its own, so a tab says which periods its rows cover: a report changed from
 * rows per month to rows per year rebuilds its tab instead of writing a year over January.
 */
const PERIOD_START_LABELS: Record<string, string> = {
  DAILY: 'Date',
  DAY: 'Date',
  WEEK: 'Week start',
  MONTHLY: 'Month start',
  MONTH: 'Month start',
  YEARLY: 'Year start',
  ALL: 'Start date',
};

export function periodStartLabel(granularity: string): string {
  return PERIOD_START_LABELS[granularity];
}

/** “day, month or year”. */
function periodList(granularities: readonly string[]): string {
  const words = granularities.map((granularity) => PERIOD_WORDS[granularity]);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words.join('');
}

/** The refusal of a period the stream does not have: what LinkedIn gives, and what to choose. */
export function periodRefusal(spec: StreamSpec): string {
  const what = spec.label.replace(/ \(.*\)$/, '').toLowerCase();
  const periods = periodList(spec.granularities ?? []);
  return `LinkedIn gives ${what} per ${periods} only: choose rows per ${periods}.`;
}

/**
 * A report's columns: the stream's key fields and the chosen ones, in the catalog's order. A
 * stream with periods labels its date key by the period its rows cover (`granularity`, else its first).
 */
export function columnsFor(spec: StreamSpec, fieldKeys: string[], granularity?: string): FieldSpec[] {
  const unknown = fieldKeys.filter((key) => !spec.fields.some((field) => field.key === key));
  if (unknown.length) throw new Error(`${spec.label} has no field ${unknown.join(', ')}`);
  const period = spec.granularities ? (granularity ?? spec.granularities[0]) : null;
  return spec.fields
    .filter((field) => spec.key.includes(field.key) || fieldKeys.includes(field.key))
    .map((field) =>
      period && field.type === 'date' && spec.key.includes(field.key)
        ? { ...field, label: periodStartLabel(period) }
        : field,
    );
}
