/** Simulated wall clock shared by the emulated services and the LinkedIn simulator. */
export const SIMULATION_START = Date.UTC(2026, 10, 20, 9, 0, 0);

export class SimClock {
  constructor(private nowMs: number = SIMULATION_START) {}

  now(): number {
    return this.nowMs;
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error('The simulated clock only moves forward');
    this.nowMs += ms;
  }

  set(ms: number): void {
    if (ms < this.nowMs) throw new Error('The simulated clock only moves forward');
    this.nowMs = ms;
  }
}
