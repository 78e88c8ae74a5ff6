import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import type { WorldState } from '../apps-script/world';
import { createOfflineWorld, type OfflineWorld } from '../offline-world';
import { DEFAULT_APP } from '../linkedin/simulator';
import { liveRouter } from '../live-router';
import { GOOGLE_SCRIPT_SHIM, PREVIEW_PAGE, consentPage } from './pages';

export const PREVIEW_USER = 'you@example.com';

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface PreviewOptions {
  projectDir: string;
  /** Where the world is saved between restarts; none keeps it in memory only. */
  stateFile?: string;
  port?: number;
  /** Simulator settings, e.g. account names for tests. */
  simulator?: Parameters<typeof createOfflineWorld>[0];
  /** Call the real LinkedIn API (or, in tests, `rewrite` it to a server on loopback) with this token. */
  live?: { accessToken: string; clientId?: string; clientSecret?: string; rewrite?: (url: string) => string };
}

export interface Preview {
  server: Server;
  url: string;
  offline: OfflineWorld;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  response.end(body);
}

const json = (response: ServerResponse, value: unknown, status = 200) =>
  send(response, status, 'application/json', JSON.stringify(value));

/** The emulated spreadsheet as the grid shows it: each tab's first rows, as displayed text. */
function sheetView(offline: OfflineWorld) {
  return offline.world.execute(PREVIEW_USER, (scope: Scope) =>
    scope.SpreadsheetApp.getActive()
      .getSheets()
      .map(
        (sheet: {
          getName(): string;
          getLastRow(): number;
          getLastColumn(): number;
          getRange(...args: number[]): { getDisplayValues(): string[][] };
        }) => ({
          name: sheet.getName(),
          rows: sheet.getLastRow(),
          values:
            sheet.getLastRow() > 0
              ? sheet
                  .getRange(1, 1, Math.min(sheet.getLastRow(), 200), sheet.getLastColumn())
                  .getDisplayValues()
              : [],
        }),
      ),
  );
}

/**
 * The add-on offline: the built sidebar beside a live view of the emulated spreadsheet,
 * its server functions run in the Apps Script emulation, LinkedIn answered by the
 * simulator (its consent page included). Nothing leaves this machine.
 */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const offline = createOfflineWorld({ ...options.simulator, projectDir: options.projectDir });
  const { world, linkedin } = offline;
  if (options.stateFile && existsSync(options.stateFile))
    world.loadState(JSON.parse(readFileSync(options.stateFile, 'utf8')) as WorldState);
  if (options.live) {
    world.router = liveRouter(options.live.rewrite);
    if (options.live.clientId && options.live.clientSecret) {
      world.callFromSidebar(
        PREVIEW_USER,
        'saveLinkedInApp',
        options.live.clientId,
        options.live.clientSecret,
      );
    }
    world.callFromSidebar(PREVIEW_USER, 'pasteLinkedInAccessToken', options.live.accessToken);
  } else {
    // The publisher's app, so a newcomer can sign in without a LinkedIn app of their own.
    world.scriptProperties.entries.set(
      'linkedin.app',
      JSON.stringify({ clientId: DEFAULT_APP.clientId, clientSecret: DEFAULT_APP.clientSecret }),
    );
  }
  const save = () => {
    if (!options.stateFile) return;
    mkdirSync(dirname(options.stateFile), { recursive: true });
    writeFileSync(options.stateFile, JSON.stringify(world.saveState()));
  };

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://preview');
    try {
      if (request.method === 'GET' && url.pathname === '/')
        return send(response, 200, 'text/html; charset=utf-8', PREVIEW_PAGE);
      if (request.method === 'GET' && url.pathname === '/sidebar') {
        const sidebar = readFileSync(join(options.projectDir, 'Sidebar.html'), 'utf8');
        return send(
          response,
          200,
          'text/html; charset=utf-8',
          sidebar.replace('<head>', `<head><script>${GOOGLE_SCRIPT_SHIM}</script>`),
        );
      }
      if (request.method === 'POST' && url.pathname.startsWith('/api/run/')) {
        const name = decodeURIComponent(url.pathname.slice('/api/run/'.length));
        const args = JSON.parse((await readBody(request)) || '[]') as unknown[];
        try {
          const value = world.callFromSidebar(PREVIEW_USER, name, ...args);
          save();
          return json(response, { ok: true, value: value ?? null });
        } catch (error) {
          save();
          return json(response, { ok: false, error: error instanceof Error ? error.message : String(error) });
        }
      }
      if (request.method === 'GET' && url.pathname === '/api/world') {
        return json(response, {
          now: world.clock.now(),
          sheets: sheetView(offline),
          triggers: world.triggers.map((trigger) => ({
            handler: trigger.handler,
            user: trigger.user,
            nextRunAt: trigger.nextRunAt,
            schedule: trigger.schedule,
          })),
          outbox: world.outbox.map((mail) => ({ to: mail.to, subject: mail.subject, at: mail.at })),
          requests: linkedin.calls.length,
        });
      }
      if (request.method === 'POST' && url.pathname === '/api/advance') {
        const { hours } = JSON.parse((await readBody(request)) || '{}') as { hours?: number };
        const runs = world.advanceTimeTo(world.clock.now() + Math.max(0, Number(hours) || 0) * 3_600_000);
        save();
        return json(response, { runs });
      }
      // LinkedIn's consent page, served by the simulator's rules.
      if (url.pathname === '/linkedin/oauth/v2/authorization') {
        const authorizationUrl = `https://www.linkedin.com/oauth/v2/authorization${url.search}`;
        if (request.method === 'GET')
          return send(
            response,
            200,
            'text/html; charset=utf-8',
            consentPage(url.search, linkedin.data.members),
          );
        const form = new URLSearchParams(await readBody(request));
        let redirect: string;
        try {
          redirect = linkedin.consent(
            authorizationUrl,
            form.get('member') ?? '',
            form.get('decision') === 'cancel' ? 'cancel' : 'allow',
          );
        } catch (error) {
          return send(
            response,
            400,
            'text/plain; charset=utf-8',
            `LinkedIn: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        const page = world.handleUserCallback(redirect);
        save();
        return send(response, page.status, 'text/html; charset=utf-8', page.html);
      }
      send(response, 404, 'text/plain', 'Not found');
    } catch (error) {
      send(
        response,
        500,
        'text/plain',
        error instanceof Error ? (error.stack ?? error.message) : String(error),
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    server,
    url: `http://127.0.0.1:${port}/`,
    offline,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
