import type { FieldSpec } from './catalog/types';
import { isoDate } from './dates';

/**
 * A cell as the core produces it: plain JSON, so rows can wait in a checkpoint. Dates
 * are `YYYY-MM-DD` and datetimes ISO strings; the sheet writer turns them into dates.
 */
export type Cell = string | number | boolean | null;

/** Texts in code-unit order, for sort: a plain comparison, not the locale's. */
export const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function urnId(urn: string): string {
  return urn.slice(urn.lastIndexOf(':') + 1);
}

function valueAt(element: unknown, path: string): unknown {
  let value: unknown = element;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Reads one catalog field out of an API element and types it for the sheet. */
export function readField(element: unknown, field: FieldSpec): Cell {
  const raw = valueAt(element, field.source ?? field.key);
  if (raw === undefined || raw === null || raw === '') return null;
  switch (field.transform) {
    case 'urn-id':
      return urnId(String(raw));
    case 'epoch-date':
      return isoDate(Number(raw));
    case 'epoch-datetime':
      return new Date(Number(raw)).toISOString();
    case 'money-amount':
      return numberOrNull((raw as { amount?: unknown }).amount);
    case 'money-currency':
      return (raw as { currencyCode?: string }).currencyCode ?? null;
    case 'list':
      return Array.isArray(raw) ? raw.join(', ') : String(raw);
  }
  return typed(raw, field);
}

function numberOrNull(value: unknown): number | null {
  const number = Number(value);
  return value === undefined || value === null || value === '' || Number.isNaN(number) ? null : number;
}

export function typed(raw: unknown, field: Pick<FieldSpec, 'type'>): Cell {
  switch (field.type) {
    case 'integer':
    case 'decimal':
    case 'money':
    case 'ratio':
      return numberOrNull(raw);
    case 'boolean':
      return raw === true || raw === 'true';
    case 'id':
      return String(raw);
    default:
      return typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  }
}
