import type { SimClock } from '../apps-script/clock';
import { DAY_MS, type SimData, type SimMember } from './data';
import { COMPANY_NAMES } from './facet-names';
import {
  breakdownValue,
  FOLLOWER_BREAKDOWNS,
  followerGains,
  lifetimeFollowers,
  lifetimePageViews,
  PAGE_VIEW_BREAKDOWNS,
  pageViews,
  shareStatistics,
  totalFollowers,
} from './pages-data';
import { ApiError, offsetPage, rejectUnknown, text } from './request-checks';
import type { RestliValue } from './restli-query';

/**
 * The edge networkSizes counts a page's followers by. LinkedIn's Organization Lookup pages of the
 * versioned API and public clients of it send COMPANY_FOLLOWED_BY_MEMBER; its older pages, its
 * Postman collection and other public clients of the same versioned API send
 * CompanyFollowedByMember. Which one a given version refuses is not documented, so both are taken
 * and nothing else (docs/linkedin-api.md).
 */
export const FOLLOWER_EDGE_TYPES = ['COMPANY_FOLLOWED_BY_MEMBER', 'CompanyFollowedByMember'];

/** Time-bound Pages statistics reach back 12 rolling months. */
const PAGES_HISTORY_MS = 365 * DAY_MS;

/** The simulator's Pages resources: organizations, their ACLs, statistics and posts. */
export class PagesApi {
  /** Organizations whose lookup is refused however the member's roles stand (a test's choice). */
  readonly refusedLookups = new Set<number>();

  constructor(
    private readonly data: SimData,
    private readonly clock: SimClock,
  ) {}

  private memberOrganizationIds(member: SimMember): number[] {
    return member.organizationRoles.map((role) => role.organizationId);
  }

  private organizationParam(query: Map<string, RestliValue>, name: string, member: SimMember): number {
    const urn = text(query, name)!;
    const match = /^urn:li:organization:(\d+)$/.exec(urn);
    if (!match) throw new ApiError(400, 'PARAM_INVALID', `${name} must be urn:li:organization:<id>`, 100);
    const id = Number(match[1]);
    if (!this.memberOrganizationIds(member).includes(id)) {
      throw new ApiError(403, 'ACCESS_DENIED', `Not enough permissions to access: organization ${id}`, 100);
    }
    return id;
  }

  organizationAcls(query: Map<string, RestliValue>, member: SimMember) {
    rejectUnknown(query, ['q', 'role', 'state', 'start', 'count']);
    if (text(query, 'q') !== 'roleAssignee')
      throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
    const role = text(query, 'role', false);
    const elements = member.organizationRoles
      .filter((entry) => !role || entry.role === role)
      .map((entry) => ({
        organization: `urn:li:organization:${entry.organizationId}`,
        role: entry.role,
        state: 'APPROVED',
        roleAssignee: `urn:li:person:${member.id}`,
      }));
    return offsetPage(query, elements, 100);
  }

  private organizationJson(id: number) {
    const organization = this.data.organizations.get(id)!;
    return { id, localizedName: organization.localizedName, vanityName: organization.vanityName };
  }

  organizations(rest: string[], query: Map<string, RestliValue>, member: SimMember) {
    const allowed = new Set(this.memberOrganizationIds(member));
    const readable = (id: number) => allowed.has(id) && !this.refusedLookups.has(id);
    if (rest.length === 1) {
      const id = Number(rest[0]);
      if (!this.data.organizations.has(id))
        throw new ApiError(404, 'NOT_FOUND', `Organization ${rest[0]} does not exist`);
      if (!readable(id))
        throw new ApiError(403, 'ACCESS_DENIED', `Not enough permissions to access: organization ${id}`, 100);
      return { body: this.organizationJson(id), elements: 1 };
    }
    rejectUnknown(query, ['ids']);
    const ids = query.get('ids');
    if (!Array.isArray(ids)) throw new ApiError(400, 'PARAM_INVALID', 'ids must be List(...)', 100);
    // A batch get answers every id in `statuses`, and a refused one in `errors` too, in the
    // words of LinkedIn's example answer (organization-brands-batch-with-error).
    const results: Record<string, unknown> = {};
    const statuses: Record<string, number> = {};
    const errors: Record<string, unknown> = {};
    for (const id of ids as string[]) {
      if (!this.data.organizations.has(Number(id))) {
        statuses[id] = 404;
        errors[id] = { message: `Organization ${id} does not exist`, status: 404 };
      } else if (readable(Number(id))) {
        results[id] = this.organizationJson(Number(id));
        statuses[id] = 200;
      } else {
        statuses[id] = 403;
        errors[id] = {
          message: `Viewer don't have permission to the ADMIN_ONLY VisibilityReduction for urn:li:organization:${id}`,
          status: 403,
        };
      }
    }
    return { body: { results, statuses, errors }, elements: ids.length };
  }

