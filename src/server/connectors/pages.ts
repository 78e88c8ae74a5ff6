import { facetName } from '../catalog/facets';
import { FOLLOWER_BREAKDOWNS, PAGE_SECTIONS, PAGE_VIEW_BREAKDOWNS } from '../catalog/pages';
import { findStream } from '../catalog/streams';
import { columnsFor } from '../catalog/types';
import type { ApiCall, LinkedInClient } from '../linkedin/client';
import { LinkedInError } from '../linkedin/errors';
import { DAY_MS, dayToIso, isoDate } from '../dates';
import { type Cell, readField, urnId } from '../rows';
import type { Table } from './ads';

/** LinkedIn keeps time-bound page statistics for 12 rolling months. */
const HISTORY_DAYS = 365;
/** Post URNs per share-statistics request: keeps the URL under UrlFetchApp's 2 KB. */
export const POSTS_PER_STATISTICS_REQUEST = 20;
/** The most posts LinkedIn returns in one page of `posts?q=author`. */
export const POSTS_PAGE_SIZE = 100;

export interface Page {
  id: string;
  name: string;
  vanityName: string;
  role: string;
}

export type PagesStream =
  | 'pages'
  | 'follower_lifetime'
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
   * with this request: a run fetched one page at a time names all its pages with the first.
   */
  pageNames?: Map<string, string> | string[];
}

export const PAGES_GRANULARITIES = ['DAY', 'WEEK', 'MONTH'] as const;
export type PagesGranularity = (typeof PAGES_GRANULARITIES)[number];

export interface PagesTable extends Table {
  /** Said to the user when LinkedIn's 12-month window cut the range. */
  note: string | null;
  /** The pages' names, for the run's later requests. */
  names: Map<string, string>;
}

type Row = Record<string, unknown>;
const organizationUrn = (id: string) => `urn:li:organization:${id}`;

