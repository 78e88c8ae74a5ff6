import { encode, encodeQuery, type RestliValue } from '../../src/server/linkedin/restli';
import { parseRestliValue } from '../../sandbox/linkedin/restli-query';

describe('Rest.li 2.0 encoding', () => {
  it('encodes nested objects, lists of URNs and dates as LinkedIn documents', () => {
    expect(encode({ start: { year: 2025, month: 1, day: 1 }, end: { year: 2025, month: 1, day: 31 } })).toBe(
      '(start:(year:2025,month:1,day:1),end:(year:2025,month:1,day:31))',
    );
    expect(encode(['urn:li:sponsoredAccount:123', 'urn:li:sponsoredAccount:456'])).toBe(
      'List(urn%3Ali%3AsponsoredAccount%3A123,urn%3Ali%3AsponsoredAccount%3A456)',
    );
    expect(encode({ status: { values: ['ACTIVE', 'PAUSED'] }, test: false })).toBe(
      '(status:(values:List(ACTIVE,PAUSED)),test:false)',
    );
  });

  it("percent-encodes reserved characters , ( ) ' : inside values, and writes '' for empty", () => {
    expect(encode("a,b(c)d'e:f")).toBe('a%2Cb%28c%29d%27e%3Af');
    expect(encode('')).toBe("''");
    expect(encode([])).toBe('List()');
    expect(encode({})).toBe('()');
    expect(encode('Zürich café ✓')).toBe('Z%C3%BCrich%20caf%C3%A9%20%E2%9C%93');
  });

  it('builds queries with a plain fields list', () => {
    expect(
      encodeQuery({
        q: 'analytics',
        accounts: ['urn:li:sponsoredAccount:1'],
        fields: ['dateRange', 'impressions'],
        skipped: undefined,
      }),
    ).toBe('q=analytics&accounts=List(urn%3Ali%3AsponsoredAccount%3A1)&fields=dateRange,impressions');
  });
});

/** Values as they come back from the wire: every leaf a string. */
function generateCorpus(count: number): RestliValue[] {
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const alphabet = [
    'a',
    'Z',
    '0',
    ',',
    '(',
    ')',
    "'",
    ':',
    ' ',
    '%',
    '&',
    '=',
    'é',
    '✓',
    'List(',
    'urn:li:x:1',
    '-',
    '_',
    '~',
    '.',
    '/',
    '?',
    '#',
    '+',
  ];
  const leaf = () =>
    Array.from({ length: Math.floor(next() * 6) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(
      '',
    );
  const value = (depth: number): RestliValue => {
    const kind = depth > 3 ? 0 : Math.floor(next() * 3);
    if (kind === 0) return leaf();
    if (kind === 1) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    const record: Record<string, RestliValue> = {};
    for (let i = Math.floor(next() * 4); i > 0; i--) record[leaf() || 'k'] = value(depth + 1);
    return record;
  };
  return Array.from({ length: count }, () => value(0));
}

describe('Rest.li round trip on a generated corpus', () => {
  const corpus = generateCorpus(2000);

  it("is read the same by the simulator's independent strict parser", () => {
    for (const value of corpus) expect(parseRestliValue(encode(value))).toEqual(value);
  });
});
