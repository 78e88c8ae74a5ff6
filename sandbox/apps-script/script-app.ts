import { AuthorizationRequired, type Execution } from './execution';
import { SCOPES } from './scopes';

export type TriggerSchedule =
  | { kind: 'hourly'; everyHours: number }
  | { kind: 'daily'; atHour: number }
  | { kind: 'weekly'; weekDay: number; atHour: number }
  | { kind: 'once'; at: number };

export interface TriggerData {
  id: string;
  handler: string;
  user: string;
  documentId: string;
  schedule: TriggerSchedule;
  nextRunAt: number;
}

export interface StateTokenPayload {
  method: string;
  arguments: Record<string, string>;
  expiresAt: number;
  user: string;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

/** The next moment a schedule fires after `after` (UTC: the emulated project's time zone). */
export function nextRunAfter(schedule: TriggerSchedule, after: number): number {
  switch (schedule.kind) {
    case 'once':
      return schedule.at;
    case 'hourly':
      return after + schedule.everyHours * HOUR_MS;
    case 'daily': {
      const dayStart = Math.floor(after / DAY_MS) * DAY_MS;
      const today = dayStart + schedule.atHour * HOUR_MS;
      return today > after ? today : today + DAY_MS;
    }
    case 'weekly': {
      const dayStart = Math.floor(after / DAY_MS) * DAY_MS;
      for (let offset = 0; offset <= 7; offset++) {
        const candidate = dayStart + offset * DAY_MS + schedule.atHour * HOUR_MS;
        if (new Date(candidate).getUTCDay() === schedule.weekDay && candidate > after) return candidate;
      }
      throw new Error('unreachable: a week always holds the weekday');
    }
  }
}

export function encodeStateToken(payload: StateTokenPayload): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeStateToken(token: string): StateTokenPayload | null {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as StateTokenPayload;
  } catch {
    return null;
  }
}

class SimTrigger {
  constructor(readonly data: TriggerData) {}
  getHandlerFunction(): string {
    return this.data.handler;
  }
  getUniqueId(): string {
    return this.data.id;
  }
  getEventType(): string {
    return 'CLOCK';
  }
  getTriggerSource(): string {
    return 'CLOCK';
  }
}

export interface ScriptAppContext {
  scriptId: string;
  documentId: string;
  isAddOn: boolean;
  /** Whether an add-on's one time-driven trigger is counted per document or per script (see AppsScriptWorld). */
  triggerLimitPer?: 'document' | 'script';
  triggers: TriggerData[];
  newId(): string;
  /** The manifest's oauthScopes: all a consent prompt can ask for. */
  declaredScopes: string[];
  /** Google's consent prompt, shown to the user for these scopes (nothing shows in a trigger). */
  showConsentPrompt(scopes: string[]): void;
  /** Whether AuthorizationInfo.getAuthorizedScopes() lists them or gives null (see AppsScriptWorld). */
  listsAuthorizedScopes?: boolean;
}

class ClockTriggerBuilder {
  private schedule: TriggerSchedule | null = null;
  private atHourValue: number | null = null;
  private weekDay: number | null = null;
  private daily = false;

  constructor(
    private readonly handler: string,
    private readonly context: ScriptAppContext,
    private readonly execution: Execution,
  ) {}

  everyMinutes(_minutes: number): this {
    if (this.context.isAddOn) {
      throw new Error(
        'Add-ons may not create time-based triggers that run more frequently than once per hour.',
      );
    }
    throw new Error('everyMinutes is not emulated: add-ons cannot use it.');
  }
  everyHours(hours: number): this {
    if (![1, 2, 4, 6, 8, 12].includes(hours))
      throw new Error('The value for hours must be 1, 2, 4, 6, 8 or 12.');
    this.schedule = { kind: 'hourly', everyHours: hours };
    return this;
  }
  everyDays(days: number): this {
    if (days !== 1) throw new Error('Only everyDays(1) is emulated.');
    this.daily = true;
    return this;
  }
  atHour(hour: number): this {
    if (!Number.isInteger(hour) || hour < 0 || hour > 23)
      throw new Error('The hour must be between 0 and 23.');
    this.atHourValue = hour;
    return this;
  }
  onWeekDay(day: string): this {
    this.weekDay = WEEK_DAYS.indexOf(String(day));
    if (this.weekDay < 0) throw new Error(`Unknown week day ${day}`);
    return this;
  }
  nearMinute(_minute: number): this {
    return this;
  }
  after(durationMilliseconds: number): this {
    this.schedule = { kind: 'once', at: this.execution.clock.now() + durationMilliseconds };
    return this;
  }
  at(date: Date): this {
    this.schedule = { kind: 'once', at: date.getTime() };
    return this;
  }

