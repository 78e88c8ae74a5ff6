import type { Execution } from './execution';

/** Who holds each lock (script-wide, per document, per user) across executions. */
export class LockTable {
  readonly holders = new Map<string, Execution>();
}

/**
 * LockService's lock. Executions here run on one thread, so a second execution that
 * meets a held lock cannot really wait for it: it spends its timeout on the simulated
 * clock and then fails as Apps Script does when the holder does not let go in time.
 */
export class SimLock implements GoogleAppsScript.Lock.Lock {
  constructor(
    private readonly table: LockTable,
    private readonly lockKey: string,
    private readonly execution: Execution,
  ) {}

  private isFree(): boolean {
    const holder = this.table.holders.get(this.lockKey);
    return !holder || holder.ended || holder === this.execution;
  }

  tryLock(timeoutInMillis: number): boolean {
    this.execution.checkDeadline();
    if (!this.isFree()) {
      this.execution.clock.advance(Math.max(0, timeoutInMillis));
      if (!this.isFree()) return false;
    }
    if (!this.hasLock()) {
      this.table.holders.set(this.lockKey, this.execution);
      this.execution.onEnd(() => this.releaseLock());
    }
    return true;
  }

  waitLock(timeoutInMillis: number): void {
    if (!this.tryLock(timeoutInMillis)) {
      throw new Error('Lock timeout: another process was holding the lock for too long.');
    }
  }

  hasLock(): boolean {
    return this.table.holders.get(this.lockKey) === this.execution;
  }

  releaseLock(): void {
    if (this.hasLock()) this.table.holders.delete(this.lockKey);
  }
}
