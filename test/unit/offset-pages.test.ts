import { LinkedInClient } from '../../src/server/linkedin/client';
import type { HttpRequest } from '../../src/server/platform';

/**
 * Offset streams of 250 elements, paged by 100: `known` tells its total, `unknown` does not,
 * `minus` says -1 (as LinkedIn's conversions finder does), `capped` says -1 and gives at most
 * 40 a page whatever is asked. Elements are `stream:index`; a `side` request answers its own URL.
 */
function offsetWorld() {
  const rounds: string[][] = [];
  const answer = (request: HttpRequest) => {
    const url = new URL(request.url);
    const path = url.pathname.replace('/rest/', '');
    if (path === 'side') return { elements: [url.searchParams.get('n')] };
    const start = Number(url.searchParams.get('start'));
    const count =
      path === 'capped'
        ? Math.min(40, Number(url.searchParams.get('count')))
        : Number(url.searchParams.get('count'));
    const end = Math.min(250, start + count);
    const elements = Array.from(
      { length: Math.max(0, end - start) },
      (_, index) => `${path}:${start + index}`,
    );
    const total = { known: 250, minus: -1, capped: -1 }[path];
    return { elements, paging: total === undefined ? { start, count } : { start, count, total } };
  };
  const http = {
    fetchAll(requests: HttpRequest[]) {
      rounds.push(
        requests.map((request) => {
          const url = new URL(request.url);
          return `${url.pathname.replace('/rest/', '')}@${url.searchParams.get('start') ?? url.searchParams.get('n')}`;
        }),
      );
      return requests.map((request) => ({ status: 200, headers: {}, body: JSON.stringify(answer(request)) }));
    },
  };
  const clock = { now: () => 0, sleep: () => undefined };
  const client = new LinkedInClient(http, clock, () => 'token', { deadline: Number.MAX_SAFE_INTEGER });
  return { client, rounds };
}

describe('offset paging', () => {
  it('fetches every remaining page of a stream with a total in one round, and pages without one in turn', () => {
    const { client, rounds } = offsetWorld();
    const pages = client.collectOffsetPages<string>([{ path: 'known' }, { path: 'unknown' }], 100);
    expect(pages.map((list) => [list.length, list[0], list[249]])).toEqual([
      [250, 'known:0', 'known:249'],
      [250, 'unknown:0', 'unknown:249'],
    ]);
    expect(rounds).toEqual([
      ['known@0', 'unknown@0'],
      ['known@100', 'known@200', 'unknown@100'],
      ['unknown@200'],
      ['unknown@250'],
    ]);
  });

  it('takes a total of -1 for an unknown one, and pages on until a page comes back empty, however few a page holds', () => {
    const { client, rounds } = offsetWorld();
    const [minus, capped] = client.collectOffsetPages<string>([{ path: 'minus' }, { path: 'capped' }], 100);
    expect([minus.length, minus[0], minus[249]]).toEqual([250, 'minus:0', 'minus:249']);
    expect([capped.length, new Set(capped).size, capped[249]]).toEqual([250, 250, 'capped:249']);
    expect(rounds.flat().filter((request) => request.startsWith('minus'))).toEqual([
      'minus@0',
      'minus@100',
      'minus@200',
      'minus@250',
    ]);
    expect(rounds.flat().filter((request) => request.startsWith('capped'))).toEqual(
      [0, 40, 80, 120, 160, 200, 240, 250].map((start) => `capped@${start}`),
    );
  });

  it('sends the calls that follow the listed elements with the next round, and once more after the last', () => {
    const { client, rounds } = offsetWorld();
    const seen: Array<[number[], boolean[]]> = [];
    let asked = 0;
    let listedBefore = -1;
    const { followed } = client.collectOffsetPagesWith<string, { elements: string[] }>(
      [{ path: 'known' }, { path: 'unknown' }],
      (listed, complete) => {
        seen.push([listed.map((list) => list.length), complete]);
        // A call for what was listed since the last one (and one before anything is listed).
        const total = listed[0].length + listed[1].length;
        if (total === listedBefore) return [];
        listedBefore = total;
        return [{ path: 'side', query: { n: ++asked } }];
      },
      100,
    );
    expect(seen).toEqual([
      [
        [0, 0],
        [false, false],
      ],
      [
        [100, 100],
        [false, false],
      ],
      [
        [250, 200],
        [true, false],
      ],
      [
        [250, 250],
        [true, false],
      ],
      [
        [250, 250],
        [true, true],
      ],
    ]);
    // The stream without a total ends at its first empty page.
    expect(rounds).toEqual([
      ['known@0', 'unknown@0', 'side@1'],
      ['known@100', 'known@200', 'unknown@100', 'side@2'],
      ['unknown@200', 'side@3'],
      ['unknown@250', 'side@4'],
    ]);
    expect(followed.map((answer) => answer.elements[0])).toEqual(['1', '2', '3', '4']);
  });
});