  /**
   * Organization Lookup's batch get, versioned, as LinkedIn's Postman collection sends it
   * (`organizationsLookup?ids=List(…)`) and answers it (`organizations-lookup-batch`): every
   * organization as a member who does not administer it sees it, the fields LinkedIn's page lists
   * for calls that do not require administrative access (`id`, `name`, `localizedName`,
   * `vanityName`, `primaryOrganizationType`, `locations`). An administrator would get more; the
   * add-on reads only `localizedName`. An unknown id is left out of `results`; what LinkedIn puts
   * under `statuses` and `errors` for it is not documented, so the simulator says 404 in both.
   */
  organizationsLookup(rest: string[], query: Map<string, RestliValue>) {
    if (rest.length > 0)
      throw new ApiError(404, 'NOT_FOUND', `No resource at organizationsLookup/${rest.join('/')}`);
    rejectUnknown(query, ['ids']);
    const ids = query.get('ids');
    if (!Array.isArray(ids) || ids.length === 0)
      throw new ApiError(400, 'PARAM_INVALID', 'ids must be List(...) of organization ids', 100);
    const results: Record<string, unknown> = {};
    const statuses: Record<string, number> = {};
    const errors: Record<string, unknown> = {};
    for (const id of ids) {
      if (typeof id !== 'string' || !/^\d+$/.test(id))
        throw new ApiError(
          400,
          'PARAM_INVALID',
          `Invalid value "${String(id)}" in "ids": expected an organization id`,
          100,
        );
      const named = this.data.organizations.get(Number(id));
      const name = named?.localizedName ?? COMPANY_NAMES.get(id);
      if (name === undefined) {
        statuses[id] = 404;
        errors[id] = { message: `Organization ${id} does not exist`, status: 404 };
        continue;
      }
      statuses[id] = 200;
      results[id] = {
        name: { localized: { en_US: name }, preferredLocale: { country: 'US', language: 'en' } },
        primaryOrganizationType: 'NONE',
        vanityName: named?.vanityName ?? name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
        locations: [],
        localizedName: name,
        id: Number(id),
      };
    }
    return { body: { results, statuses, errors }, elements: Object.keys(results).length };
  }

  /**
   * `GET /rest/networkSizes/{urn}?edgeType=…`, a get by key: Rest.li 2.0 wants the URN
   * percent-encoded in the path (`urn%3Ali%3Aorganization%3A123`), so the raw form is refused.
   * Whether LinkedIn answers for a page the member does not administer is not documented (its
   * Organization Lookup page says only that some of its calls need the ADMINISTRATOR role): the
   * simulator takes the strict reading and refuses it with 403, which a run must survive page by page.
   */
  networkSizes(rest: string[], query: Map<string, RestliValue>, member: SimMember) {
    if (rest.length !== 1)
      throw new ApiError(404, 'NOT_FOUND', `No resource at networkSizes/${rest.join('/')}`);
    const [key] = rest;
    if (/[:()]/.test(key))
      throw new ApiError(
        400,
        'ILLEGAL_ARGUMENT',
        `Reserved characters in the key must be percent-encoded (Rest.li 2.0): ${key}`,
        100,
      );
    const match = /^urn%3Ali%3Aorganization%3A(\d+)$/i.exec(key);
    if (!match)
      throw new ApiError(400, 'PARAM_INVALID', `networkSizes key must be urn:li:organization:<id>`, 100);
    rejectUnknown(query, ['edgeType']);
    const edgeType = text(query, 'edgeType')!;
    if (!FOLLOWER_EDGE_TYPES.includes(edgeType))
      throw new ApiError(400, 'PARAM_INVALID', `Invalid value "${edgeType}" for edgeType`, 100);
    const id = Number(match[1]);
    // What LinkedIn answers for a page deleted or deactivated is not documented: 404, as for any
    // entity that is not there, is the reading taken (a run survives it page by page either way).
    if (!this.data.organizations.has(id))
      throw new ApiError(404, 'NOT_FOUND', `Organization ${id} does not exist`);
    if (!this.memberOrganizationIds(member).includes(id))
      throw new ApiError(403, 'ACCESS_DENIED', `Not enough permissions to access: organization ${id}`, 100);
    return { body: { firstDegreeSize: totalFollowers(this.data, id, this.clock.now()) }, elements: 1 };
  }

