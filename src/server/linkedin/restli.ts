/**
 * Rest.li 2.0 URL form. Structure stays literal — `List(a,b)`, `(key:value)` — and
 * every reserved character inside a value is percent-encoded, so a URN inside a list
 * is `List(urn%3Ali%3AsponsoredAccount%3A123)`. The empty string is `''`.
 */
export type RestliValue = string | number | boolean | RestliValue[] | { [key: string]: RestliValue };

/** encodeURIComponent leaves `'`, `(`, `)`, `!` and `*` alone; in Rest.li they are syntax or unsafe. */
function encodeLeaf(text: string): string {
  if (text === '') return "''";
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function encode(value: RestliValue): string {
  if (Array.isArray(value)) return `List(${value.map(encode).join(',')})`;
  if (typeof value === 'object' && value !== null) {
    return `(${Object.entries(value)
      .map(([key, item]) => `${encodeLeaf(key)}:${encode(item)}`)
      .join(',')})`;
  }
  return encodeLeaf(String(value));
}

/** A query string whose values are Rest.li; `fields` is LinkedIn's plain comma list of projections. */
export function encodeQuery(parameters: Record<string, RestliValue | undefined>): string {
  return Object.entries(parameters)
    .filter((entry): entry is [string, RestliValue] => entry[1] !== undefined)
    .map(([key, value]) =>
      key === 'fields' && Array.isArray(value)
        ? `fields=${value.map((field) => encodeLeaf(String(field))).join(',')}`
        : `${encodeURIComponent(key)}=${encode(value)}`,
    )
    .join('&');
}
