import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { bundleCounters, COVERAGE } from '../../scripts/coverage-counters';
import { CacheData, SimCache } from './cache';
import { SimClock } from './clock';
import {
  Execution,
  ExecutionEnded,
  EXECUTION_LIMIT_MS,
  type MissingScopeInTrigger,
  type Surface,
} from './execution';
import { SimHtmlService } from './html';
import type { Router } from './http';
import { LockTable, SimLock } from './lock';
import { createOAuth2Library } from './oauth2';
import { PropertyData, SimProperties } from './properties';
import { decodeStateToken, nextRunAfter, SimScriptApp, type TriggerData } from './script-app';
import { SCOPES } from './scopes';
import { toClient, toServer } from './script-run';
import {
  deserializeSpreadsheet,
  newSpreadsheetData,
  serializeSpreadsheet,
  type SheetNameLookup,
  SimSpreadsheet,
  type SpreadsheetData,
} from './spreadsheet';
import { SimUi, UiRecord } from './ui';
import { type RecordedFetch, SimUrlFetchApp, URL_FETCH_DAILY_QUOTA } from './url-fetch';
import {
  type EmailWithoutScope,
  type LogLine,
  makeLogger,
  type SentMail,
  SimMailApp,
  SimSession,
  SimUtilities,
} from './utilities';

export interface WorldOptions {
  /** Folder holding the pushed project: the built dist/ (Code.js, Sidebar.html, appsscript.json). */
  projectDir: string;
  router: Router;
  clock?: SimClock;
  scriptId?: string;
  addOnTitle?: string;
  timeZone?: string;
}

export interface TriggerRun {
  triggerId: string;
  handler: string;
  user: string;
  at: number;
  error?: string;
}

/** The persistent part of the world, for the offline preview to save between restarts. */
export interface WorldState {
  now: number;
  scriptProperties: Record<string, string>;
  documentProperties: Record<string, string>;
  userProperties: Record<string, Record<string, string>>;
  spreadsheet: unknown;
  /** The world's other spreadsheets (reports may write to them), with their document properties. */
  otherSpreadsheets?: Array<{ spreadsheet: unknown; properties: Record<string, string> }>;
  triggers: TriggerData[];
  outbox: SentMail[];
  /** What each user ticked on Google's granular consent screen, where it was not every scope. */
  grantedScopes?: Record<string, string[]>;
}

const PLAIN_GLOBALS = ['Date', 'console', 'Logger'];

/**
 * Apps Script runs services and script in one realm, so `error instanceof Error` holds
 * for a service's exceptions. Ours live in Node's realm: their errors are re-thrown as
 * the script's own Error, keeping message and name (the time limit stays as it is: no
 * script can catch that one in Apps Script either).
 */
function inScriptRealm<T>(
  value: T,
  scriptError: ErrorConstructor,
  cache = new WeakMap<object, unknown>(),
): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date)
    return value;
  const known = cache.get(value);
  if (known) return known as T;
  const proxy = new Proxy(value, {
    get(target, property) {
      const member = Reflect.get(target, property, target);
      if (typeof member !== 'function') return inScriptRealm(member, scriptError, cache);
      return (...args: unknown[]) => {
        try {
          return inScriptRealm(member.apply(target, args), scriptError, cache);
        } catch (error) {
          if (error instanceof ExecutionEnded || !(error instanceof Error)) throw error;
          const converted = new scriptError(error.message);
          converted.name = error.name;
          throw converted;
        }
      };
    },
  });
  cache.set(value, proxy);
  return proxy as T;
}

/**
 * Each version of a script file compiled once a process: every world runs the same bundle, and
 * a compile a world cost the test suites time and memory. A rebuilt file is compiled again.
 */
const compiledScripts = new Map<string, vm.Script>();
function compiledScript(path: string, filename: string): vm.Script {
  const { mtimeMs, size } = statSync(path);
  const key = `${path}:${mtimeMs}:${size}`;
  let script = compiledScripts.get(key);
  if (!script) compiledScripts.set(key, (script = new vm.Script(readFileSync(path, 'utf8'), { filename })));
  return script;
}

/**
 * One spreadsheet with the add-on installed, its users, and Apps Script's services.
 * Each call runs as its own execution in a fresh global scope holding every script
 * file of the project, as Apps Script runs a project: no modules, one shared scope.
 */
