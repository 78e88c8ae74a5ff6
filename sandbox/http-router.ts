import { execFileSync } from 'node:child_process';
import type { Router, SimResponse } from './apps-script/http';

/**
 * The child that performs one fetchAll: UrlFetchApp is synchronous, Node's fetch is not, so
 * the requests run together in a short-lived Node process and the caller waits for it.
 * Each answer carries how long its request took.
 */
const FETCH_ALL = `
let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', async () => {
  const answers = await Promise.all(JSON.parse(input).map(async (request) => {
    const started = Date.now();
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.method === 'GET' ? undefined : request.body,
        signal: AbortSignal.timeout(60000),
      });
      const body = await response.text();
      return { status: response.status, headers: Object.fromEntries(response.headers), body, latencyMs: Date.now() - started };
    } catch (error) {
      const timedOut = error.name === 'TimeoutError' || error.name === 'AbortError';
      return { status: 0, headers: {}, body: String(error), timedOut, unreachable: !timedOut };
    }
  }));
  process.stdout.write(JSON.stringify(answers));
});`;

/**
 * UrlFetchApp over real HTTP, synchronously: how the preview reaches the simulator in its
 * own process, or the real LinkedIn API with a user's token. `rewrite` redirects URLs (to
 * the simulator on loopback); `extraHeaders` adds headers to every request.
 */
export function httpRouter(
  rewrite: (url: string) => string = (url) => url,
  extraHeaders: () => Record<string, string> = () => ({}),
): Router {
  return (requests) => {
    const output = execFileSync(process.execPath, ['-e', FETCH_ALL], {
      input: JSON.stringify(
        requests.map((request) => ({
          ...request,
          url: rewrite(request.url),
          headers: { ...request.headers, ...extraHeaders() },
        })),
      ),
      maxBuffer: 256 * 1024 * 1024,
    });
    return JSON.parse(output.toString('utf8')) as SimResponse[];
  };
}
