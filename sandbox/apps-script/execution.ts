import type { SimClock } from './clock';

/** Apps Script stops any execution after six minutes (consumer and Workspace accounts alike). */
export const EXECUTION_LIMIT_MS = 6 * 60 * 1000;

/**
 * An end Apps Script puts to an execution: no catch block of the script's runs after it, and
 * whoever started the execution (the menu, the sidebar's failure handler, the trigger's log)
 * sees it. The proxy that carries service errors into the script's realm leaves these as they are.
 */
export class ExecutionEnded extends Error {}

export class ExecutionTimeExceeded extends ExecutionEnded {
  constructor() {
    super('Exceeded maximum execution time');
    this.name = 'Exception';
  }
}

/**
 * The end `ScriptApp.requireScopes` puts to an execution a permission is missing from: where a
 * user is there, after it shows Google's consent prompt for `scopes`; in a trigger, with the
 * error Google's scopes page documents for triggers.
 */
export class AuthorizationRequired extends ExecutionEnded {
  constructor(readonly scopes: string[]) {
    super('Authorization is required to perform that action.');
    this.name = 'Exception';
  }
}

/**
 * Where an execution started: a menu item or the script editor, the sidebar's google.script.run,
 * a time-driven trigger, or a browser landing on /usercallback. Only a trigger has no user there
 * to see a consent prompt.
 */
export type Surface = 'menu' | 'sidebar' | 'trigger' | 'callback';

/**
 * What Apps Script does when a trigger calls a service whose permission the user did not grant.
 * Google's scopes page says the trigger execution "fails immediately" with "Authorization is
 * required to perform that action."; whether a script's catch block still runs is not said, so
 * tests run both readings: 'ends' (it does not) and 'throws' (a catchable exception).
 */
export type MissingScopeInTrigger = 'ends' | 'throws';

/** The permissions an execution runs with (null: every one the manifest declares). */
export interface Access {
  surface: Surface;
  granted: ReadonlySet<string> | null;
  missingScopeInTrigger: MissingScopeInTrigger;
}

const EVERYTHING: Access = { surface: 'menu', granted: null, missingScopeInTrigger: 'ends' };

/** One run of the script: who runs it, when it started, and what it holds until it ends. */
export class Execution {
  readonly startedAt: number;
  private readonly releaseHooks: Array<() => void> = [];
  ended = false;
  /** How Apps Script ended the run, whatever the script's own code did next: the run ended there. */
  endedBy: ExecutionEnded | null = null;

  constructor(
    readonly clock: SimClock,
    readonly user: string,
    readonly limitMs: number = EXECUTION_LIMIT_MS,
    /** Tests name points to stop a run at (e.g. "after setValues"), as Apps Script may at any. */
    private readonly stopAt: (point: string) => boolean = () => false,
    readonly access: Access = EVERYTHING,
  ) {
    this.startedAt = clock.now();
  }

  /** Apps Script stopped the run: a catch block of the script's cannot call a service afterwards. */
  get stopped(): boolean {
    return this.endedBy !== null;
  }

  /** Ends the run as Apps Script does: the script sees the error, and so does whoever started it. */
  end(reason: ExecutionEnded): never {
    this.endedBy ??= reason;
    throw this.endedBy;
  }

  /** Called by every emulated service: past the limit, Apps Script kills the run at its next call. */
  checkDeadline(point = 'call'): void {
    if (this.endedBy) throw this.endedBy;
    if (this.clock.now() - this.startedAt > this.limitMs || this.stopAt(point))
      this.end(new ExecutionTimeExceeded());
  }

  /** Whether the user granted `scope` (or one of the scopes that also allow the call). */
  granted(...scopes: string[]): boolean {
    const granted = this.access.granted;
    return granted === null || scopes.some((scope) => granted.has(scope));
  }

  /**
   * Refuses a service method the user did not grant any of `scopes` for, as Apps Script does:
   * "You do not have permission to call X. Required permissions: <scope>" where a user is there
   * (the form practitioners quote); in a trigger, the error Google documents for triggers,
   * ending the run or thrown as the world's reading says.
   */
  requireScope(method: string, ...scopes: string[]): void {
    this.checkDeadline();
    if (this.granted(...scopes)) return;
    if (this.access.surface !== 'trigger')
      throw new Error(`You do not have permission to call ${method}. Required permissions: ${scopes[0]}`);
    if (this.access.missingScopeInTrigger === 'ends') this.end(new AuthorizationRequired(scopes));
    throw new Error('Authorization is required to perform that action.');
  }

  onEnd(release: () => void): void {
    this.releaseHooks.push(release);
  }

  finish(): void {
    this.ended = true;
    for (const release of this.releaseHooks.splice(0)) release();
  }
}
