import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { SimClock } from '../apps-script/clock';
import { consentPage } from './consent-page';
import type { LinkedInSimulator } from './simulator';

/**
 * Carries the caller's simulated time: the offline world owns the clock (fast-forward moves
 * it), so a simulator in another process takes the time from each request. Read here,
 * never passed on: the simulator itself stays as strict as LinkedIn.
 */
export const SIMULATED_NOW_HEADER = 'x-simulated-now';

export interface SimulatorServer {
  server: Server;
  /** Base URL; `${url}api.linkedin.com/rest/...` (and `/v2/...`) and `${url}www.linkedin.com/oauth/v2/...` reach the two hosts. */
  url: string;
  close(): Promise<void>;
}

export interface SimulatorServerOptions {
  port?: number;
  /** The simulator's clock, moved to the time a request carries in SIMULATED_NOW_HEADER. */
  clock?: SimClock;
  /** Called after every request, e.g. to save what the simulator remembers. */
  afterRequest?: () => void;
}

/** A request's body as text. */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

/**
 * The simulator on loopback, for tools that speak HTTP (a browser, curl, UrlFetchApp in
 * another process). The first path segment names LinkedIn's host, so one port serves
 * both api. and www., the consent page included.
 */
export async function startSimulatorServer(
  linkedin: LinkedInSimulator,
  options: SimulatorServerOptions = {},
): Promise<SimulatorServer> {
  const server = createServer(async (request, response) => {
    const [, host, ...rest] = (request.url ?? '/').split('/');
    const url = `https://${host}/${rest.join('/')}`;
    const body = await readBody(request);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === 'string' && name !== SIMULATED_NOW_HEADER) headers[name] = value;
    const simulatedNow = Number(request.headers[SIMULATED_NOW_HEADER]);
    if (options.clock && simulatedNow > options.clock.now()) options.clock.set(simulatedNow);
    try {
      if (new URL(url).pathname === '/oauth/v2/authorization' && host === 'www.linkedin.com') {
        if (request.method !== 'POST') {
          response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          response.end(consentPage(linkedin.data.members));
          return;
        }
        const form = new URLSearchParams(body);
        try {
          const redirect = linkedin.consent(
            url,
            form.get('member') ?? '',
            form.get('decision') === 'cancel' ? 'cancel' : 'allow',
          );
          response.writeHead(302, { Location: redirect });
          response.end();
        } catch (error) {
          // LinkedIn shows an error page, not a redirect, for a bad client or redirect URI.
          response.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
          response.end(`LinkedIn: ${error instanceof Error ? error.message : String(error)}`);
        }
        return;
      }
      const answer = linkedin.handle({ url, method: request.method ?? 'GET', headers, body });
      if (answer.timedOut) {
        response.destroy();
        return;
      }
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body);
    } finally {
      options.afterRequest?.();
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : options.port}/`;
  return { server, url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
