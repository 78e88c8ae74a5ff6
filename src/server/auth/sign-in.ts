import { PRODUCT_SCOPES, type Product } from '../linkedin/api';
import { PRODUCT_CHOICES, PRODUCT_NAMES, PRODUCTS } from '../linkedin/products';
import { isUrlFetchQuotaSpent, UrlFetchQuotaError } from '../linkedin/errors';
import {
  adoptPendingApp,
  type AuthContext,
  clearProblem,
  linkedInService,
  PRODUCTS_KEY,
  redirectUri,
  SetupError,
  SIGN_IN_KEY,
  signInCredentials,
} from './credentials';

// Signing in with LinkedIn: the authorization URL, and LinkedIn's redirect with its code.

/** A sign-in outcome repeats LinkedIn's words, which have no length limit; a property value holds 9 KB. */
const OUTCOME_MAX_CHARS = 1000;
export const NO_SCOPES_ADVICE =
  'LinkedIn says "There aren\'t any scopes available for this app": your LinkedIn app has no approved API product yet. ' +
  `In the LinkedIn Developer portal, open your app > Products and request ${PRODUCTS.map(
    (product) => `the ${PRODUCT_NAMES[product].linkedIn} (for ${PRODUCT_NAMES[product].label})`,
  ).join(', ')}, as you need. Connect again once LinkedIn approves it.`;

/**
 * LinkedIn refused one scope the sign-in asked (`Scope "…" is not authorized for your
 * application`): the whole sign-in fails, so the user is told which product grants it, and that
 * unticking it connects the rest.
 */
function refusedScopeAdvice(description: string): string {
  const scope = /"([^"]+)"/.exec(description)?.[1];
  const product = PRODUCTS.find((candidate) => scope && PRODUCT_SCOPES[candidate].includes(scope));
  if (!product) return `${description}. ${NO_SCOPES_ADVICE}`;
  const { label, linkedIn } = PRODUCT_NAMES[product];
  return (
    `${description}: it comes with LinkedIn's ${linkedIn} product, which your LinkedIn app does not have. ` +
    `Request it in the LinkedIn Developer portal (your app > Products), or untick “${label}” and connect again.`
  );
}

export function startAuthorization(context: AuthContext, products: Product[]): string {
  const valid = products.filter((product) => product in PRODUCT_SCOPES);
  if (valid.length === 0) throw new SetupError(`Choose ${PRODUCT_CHOICES} before signing in.`);
  const credentials = signInCredentials(context);
  if (!credentials) {
    throw new SetupError("Enter your LinkedIn app's client ID and client secret first (Setup, below).");
  }
  context.userProperties.setProperty(PRODUCTS_KEY, JSON.stringify(valid));
  context.userProperties.deleteProperty(SIGN_IN_KEY);
  return linkedInService(context, credentials).getAuthorizationUrl();
}

export interface CallbackOutcome {
  ok: boolean;
  title: string;
  message: string;
}

/** Why a token exchange failed, in words that say what to fix. */
export function exchangeFailureMessage(error: unknown, context: AuthContext): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/invalid_redirect_uri|redirect[ _]uri/i.test(text)) {
    return `LinkedIn refused the redirect URI. In your LinkedIn app's Auth tab, add exactly ${redirectUri(context.scriptId)} under "Authorized redirect URLs for your app", then connect again.`;
  }
  if (/invalid_client/i.test(text)) {
    return "LinkedIn did not accept the client ID and secret. Copy both again from your app's Auth tab in the LinkedIn Developer portal, save them, and connect again.";
  }
  if (/invalid_grant/i.test(text)) {
    return 'The sign-in code expired or was already used (LinkedIn codes last 30 minutes and work once). Start the sign-in again from the sidebar.';
  }
  if (isUrlFetchQuotaSpent(error)) return new UrlFetchQuotaError(error).message;
  return `LinkedIn sign-in failed (${text}). Start the sign-in again from the sidebar.`;
}

function recordSignIn(context: AuthContext, outcome: CallbackOutcome): CallbackOutcome {
  const message =
    outcome.message.length > OUTCOME_MAX_CHARS
      ? `${outcome.message.slice(0, OUTCOME_MAX_CHARS - 1)}…`
      : outcome.message;
  context.userProperties.setProperty(SIGN_IN_KEY, JSON.stringify({ ok: outcome.ok, message }));
  return outcome;
}

/** A sign-in that cannot finish for a reason on Google's side, kept for the sidebar that is polling. */
export function refuseSignIn(context: AuthContext, message: string): CallbackOutcome {
  return recordSignIn(context, { ok: false, title: 'LinkedIn is not connected', message });
}

/** LinkedIn's redirect: the token exchange, and the outcome kept for the sidebar that is polling. */
export function finishAuthorization(
  context: AuthContext,
  request: { parameter: Record<string, string> },
): CallbackOutcome {
  return recordSignIn(context, exchangeCode(context, request));
}

function exchangeCode(context: AuthContext, request: { parameter: Record<string, string> }): CallbackOutcome {
  const { error, error_description: description } = request.parameter;
  const failure = (message: string): CallbackOutcome => ({
    ok: false,
    title: 'LinkedIn is not connected',
    message,
  });
  if (error === 'user_cancelled_authorize' || error === 'user_cancelled_login' || error === 'access_denied') {
    return failure(
      'You cancelled the LinkedIn sign-in. Nothing was changed; start again from the sidebar when you are ready.',
    );
  }
  if (error === 'unauthorized_scope_error') {
    return failure(
      /aren't any scopes/i.test(description ?? '') ? NO_SCOPES_ADVICE : refusedScopeAdvice(description ?? ''),
    );
  }
  if (error)
    return failure(
      `LinkedIn answered "${error}"${description ? `: ${description}` : ''}. Start the sign-in again from the sidebar.`,
    );
  try {
    // The code belongs to the app the sign-in started with: a failed exchange leaves the token it replaces.
    linkedInService(context, signInCredentials(context)).handleCallback(request);
  } catch (exchangeError) {
    return failure(exchangeFailureMessage(exchangeError, context));
  }
  adoptPendingApp(context);
  clearProblem(context);
  return {
    ok: true,
    title: 'LinkedIn is connected',
    message: 'You can close this window and go back to the spreadsheet.',
  };
}