export class AppsScriptWorld {
  readonly clock: SimClock;
  readonly scriptId: string;
  readonly addOnTitle: string;
  readonly timeZone: string;
  router: Router;
  readonly scriptProperties = new PropertyData();
  documentProperties = new PropertyData();
  readonly userProperties = new Map<string, PropertyData>();
  private readonly scriptCache = new CacheData();
  private readonly documentCache = new CacheData();
  private readonly userCaches = new Map<string, CacheData>();
  private readonly locks = new LockTable();
  spreadsheet: SpreadsheetData;
  triggers: TriggerData[] = [];
  readonly triggerRuns: TriggerRun[] = [];
  readonly fetchLog: RecordedFetch[] = [];
  outbox: SentMail[] = [];
  readonly logs: LogLine[] = [];
  private readonly uiRecords = new Map<string, UiRecord>();
  private readonly scripts: vm.Script[];
  private nextId = 1;
  /** Each execution's time limit: Apps Script's six minutes, or shorter to cut runs at chosen points. */
  executionLimitMs: () => number = () => EXECUTION_LIMIT_MS;
  /**
   * Whether an add-on's time-driven trigger runs with its document. Undocumented;
   * practitioners report it does not (no active spreadsheet, document properties,
   * document cache or document lock), so that is the default, and tests try both.
   */
  triggerDocumentContext = false;
  /**
   * How the platform counts an add-on's time-driven triggers: one per user per document
   * (Google's editor-triggers page), or one per user for the whole add-on (as some
   * practitioners read it). Tests run both.
   */
  triggerLimitPer: 'document' | 'script' = 'document';
  /** The world's other spreadsheets with the add-on, by id; one is open at a time. */
  private readonly otherDocuments = new Map<
    string,
    { spreadsheet: SpreadsheetData; properties: PropertyData }
  >();
  /**
   * When `openById` fails for a spreadsheet the user cannot open: at the call, as its reference
   * implies, or only at the first call on what it returned, as a practitioner's report that a
   * try/catch around `openById` did not catch it suggests. Tests run both.
   */
  openByIdFails: 'at-once' | 'on-first-use' = 'at-once';
  /**
   * Whether setValues past a tab's last row or column grows the tab or is refused, as
   * practitioners report (docs/platform-facts.md): no page of Google's says, so tests run both.
   */
  gridGrowsOnWrite = false;
  /** Whether getSheetByName matches a tab's name exactly or in any case (see SheetNameLookup). */
  sheetNameLookup: SheetNameLookup = 'exact';
  /**
   * URL Fetch calls a user may make a day: 20,000 on a consumer account, 100,000 on Google
   * Workspace (Apps Script's quotas page). Every script and add-on of the user counts; a test
   * lowers it to stand for what the user's other scripts spent.
   */
  urlFetchDailyQuota = URL_FETCH_DAILY_QUOTA;
  /**
   * Whether Session gives the user's email address, or the blank string its reference says
   * security policies may leave (docs/platform-facts.md).
   */
  emailsHidden = false;
  /**
   * Whether a viewer (view-only sharing) can open a spreadsheet by id and fails only at its
   * first change, or cannot open it at all: not documented, so tests run both.
   */
  viewersMayOpen = true;
  /** Stops an execution at a named point of an emulated service (see Execution.checkDeadline). */
  stopAt: (point: string) => boolean = () => false;
  /** The manifest's oauthScopes: what the add-on asks Google for. */
  readonly declaredScopes: string[];
  /**
   * The scopes each user ticked on Google's granular consent screen; a user not listed granted
   * every scope the manifest declares (as everyone did before granular consent).
   */
  private readonly grantedScopes = new Map<string, Set<string>>();
  /** What a trigger meets when it calls a service the user did not grant (see MissingScopeInTrigger). */
  missingScopeInTrigger: MissingScopeInTrigger = 'ends';
  /** What User.getEmail() gives without userinfo.email (see EmailWithoutScope). */
  emailWithoutScope: EmailWithoutScope = 'blank';
  /**
   * Whether AuthorizationInfo.getAuthorizedScopes() lists the granted scopes, as a practitioner
   * saw it do, or gives the null its reference allows ("String[]|null", when is not said).
   */
  listsAuthorizedScopes = true;
  /**
   * Whether a time-driven trigger fires for a user who withdrew script.scriptapp after making it:
   * not documented (docs/platform-facts.md, "Granular consent"), so both are played.
   */
  triggersWithoutScriptApp: 'fire' | 'skip' = 'fire';

