import { AD_ANALYTICS_STREAM } from './ad-analytics';
import { AD_ENTITY_STREAMS } from './ad-entities';
import { LEAD_FORM_RESPONSES } from './leads';
import type { StreamSpec } from './types';

/** LinkedIn Ads streams: the entity streams, analytics, then the leads of the accounts' forms. */
export const AD_STREAMS: StreamSpec[] = [...AD_ENTITY_STREAMS, AD_ANALYTICS_STREAM, LEAD_FORM_RESPONSES];
