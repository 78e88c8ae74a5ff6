import type { FacetNames } from '../catalog/types';
import type { ApiCall, LinkedInClient } from '../linkedin/client';
import { lacksScopes, PRODUCT_SCOPES, type Product } from '../linkedin/api';
import { addAccessCaption, PRODUCT_NAMES } from '../linkedin/products';
import { LinkedInError } from '../linkedin/errors';

/**
 * The access (“Pages”) whose sign-in grants every scope a lookup needs, or null when none does:
 * the button the connection panel shows to add it is named after it.
 */
function accessGranting(scopes: readonly string[]): Product | null {
  return (
    (Object.keys(PRODUCT_SCOPES) as Product[]).find((candidate) =>
      scopes.every((scope) => PRODUCT_SCOPES[candidate].includes(scope)),
    ) ?? null
  );
}

/** What a lookup LinkedIn documents a permission for needs, and how the user adds it, or null. */
function neededAccess(lookup: FacetNames): string | null {
  const product = lookup.scopes && accessGranting(lookup.scopes);
  return product
    ? `it names them only for a connection with ${PRODUCT_NAMES[product].label} access (the ${lookup.scopes!.join(' and ')} scope)`
    : null;
}

const addAccess = (lookup: FacetNames) =>
  `click “${addAccessCaption(accessGranting(lookup.scopes!)!)}” in the LinkedIn connection panel`;

/** Why LinkedIn gave no names, in a few words for the run's message. */
function refusalReason(error: LinkedInError, lookup: FacetNames): string {
  const access = neededAccess(lookup);
  switch (error.kind) {
    case 'permission':
      // A lookup LinkedIn documents a permission for is most likely refused for want of it.
      if (access)
        return `it refused the request (HTTP ${error.status}), as ${access}. If yours has none, ${addAccess(lookup)}`;
      return `it refused the request (HTTP ${error.status}), so your LinkedIn app may not have access to the API that names them`;
    case 'reconnect':
      return `it no longer accepts this connection (HTTP ${error.status})`;
    case 'daily-limit':
    case 'throttled':
      return `it refused the request as over its limits (HTTP ${error.status})`;
    case 'unavailable':
      return `it was not answering properly (HTTP ${error.status || 'timeout'}) after several tries`;
    default:
      return `it rejected the request (HTTP ${error.status})`;
  }
}

/** The value an answer's `results[id]` holds at a dotted path. */
const readAt = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], value);

/**
 * Names of values that LinkedIn names only through a lookup (places, industries, job titles,
 * member companies), each value with the lookup of its breakdown or pivot: one batch get per
 * `batchSize` ids, all in one round trip after the statistics, since only their answers tell
 * which values there are. `column` is the column the names go in, for the message. A lookup
 * LinkedIn refuses (any 4xx, or a 5xx after the client's retries) leaves its own names blank and
 * no other's: the counts do not depend on them, so the run keeps its rows and says once why the
 * names are missing.
 */
export function lookedUpNames(
  client: LinkedInClient,
  values: Array<{ lookup: FacetNames | undefined; value: string }>,
  column: string,
  grantedScopes: readonly string[] = [],
): { names: Map<string, string>; note: string | null; requests: number } {
  const lookups = new Map<FacetNames, Set<string>>();
  // A lookup the connection lacks a documented scope of (as LinkedIn granted it) is not asked:
  // LinkedIn would refuse it. Scopes LinkedIn did not say leave every lookup asked.
  const withheld = new Set<FacetNames>();
  const lacks = (lookup: FacetNames) => !!neededAccess(lookup) && lacksScopes(grantedScopes, lookup.scopes!);
  for (const { lookup, value } of values) {
    if (!lookup || !value.startsWith(lookup.urnPrefix)) continue;
    if (lacks(lookup)) {
      withheld.add(lookup);
      continue;
    }
    const id = value.slice(lookup.urnPrefix.length);
    if (!/^\d+$/.test(id)) continue;
    if (!lookups.has(lookup)) lookups.set(lookup, new Set());
    lookups.get(lookup)!.add(id);
  }
  const batches = [...lookups].flatMap(([lookup, idSet]) => {
    const ids = [...idSet];
    return Array.from({ length: Math.ceil(ids.length / lookup.batchSize) }, (_, index) => ({
      lookup,
      call: {
        path: lookup.path,
        unversioned: lookup.unversioned,
        query: {
          [lookup.param]: ids.slice(index * lookup.batchSize, (index + 1) * lookup.batchSize),
          ...lookup.fixed,
        },
      } satisfies ApiCall,
    }));
  });
  const names = new Map<string, string>();
  const requests = batches.length;
  const answers =
    requests === 0
      ? []
      : client.getAllSettled<{ results?: Record<string, unknown> }>(batches.map((batch) => batch.call));
  const refused = new Map<FacetNames, LinkedInError>();
  answers.forEach((answer, index) => {
    const { lookup } = batches[index];
    if (answer instanceof LinkedInError) {
      if (!refused.has(lookup)) refused.set(lookup, answer);
      return;
    }
    for (const [id, result] of Object.entries(answer.results ?? {})) {
      const name = readAt(result, lookup.nameAt);
      if (typeof name === 'string' && name) names.set(`${lookup.urnPrefix}${id}`, name);
    }
  });
  // Each lookup not given says its own reason: LinkedIn may refuse two for different ones.
  const notGiven = [
    ...[...withheld].map((lookup) => ({
      lookup,
      reason: `${neededAccess(lookup)}, which this connection does not have, so they were not asked; ${addAccess(lookup)}`,
    })),
    ...[...refused].map(([lookup, error]) => ({ lookup, reason: refusalReason(error, lookup) })),
  ];
  const note = notGiven.length
    ? `${notGiven.map(({ lookup, reason }) => `LinkedIn did not give the names of ${lookup.what}: ${reason}.`).join(' ')} ` +
      `Their rows leave “${column}” blank; everything else in them is as LinkedIn sent it.`
    : null;
  return { names, note, requests };
}
