import { INTROSPECTION_URL, PRODUCT_SCOPES } from '../linkedin/api';
import { LinkedInClient } from '../linkedin/client';
import { LinkedInError, OutOfTimeError } from '../linkedin/errors';
import {
  type AuthContext,
  appCredentials,
  chosenProducts,
  clearProblem,
  linkedInService,
  SetupError,
  setupPost,
} from './credentials';
import { connectionProbe } from './connection';
import { exchangeFailureMessage } from './sign-in';
import { libraryForm, readToken, type TokenRecord, writeToken } from './token';

// Tokens made on LinkedIn's OAuth 2.0 tools page and pasted into the sidebar, checked before they are kept.

/** LinkedIn access tokens last 60 days from creation. */
const ACCESS_TOKEN_SECONDS = 60 * 86_400;

/** A refresh token made on LinkedIn's OAuth 2.0 tools page: exchanged at once to check it and learn its expiry. */
export function pasteRefreshToken(context: AuthContext, refreshToken: string): void {
  const token = String(refreshToken ?? '').trim();
  if (!token) throw new SetupError('Paste the refresh token first: copy it from the OAuth 2.0 tools page.');
  if (/\s/.test(token))
    throw new SetupError('Paste the refresh token exactly as LinkedIn shows it, with no spaces.');
  if (!appCredentials(context)) {
    throw new SetupError(
      "A refresh token works only with the app that made it: enter that app's client ID and secret first.",
    );
  }
  const service = linkedInService(context);
  const previous = readToken(service);
  writeToken(service, { refresh_token: token });
  try {
    service.refresh();
  } catch (error) {
    // apps-script-oauth2 takes the user lock for refresh() and does not let go when it throws.
    context.userLock.releaseLock();
    if (previous) writeToken(service, previous);
    else service.reset();
    const text = error instanceof Error ? error.message : String(error);
    // The tools page shows the access token first and the refresh token at its bottom: easily mixed up.
    throw new SetupError(
      /invalid_grant/.test(text)
        ? 'LinkedIn refused that refresh token: it has expired, was revoked, or belongs to a different app. Make a new one on the OAuth 2.0 tools page. If you pasted the access token, click “Use as access token” instead.'
        : exchangeFailureMessage(error, context),
    );
  }
  clearProblem(context);
}

interface Introspection {
  active?: boolean;
  status?: string;
  expires_at?: number;
  scope?: string;
}

/** A lone access token: checked with introspection when we have the app's credentials, else with a cheap API call. */
export function pasteAccessToken(context: AuthContext, accessToken: string): void {
  const token = String(accessToken ?? '').trim();
  if (!token) throw new SetupError('Paste the access token first: copy it from the OAuth 2.0 tools page.');
  if (/\s/.test(token))
    throw new SetupError('Paste the access token exactly as LinkedIn shows it, with no spaces.');
  const pastedAt = context.clock.now();
  const nowSeconds = Math.floor(pastedAt / 1000);
  const credentials = appCredentials(context);
  let record: TokenRecord;
  if (credentials) {
    const response = setupPost(
      context,
      INTROSPECTION_URL,
      { client_id: credentials.clientId, client_secret: credentials.clientSecret, token },
      'LinkedIn did not answer when the token was checked, so nothing was changed. Try again in a minute.',
    );
    const answer = JSON.parse(response.body || '{}') as Introspection;
    if (response.status !== 200 || !answer.active) {
      throw new SetupError(
        answer.status === 'expired'
          ? 'That access token has expired. Make a new one on the OAuth 2.0 tools page.'
          : response.status === 401
            ? "LinkedIn did not accept the app's client ID and secret, so the token could not be checked. Copy them again from your app's Auth tab."
            : 'LinkedIn does not recognise that access token for this app. Check you copied all of it, from the app whose client ID is saved here.',
      );
    }
    record = libraryForm(
      {
        access_token: token,
        expires_in: (answer.expires_at ?? nowSeconds) - nowSeconds,
        scope: answer.scope,
      },
      pastedAt,
    );
  } else {
    const products = chosenProducts(context);
    const probe = new LinkedInClient(context.http, context.clock, () => token, {
      deadline: context.clock.now() + 60_000,
      maxAttempts: 2,
    });
    try {
      probe.get(connectionProbe(products));
    } catch (error) {
      if (error instanceof OutOfTimeError)
        throw new SetupError('LinkedIn did not answer in time to check the token. Try again in a minute.');
      if (!(error instanceof LinkedInError)) throw error;
      if (error.kind === 'reconnect') {
        throw new SetupError(
          'LinkedIn does not accept that access token: it may have expired. Make a new one on the OAuth 2.0 tools page.',
        );
      }
      if (error.kind === 'permission') {
        throw new SetupError(
          `LinkedIn accepts the token but it lacks the scopes for ${products.join(' and ')} data. On the OAuth 2.0 tools page, tick ${products
            .flatMap((product) => PRODUCT_SCOPES[product])
            .join(', ')} and make a new token.`,
        );
      }
      throw new SetupError(`LinkedIn could not check the token: ${error.message}`);
    }
    record = libraryForm(
      { access_token: token, expires_in: ACCESS_TOKEN_SECONDS, expiry_estimated: true },
      pastedAt,
    );
  }
  const service = linkedInService(context);
  service.reset();
  writeToken(service, record);
  clearProblem(context);
}
