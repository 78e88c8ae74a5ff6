import { productOf } from '../catalog/streams';
import type { StreamSpec } from '../catalog/types';
import { LinkedInError } from '../linkedin/errors';
import { PRODUCT_NAMES } from '../linkedin/products';

/**
 * LinkedIn refused a stream's requests (403): the scopes its catalog entry needs, the role the
 * member needs, and the LinkedIn product that grants the scopes, so the user knows what to add.
 */
export function streamRefused(spec: StreamSpec, role: string, status: number): LinkedInError {
  const { scopes } = spec;
  const product = PRODUCT_NAMES[productOf(spec)];
  return new LinkedInError(
    `LinkedIn refused ${spec.label.toLowerCase()}: it needs the ${scopes.join(' and ')} scope${scopes.length > 1 ? 's' : ''} and ${role}. ` +
      `Reconnect LinkedIn with “${product.label}” ticked; if LinkedIn refuses that sign-in (no scopes available, or a scope not authorized for your app), request the ${product.linkedIn} product for your app in the Developer portal.`,
    'permission',
    status,
  );
}
