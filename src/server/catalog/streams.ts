import { AD_STREAMS } from './ads';
import { PAGES_STREAMS } from './pages';
import type { Product } from '../linkedin/products';
import type { StreamSpec } from './types';

/** Every stream the add-on reads, Ads then Pages, as the sidebar lists them. */
export const STREAMS: StreamSpec[] = [...AD_STREAMS, ...PAGES_STREAMS];

/** The one place a stream's definition is looked up. */
export function findStream(source: StreamSpec['source'], id: string): StreamSpec | undefined {
  return STREAMS.find((spec) => spec.source === source && spec.id === id);
}

/** The product whose scopes a stream needs: its own, else its source's. */
export const productOf = (spec: StreamSpec): Product => spec.product ?? spec.source;

/** Every scope a product's streams need, sorted: what connecting LinkedIn for that product asks for. */
export function scopesOf(product: Product): string[] {
  const scopes = STREAMS.filter((spec) => productOf(spec) === product).flatMap((spec) => spec.scopes);
  return [...new Set(scopes)].sort();
}