/** The pages the member administers, with their names: what the sidebar offers to pick from. */
export function listPages(client: LinkedInClient): Page[] {
  const [acls] = client.collectOffsetPages<{ organization: string; role: string }>([
    { path: 'organizationAcls', query: { q: 'roleAssignee', role: 'ADMINISTRATOR', state: 'APPROVED' } },
  ]);
  if (acls.length === 0) return [];
  const ids = acls.map((acl) => urnId(acl.organization));
  const { results } = client.get<{
    results: Record<string, { localizedName?: string; vanityName?: string }>;
  }>({
    path: 'organizations',
    query: { ids },
  });
  return acls
    .map((acl) => {
      const id = urnId(acl.organization);
      return {
        id,
        name: results[id]?.localizedName ?? `Page ${id}`,
        vanityName: results[id]?.vanityName ?? '',
        role: acl.role,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The request's time interval: LinkedIn's end is exclusive, so the day after the last
 * day asked; a start older than 12 months is moved up, with a note, not refused.
 */
export function timeInterval(
  startDate: string,
  endDate: string,
  now: number,
): { start: number; end: number; note: string | null } {
  const earliest = Math.ceil((now - HISTORY_DAYS * DAY_MS) / DAY_MS) * DAY_MS;
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
  stream: PagesStream,
  rows: Row[],
  fieldKeys: string[],
  names: Map<string, string>,
  note: string | null = null,
): PagesTable {
  const columns = columnsFor(pagesSpec(stream), fieldKeys);
  return {
    columns,
    rows: rows.map((row) =>
      columns.map((field): Cell => readField(row, { ...field, source: field.key, transform: undefined })),
    ),
    note,
    names,
  };
}

type NamesAnswer = { results: Record<string, { localizedName?: string }> };

/**
 * The pages' names, fetched with the stream's own requests: no row needs them before the
 * last answer is in, so they cost no round trip of their own.
 */
function withPageNames<T>(
  client: LinkedInClient,
  query: PagesQuery,
  calls: ApiCall[],
): { answers: T[]; names: Map<string, string> } {
  if (query.pageNames instanceof Map) return { answers: client.getAll<T>(calls), names: query.pageNames };
  const ids = query.pageNames ?? query.organizationIds;
  const [named, ...answers] = client.getAll<T | NamesAnswer>([
    { path: 'organizations', query: { ids } },
    ...calls,
  ]);
  const { results } = named as NamesAnswer;
  return {
    answers: answers as T[],
    names: new Map(ids.map((id) => [id, results[id]?.localizedName ?? `Page ${id}`])),
  };
}

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

/**
 * Which scopes each stream needs, for a refusal that says exactly what to fix. LinkedIn documents
 * organizationalEntityShareStatistics under rw_organization_admin; posts?q=author under r_organization_social.
 */
const STREAM_SCOPES: Record<PagesStream, string[]> = {
  pages: ['rw_organization_admin'],
  follower_lifetime: ['rw_organization_admin'],
  page_views_lifetime: ['rw_organization_admin'],
  follower_gains: ['rw_organization_admin'],
  page_views: ['rw_organization_admin'],
  share_statistics: ['rw_organization_admin'],
  posts: ['r_organization_social', 'rw_organization_admin'],
};

/** The stream's catalog entry. */
const pagesSpec = (stream: PagesStream) => findStream('pages', stream)!;

export function fetchPagesStream(client: LinkedInClient, query: PagesQuery, now: number): PagesTable {
  try {
    return fetchStream(client, query, now);
  } catch (error) {
    if (!(error instanceof LinkedInError) || error.kind !== 'permission') throw error;
    const scopes = STREAM_SCOPES[query.stream];
    throw new LinkedInError(
      `LinkedIn refused ${pagesSpec(query.stream).label.toLowerCase()}: it needs the ${scopes.join(' and ')} scope${scopes.length > 1 ? 's' : ''} and an admin role on the page. ` +
        'Reconnect LinkedIn with “Pages” ticked; if LinkedIn says there aren’t any scopes available for your app, request the Community Management API for it in the Developer portal.',
      'permission',
      error.status,
    );
  }
}

function fetchStream(client: LinkedInClient, query: PagesQuery, now: number): PagesTable {
  const ids = query.organizationIds;
  if (query.stream === 'pages') {
    const pages = listPages(client).filter((page) => ids.length === 0 || ids.includes(page.id));
    return table(
      'pages',
      pages.map((page) => ({
        organization_id: page.id,
        page_name: page.name,
        vanity_name: page.vanityName,
        role: page.role,
      })),
      query.fields,
      new Map(pages.map((page) => [page.id, page.name])),
    );
  }
  const base = (names: Map<string, string>, id: string) => ({
    organization_id: id,
    page_name: names.get(id),
  });

  if (query.stream === 'follower_lifetime' || query.stream === 'page_views_lifetime') {
    const followers = query.stream === 'follower_lifetime';
    const { answers, names } = withPageNames<{
      elements: Array<Record<string, Array<Record<string, unknown>>>>;
    }>(
      client,
      query,
      ids.map((id) =>
        followers
          ? {
              path: 'organizationalEntityFollowerStatistics',
              query: { q: 'organizationalEntity', organizationalEntity: organizationUrn(id) },
            }
          : {
              path: 'organizationPageStatistics',
              query: { q: 'organization', organization: organizationUrn(id) },
            },
      ),
    );
    const snapshot = isoDate(now);
    const rows = answers.flatMap((answer, index) =>
      (followers ? FOLLOWER_BREAKDOWNS : PAGE_VIEW_BREAKDOWNS).flatMap((breakdown) =>
        (answer.elements[0]?.[breakdown.field] ?? []).map((entry) => {
          const value = String(entry[breakdown.facet]);
          // LinkedIn rolls organic and paid followers of a demographic into organicFollowerCount
          // and says paidFollowerCount is not to be read there.
          const counts = entry.followerCounts as { organicFollowerCount?: number } | undefined;
          const views = entry.pageStatistics as
            { views?: { allPageViews?: { pageViews?: number } } } | undefined;
          return {
            ...base(names, ids[index]),
            snapshot_date: snapshot,
            breakdown: breakdown.label,
            value,
            value_name: facetName(value),
            followers: counts?.organicFollowerCount,
            page_views: views?.views?.allPageViews?.pageViews,
          };
        }),
      ),
    );
    return table(query.stream, rows, query.fields, names);
  }

  if (query.stream === 'posts') {
    const posts = client
      .collectOffsetPages<Row>(
        ids.map((id) => ({ path: 'posts', query: { q: 'author', author: organizationUrn(id) } })),
        POSTS_PAGE_SIZE,
      )
      .flatMap((list, index) => list.map((post) => ({ post, organizationId: ids[index] })));
    const statistics = new Map<string, Record<string, number>>();
    const batches: Array<{ organizationId: string; urns: string[] }> = [];
    for (const id of ids) {
      const urns = posts.filter((entry) => entry.organizationId === id).map((entry) => String(entry.post.id));
      for (let i = 0; i < urns.length; i += POSTS_PER_STATISTICS_REQUEST)
        batches.push({ organizationId: id, urns: urns.slice(i, i + POSTS_PER_STATISTICS_REQUEST) });
    }
    const { answers, names } = withPageNames<{ elements: Array<Record<string, unknown>> }>(
      client,
      query,
      batches.map(({ organizationId, urns }) => ({
        path: 'organizationalEntityShareStatistics',
        query: {
          q: 'organizationalEntity',
          organizationalEntity: organizationUrn(organizationId),
          shares: urns.filter((urn) => urn.startsWith('urn:li:share:')).length
            ? urns.filter((urn) => urn.startsWith('urn:li:share:'))
            : undefined,
          ugcPosts: urns.filter((urn) => urn.startsWith('urn:li:ugcPost:')).length
            ? urns.filter((urn) => urn.startsWith('urn:li:ugcPost:'))
            : undefined,
        },
      })),
    );
    for (const answer of answers) {
      for (const element of answer.elements)
        statistics.set(
          String(element.share ?? element.ugcPost),
          element.totalShareStatistics as Record<string, number>,
        );
    }
    const rows = posts.map(({ post, organizationId }) => {
      const id = String(post.id);
      const stats = statistics.get(id) ?? {};
      return {
        ...base(names, organizationId),
        post_id: id,
        published: post.publishedAt ? new Date(Number(post.publishedAt)).toISOString() : null,
        text: post.commentary,
        post_type: id.startsWith('urn:li:ugcPost:') ? 'ugcPost' : 'share',
        lifecycle_state: post.lifecycleState,
        url: `https://www.linkedin.com/feed/update/${id}/`,
        ...performanceColumns(stats),
      };
    });
    return table('posts', rows, query.fields, names);
  }

  const granularity = query.timeGranularity ?? 'DAY';
  const spec = pagesSpec(query.stream);
  if (!spec.granularities?.includes(granularity)) {
    const units = (spec.granularities ?? []).map((unit) => unit.toLowerCase());
    const what = spec.label.replace(/ \(.*\)$/, '').toLowerCase();
    throw new LinkedInError(
      `LinkedIn gives ${what} per ${units.join(' or per ')} only: choose rows per ${units.join(' or ')}.`,
      'request',
      400,
    );
  }
  const interval = timeInterval(query.startDate, query.endDate, now);
  const timeIntervals = {
    timeRange: { start: interval.start, end: interval.end },
    timeGranularityType: granularity,
  };
  const resource = {
    follower_gains: 'organizationalEntityFollowerStatistics',
    page_views: 'organizationPageStatistics',
    share_statistics: 'organizationalEntityShareStatistics',
  }[query.stream];
  // Page statistics name the page `organization`; the other two, `organizationalEntity`.
  const finder = query.stream === 'page_views' ? 'organization' : 'organizationalEntity';
  const { answers, names } = withPageNames<{
    elements: Array<Record<string, unknown> & { timeRange: { start: number } }>;
  }>(
    client,
    query,
    ids.map((id) => ({ path: resource, query: { q: finder, [finder]: organizationUrn(id), timeIntervals } })),
  );
  const rows = answers.flatMap((answer, index) =>
    answer.elements.map((element) => {
      const row: Row = {
        ...base(names, ids[index]),
        date: dayToIso(Math.floor(element.timeRange.start / DAY_MS)),
      };
      if (query.stream === 'follower_gains') {
        const gains = element.followerGains as { organicFollowerGain?: number; paidFollowerGain?: number };
        row.organic_follower_gain = gains?.organicFollowerGain;
        row.paid_follower_gain = gains?.paidFollowerGain;
      } else if (query.stream === 'page_views') {
        // A count LinkedIn did not send stays blank: readField turns undefined into an empty cell.
        const views =
          (
            element.totalPageStatistics as {
              views?: Record<string, { pageViews?: number; uniquePageViews?: number }>;
            }
          )?.views ?? {};
        for (const section of PAGE_SECTIONS) {
          const capital = section[0].toUpperCase() + section.slice(1);
          row[`${section}_page_views`] = views[`${section}PageViews`]?.pageViews;
          row[`${section}_desktop_page_views`] =
            views[section === 'all' ? 'allDesktopPageViews' : `desktop${capital}PageViews`]?.pageViews;
          row[`${section}_mobile_page_views`] =
            views[section === 'all' ? 'allMobilePageViews' : `mobile${capital}PageViews`]?.pageViews;
        }
        row.all_unique_page_views = views.allPageViews?.uniquePageViews;
      } else {
        Object.assign(
          row,
          performanceColumns((element.totalShareStatistics ?? {}) as Record<string, number>),
        );
      }
      return row;
    }),
  );
  return table(query.stream, rows, query.fields, names, interval.note);
}
