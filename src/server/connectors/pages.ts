import { facetName, WITHOUT_FACET_VALUE } from '../catalog/facets';
import { lookedUpNames } from './facet-names';
import { PAGE_SECTIONS } from '../catalog/pages';
import { findStream } from '../catalog/streams';
import {
  columnsFor,
  type PagesFinder,
  type PagesKeyedGet,
  periodRefusal,
  type StreamSpec,
} from '../catalog/types';
import type { ApiCall, LinkedInClient } from '../linkedin/client';
import { LinkedInError } from '../linkedin/errors';
import { streamRefused } from './refusal';
import { encode } from '../linkedin/restli';
import { DAY_MS, dayToIso, firstPeriodStartFrom, isoDate } from '../dates';
import { type Cell, readField, urnId } from '../rows';
import type { Table } from './ads';

export interface Page {
  id: string;
  name: string;
  vanityName: string;
  role: string;
}

export type PagesStream =
  | 'pages'
  | 'follower_lifetime'
  | 'follower_count'
  | 'page_views_lifetime'
  | 'follower_gains'
  | 'page_views'
  | 'share_statistics'
  | 'posts';

export interface PagesQuery {
  stream: PagesStream;
  organizationIds: string[];
  /** Inclusive UTC days, YYYY-MM-DD, for the time-bound streams. */
  startDate: string;
  endDate: string;
  fields: string[];
  /** Rows per day, per week (from the start day) or per calendar month. */
  timeGranularity?: PagesGranularity;
  /**
   * Names known from an earlier request of the run (none is asked then), or the pages to name
   * with this request: a run fetched a batch of pages at a time names all its pages with the first.
   */
  pageNames?: Map<string, string> | string[];
}

export type PagesGranularity = 'DAY' | 'WEEK' | 'MONTH';

export interface PagesTable extends Table {
  /** Said to the user when LinkedIn's 12-month window cut the range, or it refused pages' names. */
  note: string | null;
  /**
   * The pages' names, for the run's later requests; a page LinkedIn refused to name maps to
   * REFUSED_NAME, so every later batch can still say which pages those are.
   */
  names: Map<string, string>;
}

/** What a run's names hold for a page LinkedIn refused to name: no real page has an empty name. */
const REFUSED_NAME = '';
/** How many refused pages the run's message names by ID; the rest are counted. */
const REFUSED_LISTED = 10;

type Row = Record<string, unknown>;

/** The stream's catalog entry: where its requests, page sizes, scopes and columns are read. */
const pagesSpec = (stream: PagesStream) => findStream('pages', stream)!;

/** The page's URN as the stream's endpoints name it. */
const pageUrn = (spec: StreamSpec, id: string) => `${spec.endpoints!.urnPrefix}${id}`;

/** A finder's request: its fixed parameters, the page when it names one, then `extra`. */
function finderCall(finder: PagesFinder, page?: string, extra: ApiCall['query'] = {}): ApiCall {
  const named = finder.pageParam && page !== undefined ? { [finder.pageParam]: page } : {};
  return { path: finder.path, query: { q: finder.q, ...finder.fixed, ...named, ...extra } };
}

/** A get by key: Rest.li 2.0 wants the page's URN percent-encoded as the path's last segment. */
const keyedCall = (get: PagesKeyedGet, page: string): ApiCall => ({
  path: `${get.path}/${encode(page)}`,
  query: { ...get.fixed },
});

/**
 * A batch get's answer: LinkedIn's example (organization-brands-batch-with-error) keeps a
 * refused page out of `results`, with its status in `statuses` and its reason in `errors`.
 */
type NamesAnswer = { results: Record<string, { localizedName?: string; vanityName?: string }> };

/** The names LinkedIn gave; a page it did not name (refused, whatever `statuses` says) is REFUSED_NAME. */
const namesFrom = (answer: NamesAnswer, ids: string[]) =>
  new Map(ids.map((id) => [id, answer.results?.[id]?.localizedName ?? REFUSED_NAME]));

/** A page's name for its rows: a page LinkedIn refused to name goes by its ID. */
const nameOf = (names: Map<string, string>, id: string) => names.get(id) || `Page ${id}`;

