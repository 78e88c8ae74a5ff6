import { execFileSync } from 'node:child_process';
import type { Router } from './apps-script/http';

/**
 * The child that performs one request: UrlFetchApp is synchronous, Node's fetch is not,
 * so the request runs in a short-lived Node process and the caller waits for it.
 */
const FETCH_ONCE = `
let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', async () => {
  const request = JSON.parse(input);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.method === 'GET' ? undefined : request.body,
      signal: AbortSignal.timeout(60000),
    });
    const body = await response.text();
    process.stdout.write(JSON.stringify({ status: response.status, headers: Object.fromEntries(response.headers), body }));
  } catch (error) {
    const timedOut = error.name === 'TimeoutError' || error.name === 'AbortError';
    process.stdout.write(JSON.stringify({ status: 0, headers: {}, body: String(error), timedOut, unreachable: !timedOut }));
  }
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
  return (request) => {
    const started = Date.now();
    const output = execFileSync(process.execPath, ['-e', FETCH_ONCE], {
      input: JSON.stringify({
        ...request,
        url: rewrite(request.url),
        headers: { ...request.headers, ...extraHeaders() },
      }),
      maxBuffer: 64 * 1024 * 1024,
    });
    return { ...JSON.parse(output.toString('utf8')), latencyMs: Date.now() - started };
  };
}
