import type { SimClock } from './clock';
import type { Execution } from './execution';

// CacheService limits: values up to 100 KB, keys up to 250 characters, 10 minutes by default, 6 hours at most.
const DEFAULT_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 21600;
const MAX_VALUE_BYTES = 100 * 1024;
const MAX_KEY_LENGTH = 250;

export class CacheData {
  readonly entries = new Map<string, { value: string; expiresAt: number }>();
}

export class SimCache implements GoogleAppsScript.Cache.Cache {
  constructor(
    private readonly data: CacheData,
    private readonly clock: SimClock,
    private readonly execution: Execution,
  ) {}

  get(key: string): string | null {
    this.execution.checkDeadline();
    const entry = this.data.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.clock.now()) {
      this.data.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  getAll(keys: string[]): { [key: string]: string } {
    const found: { [key: string]: string } = {};
    for (const key of keys) {
      const value = this.get(key);
      if (value !== null) found[key] = value;
    }
    return found;
  }

  put(key: string, value: string, expirationInSeconds = DEFAULT_EXPIRATION_SECONDS): void {
    this.execution.checkDeadline();
    if (key.length > MAX_KEY_LENGTH) throw new Error('Argument too large: key');
    if (Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) throw new Error('Argument too large: value');
    const seconds = Math.min(expirationInSeconds, MAX_EXPIRATION_SECONDS);
    this.data.entries.set(key, { value: String(value), expiresAt: this.clock.now() + seconds * 1000 });
  }

  putAll(values: { [key: string]: string }, expirationInSeconds?: number): void {
    for (const [key, value] of Object.entries(values)) this.put(key, value, expirationInSeconds);
  }

  remove(key: string): void {
    this.execution.checkDeadline();
    this.data.entries.delete(key);
  }

  removeAll(keys: string[]): void {
    for (const key of keys) this.remove(key);
  }
}
