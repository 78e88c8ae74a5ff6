/**
 * What the sidebar tells the user: sentences in the catalog's words. Apps Script hands the
 * failure handler an Error whose message may start with the server error's class name
 * ("SetupError: …", "Error: …", "Exception: …"), and the server may still name an API
 * field or pivot by its id; both are turned into the words the builder shows.
 */

/** The builder's fields a message can be about; `form` is the save button's own line. */
export type BuilderField =
  | 'name'
  | 'stream'
  | 'accounts'
  | 'pivot'
  | 'granularity'
  | 'dates'
  | 'fields'
  | 'sheet'
  | 'spreadsheet'
  | 'hour'
  | 'weekDay'
  | 'form';

/** API ids (camelCase metrics, MEMBER_* pivots) and their labels; plain words are never replaced. */
export type Labels = ReadonlyMap<string, string>;

export function labelsOf(catalog: {
  streams: Array<{ fields: Array<{ key: string; label: string }> }>;
  pivots: Array<{ id: string; label: string }>;
}): Labels {
  const labels = new Map<string, string>();
  for (const { key, label } of catalog.streams.flatMap((stream) => stream.fields))
    if (/[A-Z_.]/.test(key)) labels.set(key, label);
  for (const { id, label } of catalog.pivots) labels.set(id, label);
  return labels;
}

const CLASS_PREFIX = /^(?:\s*[A-Za-z]*(?:Error|Exception):\s*)+/;

/** The message of a failure, without class-name prefixes and with API ids replaced by labels. */
export function userMessage(error: unknown, labels: Labels = new Map()): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(CLASS_PREFIX, '');
  return text.replace(/\b[A-Za-z][A-Za-z0-9_.]*\b/g, (word) => {
    const label = labels.get(word);
    return label ? `“${label}”` : word;
  });
}

/** Sentences of a message; quoted names (“Q3. Leads”) are never cut. */
function sentences(message: string): string[] {
  // A dot with no space after it (example.com, v1.2) ends no sentence.
  return (message.match(/(?:“[^”]*”|[^.“]|\.(?=\S))+(?:\.|$)/g) ?? [])
    .map((part) => part.trim())
    .filter(Boolean);
}

const FIELD_WORDS: Array<[BuilderField, RegExp]> = [
  ['hour', /\bhour\b/i],
  ['spreadsheet', /\blink\b|spreadsheet the report writes to|only view the spreadsheet/i],
  ['weekDay', /day of the week/i],
  ['sheet', /\btabs?\b/i],
  ['name', /report a name/i],
  ['fields', /\bmetrics?\b|\bfields?\b|does not offer/i],
  // Before accounts: a period's refusal names its stream, and "page views" is not about pages.
  ['granularity', /\brows per\b/i],
  ['accounts', /ad accounts?\b|\bpages?\b/i],
  ['pivot', /\bpivot|break the numbers/i],
  ['dates', /\bdates?\b|\brange\b|lookback/i],
  ['stream', /what to import|Ads or Pages/i],
];

/** A sentence that speaks of the one before it (“Remove it or …”). */
const CONTINUATION = /^(?:it|they|this|remove (?:it|them))\b/i;

/**
 * A refusal split by the builder field each sentence is about, so each shows beside its
 * field; a sentence that goes on about the one before it stays with it.
 */
export function problemsByField(message: string): Partial<Record<BuilderField, string>> {
  const byField: Partial<Record<BuilderField, string>> = {};
  let previous: BuilderField = 'form';
  for (const sentence of sentences(message)) {
    const field: BuilderField = CONTINUATION.test(sentence)
      ? previous
      : // A quoted name (a report called “Ads tab”) says nothing of the field.
        (FIELD_WORDS.find(([, words]) => words.test(sentence.replace(/“[^”]*”/g, '“”')))?.[0] ?? 'form');
    byField[field] = byField[field] ? `${byField[field]} ${sentence}` : sentence;
    previous = field;
  }
  return byField;
}

export const plural = (count: number, noun: string) =>
  `${count.toLocaleString()} ${noun}${count === 1 ? '' : 's'}`;
