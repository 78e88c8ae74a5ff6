import type { SimClock } from './clock';

/** Apps Script stops any execution after six minutes (consumer and Workspace accounts alike). */
export const EXECUTION_LIMIT_MS = 6 * 60 * 1000;

export class ExecutionTimeExceeded extends Error {
  constructor() {
    super('Exceeded maximum execution time');
    this.name = 'Exception';
  }
}

/** One run of the script: who runs it, when it started, and what it holds until it ends. */
export class Execution {
  readonly startedAt: number;
  private readonly releaseHooks: Array<() => void> = [];
  ended = false;
  /** Apps Script stopped the run: whatever the script's own code did next, the run ended here. */
  stopped = false;

  constructor(
    readonly clock: SimClock,
    readonly user: string,
    readonly limitMs: number = EXECUTION_LIMIT_MS,
    /** Tests name points to stop a run at (e.g. "after setValues"), as Apps Script may at any. */
    private readonly stopAt: (point: string) => boolean = () => false,
  ) {
    this.startedAt = clock.now();
  }

  /** Called by every emulated service: past the limit, Apps Script kills the run at its next call. */
  checkDeadline(point = 'call'): void {
    // A stopped run stays stopped: a script's catch block cannot call a service afterwards.
    if (this.stopped || this.clock.now() - this.startedAt > this.limitMs || this.stopAt(point)) {
      this.stopped = true;
      throw new ExecutionTimeExceeded();
    }
  }

  onEnd(release: () => void): void {
    this.releaseHooks.push(release);
  }

  end(): void {
    this.ended = true;
    for (const release of this.releaseHooks.splice(0)) release();
  }
}
