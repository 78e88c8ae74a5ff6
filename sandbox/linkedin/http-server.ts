import { createServer, type Server } from 'node:http';
import type { LinkedInSimulator } from './simulator';

export interface SimulatorServer {
  server: Server;
  /** Base URL; `${url}api.linkedin.com/rest/...` and `${url}www.linkedin.com/oauth/v2/...` reach the two hosts. */
  url: string;
  close(): Promise<void>;
}

/**
 * The simulator on loopback, for tools that speak HTTP (a browser, curl). The first
 * path segment names LinkedIn's host, so one port serves both api. and www.
 */
export async function startSimulatorServer(linkedin: LinkedInSimulator, port = 0): Promise<SimulatorServer> {
  const server = createServer((request, response) => {
    const [, host, ...rest] = (request.url ?? '/').split('/');
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers))
        if (typeof value === 'string') headers[name] = value;
      const answer = linkedin.handle({
        url: `https://${host}/${rest.join('/')}`,
        method: request.method ?? 'GET',
        headers,
        body,
      });
      if (answer.timedOut) {
        response.destroy();
        return;
      }
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/`;
  return { server, url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