/** Says which pages LinkedIn refused to name, for the run's message; null when it named all. */
function namesRefusedNote(names: Map<string, string>): string | null {
  const refused = [...names].filter(([, name]) => name === REFUSED_NAME).map(([id]) => id);
  if (refused.length === 0) return null;
  const more = refused.length - REFUSED_LISTED;
  const listed = refused.slice(0, REFUSED_LISTED).join(', ') + (more > 0 ? ` and ${more} more` : '');
  return refused.length === 1
    ? `LinkedIn refused the name of page ${listed} (your connection may lack access to it), so its rows show “Page ${listed}” as the page name; everything else in them is as LinkedIn sent it.`
    : `LinkedIn refused the names of pages ${listed} (your connection may lack access to them), so their rows are named “Page” and the page’s ID; everything else in them is as LinkedIn sent it.`;
}

/** The one batch get that names every page of a run. */
function namesCall(spec: StreamSpec, ids: string[]): ApiCall {
  const { names } = spec.endpoints!;
  return { path: names.path, query: { [names.param]: ids } };
}

/** The pages the member administers, read where the page-list entry says, and their names. */
function administeredPages(
  client: LinkedInClient,
  spec: StreamSpec,
): { pages: Page[]; names: Map<string, string> } {
  const finder = spec.endpoints!.finder!;
  const [acls] = client.collectOffsetPages<{ organization: string; role: string }>(
    [finderCall(finder)],
    finder.pageSize,
  );
  if (acls.length === 0) return { pages: [], names: new Map() };
  const ids = acls.map((acl) => urnId(acl.organization));
  const answer = client.get<NamesAnswer>(namesCall(spec, ids));
  const names = namesFrom(answer, ids);
  const pages = acls
    .map((acl) => {
      const id = urnId(acl.organization);
      return {
        id,
        name: nameOf(names, id),
        vanityName: answer.results?.[id]?.vanityName ?? '',
        role: acl.role,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { pages, names };
}

/** The pages the member administers, with their names: what the sidebar offers to pick from. */
export function listPages(client: LinkedInClient): Page[] {
  return administeredPages(client, pagesSpec('pages')).pages;
}

/**
 * The request's time interval: LinkedIn's end is exclusive, so the day after the last
 * day asked; a start older than 12 months is moved up, with a note, not refused. Weeks and
 * months move up to the first whole one: the 12 months roll daily, and a row starting where
 * they begin would get a new key every day.
 */
function timeInterval(
  startDate: string,
  endDate: string,
  now: number,
  granularity: string,
  historyDays: number,
): { start: number; end: number; note: string | null } {
  const earliest =
    firstPeriodStartFrom(Math.ceil((now - historyDays * DAY_MS) / DAY_MS), granularity) * DAY_MS;
  const asked = Date.parse(`${startDate}T00:00:00Z`);
  const start = Math.max(asked, earliest);
  const end = Date.parse(`${endDate}T00:00:00Z`) + DAY_MS;
  const note =
    asked < earliest
      ? `LinkedIn keeps page statistics for 12 months: rows start on ${isoDate(earliest)}, not ${startDate}.`
      : null;
  return { start, end: Math.max(end, start + DAY_MS), note };
}

function table(
  spec: StreamSpec,
  rows: Row[],
  query: PagesQuery,
  names: Map<string, string>,
  note: string | null = null,
): PagesTable {
  const columns = columnsFor(spec, query.fields, query.timeGranularity);
  return {
    columns,
    rows: rows.map((row) =>
      columns.map((field): Cell => readField(row, { ...field, source: field.key, transform: undefined })),
    ),
    note: [note, namesRefusedNote(names)].filter(Boolean).join(' ') || null,
    names,
  };
}

/**
 * The names request a query still needs (none when an earlier request of the run named its
 * pages), and the names read from its answer.
 */
function pageNamesRequest(
  spec: StreamSpec,
  query: PagesQuery,
): { calls: ApiCall[]; names: (answer?: unknown) => Map<string, string> } {
  const known = query.pageNames;
  if (known instanceof Map) return { calls: [], names: () => known };
  const ids = known ?? query.organizationIds;
  return {
    calls: [namesCall(spec, ids)],
    names: (answer) => namesFrom(answer as NamesAnswer, ids),
  };
}

/**
 * The pages' names, fetched with the stream's own requests: no row needs them before the
 * last answer is in, so they cost no round trip of their own.
 */
function withPageNames<T>(
  client: LinkedInClient,
  spec: StreamSpec,
  query: PagesQuery,
  calls: ApiCall[],
): { answers: T[]; names: Map<string, string> } {
  const naming = pageNamesRequest(spec, query);
  const answers = client.getAll<unknown>([...naming.calls, ...calls]);
  return {
    answers: answers.slice(naming.calls.length) as T[],
    names: naming.names(answers[0]),
  };
}

/** The columns every row of a page starts with. */
const pageColumns = (names: Map<string, string>, id: string): Row => ({
  organization_id: id,
  page_name: nameOf(names, id),
});

/** LinkedIn's share statistics under the catalog's post-performance columns. */
function performanceColumns(stats: Record<string, number>): Row {
  return {
    impressions: stats.impressionCount,
    unique_impressions: stats.uniqueImpressionsCount,
    clicks: stats.clickCount,
    likes: stats.likeCount,
    comments: stats.commentCount,
    shares: stats.shareCount,
    engagement: stats.engagement,
  };
}

/** How one stream is read: its requests from its catalog entry, its rows from LinkedIn's answers. */
type Fetcher = (client: LinkedInClient, spec: StreamSpec, query: PagesQuery, now: number) => PagesTable;

const administered: Fetcher = (client, spec, query) => {
  const ids = query.organizationIds;
  const listed = administeredPages(client, spec);
  const pages = listed.pages.filter((page) => ids.length === 0 || ids.includes(page.id));
  const rows = pages.map((page) => ({
    organization_id: page.id,
    page_name: page.name,
    vanity_name: page.vanityName,
    role: page.role,
  }));
  return table(spec, rows, query, new Map(pages.map((page) => [page.id, listed.names.get(page.id)!])));
};

/** A lifetime snapshot dated today: a row per audience value of each of the entry's breakdowns. */
const snapshot =
  (counts: (entry: Row) => Row): Fetcher =>
  (client, spec, query, now) => {
    const ids = query.organizationIds;
    const finder = spec.endpoints!.finder!;
    const { answers, names } = withPageNames<{ elements: Array<Record<string, Row[]>> }>(
      client,
      spec,
      query,
      ids.map((id) => finderCall(finder, pageUrn(spec, id))),
    );
    const day = isoDate(now);
    const entries = answers.flatMap((answer, index) =>
      spec.breakdowns!.flatMap((breakdown) =>
        (answer.elements[0]?.[breakdown.field] ?? []).map((entry) => ({
          page: ids[index],
          breakdown,
          entry,
          value: entry[breakdown.facet] === undefined ? WITHOUT_FACET_VALUE : String(entry[breakdown.facet]),
        })),
      ),
    );
    // A report without the names' column asks for none.
    const named = columnsFor(spec, query.fields, query.timeGranularity).some(
      (column) => column.key === 'value_name',
    );
    const lookedUp = lookedUpNames(
      client,
      entries.map(({ breakdown, value }) => ({ lookup: named ? breakdown.names : undefined, value })),
      'Value name',
    );
    const rows = entries.map(({ page, breakdown, entry, value }) => ({
      ...pageColumns(names, page),
      snapshot_date: day,
      breakdown: breakdown.label,
      value,
      value_name:
        lookedUp.names.get(value) ??
        (value === WITHOUT_FACET_VALUE ? (breakdown.withoutFacet ?? null) : facetName(value)),
      ...counts(entry),
    }));
    return table(spec, rows, query, names, lookedUp.note);
  };

/**
 * Why LinkedIn may refuse one page's count while answering the others', in words for the run's
 * message: the refusals that cost only that page's row.
 */
const ONE_PAGE_REFUSALS: Partial<Record<LinkedInError['kind'], (one: boolean) => string>> = {
  permission: (one) => `your LinkedIn account may no longer be an administrator of ${one ? 'it' : 'them'}`,
  'not-found': (one) =>
    `${one ? 'the page is' : 'the pages are'} no longer on LinkedIn (deleted or deactivated), or the ID is wrong`,
};

/**
 * The page's total followers today, one get a page beside the names. A page LinkedIn refuses
 * (403: its admin role gone; 404: the page gone) costs only its own row, and the note says which
 * and why; every page refused is the stream refused, whose message says what to do.
 */
const followerCount: Fetcher = (client, spec, query, now) => {
  const ids = query.organizationIds;
  const naming = pageNamesRequest(spec, query);
  const answers = client.getAllSettled<{ firstDegreeSize?: number }>([
    ...naming.calls,
    ...ids.map((id) => keyedCall(spec.endpoints!.keyed!, pageUrn(spec, id))),
  ]);
  const failed = answers.find(
    (answer, index) =>
      answer instanceof LinkedInError && (index < naming.calls.length || !ONE_PAGE_REFUSALS[answer.kind]),
  );
  if (failed) throw failed;
  const names = naming.names(answers[0]);
  const counts = answers.slice(naming.calls.length);
  const refused = new Map<string, LinkedInError>();
  counts.forEach((answer, index) => {
    if (answer instanceof LinkedInError) refused.set(ids[index], answer);
  });
  if (refused.size > 0 && refused.size === ids.length) throw refused.values().next().value;
  const day = isoDate(now);
  const rows = ids.flatMap((id, index) => {
    const answer = counts[index];
    if (answer instanceof LinkedInError) return [];
    return [{ ...pageColumns(names, id), snapshot_date: day, followers: answer.firstDegreeSize }];
  });
  return table(spec, rows, query, names, followerCountRefusedNote(refused, names));
};

/** Says which pages' counts LinkedIn refused, and why, for the run's message; null when none. */
function followerCountRefusedNote(
  refused: Map<string, LinkedInError>,
  names: Map<string, string>,
): string | null {
  if (refused.size === 0) return null;
  const named = (id: string) => (names.get(id) ? `${names.get(id)} (${id})` : id);
  const reasons = [...new Set([...refused.values()].map((error) => error.kind))].map((kind) => {
    const ids = [...refused].filter(([, error]) => error.kind === kind).map(([id]) => id);
    const statuses = [...new Set(ids.map((id) => refused.get(id)!.status))].join(', ');
    const one = ids.length === 1;
    return `LinkedIn refused the follower count of ${one ? 'page' : 'pages'} ${ids.map(named).join(', ')} (HTTP ${statuses}): ${ONE_PAGE_REFUSALS[kind]!(one)}.`;
  });
  const one = refused.size === 1;
  return `${reasons.join(' ')} ${one ? 'It has' : 'They have'} no row this run; the other pages' counts are written.`;
}

/** Statistics per day, week or month of the asked range: a row per period LinkedIn returns. */
const timeBound =
  (columns: (element: Row) => Row): Fetcher =>
  (client, spec, query, now) => {
    const granularity = query.timeGranularity ?? 'DAY';
    if (!spec.granularities?.includes(granularity))
      throw new LinkedInError(periodRefusal(spec), 'request', 400);
    const ids = query.organizationIds;
    const interval = timeInterval(query.startDate, query.endDate, now, granularity, spec.historyDays!);
    const timeIntervals = {
      timeRange: { start: interval.start, end: interval.end },
      timeGranularityType: granularity,
    };
    const finder = spec.endpoints!.finder!;
    const { answers, names } = withPageNames<{ elements: Array<Row & { timeRange: { start: number } }> }>(
      client,
      spec,
      query,
      ids.map((id) => finderCall(finder, pageUrn(spec, id), { timeIntervals })),
    );
    const rows = answers.flatMap((answer, index) =>
      answer.elements.map((element) => ({
        ...pageColumns(names, ids[index]),
        date: dayToIso(Math.floor(element.timeRange.start / DAY_MS)),
        ...columns(element),
      })),
    );
    return table(spec, rows, query, names, interval.note);
  };

/** A count LinkedIn did not send stays blank: readField turns undefined into an empty cell. */
function pageViewColumns(element: Row): Row {
  const views =
    (
      element.totalPageStatistics as {
        views?: Record<string, { pageViews?: number; uniquePageViews?: number }>;
      }
    )?.views ?? {};
  const row: Row = { all_unique_page_views: views.allPageViews?.uniquePageViews };
  for (const section of PAGE_SECTIONS) {
    const capital = section[0].toUpperCase() + section.slice(1);
    row[`${section}_page_views`] = views[`${section}PageViews`]?.pageViews;
    row[`${section}_desktop_page_views`] =
      views[section === 'all' ? 'allDesktopPageViews' : `desktop${capital}PageViews`]?.pageViews;
    row[`${section}_mobile_page_views`] =
      views[section === 'all' ? 'allMobilePageViews' : `mobile${capital}PageViews`]?.pageViews;
  }
  return row;
}

/**
 * Every post of each page with its lifetime statistics. The statistics of the posts a round
 * listed ride with the next round of pages, in full batches while a page has posts left to
 * list, so a page's statistics take as many requests as if all its posts were listed first:
 * three round trips for pages of any length (when LinkedIn gives totals), the names in the first.
 */
const posts: Fetcher = (client, spec, query) => {
  const ids = query.organizationIds;
  const finder = spec.endpoints!.finder!;
  const statistics = spec.endpoints!.statistics!;
  const { batchSize } = statistics;
  const naming = pageNamesRequest(spec, query);
  // Shares and ugcPosts are asked in lists of their own; an empty list is left out.
  const ofKind = (urns: string[], prefix: string) => {
    const kind = urns.filter((urn) => urn.startsWith(prefix));
    return kind.length ? kind : undefined;
  };
  const statisticsCall = (organizationId: string, urns: string[]) =>
    finderCall(statistics, pageUrn(spec, organizationId), {
      shares: ofKind(urns, 'urn:li:share:'),
      ugcPosts: ofKind(urns, 'urn:li:ugcPost:'),
    });
  /** Posts of each page whose statistics are asked. */
  const asked = ids.map(() => 0);
  let named = false;
  const { pages, followed } = client.collectOffsetPagesWith<Row, unknown>(
    ids.map((id) => finderCall(finder, pageUrn(spec, id))),
    (listed, complete) => {
      const calls = named ? [] : [...naming.calls];
      named = true;
      listed.forEach((list, index) => {
        const from = asked[index];
        const upTo = complete[index]
          ? list.length
          : from + Math.floor((list.length - from) / batchSize) * batchSize;
        for (let start = from; start < upTo; start += batchSize)
          calls.push(
            statisticsCall(
              ids[index],
              list.slice(start, Math.min(start + batchSize, upTo)).map((post) => String(post.id)),
            ),
          );
        asked[index] = upTo;
      });
      return calls;
    },
    finder.pageSize,
  );
  const names = naming.names(followed[0]);
  const performance = new Map<string, Record<string, number>>();
  for (const answer of followed.slice(naming.calls.length) as Array<{ elements: Row[] }>) {
    for (const element of answer.elements)
      performance.set(
        String(element.share ?? element.ugcPost),
        element.totalShareStatistics as Record<string, number>,
      );
  }
  const rows = pages.flatMap((list, index) =>
    list.map((post) => {
      const id = String(post.id);
      return {
        ...pageColumns(names, ids[index]),
        post_id: id,
        published: post.publishedAt ? new Date(Number(post.publishedAt)).toISOString() : null,
        text: post.commentary,
        post_type: id.startsWith('urn:li:ugcPost:') ? 'ugcPost' : 'share',
        lifecycle_state: post.lifecycleState,
        url: `https://www.linkedin.com/feed/update/${id}/`,
        ...performanceColumns(performance.get(id) ?? {}),
      };
    }),
  );
  return table(spec, rows, query, names);
};

/** Each stream's fetch, looked up by its catalog id. */
const FETCHERS: Record<PagesStream, Fetcher> = {
  pages: administered,
  // LinkedIn rolls organic and paid followers of a demographic into organicFollowerCount
  // and says paidFollowerCount is not to be read there.
  follower_lifetime: snapshot((entry) => ({
    followers: (entry.followerCounts as { organicFollowerCount?: number } | undefined)?.organicFollowerCount,
  })),
  follower_count: followerCount,
  page_views_lifetime: snapshot((entry) => ({
    page_views: (entry.pageStatistics as { views?: { allPageViews?: { pageViews?: number } } } | undefined)
      ?.views?.allPageViews?.pageViews,
  })),
  follower_gains: timeBound((element) => {
    const gains = element.followerGains as { organicFollowerGain?: number; paidFollowerGain?: number };
    return { organic_follower_gain: gains?.organicFollowerGain, paid_follower_gain: gains?.paidFollowerGain };
  }),
  page_views: timeBound(pageViewColumns),
  share_statistics: timeBound((element) =>
    performanceColumns((element.totalShareStatistics ?? {}) as Record<string, number>),
  ),
  posts,
};

export function fetchPagesStream(client: LinkedInClient, query: PagesQuery, now: number): PagesTable {
  const spec = pagesSpec(query.stream);
  try {
    return FETCHERS[query.stream](client, spec, query, now);
  } catch (error) {
    if (!(error instanceof LinkedInError) || error.kind !== 'permission') throw error;
    throw streamRefused(spec, 'an admin role on the page', error.status);
  }
}
