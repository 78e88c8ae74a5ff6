import {
  AD_ANALYTICS_STREAM,
  AD_METRICS,
  AD_PIVOTS,
  ANALYTICS_ROW_FIELDS,
  COMPUTED_METRICS,
  REPORT_METRICS,
  SHORT_RANGE_MAX_DAYS,
  SHORT_RANGE_METRICS,
  type TimeGranularity,
} from '../catalog/ad-analytics';
import { facetName } from '../catalog/facets';
import { findStream } from '../catalog/streams';
import { type FieldSpec, periodStartLabel } from '../catalog/types';
import type { ApiCall } from '../linkedin/client';
import { DAY_MS, dayNumber, dayToIso } from '../dates';
import { type Cell, compareText, typed, urnId } from '../rows';

/** Where and how LinkedIn serves ad analytics: its catalog entry. */
const endpoint = () => AD_ANALYTICS_STREAM.analytics!;
const ROW_FIELDS = ['dateRange', 'pivotValues'];
export const METRICS_PER_REQUEST = endpoint().maxFields - ROW_FIELDS.length;
/** A full answer may have been cut off: LinkedIn drops what passes this without saying so. */
export const MAX_ELEMENTS = endpoint().maxElements;
/** Values of a non-entity pivot we assume per period and account before a response proves otherwise. */
const ASSUMED_VALUES_PER_PERIOD = 200;

export interface AdAnalyticsQuery {
  accountIds: string[];
  pivot: string;
  granularity: TimeGranularity;
  /** Inclusive UTC days, YYYY-MM-DD. */
  startDate: string;
  endDate: string;
  metrics: string[];
}

/** Days (inclusive, UTC day numbers) in which each row-producing entity can have data. */
export interface ActivitySpan {
  startDay: number;
  endDay: number | null;
}

/** A period that cannot be split: a day, a (clipped) month or year, or the whole range for ALL. */
export interface Bucket {
  startDay: number;
  endDay: number;
}

export interface Window {
  startDay: number;
  endDay: number;
  buckets: Bucket[];
}

export interface AnalyticsPlan {
  fieldGroups: string[][];
  windows: Window[];
  /** Requests the plan makes if no response comes back at the cap. */
  requests: number;
}

/** How LinkedIn names an ad account in facets and pivot values, from the catalog. */
export const ACCOUNT_URN = findStream('ads', 'ad_accounts')!.resource!.urnPrefix;

/** Whether rows carry their account and currency: a report over several accounts, whose names and money may repeat or differ. */
export const spansAccounts = (query: Pick<AdAnalyticsQuery, 'accountIds'>) => query.accountIds.length > 1;

/**
 * Whether each row must be told its account: over several accounts `q=analytics` sums a
 * pivot's values across them, mixing currencies, unless each value is of one account.
 */
const rowsNeedTheirAccount = (query: AdAnalyticsQuery) =>
  spansAccounts(query) && !pivotSpec(query.pivot).ofOneAccount;

/**
 * Whether a demographic pivot over several accounts is asked one account a request, each
 * answer's rows then tagged with its account. LinkedIn documents `q=statistics` for grouping
 * by up to three pivots but not whether it takes the professional demographics, so they are
 * asked in the way documented for them, which holds under either reading.
 */
const accountPerRequest = (query: AdAnalyticsQuery) =>
  rowsNeedTheirAccount(query) && pivotSpec(query.pivot).demographic === true;

/** Whether the requests also pivot by account (`q=statistics`), so each row names it. */
const pivotsByAccount = (query: AdAnalyticsQuery) => rowsNeedTheirAccount(query) && !accountPerRequest(query);

/** The account lists the requests of one window and field group name. */
const accountsOfRequests = (query: AdAnalyticsQuery): string[][] =>
  accountPerRequest(query) ? query.accountIds.map((id) => [id]) : [query.accountIds];

/** What rows need besides LinkedIn's numbers: names, and over several accounts each row's account and currency. */
export interface RowContext {
  /** Names of pivot values and of ad accounts, by URN. */
  names: Map<string, string>;
  /** The ad account id of each entity pivot value (campaign, group, creative), by URN. */
  accounts: Map<string, string>;
  /** Each ad account's currency, by account id. */
  currencies: Map<string, string>;
}

