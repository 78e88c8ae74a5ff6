/**
 * The simulator's own strict reader of Rest.li 2.0 query strings, written apart from
 * the add-on's encoder so that each checks the other. Structural characters `( ) , :`
 * are literal; anything else reserved must arrive percent-encoded inside values.
 */
export type RestliValue = string | RestliValue[] | { [key: string]: RestliValue };

export class RestliSyntaxError extends Error {}

/** Characters that may stand unencoded in a Rest.li 2.0 value (RFC 3986 unreserved, plus `%` escapes). */
const LEAF_CHARACTER = /[A-Za-z0-9\-._~%]/;

class Reader {
  private position = 0;
  constructor(private readonly text: string) {}

  parseTop(): RestliValue {
    const value = this.parseValue();
    if (this.position !== this.text.length) this.fail(`unexpected "${this.text[this.position]}"`);
    return value;
  }

  private fail(problem: string): never {
    throw new RestliSyntaxError(
      `Invalid Rest.li value at position ${this.position} of "${this.text}": ${problem}`,
    );
  }

  private peek(literal: string): boolean {
    return this.text.startsWith(literal, this.position);
  }

  private expect(literal: string): void {
    if (!this.peek(literal)) this.fail(`expected "${literal}"`);
    this.position += literal.length;
  }

  private parseValue(): RestliValue {
    if (this.peek('List(')) {
      this.position += 5;
      const items: RestliValue[] = [];
      if (this.peek(')')) {
        this.position++;
        return items;
      }
      for (;;) {
        items.push(this.parseValue());
        if (this.peek(',')) this.position++;
        else break;
      }
      this.expect(')');
      return items;
    }
    if (this.peek('(')) {
      this.position++;
      const record: { [key: string]: RestliValue } = {};
      if (this.peek(')')) {
        this.position++;
        return record;
      }
      for (;;) {
        const key = this.parseLeaf();
        if (key === '') this.fail('empty key');
        this.expect(':');
        if (key in record) this.fail(`duplicate key "${key}"`);
        record[key] = this.parseValue();
        if (this.peek(',')) this.position++;
        else break;
      }
      this.expect(')');
      return record;
    }
    if (this.peek("''")) {
      this.position += 2;
      return '';
    }
    const leaf = this.parseLeaf();
    if (leaf === '') this.fail("empty value: write an empty string as ''");
    return leaf;
  }

  private parseLeaf(): string {
    const start = this.position;
    while (this.position < this.text.length && LEAF_CHARACTER.test(this.text[this.position])) this.position++;
    const raw = this.text.slice(start, this.position);
    try {
      return decodeURIComponent(raw);
    } catch {
      return this.fail(`bad percent-encoding in "${raw}"`);
    }
  }
}

export function parseRestliValue(raw: string): RestliValue {
  return new Reader(raw).parseTop();
}

/** Splits a raw query string into its parameters, each value read as Rest.li 2.0. */
export function parseRestliQuery(query: string): Map<string, RestliValue> {
  const parameters = new Map<string, RestliValue>();
  if (!query) return parameters;
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals < 1) throw new RestliSyntaxError(`Invalid query parameter "${pair}"`);
    const key = decodeURIComponent(pair.slice(0, equals));
    if (parameters.has(key))
      throw new RestliSyntaxError(`Duplicate query parameter "${key}": Rest.li 2.0 sends lists as List(...)`);
    // `fields` is a plain comma list, not a Rest.li value.
    parameters.set(
      key,
      key === 'fields'
        ? decodeURIComponent(pair.slice(equals + 1))
        : parseRestliValue(pair.slice(equals + 1)),
    );
  }
  return parameters;
}
