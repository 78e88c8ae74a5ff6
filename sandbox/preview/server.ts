import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { flushBundleCounters } from '../../scripts/coverage-counters';
import { SimClock } from '../apps-script/clock';
import type { AppsScriptWorld, WorldState } from '../apps-script/world';
import { httpRouter } from '../http-router';
import { readBody, SIMULATED_NOW_HEADER } from '../linkedin/http-server';
import { DEFAULT_APP, type SimulatorOptions } from '../linkedin/simulator';
import { type SimulatorProcess, simulatorUrlFor, spawnSimulator } from '../linkedin/spawn';
import { createScriptWorld } from '../offline-world';
import { GOOGLE_SCRIPT_SHIM, PREVIEW_PAGE } from './pages';

export const PREVIEW_USER = 'you@example.com';

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface PreviewOptions {
  projectDir: string;
  /** Where the emulated Google side and the simulator save their state between restarts; none keeps it in memory only. */
  stateDir?: string;
  port?: number;
  /** Simulator settings, e.g. account names for tests. */
  simulator?: Partial<Omit<SimulatorOptions, 'clock'>>;
  /** Call the real LinkedIn API (or, in tests, `rewrite` it to a server on loopback) with this token. */
  live?: { accessToken: string; clientId?: string; clientSecret?: string; rewrite?: (url: string) => string };
}

export interface Preview {
  server: Server;
  url: string;
  world: AppsScriptWorld;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  response.end(body);
}

const json = (response: ServerResponse, value: unknown, status = 200) =>
  send(response, status, 'application/json', JSON.stringify(value));

/** A spreadsheet of the preview's Drive that reports can write to, by its link. */
export const ARCHIVE_SPREADSHEET = {
  id: '1PreviewAdsArchiveSpreadsheet000000000000000',
  name: 'Ads archive',
};

/** An emulated spreadsheet as the grid shows it: each tab's first rows, as displayed text. */
function sheetView(world: AppsScriptWorld, spreadsheetId: string) {
  return world.execute(PREVIEW_USER, (scope: Scope) =>
    scope.SpreadsheetApp.openById(spreadsheetId)
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
 * its server functions run in the Apps Script emulation, LinkedIn answered over HTTP by
 * the simulator in a process of its own (its consent page included). Nothing leaves this machine.
 */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const clock = new SimClock();
  const worldFile = options.stateDir && join(options.stateDir, 'world.json');
  let simulator: SimulatorProcess | null = null;
  if (!options.live) {
    simulator = await spawnSimulator({
      options: options.simulator,
      stateFile: options.stateDir && join(options.stateDir, 'linkedin.json'),
    });
  }
  const simulatedNow = () => ({ [SIMULATED_NOW_HEADER]: String(clock.now()) });
  const world = createScriptWorld(
    simulator
      ? httpRouter((url) => simulatorUrlFor(simulator.url, url), simulatedNow)
      : httpRouter(options.live?.rewrite),
    clock,
    options.projectDir,
  );
  if (worldFile && existsSync(worldFile))
    world.loadState(JSON.parse(readFileSync(worldFile, 'utf8')) as WorldState);
  if (!world.spreadsheetData(ARCHIVE_SPREADSHEET.id))
    world.addSpreadsheet(ARCHIVE_SPREADSHEET.id, ARCHIVE_SPREADSHEET.name, [PREVIEW_USER]);
  if (options.live) {
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
    if (!worldFile) return;
    mkdirSync(dirname(worldFile), { recursive: true });
    writeFileSync(worldFile, JSON.stringify(world.saveState()));
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
          // Every spreadsheet the preview user can open, the one the sidebar runs in first.
          spreadsheets: world
            .spreadsheetIds()
            .filter((id) => {
              const sharedWith = world.spreadsheetData(id)!.sharedWith;
              return !sharedWith || sharedWith.includes(PREVIEW_USER);
            })
            .map((id) => ({
              id,
              name: world.spreadsheetData(id)!.name,
              url: `https://docs.google.com/spreadsheets/d/${id}/edit`,
              sheets: sheetView(world, id),
            })),
          activeSheet:
            world.spreadsheet.sheets.find((sheet) => sheet.id === world.spreadsheet.activeSheetId)?.name ??
            null,
          activations: world.spreadsheet.activations,
          triggers: world.triggers.map((trigger) => ({
            handler: trigger.handler,
            user: trigger.user,
            nextRunAt: trigger.nextRunAt,
            schedule: trigger.schedule,
          })),
          outbox: world.outbox.map((mail) => ({ to: mail.to, subject: mail.subject, at: mail.at })),
          requests: world.fetchLog.length,
          // What LinkedIn's OAuth 2.0 tools page would hand a developer: lets the manual path be tried offline.
          toolsPageAccessToken: simulator?.accessToken ?? null,
          // Google's granular consent screen: which of the manifest's permissions the user ticked.
          googlePermissions: { declared: world.declaredScopes, granted: world.scopesGrantedBy(PREVIEW_USER) },
        });
      }
      if (request.method === 'POST' && url.pathname === '/api/permissions') {
        const { granted } = JSON.parse((await readBody(request)) || '{}') as { granted?: unknown };
        if (!Array.isArray(granted) || granted.some((scope) => typeof scope !== 'string'))
          return send(response, 400, 'text/plain', 'granted must be a list of scopes');
        try {
          world.grantScopes(PREVIEW_USER, granted as string[]);
        } catch (error) {
          return send(response, 400, 'text/plain', error instanceof Error ? error.message : String(error));
        }
        save();
        return json(response, { granted: world.scopesGrantedBy(PREVIEW_USER) });
      }
      if (request.method === 'POST' && url.pathname === '/api/advance') {
        const { hours } = JSON.parse((await readBody(request)) || '{}') as { hours?: number };
        const runs = world.advanceTimeTo(world.clock.now() + Math.max(0, Number(hours) || 0) * 3_600_000);
        save();
        return json(response, { runs });
      }
      // LinkedIn's consent page, from the simulator; its redirect ends at the script's callback, as in Apps Script.
      if (url.pathname === '/linkedin/oauth/v2/authorization' && simulator) {
        const answer = await fetch(
          simulatorUrlFor(simulator.url, `https://www.linkedin.com/oauth/v2/authorization${url.search}`),
          {
            method: request.method,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...simulatedNow() },
            body: request.method === 'POST' ? await readBody(request) : undefined,
            redirect: 'manual',
          },
        );
        const location = answer.headers.get('location');
        if (!location)
          return send(
            response,
            answer.status,
            answer.headers.get('content-type') ?? 'text/plain',
            await answer.text(),
          );
        const page = world.handleUserCallback(location);
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
    world,
    close: () =>
      new Promise((resolve) => {
        // `npm start` ends its process right after: a coverage run loses what it did otherwise.
        flushBundleCounters();
        simulator?.stop();
        server.close(() => resolve());
      }),
  };
}
