import { INDUSTRY_NAMES, TITLE_NAMES } from './facet-names';
import { GEO_NAMES } from './pages-data';
import { ApiError, rejectUnknown } from './request-checks';
import type { RestliValue } from './restli-query';

/** A resource's names in one locale: how its entry is shaped, and how its `locale` parameter is written. */
interface NamedResource {
  what: string;
  names: ReadonlyMap<string, string>;
  json: (id: string, name: string) => unknown;
  checkLocale: (locale: RestliValue) => boolean;
}

/** `locale=(language:en,country:US)`: Rest.li 2.0's form of the documented `locale.language=en&locale.country=US`. */
const localeObject = (locale: RestliValue) =>
  typeof locale === 'object' &&
  !Array.isArray(locale) &&
  Object.keys(locale).sort().join() === 'country,language' &&
  typeof locale.language === 'string' &&
  /^[a-z]{2}$/.test(locale.language) &&
  typeof locale.country === 'string' &&
  /^[A-Z]{2}$/.test(locale.country);

/** A name in LinkedIn's MultiLocaleString, as the industries and titles pages show it. */
const multiLocale = (name: string) => ({ localized: { en_US: name } });

/**
 * LinkedIn's standardized-data lookups the add-on reads, each as its reference page documents it,
 * unversioned under /v2 with the Rest.li 2.0 header: GET `{resource}/{id}` and BATCH_GET
 * `{resource}?ids=List(…)` (the pages show Rest.li 1.0's `ids=1&ids=2`; LinkedIn's methods page
 * gives 2.0's `ids=List(…)`), an optional `locale`, the batch answer `{statuses, results, errors}`
 * keyed by id with an unknown id left out of `results`. None names a permission, so any valid
 * token of the app may ask. The simulator knows English names only (a locale it is asked in is
 * checked for its form, not used), for the ids its data sends.
 *
 * - Geo (learn.microsoft.com/en-gb/linkedin/shared/references/v2/standardized-data/locations/geo):
 *   `geo`, each `{defaultLocalizedName: {locale, value}, id}`, `locale=(language:en,country:US)`.
 * - Industry Taxonomy Versions (…/standardized-data/industrytaxonomyversions):
 *   `industryTaxonomyVersions/{version}/industries`, each `{name: {localized: {en_US}}, id, $URN,
 *   parentIndustries, childrenIndustries}`; versions V1_0, V2_5, V2_6, V2_7 and DEFAULT ("points to
 *   the latest version"). The simulator holds one taxonomy and answers it for every listed version.
 * - Titles (…/standardized-data/titles): `titles`, each `{function, name: {localized: {en_US}},
 *   superTitle, id, $URN}`, `locale=en_US`.
 */
export class StandardizedDataApi {
  static readonly TAXONOMY_VERSIONS = ['V1_0', 'V2_5', 'V2_6', 'V2_7', 'DEFAULT'];

  private readonly geo: NamedResource = {
    what: 'geo',
    names: GEO_NAMES,
    json: (id, name) => ({
      defaultLocalizedName: { locale: { country: 'US', language: 'en' }, value: name },
      id: Number(id),
    }),
    checkLocale: localeObject,
  };

  private readonly industries: NamedResource = {
    what: 'industry',
    names: INDUSTRY_NAMES,
    json: (id, name) => ({
      name: multiLocale(name),
      parentIndustries: [],
      childrenIndustries: [],
      id: Number(id),
      $URN: `urn:li:industry:${id}`,
    }),
    checkLocale: localeObject,
  };

  private readonly titles: NamedResource = {
    what: 'title',
    names: TITLE_NAMES,
    // Every simulated title sits in one function and super title: the add-on reads only the name.
    json: (id, name) => ({
      function: 'urn:li:function:8',
      name: multiLocale(name),
      superTitle: 'urn:li:superTitle:1',
      id: Number(id),
      $URN: `urn:li:title:${id}`,
    }),
    checkLocale: (locale) => typeof locale === 'string' && /^[a-z]{2}_[A-Z]{2}$/.test(locale),
  };

  /** The route under /v2/ that `segments` (after `v2`) names, or null when the simulator serves none there. */
  route(segments: string[], query: Map<string, RestliValue>): { body: unknown; elements: number } | null {
    const [resource, ...rest] = segments;
    if (resource === 'geo') return this.lookup(this.geo, rest, query);
    if (resource === 'titles') return this.lookup(this.titles, rest, query);
    if (resource === 'industryTaxonomyVersions') {
      const [version, sub, ...more] = rest;
      if (sub !== 'industries') return null;
      if (!StandardizedDataApi.TAXONOMY_VERSIONS.includes(version))
        throw new ApiError(404, 'NOT_FOUND', `Industry taxonomy version ${version} does not exist`);
      return this.lookup(this.industries, more, query);
    }
    return null;
  }

  private lookup(
    resource: NamedResource,
    rest: string[],
    query: Map<string, RestliValue>,
  ): { body: unknown; elements: number } {
    const { what, names } = resource;
    if (rest.length > 1) throw new ApiError(404, 'NOT_FOUND', `No ${what} resource at ${rest.join('/')}`);
    rejectUnknown(query, rest.length === 1 ? ['locale'] : ['ids', 'locale']);
    const locale = query.get('locale');
    if (locale !== undefined && !resource.checkLocale(locale))
      throw new ApiError(400, 'PARAM_INVALID', `Invalid value for "locale"`, 100);
    if (rest.length === 1) {
      const name = /^\d+$/.test(rest[0]) ? names.get(rest[0]) : undefined;
      if (name === undefined) throw new ApiError(404, 'NOT_FOUND', `${what} ${rest[0]} does not exist`);
      return { body: resource.json(rest[0], name), elements: 1 };
    }
    const ids = query.get('ids');
    if (ids === undefined) throw new ApiError(400, 'PARAM_INVALID', 'Missing required parameter "ids"', 100);
    if (!Array.isArray(ids)) throw new ApiError(400, 'PARAM_INVALID', 'ids must be List(...)', 100);
    if (ids.length === 0)
      throw new ApiError(400, 'PARAM_INVALID', `ids must name at least one ${what} id`, 100);
    for (const id of ids) {
      if (typeof id !== 'string' || !/^\d+$/.test(id))
        throw new ApiError(
          400,
          'PARAM_INVALID',
          `Invalid value "${String(id)}" in "ids": expected a ${what} id`,
          100,
        );
    }
    // LinkedIn's sample answers open with empty statuses; an unknown id is left out of results.
    const results: Record<string, unknown> = {};
    for (const id of ids as string[]) {
      const name = names.get(id);
      if (name !== undefined) results[id] = resource.json(id, name);
    }
    return { body: { statuses: {}, results, errors: {} }, elements: Object.keys(results).length };
  }
}