  create(): SimTrigger {
    this.execution.checkDeadline();
    const schedule: TriggerSchedule | null =
      this.weekDay !== null
        ? { kind: 'weekly', weekDay: this.weekDay, atHour: this.atHourValue ?? 0 }
        : this.daily
          ? { kind: 'daily', atHour: this.atHourValue ?? 0 }
          : this.schedule;
    if (!schedule)
      throw new Error('The trigger has no schedule: call everyHours, everyDays, onWeekDay, after or at.');
    const mine = this.context.triggers.filter(
      (trigger) =>
        trigger.user === this.execution.user &&
        (this.context.triggerLimitPer === 'script' || trigger.documentId === this.context.documentId),
    );
    // Editor add-ons: one trigger of each type (time-driven here) per user per document (or per script, in the other reading).
    if (this.context.isAddOn && mine.length >= 1) {
      throw new Error(
        'This add-on has created too many time-based triggers in this document for this Google user account.',
      );
    }
    const data: TriggerData = {
      id: this.context.newId(),
      handler: this.handler,
      user: this.execution.user,
      documentId: this.context.documentId,
      schedule,
      nextRunAt: nextRunAfter(schedule, this.execution.clock.now()),
    };
    this.context.triggers.push(data);
    return new SimTrigger(data);
  }
}

class StateTokenBuilder {
  private method = '';
  private readonly args: Record<string, string> = {};
  private timeoutSeconds = 60;
  constructor(private readonly execution: Execution) {}
  withMethod(method: string): this {
    this.method = method;
    return this;
  }
  withArgument(name: string, value: string): this {
    this.args[name] = String(value);
    return this;
  }
  withTimeout(seconds: number): this {
    this.timeoutSeconds = seconds;
    return this;
  }
  createToken(): string {
    if (!this.method) throw new Error('A state token needs a method: call withMethod first.');
    return encodeStateToken({
      method: this.method,
      arguments: this.args,
      expiresAt: this.execution.clock.now() + this.timeoutSeconds * 1000,
      user: this.execution.user,
    });
  }
}