  constructor(private readonly options: WorldOptions) {
    this.clock = options.clock ?? new SimClock();
    this.scriptId = options.scriptId ?? '1SimulatedScriptId0123456789abcdefghijklmnopqrstuvwxyzAB';
    this.addOnTitle = options.addOnTitle ?? 'LinkedIn Data';
    this.timeZone = options.timeZone ?? 'Etc/UTC';
    this.router = options.router;
    this.spreadsheet = newSpreadsheetData('sim-spreadsheet-1', 'Marketing report', this.timeZone);
    const scriptFiles = readdirSync(options.projectDir)
      .filter((file) => file.endsWith('.js'))
      .sort();
    if (scriptFiles.length === 0)
      throw new Error(`No script files in ${options.projectDir}: run npm run build first.`);
    const manifest = join(options.projectDir, 'appsscript.json');
    this.declaredScopes = existsSync(manifest)
      ? ((JSON.parse(readFileSync(manifest, 'utf8')) as { oauthScopes?: string[] }).oauthScopes ?? [])
      : [];
    this.scripts = scriptFiles.map((file) => compiledScript(join(options.projectDir, file), file));
  }

  ui(user: string): UiRecord {
    let record = this.uiRecords.get(user);
    if (!record) this.uiRecords.set(user, (record = new UiRecord()));
    return record;
  }

  /** The scopes `user` granted: every declared one unless the consent screen was used otherwise. */
  scopesGrantedBy(user: string): string[] {
    return [...(this.grantedScopes.get(user) ?? this.declaredScopes)];
  }

  /**
   * What `user` ticked on Google's granular consent screen: only scopes the manifest declares
   * can be ticked. Later executions of `user` run with exactly these.
   */
  grantScopes(user: string, scopes: string[]): void {
    const undeclared = scopes.filter((scope) => !this.declaredScopes.includes(scope));
    if (undeclared.length) throw new Error(`The manifest does not ask for ${undeclared.join(', ')}.`);
    this.grantedScopes.set(user, new Set(scopes));
  }

  /** The consent screen with these scopes left unticked (and every other declared one ticked). */
  withholdScopes(user: string, scopes: string[]): void {
    this.grantScopes(
      user,
      this.declaredScopes.filter((scope) => !scopes.includes(scope)),
    );
  }

  /** The user ticks these too, on the prompt requireScopes showed or the page of an authorization URL. */
  addGrantedScopes(user: string, scopes: string[]): void {
    this.grantScopes(user, [...new Set([...this.scopesGrantedBy(user), ...scopes])]);
  }

  private perUser<T>(map: Map<string, T>, user: string, create: () => T): T {
    let value = map.get(user);
    if (!value) map.set(user, (value = create()));
    return value;
  }

