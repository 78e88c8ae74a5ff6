import { GEO_NAMES } from './pages-data';
import { ApiError, rejectUnknown } from './request-checks';
import type { RestliValue } from './restli-query';

/**
 * LinkedIn's Geo API as its reference page documents it
 * (learn.microsoft.com/en-gb/linkedin/shared/references/v2/standardized-data/locations/geo):
 * unversioned under /v2, GET `geo/{id}` and BATCH_GET `geo?ids=List(12345,23456)` with an
 * optional `locale=(language:en,country:US)`, each geo as `{defaultLocalizedName: {locale, value}, id}`;
 * the batch answer is `{statuses, results, errors}` keyed by id, an unknown id left out of
 * `results`. The simulator knows English names only (a locale it is asked in is not checked
 * against them), for the geo ids its Pages data uses.
 */
export class StandardizedDataApi {
  /**
   * A test's choice: LinkedIn refuses this app the Geo API (it names no permission, so any app
   * may meet it), with 403, or with 401 as if the unversioned API did not take the token.
   */
  geoRefused: 401 | 403 | null = null;

  private geoJson(id: string) {
    return {
      defaultLocalizedName: { locale: { country: 'US', language: 'en' }, value: GEO_NAMES.get(id)! },
      id: Number(id),
    };
  }

  private checkLocale(query: Map<string, RestliValue>): void {
    const locale = query.get('locale');
    if (locale === undefined) return;
    const valid =
      typeof locale === 'object' &&
      !Array.isArray(locale) &&
      Object.keys(locale).sort().join() === 'country,language' &&
      typeof locale.language === 'string' &&
      /^[a-z]{2}$/.test(locale.language) &&
      typeof locale.country === 'string' &&
      /^[A-Z]{2}$/.test(locale.country);
    if (!valid) throw new ApiError(400, 'PARAM_INVALID', 'locale must be (language:xx,country:XX)', 100);
  }

  geo(rest: string[], query: Map<string, RestliValue>) {
    if (this.geoRefused === 401)
      throw new ApiError(401, 'INVALID_ACCESS_TOKEN', 'Invalid access token', 65600);
    if (this.geoRefused === 403)
      throw new ApiError(
        403,
        'ACCESS_DENIED',
        'Not enough permissions to access: geo.BATCH_GET.NO_VERSION',
        100,
      );
    if (rest.length > 1) throw new ApiError(404, 'NOT_FOUND', `No resource at geo/${rest.join('/')}`);
    if (rest.length === 1) {
      rejectUnknown(query, ['locale']);
      this.checkLocale(query);
      if (!/^\d+$/.test(rest[0]) || !GEO_NAMES.has(rest[0]))
        throw new ApiError(404, 'NOT_FOUND', `Geo ${rest[0]} does not exist`);
      return { body: this.geoJson(rest[0]), elements: 1 };
    }
    rejectUnknown(query, ['ids', 'locale']);
    this.checkLocale(query);
    const ids = query.get('ids');
    if (ids === undefined) throw new ApiError(400, 'PARAM_INVALID', 'Missing required parameter "ids"', 100);
    if (!Array.isArray(ids)) throw new ApiError(400, 'PARAM_INVALID', 'ids must be List(...)', 100);
    if (ids.length === 0) throw new ApiError(400, 'PARAM_INVALID', 'ids must name at least one geo id', 100);
    for (const id of ids) {
      if (typeof id !== 'string' || !/^\d+$/.test(id))
        throw new ApiError(
          400,
          'PARAM_INVALID',
          `Invalid value "${String(id)}" in "ids": expected a geo id`,
          100,
        );
    }
    // LinkedIn's sample answer opens with empty statuses; an unknown id is left out of results.
    const results: Record<string, unknown> = {};
    for (const id of ids as string[]) if (GEO_NAMES.has(id)) results[id] = this.geoJson(id);
    return { body: { statuses: {}, results, errors: {} }, elements: Object.keys(results).length };
  }
}
