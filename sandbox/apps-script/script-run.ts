/**
 * What crosses google.script.run between the sidebar and the server, as Apps Script carries it.
 *
 * Parameters (documented, developers.google.com/apps-script/guides/html/communication):
 * primitives, null, and objects and arrays of them are legal; a Date, a function or another
 * prohibited type anywhere in them makes the request fail; circular references fail;
 * undefined fields within arrays become null; the server gets a copy.
 *
 * Return values (not documented; reported by practitioners, e.g. tanaikech's 2023 report on
 * values transferred with google.script.run): a result holding a Date anywhere reaches the
 * success handler as null altogether; NaN and ±Infinity arrive as null; undefined object
 * fields are dropped and undefined array items become null. Functions are dropped as JSON
 * drops them (our assumption, not observed).
 */

const isDate = (value: unknown) => Object.prototype.toString.call(value) === '[object Date]';

/** What in a value may not cross google.script.run: 'a Date', 'a Function', 'a circular reference'… */
function prohibited(value: unknown, found = new Set<string>(), path = new Set<object>()): Set<string> {
  if (typeof value === 'function') found.add('a Function');
  else if (typeof value === 'symbol' || typeof value === 'bigint') found.add(`a ${typeof value}`);
  else if (isDate(value)) found.add('a Date');
  else if (value !== null && typeof value === 'object') {
    if (path.has(value)) found.add('a circular reference');
    else {
      path.add(value);
      for (const item of Object.values(value)) prohibited(item, found, path);
      path.delete(value);
    }
  }
  return found;
}

/** A plain copy: NaN and ±Infinity become null, undefined array items null, undefined fields and functions dropped. */
function plainCopy(value: unknown): unknown {
  if (value === undefined || typeof value === 'function') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => plainCopy(item) ?? null);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const copied = plainCopy(item);
    if (copied !== undefined) copy[key] = copied;
  }
  return copy;
}

/** A parameter as the server receives it; throws as the failed request does. */
export function toServer(value: unknown): unknown {
  const [reason] = prohibited(value);
  if (reason) throw new Error(`google.script.run cannot pass ${reason} to the server.`);
  return plainCopy(value);
}

/** A server function's result as the sidebar's success handler receives it. */
export function toClient(value: unknown): unknown {
  const found = prohibited(value);
  if (found.has('a circular reference')) throw new Error('google.script.run cannot return a circular value.');
  return found.has('a Date') ? null : plainCopy(value);
}