  /** The globals one execution sees: Apps Script's services bound to this user and run. */
  private globalsFor(execution: Execution, withDocument: boolean): Record<string, unknown> {
    const user = execution.user;
    const clock = this.clock;
    const urlFetchApp = new SimUrlFetchApp(this.router, execution, this.fetchLog, this.urlFetchDailyQuota);
    const scriptApp = new SimScriptApp(
      {
        scriptId: this.scriptId,
        documentId: this.spreadsheet.id,
        isAddOn: true,
        triggerLimitPer: this.triggerLimitPer,
        triggers: this.triggers,
        newId: () => `trigger-${this.nextId++}`,
        declaredScopes: this.declaredScopes,
        showConsentPrompt: (scopes) => this.ui(user).consentPrompts.push(scopes),
        listsAuthorizedScopes: this.listsAuthorizedScopes,
      },
      execution,
    );
    const spreadsheet = new SimSpreadsheet(
      this.spreadsheet,
      execution,
      this.gridGrowsOnWrite,
      this.sheetNameLookup,
    );
    const userProperties = this.perUser(this.userProperties, user, () => new PropertyData());
    const userCache = this.perUser(this.userCaches, user, () => new CacheData());
    const lock = (key: string) => new SimLock(this.locks, key, execution);
    // `new Date()` and `Date.now()` inside the script read the simulated clock.
    class SimulatedDate extends Date {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(clock.now());
        else super(...(args as [string]));
      }
      static now(): number {
        return clock.now();
      }
    }
    const documentOnly = <T>(service: () => T) => (withDocument ? service() : null);
    return {
      Date: SimulatedDate,
      SpreadsheetApp: {
        getActive: () =>
          this.activeSpreadsheet(execution, 'getActive', () => documentOnly(() => spreadsheet)),
        getActiveSpreadsheet: () =>
          this.activeSpreadsheet(execution, 'getActiveSpreadsheet', () => documentOnly(() => spreadsheet)),
        openById: (id: string) => this.openById(execution, id),
        create: (name: string) => this.createSpreadsheet(execution, name),
        getUi: () => new SimUi(this.ui(user), this.addOnTitle, execution),
      },
      PropertiesService: {
        getScriptProperties: () => new SimProperties(this.scriptProperties, execution),
        getDocumentProperties: () =>
          documentOnly(() => new SimProperties(this.documentProperties, execution)),
        getUserProperties: () => new SimProperties(userProperties, execution),
      },
      CacheService: {
        getScriptCache: () => new SimCache(this.scriptCache, clock, execution),
        getDocumentCache: () => documentOnly(() => new SimCache(this.documentCache, clock, execution)),
        getUserCache: () => new SimCache(userCache, clock, execution),
      },
      LockService: {
        getScriptLock: () => lock('script'),
        getDocumentLock: () => documentOnly(() => lock(`document:${this.spreadsheet.id}`)),
        getUserLock: () => lock(`user:${user}`),
      },
      UrlFetchApp: urlFetchApp,
      HtmlService: new SimHtmlService(this.options.projectDir),
      ScriptApp: scriptApp,
      Session: new SimSession(user, this.timeZone, this.emailsHidden, execution, this.emailWithoutScope),
      Utilities: new SimUtilities(execution),
      MailApp: new SimMailApp(this.outbox, execution),
      OAuth2: createOAuth2Library({ UrlFetchApp: urlFetchApp, ScriptApp: scriptApp, now: () => clock.now() }),
      ...makeLogger(this.logs, user),
    };
  }

  /** SpreadsheetApp.getActive: the document the script runs in, with `spreadsheets` or `spreadsheets.currentonly`. */
  private activeSpreadsheet<T>(execution: Execution, method: string, active: () => T): T {
    execution.requireScope(`SpreadsheetApp.${method}`, SCOPES.spreadsheets, SCOPES.currentSpreadsheetOnly);
    return active();
  }

  /**
   * SpreadsheetApp.openById: the emulated spreadsheet by its id, and only with the
   * `spreadsheets` scope (`spreadsheets.currentonly` reaches the active one alone).
   */
  private openById(execution: Execution, id: string): SimSpreadsheet {
    execution.requireScope('SpreadsheetApp.openById', SCOPES.spreadsheets);
    const data = this.spreadsheetData(id);
    const problem = !data
      ? 'Unexpected error while getting the method or property openById on object SpreadsheetApp.'
      : data.sharedWith &&
          !data.sharedWith.includes(execution.user) &&
          !(this.viewersMayOpen && data.viewers?.includes(execution.user))
        ? 'You do not have permission to access the requested document.'
        : null;
    if (!problem) return new SimSpreadsheet(data!, execution, this.gridGrowsOnWrite, this.sheetNameLookup);
    if (this.openByIdFails === 'at-once') throw new Error(problem);
    const unopened = new Proxy(
      {},
      {
        get: () => () => {
          throw new Error(problem);
        },
      },
    );
    return unopened as SimSpreadsheet;
  }

  /** SpreadsheetApp.create: a new spreadsheet in the user's Drive, shared with no one else, with one empty tab. */
  private createSpreadsheet(execution: Execution, name: string): SimSpreadsheet {
    execution.requireScope('SpreadsheetApp.create', SCOPES.spreadsheets);
    let id: string;
    do id = `1SimCreated${String(this.nextId++).padStart(4, '0')}`.padEnd(44, 'x');
    while (this.spreadsheetData(id));
    return new SimSpreadsheet(
      this.addSpreadsheet(id, name, [execution.user]),
      execution,
      this.gridGrowsOnWrite,
      this.sheetNameLookup,
    );
  }

  /** Any spreadsheet of the world by id: the open one, or another (null once deleted). */
  spreadsheetData(id: string): SpreadsheetData | null {
    return id === this.spreadsheet.id ? this.spreadsheet : (this.otherDocuments.get(id)?.spreadsheet ?? null);
  }

  /**
   * Puts another spreadsheet in the world's Drive, shared with the users named (with everyone
   * when none are), and view-only with `viewers`.
   */
  addSpreadsheet(id: string, name: string, sharedWith?: string[], viewers?: string[]): SpreadsheetData {
    const spreadsheet = {
      ...newSpreadsheetData(id, name, this.timeZone),
      ...(sharedWith ? { sharedWith } : {}),
      ...(viewers ? { viewers } : {}),
    };
    this.otherDocuments.set(id, { spreadsheet, properties: new PropertyData() });
    return spreadsheet;
  }

  /** Every spreadsheet in the world's Drive, the open one first. */
  spreadsheetIds(): string[] {
    return [this.spreadsheet.id, ...this.otherDocuments.keys()];
  }

  /** Deletes a spreadsheet that is not the open one, as emptying it from Drive's trash does. */
  deleteSpreadsheet(id: string): void {
    this.otherDocuments.delete(id);
  }

  /** Makes another spreadsheet (a new one, or one opened before) the one the sidebar and menus run in. */
  openDocument(id: string, name = id): void {
    if (id === this.spreadsheet.id) return;
    this.otherDocuments.set(this.spreadsheet.id, {
      spreadsheet: this.spreadsheet,
      properties: this.documentProperties,
    });
    const next = this.otherDocuments.get(id) ?? {
      spreadsheet: newSpreadsheetData(id, name, this.timeZone),
      properties: new PropertyData(),
    };
    this.otherDocuments.delete(id);
    this.spreadsheet = next.spreadsheet;
    this.documentProperties = next.properties;
  }

  /**
   * Runs `work` as one execution of `user`, with the project's scripts loaded in its scope,
   * started from `surface` (a menu item unless told) with the scopes the user granted.
   */
  execute<T>(
    user: string,
    work: (scope: Record<string, unknown>) => T,
    withDocument = true,
    surface: Surface = 'menu',
  ): T {
    const execution = new Execution(
      this.clock,
      user,
      this.executionLimitMs(),
      (point) => this.stopAt(point),
      {
        surface,
        granted: new Set(this.scopesGrantedBy(user)),
        missingScopeInTrigger: this.missingScopeInTrigger,
      },
    );
    const context = vm.createContext({});
    const scriptError = vm.runInContext('Error', context) as ErrorConstructor;
    for (const [name, service] of Object.entries(this.globalsFor(execution, withDocument))) {
      context[name] = PLAIN_GLOBALS.includes(name) ? service : inScriptRealm(service, scriptError);
    }
    if (COVERAGE) context.__coverage__ = bundleCounters;
    try {
      for (const script of this.scripts) script.runInContext(context);
      const result = work(context);
      if (execution.endedBy) throw execution.endedBy;
      return result;
    } catch (error) {
      // Apps Script's end of a run cannot be caught: a script's catch block that turned it into
      // its own error (or carried on without the service) never runs there, and the caller sees the end.
      if (execution.endedBy) throw execution.endedBy;
      throw error;
    } finally {
      execution.finish();
    }
  }

  /** Calls a global function of the project, as a menu item or the script editor does. */
  run(user: string, functionName: string, ...args: unknown[]): unknown {
    return this.runIn(true, 'menu', user, functionName, ...args);
  }

  private runIn(
    withDocument: boolean,
    surface: Surface,
    user: string,
    functionName: string,
    ...args: unknown[]
  ): unknown {
    return this.execute(
      user,
      (scope) => {
        const target = scope[functionName];
        if (typeof target !== 'function') throw new Error(`Script function not found: ${functionName}`);
        return target(...args);
      },
      withDocument,
      surface,
    );
  }

  /**
   * google.script.run: arguments and results cross as Apps Script carries them between the
   * browser and the server (sandbox/apps-script/script-run.ts), so nothing of the server's
   * objects leaks to the client, and a Date in a result reaches the sidebar as null.
   */
  callFromSidebar(user: string, functionName: string, ...args: unknown[]): unknown {
    if (functionName.endsWith('_')) throw new Error(`Script function not found: ${functionName}`);
    return toClient(this.runIn(true, 'sidebar', user, functionName, ...args.map(toServer)));
  }

  /**
   * Apps Script's /usercallback: the state token names the function to run and the
   * user it was made for; its arguments join the query parameters of the request.
   */
  handleUserCallback(url: string): { status: number; html: string } {
    const parsed = new URL(url);
    if (parsed.pathname !== `/macros/d/${this.scriptId}/usercallback`) {
      return { status: 404, html: 'Sorry, unable to open the file at this time.' };
    }
    const state = decodeStateToken(parsed.searchParams.get('state') ?? '');
    if (!state || state.expiresAt < this.clock.now()) {
      return { status: 400, html: 'The state token is invalid or has expired. Please try again.' };
    }
    const parameter: Record<string, string> = {};
    const parameters: Record<string, string[]> = {};
    for (const [key, value] of [...parsed.searchParams, ...Object.entries(state.arguments)]) {
      parameter[key] = value;
      (parameters[key] ??= []).push(value);
    }
    const output = this.runIn(true, 'callback', state.user, state.method, {
      parameter,
      parameters,
      queryString: parsed.search.slice(1),
    }) as { getContent(): string } | string | undefined;
    return { status: 200, html: typeof output === 'string' ? output : (output?.getContent() ?? '') };
  }

  /** Moves the clock to `until`, running each time-driven trigger when it falls due. */
  advanceTimeTo(until: number): TriggerRun[] {
    const runs: TriggerRun[] = [];
    for (;;) {
      const due = this.triggers
        .filter((trigger) => trigger.nextRunAt <= until)
        .sort((a, b) => a.nextRunAt - b.nextRunAt)[0];
      if (!due) break;
      if (due.nextRunAt > this.clock.now()) this.clock.set(due.nextRunAt);
      const firedAt = this.clock.now();
      if (due.schedule.kind === 'once') this.triggers = this.triggers.filter((trigger) => trigger !== due);
      else due.nextRunAt = nextRunAfter(due.schedule, firedAt);
      if (
        this.triggersWithoutScriptApp === 'skip' &&
        !this.scopesGrantedBy(due.user).includes(SCOPES.scriptApp)
      )
        continue;
      const run: TriggerRun = { triggerId: due.id, handler: due.handler, user: due.user, at: firedAt };
      try {
        this.runIn(this.triggerDocumentContext, 'trigger', due.user, due.handler, {
          triggerUid: due.id,
          authMode: 'FULL',
        });
      } catch (error) {
        run.error = error instanceof Error ? error.message : String(error);
      }
      runs.push(run);
      this.triggerRuns.push(run);
    }
    if (until > this.clock.now()) this.clock.set(until);
    return runs;
  }

  saveState(): WorldState {
    return {
      now: this.clock.now(),
      scriptProperties: this.scriptProperties.toJSON(),
      documentProperties: this.documentProperties.toJSON(),
      userProperties: Object.fromEntries(
        [...this.userProperties].map(([user, data]) => [user, data.toJSON()]),
      ),
      spreadsheet: serializeSpreadsheet(this.spreadsheet),
      otherSpreadsheets: [...this.otherDocuments.values()].map(({ spreadsheet, properties }) => ({
        spreadsheet: serializeSpreadsheet(spreadsheet),
        properties: properties.toJSON(),
      })),
      triggers: this.triggers,
      outbox: this.outbox,
      grantedScopes: Object.fromEntries([...this.grantedScopes].map(([user, scopes]) => [user, [...scopes]])),
    };
  }

  loadState(state: WorldState): void {
    this.clock.set(Math.max(this.clock.now(), state.now));
    for (const [key, value] of Object.entries(state.scriptProperties))
      this.scriptProperties.entries.set(key, value);
    this.documentProperties = PropertyData.fromJSON(state.documentProperties);
    for (const [user, entries] of Object.entries(state.userProperties))
      this.userProperties.set(user, PropertyData.fromJSON(entries));
    this.spreadsheet = deserializeSpreadsheet(state.spreadsheet);
    for (const other of state.otherSpreadsheets ?? []) {
      const spreadsheet = deserializeSpreadsheet(other.spreadsheet);
      this.otherDocuments.set(spreadsheet.id, {
        spreadsheet,
        properties: PropertyData.fromJSON(other.properties),
      });
    }
    this.triggers = state.triggers;
    this.outbox = state.outbox;
    for (const [user, scopes] of Object.entries(state.grantedScopes ?? {})) this.grantScopes(user, scopes);
  }
}
