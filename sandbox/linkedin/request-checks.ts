import type { SimResponse } from '../apps-script/http';
import type { RestliValue } from './restli-query';

// How the simulator checks a request's parameters and pages its answers, as strictly as
// LinkedIn: a missing, malformed or unknown parameter is a 400 with LinkedIn's wording.

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** LinkedIn leaves it out of some answers, such as the 426 for a version it does not serve. */
    readonly serviceErrorCode: number | null = 0,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function text(query: Map<string, RestliValue>, name: string, required = true): string | undefined {
  const value = query.get(name);
  if (value === undefined) {
    if (required) throw new ApiError(400, 'PARAM_INVALID', `Missing required parameter "${name}"`, 100);
    return undefined;
  }
  if (typeof value !== 'string')
    throw new ApiError(400, 'PARAM_INVALID', `Parameter "${name}" must be a plain value`, 100);
  return value;
}

/** An enum parameter, bare (`pivot=CAMPAIGN`) or in the form LinkedIn's Postman collection uses (`pivot=(value:CAMPAIGN)`). */
export function enumValue(query: Map<string, RestliValue>, name: string): string {
  const value = query.get(name);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    if (Object.keys(value).join() !== 'value' || typeof value.value !== 'string')
      throw new ApiError(400, 'PARAM_INVALID', `Parameter "${name}" must be X or (value:X)`, 100);
    return value.value;
  }
  return text(query, name)!;
}

export function urnList(query: Map<string, RestliValue>, name: string, prefix: string): number[] | undefined {
  const value = query.get(name);
  if (value === undefined) return undefined;
  if (!Array.isArray(value))
    throw new ApiError(400, 'PARAM_INVALID', `Parameter "${name}" must be a List(...)`, 100);
  return value.map((item) => {
    if (typeof item !== 'string' || !item.startsWith(prefix) || !/^\d+$/.test(item.slice(prefix.length))) {
      throw new ApiError(
        400,
        'PARAM_INVALID',
        `Invalid value "${String(item)}" in "${name}": expected ${prefix}<id>`,
        100,
      );
    }
    return Number(item.slice(prefix.length));
  });
}

function integer(
  value: RestliValue | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ApiError(
      400,
      'PARAM_INVALID',
      `Parameter "${name}" must be a whole number from ${min} to ${max}`,
      100,
    );
  }
  return Number(value);
}

export function rejectUnknown(query: Map<string, RestliValue>, allowed: string[]): void {
  for (const key of query.keys()) {
    if (!allowed.includes(key))
      throw new ApiError(400, 'PARAM_INVALID', `Unknown query parameter "${key}"`, 100);
  }
}

/** start/count paging; a finder that does not tell its total says -1, as LinkedIn's conversions example does. */
export function offsetPage<T>(
  query: Map<string, RestliValue>,
  items: T[],
  maxCount: number,
  tellsTotal = true,
) {
  const start = integer(query.get('start'), 'start', 0, 1_000_000, 0);
  const count = integer(query.get('count'), 'count', 1, maxCount, Math.min(10, maxCount));
  const elements = items.slice(start, start + count);
  return {
    body: { elements, paging: { start, count, total: tellsTotal ? items.length : -1, links: [] } },
    elements: elements.length,
  };
}

/** pageToken paging: the token is opaque to clients; here it encodes the next offset. */
export function cursorPage<T>(query: Map<string, RestliValue>, items: T[], maxPageSize: number) {
  const pageSize = integer(query.get('pageSize'), 'pageSize', 1, maxPageSize, Math.min(100, maxPageSize));
  const token = query.get('pageToken');
  let offset = 0;
  if (token !== undefined) {
    const decoded =
      typeof token === 'string' ? /^cursor-(\d+)$/.exec(Buffer.from(token, 'base64url').toString()) : null;
    if (!decoded) throw new ApiError(400, 'PARAM_INVALID', 'Invalid pageToken', 100);
    offset = Number(decoded[1]);
  }
  const elements = items.slice(offset, offset + pageSize);
  const next =
    offset + pageSize < items.length
      ? Buffer.from(`cursor-${offset + pageSize}`).toString('base64url')
      : undefined;
  return { body: { elements, metadata: next ? { nextPageToken: next } : {} }, elements: elements.length };
}
