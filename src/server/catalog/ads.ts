import { AD_ANALYTICS_STREAM } from './ad-analytics';
import { AD_ENTITY_STREAMS } from './ad-entities';
import type { StreamSpec } from './types';

/** LinkedIn Ads streams: the entity streams, then analytics. */
export const AD_STREAMS: StreamSpec[] = [...AD_ENTITY_STREAMS, AD_ANALYTICS_STREAM];