export const emptyRowContext = (): RowContext => ({
  names: new Map(),
  accounts: new Map(),
  currencies: new Map(),
});

export function pivotSpec(pivot: string) {
  const spec = AD_PIVOTS.find((candidate) => candidate.id === pivot);
  if (!spec) throw new Error(`Unknown pivot ${pivot}`);
  return spec;
}

/** Problems with a query, in words for the sidebar; empty when LinkedIn will accept it. */
export function validateAnalyticsQuery(query: AdAnalyticsQuery): string[] {
  const problems: string[] = [];
  if (query.accountIds.length === 0) problems.push('Choose at least one ad account.');
  if (!AD_PIVOTS.some((pivot) => pivot.id === query.pivot))
    problems.push(`"${query.pivot}" is not a pivot LinkedIn offers.`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(query.startDate) || !/^\d{4}-\d{2}-\d{2}$/.test(query.endDate)) {
    problems.push('Dates must be written as YYYY-MM-DD.');
  } else if (query.startDate > query.endDate) problems.push('The start date is after the end date.');
  if (query.metrics.length === 0) problems.push('Choose at least one metric.');
  const unknown = query.metrics.filter((metric) => !REPORT_METRICS.some((field) => field.key === metric));
  if (unknown.length) problems.push(`Unknown metrics: ${unknown.join(', ')}.`);
  const pivot = AD_PIVOTS.find((candidate) => candidate.id === query.pivot);
  // Metrics refused for the same reason are named in one sentence.
  const refused = new Map<string, string[]>();
  for (const metric of REPORT_METRICS) {
    const reason = pivot && query.metrics.includes(metric.key) ? metric.notWithPivots?.[pivot.id] : undefined;
    if (reason) refused.set(reason, [...(refused.get(reason) ?? []), `“${metric.label}”`]);
  }
  for (const [reason, labels] of refused) {
    const named =
      labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}` : labels[0];
    problems.push(
      `LinkedIn does not offer ${named} by ${pivot!.label.toLowerCase()}: ${reason} Remove ${labels.length > 1 ? 'them' : 'it'} or pick another breakdown.`,
    );
  }
  return problems;
}

/** Whether LinkedIn offers the metric with the pivot (the catalog's `notWithPivots`). */
export function offeredWith(metric: string, pivot: string): boolean {
  return !REPORT_METRICS.find((field) => field.key === metric)?.notWithPivots?.[pivot];
}

/**
 * What the run message says about this query's blanks: reach and penetration over a period
 * longer than LinkedIn computes them. Null when every period is short enough.
 */
export function analyticsNote(query: AdAnalyticsQuery): string | null {
  const limited = REPORT_METRICS.filter(
    (metric) => metric.maxRangeDays && query.metrics.includes(metric.key),
  );
  if (limited.length === 0) return null;
  const longest = Math.max(
    ...bucketsOf(query, dayNumber(query.startDate), dayNumber(query.endDate)).map(
      (bucket) => bucket.endDay - bucket.startDay + 1,
    ),
  );
  const limit = Math.min(...limited.map((metric) => metric.maxRangeDays!));
  if (longest <= limit) return null;
  return `${limited.map((metric) => `“${metric.label}”`).join(' and ')} ${limited.length > 1 ? 'are' : 'is'} blank: LinkedIn computes ${limited.length > 1 ? 'them' : 'it'} only for periods of up to ${limit} days, and these rows cover up to ${longest}.`;
}

function bucketsOf(query: AdAnalyticsQuery, startDay: number, endDay: number): Bucket[] {
  if (query.granularity === 'ALL') return [{ startDay, endDay }];
  const buckets: Bucket[] = [];
  for (let day = startDay; day <= endDay;) {
    let last = day;
    if (query.granularity === 'MONTHLY' || query.granularity === 'YEARLY') {
      const date = new Date(day * DAY_MS);
      const next =
        query.granularity === 'MONTHLY'
          ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)
          : Date.UTC(date.getUTCFullYear() + 1, 0, 1);
      last = Math.min(endDay, next / DAY_MS - 1);
    }
    buckets.push({ startDay: day, endDay: last });
    day = last + 1;
  }
  return buckets;
}

const overlaps = (span: ActivitySpan, bucket: Bucket) =>
  span.startDay <= bucket.endDay && (span.endDay === null || span.endDay >= bucket.startDay);

/**
 * Plans the fewest requests: metrics split into groups that fit the 20-field limit, and
 * the date range cut only where the most rows LinkedIn could return would pass 15,000.
 * `activity` holds the serving spans of the pivot's entities; without it (non-entity
 * pivots) a per-account guess stands in, and a full response still forces a split. Periods
 * inside windows already `fetched` whole are left out.
 */
export function planAnalytics(
  query: AdAnalyticsQuery,
  activity: ActivitySpan[] | null,
  fetched: Window[] = [],
): AnalyticsPlan {
  const fieldGroups = fieldGroupsOf(query.metrics);
  const buckets = bucketsOf(query, dayNumber(query.startDate), dayNumber(query.endDate)).filter(
    (bucket) =>
      !fetched.some((window) => window.startDay <= bucket.startDay && bucket.endDay <= window.endDay),
  );
  const estimate = boundOf(query, activity);
  const windows = packWindows(buckets, estimate);
  return { fieldGroups, windows, requests: requestsFor(query, fieldGroups, windows) };
}

/** Every request that fetches these windows completely. */
export function requestsFor(query: AdAnalyticsQuery, fieldGroups: string[][], windows: Window[]): number {
  return windows.reduce((total, window) => total + windowCalls(query, fieldGroups, window).length, 0);
}

/** Rows over some periods, from an estimate per period (the bound, or what earlier answers showed). */
export function rowsOver(buckets: Bucket[], perPeriod: (bucket: Bucket) => number): number {
  return buckets.reduce((total, bucket) => total + perPeriod(bucket), 0);
}

/** The most rows a period can hold: its active entities, or without them the per-account guess. */
export function boundOf(
  query: AdAnalyticsQuery,
  activity: ActivitySpan[] | null,
): (bucket: Bucket) => number {
  return (bucket) =>
    activity
      ? activity.filter((span) => overlaps(span, bucket)).length
      : ASSUMED_VALUES_PER_PERIOD * query.accountIds.length;
}

/** The most rows the import can return: every entity serving every period it could, or the guess for other pivots. */
export function rowsAtMost(query: AdAnalyticsQuery, activity: ActivitySpan[] | null): number {
  return rowsOver(
    bucketsOf(query, dayNumber(query.startDate), dayNumber(query.endDate)),
    boundOf(query, activity),
  );
}

/**
 * Headroom over the highest share of the bound a fetched window really held: a window packed
 * from it may hold a little more than the ones seen (another day's serving), and a guess too
 * low costs a cut-off answer fetched again in halves.
 */
const LEARNED_MARGIN = 1.05;

/**
 * Rows expected in a period: its bound, or once windows were fetched, `served` (the highest
 * share of its bound any fetched window held) of it, with a margin.
 */
export function expectedRows(
  query: AdAnalyticsQuery,
  activity: ActivitySpan[] | null,
  served: number | undefined,
): (bucket: Bucket) => number {
  const bound = boundOf(query, activity);
  return served === undefined ? bound : (bucket) => Math.ceil(bound(bucket) * served * LEARNED_MARGIN);
}

/** The windows still to fetch, packed again from what earlier answers showed: the lookup's bound alone counts every entity every day. */
export function replanWindows(
  query: AdAnalyticsQuery,
  activity: ActivitySpan[] | null,
  windows: Window[],
  served: number,
): Window[] {
  return packWindows(
    windows.flatMap((window) => window.buckets),
    expectedRows(query, activity, served),
  );
}

/** The share of its bound a window held: what `replanWindows` learns from. */
export function servedShare(
  query: AdAnalyticsQuery,
  activity: ActivitySpan[] | null,
  window: Window,
  rows: number,
): number {
  const most = rowsOver(window.buckets, boundOf(query, activity));
  return most > 0 ? rows / most : 1;
}

/**
 * The metrics in as few requests as the 20-field limit allows, each also asking for dateRange
 * and pivotValues. A computed metric is asked as the two LinkedIn metrics it divides.
 */
export function fieldGroupsOf(metrics: string[]): string[][] {
  const fetched = [
    ...new Set(
      metrics.flatMap((key) => {
        const computed = COMPUTED_METRICS.find((metric) => metric.key === key)?.computed;
        return computed ? [computed.numerator, computed.denominator] : [key];
      }),
    ),
  ];
  // Reach and penetration lead the first group: only that group needs short date ranges.
  const ordered = [
    ...fetched.filter((metric) => SHORT_RANGE_METRICS.includes(metric)),
    ...fetched.filter((metric) => !SHORT_RANGE_METRICS.includes(metric)),
  ];
  const groups: string[][] = [];
  for (let i = 0; i < ordered.length; i += METRICS_PER_REQUEST) {
    groups.push([...ROW_FIELDS, ...ordered.slice(i, i + METRICS_PER_REQUEST)]);
  }
  return groups;
}

/** Whether a field group must be asked in ranges of at most 92 days for its reach metrics to come back. */
const needsShortRanges = (query: AdAnalyticsQuery, fields: string[]) =>
  query.granularity !== 'ALL' && fields.some((field) => SHORT_RANGE_METRICS.includes(field));

/**
 * The requests that fetch one window completely for the field groups: one per group, except
 * that a group holding reach metrics is asked in pieces of at most 92 days, period-aligned.
 */
export function windowCalls(query: AdAnalyticsQuery, fieldGroups: string[][], window: Window): ApiCall[] {
  return fieldGroups.flatMap((fields) =>
    (needsShortRanges(query, fields)
      ? packWindows(window.buckets, () => 0, SHORT_RANGE_MAX_DAYS)
      : [window]
    ).flatMap((piece) =>
      accountsOfRequests(query).map((accountIds) => analyticsCall(query, piece, fields, accountIds)),
    ),
  );
}

/**
 * An answer's rows as `q=statistics` would give them over several accounts: when the request
 * named one account of several, each row's pivot values gain that account's URN.
 */
export function withRequestAccount(query: AdAnalyticsQuery, call: ApiCall, elements: AnalyticsElement[]) {
  if (!accountPerRequest(query)) return elements;
  const [accountUrn] = call.query![endpoint().accountsParam] as string[];
  return elements.map((element) => ({
    ...element,
    pivotValues: [accountUrn, ...(element.pivotValues ?? [])],
  }));
}

/**
 * Greedy packing of consecutive buckets under the element cap (strictly below: a full
 * response may be cut off). A gap between buckets starts a new window.
 */
export function packWindows(
  buckets: Bucket[],
  estimate: (bucket: Bucket) => number,
  maxSpanDays = Infinity,
): Window[] {
  const windows: Window[] = [];
  let current: Window | null = null;
  let load = 0;
  for (const bucket of buckets) {
    const rows = estimate(bucket);
    const fits =
      current &&
      bucket.startDay === current.endDay + 1 &&
      load + rows < MAX_ELEMENTS &&
      bucket.endDay - current.startDay + 1 <= maxSpanDays;
    if (current && fits) {
      current.buckets.push(bucket);
      current.endDay = bucket.endDay;
      load += rows;
    } else {
      current = { startDay: bucket.startDay, endDay: bucket.endDay, buckets: [bucket] };
      windows.push(current);
      load = rows;
    }
  }
  return windows;
}

/** The window between two days, with its periods: how a checkpointed window comes back to life. */
export function windowBetween(query: AdAnalyticsQuery, startDay: number, endDay: number): Window {
  return { startDay, endDay, buckets: bucketsOf(query, startDay, endDay) };
}

/** Halves a window whose response came back full; a single period cannot be split. */
export function splitWindow(window: Window): [Window, Window] | null {
  if (window.buckets.length < 2) return null;
  const middle = Math.floor(window.buckets.length / 2);
  const make = (buckets: Bucket[]): Window => ({
    startDay: buckets[0].startDay,
    endDay: buckets[buckets.length - 1].endDay,
    buckets,
  });
  return [make(window.buckets.slice(0, middle)), make(window.buckets.slice(middle))];
}

const dateParts = (day: number) => {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
};

export function analyticsCall(
  query: AdAnalyticsQuery,
  window: Window,
  fields: string[],
  accountIds = query.accountIds,
): ApiCall {
  const { path, onePivot, severalPivots, accountsParam } = endpoint();
  return {
    path,
    query: {
      // Several accounts and a non-entity pivot: LinkedIn's statistics finder keeps rows per account.
      ...(pivotsByAccount(query)
        ? { q: severalPivots.q, [severalPivots.param]: ['ACCOUNT', query.pivot] }
        : { q: onePivot.q, [onePivot.param]: query.pivot }),
      timeGranularity: query.granularity,
      dateRange: { start: dateParts(window.startDay), end: dateParts(window.endDay) },
      [accountsParam]: accountIds.map((id) => `${ACCOUNT_URN}${id}`),
      // A metric LinkedIn does not offer with the pivot is never asked: its column stays blank.
      fields: fields.filter((field) => ROW_FIELDS.includes(field) || offeredWith(field, query.pivot)),
    },
  };
}

export interface AnalyticsElement {
  dateRange?: {
    start: { year: number; month: number; day: number };
    end?: { year: number; month: number; day: number };
  };
  pivotValues?: string[];
  [metric: string]: unknown;
}

const dayOfParts = (parts: { year: number; month: number; day: number }) =>
  Date.UTC(parts.year, parts.month - 1, parts.day) / DAY_MS;

interface MergedRow {
  startDay: number;
  endDay: number;
  /** LinkedIn's pivotValues: the pivot's value, led by the account's URN when the requests pivot by account too. */
  values: string[];
  /** The row's element from each field group: the groups' metrics never overlap. */
  answers: AnalyticsElement[];
}

/** Joins the field groups' answers by (period, pivot value): one hash map, linear in rows. */
export class AnalyticsMerge {
  /** Rows by start day, then by pivot value. */
  private readonly rows = new Map<number, Map<string, MergedRow>>();

  /**
   * Adds one answer's elements. An element without `dateRange` (LinkedIn leaves it out when it
   * is not among the fields) belongs to the window's only period; with several it cannot be placed.
   */
  add(elements: AnalyticsElement[], window?: Window): void {
    for (const element of elements) {
      const range = element.dateRange;
      if (!range && window?.buckets.length !== 1)
        throw new Error('LinkedIn answered ad analytics without the dateRange of its rows.');
      const startDay = range ? dayOfParts(range.start) : window!.startDay;
      const values = element.pivotValues ?? [];
      const pivotValue = values.length === 1 ? values[0] : values.join(',');
      let ofDay = this.rows.get(startDay);
      if (!ofDay) this.rows.set(startDay, (ofDay = new Map()));
      const row = ofDay.get(pivotValue);
      if (row) row.answers.push(element);
      else
        ofDay.set(pivotValue, {
          startDay,
          endDay: range ? dayOfParts(range.end ?? range.start) : window!.endDay,
          values,
          answers: [element],
        });
    }
  }

  /** Every value the rows' pivotValues hold (accounts' URNs among them, when rows are split by account). */
  pivotValues(): Set<string> {
    const values = new Set<string>();
    for (const ofDay of this.rows.values())
      for (const row of ofDay.values()) row.values.forEach((value) => values.add(value));
    return values;
  }

  /** Rows in the order of the report's columns (see analyticsColumns), sorted by date, account, then id. */
  toRows(query: AdAnalyticsQuery, context: RowContext): Cell[][] {
    const metricCells = query.metrics.map((key) =>
      metricCell(REPORT_METRICS.find((field) => field.key === key)!),
    );
    const pivot = pivotSpec(query.pivot);
    const withAccount = spansAccounts(query);
    const isoDays = new Map<number, string>();
    const isoDay = (day: number) => {
      let iso = isoDays.get(day);
      if (iso === undefined) isoDays.set(day, (iso = dayToIso(day)));
      return iso;
    };
    // The account's URN is found by its prefix, not its place: LinkedIn documents no order for pivotValues.
    const byAccount = rowsNeedTheirAccount(query);
    const shaped = [...this.rows.values()].flatMap((ofDay) =>
      [...ofDay.values()].map((row) => {
        const accountUrn = byAccount ? row.values.find((value) => value.startsWith(ACCOUNT_URN)) : undefined;
        const value = byAccount
          ? (row.values.find((candidate) => candidate !== accountUrn) ?? '')
          : row.values.join(',');
        const accountId =
          pivot.id === 'ACCOUNT'
            ? urnId(value)
            : accountUrn
              ? urnId(accountUrn)
              : (context.accounts.get(value) ?? (withAccount ? '' : query.accountIds[0]));
        return { row, value, accountId, order: inIdOrder(value) };
      }),
    );
    return shaped
      .sort(
        (a, b) =>
          a.row.startDay - b.row.startDay ||
          compareText(a.accountId, b.accountId) ||
          compareText(a.order, b.order),
      )
      .map(({ row, value, accountId }) => {
        const cells: Cell[] = [isoDay(row.startDay)];
        if (query.granularity !== 'DAILY') cells.push(isoDay(row.endDay));
        if (withAccount && pivot.id !== 'ACCOUNT')
          cells.push(accountId, context.names.get(`${ACCOUNT_URN}${accountId}`) ?? null);
        cells.push(pivot.namedBy ? urnId(value) : value, context.names.get(value) ?? facetName(value));
        if (withAccount) cells.push(context.currencies.get(accountId) ?? null);
        const valueOf = (metric: FieldSpec): Cell => {
          let found: unknown;
          for (const answer of row.answers) if ((found = answer[metric.key]) !== undefined) break;
          // Not returned is not zero: LinkedIn documents no metric whose absence means 0, so it stays blank.
          return found === undefined ? null : typed(found, metric);
        };
        metricCells.forEach((cellOf) => cells.push(cellOf(valueOf)));
        return cells;
      });
  }
}

/** A value as it sorts by its id's number: `urn:li:seniority:2` before `urn:li:seniority:10`. */
const inIdOrder = (value: string) => value.replace(/\d+$/, (digits) => digits.padStart(20, '0'));

/**
 * How a metric's cell is read from a row's values (`valueOf`): as LinkedIn sent it, or for a
 * computed one, its two metrics divided, blank unless both came back and the divisor is not zero.
 * The two are looked up in the catalog once, not in every row.
 */
function metricCell(metric: FieldSpec): (valueOf: (metric: FieldSpec) => Cell) => Cell {
  if (!metric.computed) return (valueOf) => valueOf(metric);
  const { numerator, denominator, scale = 1 } = metric.computed;
  const [top, bottom] = [numerator, denominator].map((key) =>
    AD_METRICS.find((candidate) => candidate.key === key)!,
  );
  return (valueOf) => {
    const [dividend, divisor] = [valueOf(top), valueOf(bottom)];
    return typeof dividend === 'number' && typeof divisor === 'number' && divisor !== 0
      ? (dividend / divisor) * scale
      : null;
  };
}

/** The report's columns: catalog fields, labelled for this pivot; demographic numbers are marked approximate. */
export function analyticsColumns(query: AdAnalyticsQuery): FieldSpec[] {
  const pivot = pivotSpec(query.pivot);
  const [startDate, endDate, accountId, accountName, pivotId, pivotName, currency] = ANALYTICS_ROW_FIELDS;
  // The ACCOUNT pivot's own columns already say which account.
  const accountColumns = spansAccounts(query) && pivot.id !== 'ACCOUNT' ? [accountId, accountName] : [];
  const metrics = query.metrics.map((key) => {
    const field = REPORT_METRICS.find((candidate) => candidate.key === key)!;
    return pivot.demographic ? { ...field, label: `${field.label} (approx.)` } : field;
  });
  return [
    { ...startDate, label: periodStartLabel(query.granularity) },
    ...(query.granularity === 'DAILY' ? [] : [endDate]),
    ...accountColumns,
    { ...pivotId, label: `${pivot.label} ID` },
    { ...pivotName, label: pivot.label },
    ...(spansAccounts(query) ? [currency] : []),
    ...metrics,
  ];
}
