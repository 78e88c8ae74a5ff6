import { AD_STREAMS } from './ads';
import { PAGES_STREAMS } from './pages';
import type { StreamSpec } from './types';

/** Every stream the add-on reads, Ads then Pages, as the sidebar lists them. */
export const STREAMS: StreamSpec[] = [...AD_STREAMS, ...PAGES_STREAMS];

/** The one place a stream's definition is looked up. */
export function findStream(source: StreamSpec['source'], id: string): StreamSpec | undefined {
  return STREAMS.find((spec) => spec.source === source && spec.id === id);
}

/** Every scope a source's streams need, sorted: what connecting LinkedIn for that source asks for. */
export function scopesOf(source: StreamSpec['source']): string[] {
  const scopes = STREAMS.filter((spec) => spec.source === source).flatMap((spec) => spec.scopes);
  return [...new Set(scopes)].sort();
}