export class SimScriptApp {
  readonly WeekDay = Object.fromEntries(WEEK_DAYS.map((day) => [day, day]));
  readonly AuthMode = { NONE: 'NONE', LIMITED: 'LIMITED', FULL: 'FULL', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION' };
  readonly AuthorizationStatus = { REQUIRED: 'REQUIRED', NOT_REQUIRED: 'NOT_REQUIRED' };

  constructor(
    private readonly context: ScriptAppContext,
    private readonly execution: Execution,
  ) {}

  // No "Authorization" on the reference pages of getScriptId, getService and newStateToken:
  // they need no scope, so apps-script-oauth2's sign-in works without script.scriptapp.
  getScriptId(): string {
    return this.context.scriptId;
  }
  getService(): { getUrl(): string } {
    return { getUrl: () => `https://script.google.com/macros/s/${this.context.scriptId}/exec` };
  }
  /** The reference lists script.scriptapp for newTrigger, getProjectTriggers, getUserTriggers and deleteTrigger. */
  newTrigger(functionName: string): { timeBased(): ClockTriggerBuilder } {
    this.execution.requireScope('ScriptApp.newTrigger', SCOPES.scriptApp);
    return { timeBased: () => new ClockTriggerBuilder(functionName, this.context, this.execution) };
  }
  private mine(method: string): SimTrigger[] {
    this.execution.requireScope(method, SCOPES.scriptApp);
    return this.context.triggers
      .filter(
        (trigger) => trigger.user === this.execution.user && trigger.documentId === this.context.documentId,
      )
      .map((trigger) => new SimTrigger(trigger));
  }
  getProjectTriggers(): SimTrigger[] {
    return this.mine('ScriptApp.getProjectTriggers');
  }
  getUserTriggers(_document: unknown): SimTrigger[] {
    return this.mine('ScriptApp.getUserTriggers');
  }
  deleteTrigger(trigger: { getUniqueId(): string }): void {
    this.execution.requireScope('ScriptApp.deleteTrigger', SCOPES.scriptApp);
    const index = this.context.triggers.findIndex((candidate) => candidate.id === trigger.getUniqueId());
    if (index >= 0) this.context.triggers.splice(index, 1);
  }
  newStateToken(): StateTokenBuilder {
    return new StateTokenBuilder(this.execution);
  }

  /**
   * The scopes a granular-consent method is asked about: the manifest's when none are named.
   * "Scopes that are invalid or not required by the script lead to an error" (the reference;
   * the error's text is not documented, this one is the emulation's). Only AuthMode.FULL is
   * emulated: "no other authorization mode requires that users grant authorization".
   */
  private scopesAsked(method: string, authMode: unknown, scopes?: unknown): string[] {
    this.execution.checkDeadline();
    if (authMode !== 'FULL')
      throw new Error(`${method}: the emulation answers for ScriptApp.AuthMode.FULL only.`);
    if (scopes === undefined) return [...this.context.declaredScopes];
    if (!Array.isArray(scopes) || scopes.length === 0)
      throw new Error(`${method}: oAuthScopes must be a list of the script's scopes.`);
    const unknown = scopes.filter((scope) => !this.context.declaredScopes.includes(String(scope)));
    if (unknown.length)
      throw new Error(`${method}: ${unknown.join(', ')} is not a scope this script requires.`);
    return scopes.map(String);
  }

  /**
   * Whether the user granted the scopes (the script's, or those named), the ones granted, and
   * a URL to grant the rest ("returns null if no authorization is required"). The URL's form
   * is the emulation's own: Google does not document it.
   */
  getAuthorizationInfo(authMode: unknown, oAuthScopes?: unknown) {
    const asked = this.scopesAsked('getAuthorizationInfo', authMode, oAuthScopes);
    const authorized = asked.filter((scope) => this.execution.granted(scope));
    const required = authorized.length < asked.length;
    const missing = asked.filter((scope) => !authorized.includes(scope));
    return {
      getAuthorizationStatus: () =>
        required ? this.AuthorizationStatus.REQUIRED : this.AuthorizationStatus.NOT_REQUIRED,
      getAuthorizationUrl: () =>
        required
          ? `https://script.google.com/macros/d/${this.context.scriptId}/authorize?scope=${encodeURIComponent(missing.join(' '))}`
          : null,
      getAuthorizedScopes: () => (this.context.listsAuthorizedScopes === false ? null : [...authorized]),
    };
  }

  /**
   * "If any of the specified consents are missing, then this method ends the current execution
   * and renders an authorization prompt to request the missing consents." A trigger has no one
   * to show it to: its execution just ends, with the error Google documents for triggers.
   */
  requireScopes(authMode: unknown, oAuthScopes: unknown): void {
    const missing = this.scopesAsked('requireScopes', authMode, oAuthScopes).filter(
      (scope) => !this.execution.granted(scope),
    );
    if (missing.length === 0) return;
    if (this.execution.access.surface !== 'trigger') this.context.showConsentPrompt(missing);
    this.execution.end(new AuthorizationRequired(missing));
  }

  /** requireScopes for every scope of the manifest. */
  requireAllScopes(authMode: unknown): void {
    this.requireScopes(authMode, [...this.context.declaredScopes]);
  }
}