  /**
   * timeIntervals=(timeRange:(start:ms,end:ms),timeGranularityType:DAY): end exclusive, 12 rolling
   * months. Follower statistics document DAY, WEEK and MONTH; page and share statistics DAY and MONTH.
   */
  private timeIntervals(
    query: Map<string, RestliValue>,
    granularities: string[],
  ): { start: number; end: number; granularity: string } | null {
    const value = query.get('timeIntervals');
    if (value === undefined) return null;
    if (typeof value !== 'object' || Array.isArray(value))
      throw new ApiError(400, 'PARAM_INVALID', 'timeIntervals must be a Rest.li object', 100);
    const range = value.timeRange;
    const granularity = value.timeGranularityType;
    if (!range || typeof range !== 'object' || Array.isArray(range) || typeof granularity !== 'string') {
      throw new ApiError(
        400,
        'PARAM_INVALID',
        'timeIntervals needs timeRange:(start,end) and timeGranularityType',
        100,
      );
    }
    if (!granularities.includes(granularity))
      throw new ApiError(400, 'PARAM_INVALID', `Invalid timeGranularityType ${granularity}`, 100);
    const start = Number(range.start);
    const end = range.end === undefined ? this.clock.now() : Number(range.end);
    if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end)
      throw new ApiError(400, 'PARAM_INVALID', 'Invalid timeRange', 100);
    if (start < this.clock.now() - PAGES_HISTORY_MS) {
      throw new ApiError(400, 'PARAM_INVALID', 'timeRange.start must be within the last 12 months', 100);
    }
    return { start, end: Math.min(end, Math.floor(this.clock.now() / DAY_MS) * DAY_MS), granularity };
  }

  /** Buckets [start, end) by DAY, WEEK or MONTH. */
  private buckets(interval: { start: number; end: number; granularity: string }): Array<[number, number]> {
    const result: Array<[number, number]> = [];
    let cursor = interval.start;
    while (cursor < interval.end) {
      const date = new Date(cursor);
      const next =
        interval.granularity === 'DAY'
          ? cursor + DAY_MS
          : interval.granularity === 'WEEK'
            ? cursor + 7 * DAY_MS
            : Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
      result.push([cursor, Math.min(next, interval.end)]);
      cursor = next;
    }
    return result;
  }

  private sumDays<T extends Record<string, number>>(
    start: number,
    end: number,
    perDay: (day: number) => T,
  ): T {
    const total: Record<string, number> = {};
    for (let day = Math.floor(start / DAY_MS); day < Math.ceil(end / DAY_MS); day++) {
      for (const [key, value] of Object.entries(perDay(day))) total[key] = (total[key] ?? 0) + value;
    }
    return total as T;
  }

  followerStatistics(query: Map<string, RestliValue>, member: SimMember) {
    rejectUnknown(query, ['q', 'organizationalEntity', 'timeIntervals']);
    if (text(query, 'q') !== 'organizationalEntity')
      throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
    const organizationId = this.organizationParam(query, 'organizationalEntity', member);
    const interval = this.timeIntervals(query, ['DAY', 'WEEK', 'MONTH']);
    const entity = `urn:li:organization:${organizationId}`;
    if (interval) {
      const elements = this.buckets(interval).map(([start, end]) => ({
        organizationalEntity: entity,
        timeRange: { start, end },
        followerGains: this.sumDays(start, end, (day) => followerGains(this.data, organizationId, day)),
      }));
      return {
        body: { elements, paging: { start: 0, count: elements.length, links: [] } },
        elements: elements.length,
      };
    }
    const element: Record<string, unknown> = { organizationalEntity: entity };
    for (const [breakdown, { facet, count }] of Object.entries(FOLLOWER_BREAKDOWNS)) {
      element[breakdown] = Array.from({ length: count }, (_, index) => ({
        [facet]: breakdownValue(breakdown, index),
        followerCounts: lifetimeFollowers(this.data, organizationId, breakdown, index, this.clock.now()),
      }));
    }
    return { body: { elements: [element], paging: { start: 0, count: 1, links: [] } }, elements: 1 };
  }

  pageStatistics(query: Map<string, RestliValue>, member: SimMember) {
    rejectUnknown(query, ['q', 'organization', 'timeIntervals']);
    if (text(query, 'q') !== 'organization')
      throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
    const organizationId = this.organizationParam(query, 'organization', member);
    const interval = this.timeIntervals(query, ['DAY', 'MONTH']);
    const organization = `urn:li:organization:${organizationId}`;
    /** Sums the days' statistics; unique views only in time-bound answers, as LinkedIn's examples show. */
    const statsOver = (start: number, end: number, withUniques: boolean) => {
      const days = Array.from({ length: Math.ceil((end - start) / DAY_MS) }, (_, i) =>
        pageViews(this.data, organizationId, Math.floor(start / DAY_MS) + i),
      );
      const views: Record<string, { pageViews: number; uniquePageViews?: number }> = {};
      for (const day of days) {
        for (const [section, value] of Object.entries(day.views)) {
          const total = (views[section] ??= { pageViews: 0 });
          total.pageViews += value.pageViews;
          if (withUniques && value.uniquePageViews !== undefined)
            total.uniquePageViews = (total.uniquePageViews ?? 0) + value.uniquePageViews;
        }
      }
      const clicksOf = (device: 'desktopCustomButtonClickCounts' | 'mobileCustomButtonClickCounts') => [
        {
          customButtonType: 'VISIT_WEBSITE',
          clicks: days.reduce((sum, day) => sum + day.clicks[device][0].clicks, 0),
        },
      ];
      return {
        views,
        clicks: {
          desktopCustomButtonClickCounts: clicksOf('desktopCustomButtonClickCounts'),
          mobileCustomButtonClickCounts: clicksOf('mobileCustomButtonClickCounts'),
        },
      };
    };
    const elements = interval
      ? this.buckets(interval).map(([start, end]) => ({
          organization,
          timeRange: { start, end },
          totalPageStatistics: statsOver(start, end, true),
        }))
      : [
          {
            organization,
            totalPageStatistics: statsOver(this.clock.now() - 30 * DAY_MS, this.clock.now(), false),
            ...Object.fromEntries(
              PAGE_VIEW_BREAKDOWNS.map(({ field, followerField, facet, count }) => [
                field,
                Array.from({ length: count }, (_, index) => ({
                  [facet]: breakdownValue(followerField, index),
                  pageStatistics: {
                    views: {
                      allPageViews: { pageViews: lifetimePageViews(this.data, organizationId, field, index) },
                    },
                  },
                })),
              ]),
            ),
          },
        ];
    return {
      body: { elements, paging: { start: 0, count: elements.length, links: [] } },
      elements: elements.length,
    };
  }

  shareStatisticsResource(query: Map<string, RestliValue>, member: SimMember) {
    rejectUnknown(query, ['q', 'organizationalEntity', 'timeIntervals', 'shares', 'ugcPosts']);
    if (text(query, 'q') !== 'organizationalEntity')
      throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
    const organizationId = this.organizationParam(query, 'organizationalEntity', member);
    const entity = `urn:li:organization:${organizationId}`;
    const interval = this.timeIntervals(query, ['DAY', 'MONTH']);
    const posts = [
      ...((query.get('shares') as string[] | undefined) ?? []),
      ...((query.get('ugcPosts') as string[] | undefined) ?? []),
    ];
    if (posts.length > 0) {
      const elements = posts.map((post) => ({
        organizationalEntity: entity,
        [post.startsWith('urn:li:ugcPost:') ? 'ugcPost' : 'share']: post,
        totalShareStatistics: shareStatistics(this.data, post),
      }));
      return {
        body: { elements, paging: { start: 0, count: elements.length, links: [] } },
        elements: elements.length,
      };
    }
    const elements = interval
      ? this.buckets(interval).map(([start, end]) => ({
          organizationalEntity: entity,
          timeRange: { start, end },
          totalShareStatistics: shareStatistics(this.data, `${organizationId}:${start}:${end}`),
        }))
      : [
          {
            organizationalEntity: entity,
            totalShareStatistics: shareStatistics(this.data, `${organizationId}:lifetime`),
          },
        ];
    return {
      body: { elements, paging: { start: 0, count: elements.length, links: [] } },
      elements: elements.length,
    };
  }

  postsResource(query: Map<string, RestliValue>, member: SimMember) {
    rejectUnknown(query, ['q', 'author', 'start', 'count', 'sortBy']);
    if (text(query, 'q') !== 'author') throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
    const organizationId = this.organizationParam(query, 'author', member);
    const posts = this.data.posts
      .filter((post) => post.organizationId === organizationId)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((post) => ({
        id: post.id,
        author: `urn:li:organization:${organizationId}`,
        commentary: post.commentary,
        visibility: 'PUBLIC',
        lifecycleState: post.lifecycleState,
        createdAt: post.createdAt,
        publishedAt: post.publishedAt,
        lastModifiedAt: post.lastModifiedAt,
        distribution: { feedDistribution: 'MAIN_FEED' },
      }));
    return offsetPage(query, posts, 100);
  }
}
