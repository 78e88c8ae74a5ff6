import type { Execution } from './execution';

// Apps Script's documented quotas: 9 KB per value, 500 KB per property store.
export const PROPERTY_VALUE_LIMIT_BYTES = 9 * 1024;
export const PROPERTY_STORE_LIMIT_BYTES = 500 * 1024;

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

export class PropertyData {
  readonly entries = new Map<string, string>();

  toJSON(): Record<string, string> {
    return Object.fromEntries(this.entries);
  }

  static fromJSON(json: Record<string, string> | undefined): PropertyData {
    const data = new PropertyData();
    for (const [key, value] of Object.entries(json ?? {})) data.entries.set(key, value);
    return data;
  }
}

export class SimProperties implements GoogleAppsScript.Properties.Properties {
  constructor(
    private readonly data: PropertyData,
    private readonly execution: Execution,
  ) {}

  getProperty(key: string): string | null {
    this.execution.checkDeadline();
    return this.data.entries.get(String(key)) ?? null;
  }

  getProperties(): { [key: string]: string } {
    this.execution.checkDeadline();
    return Object.fromEntries(this.data.entries);
  }

  getKeys(): string[] {
    this.execution.checkDeadline();
    return [...this.data.entries.keys()];
  }

  setProperty(key: string, value: string): GoogleAppsScript.Properties.Properties {
    this.setProperties({ [key]: value });
    return this;
  }

  setProperties(
    properties: { [key: string]: string },
    deleteAllOthers = false,
  ): GoogleAppsScript.Properties.Properties {
    this.execution.checkDeadline('setProperties');
    const next = new Map(deleteAllOthers ? [] : this.data.entries);
    for (const [key, rawValue] of Object.entries(properties)) {
      const value = String(rawValue);
      if (byteLength(value) > PROPERTY_VALUE_LIMIT_BYTES) throw new Error('Argument too large: value');
      next.set(key, value);
    }
    let total = 0;
    for (const [key, value] of next) total += byteLength(key) + byteLength(value);
    if (total > PROPERTY_STORE_LIMIT_BYTES) {
      throw new Error(
        'You have exceeded the property storage quota. Please remove some properties and try again.',
      );
    }
    this.data.entries.clear();
    for (const [key, value] of next) this.data.entries.set(key, value);
    return this;
  }

  deleteProperty(key: string): GoogleAppsScript.Properties.Properties {
    this.execution.checkDeadline();
    this.data.entries.delete(key);
    return this;
  }

  deleteAllProperties(): GoogleAppsScript.Properties.Properties {
    this.execution.checkDeadline();
    this.data.entries.clear();
    return this;
  }
}
