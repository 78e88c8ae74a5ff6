import { createOfflineWorld, offlineApp, type OfflineWorld } from '../../sandbox/offline-world';
import { DEFAULT_APP } from '../../sandbox/linkedin/simulator';
import { accessTokenProvider } from '../../src/server/auth/connection';
import { pasteRefreshToken } from '../../src/server/auth/pasted-tokens';
import { connectionNotice } from '../../src/server/auth/status';
import { authContextIn } from '../helpers/core';
import { analyticsReport, runNow, saveReport } from '../helpers/reports';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  signIn,
  status,
  storedToken,
  tokenRequests,
  toOlderTokenForm,
  connectedWorld,
} from '../helpers/connect';

const ANN = 'ann@example.com';
const BOB = 'bob@example.com';
const DAY = 86_400_000;

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('signing in with LinkedIn through the built add-on', () => {
  it("completes the round trip and keeps the token in the user's properties only", () => {
    const offline = createOfflineWorld();
    const { authorizationUrl, page } = signIn(offline, ANN);
    const url = new URL(authorizationUrl);
    expect(url.origin + url.pathname).toBe('https://www.linkedin.com/oauth/v2/authorization');
    expect(url.searchParams.get('scope')).toBe('r_ads r_ads_reporting');
    expect(url.searchParams.get('redirect_uri')).toBe(offline.redirectUri);
    expect(page.html).toContain('LinkedIn is connected');
    expect(status(offline, ANN).signIn).toEqual({
      ok: true,
      message: 'You can close this window and go back to the spreadsheet.',
    });
    const token = storedToken(offline, ANN)!;
    const nowSeconds = Math.floor(offline.clock.now() / 1000);
    // As apps-script-oauth2 1.43.0 stores it: LinkedIn's answer plus absolute expiries in seconds.
    expect(token).toMatchObject({
      expires_in: 5183999,
      refresh_token_expires_in: 31535999,
      scope: 'r_ads,r_ads_reporting',
      expiresAt: nowSeconds + 5183999,
      refreshTokenExpiresAt: nowSeconds + 31535999,
    });
    expect(token).not.toHaveProperty('granted_time');
    expect(status(offline, ANN)).toMatchObject({
      connected: true,
      needsReconnect: false,
      scopes: ['r_ads', 'r_ads_reporting'],
      accessTokenDaysLeft: 59,
      refreshTokenDaysLeft: 364,
      hasRefreshToken: true,
      appCredentials: 'user',
      clientId: CLIENT_ID,
      redirectUri: `https://script.google.com/macros/d/${offline.world.scriptId}/usercallback`,
    });
  });

  it('asks for the scopes of the products chosen', () => {
    const offline = createOfflineWorld();
    const { authorizationUrl } = signIn(offline, ANN, 'sim1Person', ['ads', 'pages']);
    expect(new URL(authorizationUrl).searchParams.get('scope')).toBe(
      'r_ads r_ads_reporting r_organization_social rw_organization_admin',
    );
  });

  it('says so when the user cancels on LinkedIn', () => {
    const offline = createOfflineWorld();
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    const { authorizationUrl } = offline.world.callFromSidebar(ANN, 'startLinkedInSignIn', ['ads']) as {
      authorizationUrl: string;
    };
    const page = offline.world.handleUserCallback(
      offline.linkedin.consent(authorizationUrl, 'sim1Person', 'cancel'),
    );
    expect(page.html).toContain('You cancelled the LinkedIn sign-in');
    // The sidebar polling the connection learns it at once, in the same words.
    expect(status(offline, ANN)).toMatchObject({
      connected: false,
      signIn: {
        ok: false,
        message:
          'You cancelled the LinkedIn sign-in. Nothing was changed; start again from the sidebar when you are ready.',
      },
    });
    offline.world.callFromSidebar(ANN, 'startLinkedInSignIn', ['ads']);
    expect(status(offline, ANN).signIn).toBeNull();
  });

  it('refuses a sign-in for no data, naming what to tick', () => {
    const offline = createOfflineWorld();
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    expect(() => offline.world.callFromSidebar(ANN, 'startLinkedInSignIn', ['nothing'])).toThrow(
      'Choose Ads, Pages or Lead forms before signing in.',
    );
  });

  it("keeps a failed sign-in's outcome for the sidebar within the property size limit, however long LinkedIn's words", () => {
    const offline = createOfflineWorld();
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    const { authorizationUrl } = offline.world.callFromSidebar(ANN, 'startLinkedInSignIn', ['ads']) as {
      authorizationUrl: string;
    };
    const state = new URL(authorizationUrl).searchParams.get('state')!;
    const description = 'é'.repeat(20_000); // 40,000 bytes: over the 9 KB a property value may hold
    const page = offline.world.handleUserCallback(
      `${offline.redirectUri}?error=server_error&error_description=${encodeURIComponent(description)}&state=${state}`,
    );
    expect(page.html).toContain(description);
    const outcome = status(offline, ANN).signIn!;
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toHaveLength(1000);
    expect(outcome.message.startsWith('LinkedIn answered "server_error": ééé')).toBe(true);
    expect(outcome.message.endsWith('é…')).toBe(true);
  });

  it('names the redirect URI to register when LinkedIn refuses it', () => {
    const other = 'https://example.com/elsewhere';
    const offline = createOfflineWorld();
    offline.linkedin.apps[0].redirectUris.push(other);
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    const { authorizationUrl } = offline.world.callFromSidebar(ANN, 'startLinkedInSignIn', ['ads']) as {
      authorizationUrl: string;
    };
    const elsewhere = authorizationUrl.replace(
      encodeURIComponent(offline.redirectUri),
      encodeURIComponent(other),
    );
    const landed = new URL(offline.linkedin.consent(elsewhere, 'sim1Person'));
    const callback = `${offline.redirectUri}?${landed.searchParams.toString()}`;
    const page = offline.world.handleUserCallback(callback);
    expect(page.html).toContain('LinkedIn refused the redirect URI');
    expect(page.html).toContain(offline.redirectUri);
    expect(status(offline, ANN).connected).toBe(false);
  });

  it('explains an unregistered redirect URI: LinkedIn shows its own error and never redirects', () => {
    const offline = createOfflineWorld({
      apps: [{ ...DEFAULT_APP, redirectUris: ['https://example.com/other'] }],
    });
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    const { authorizationUrl } = offline.world.callFromSidebar(ANN, 'startLinkedInSignIn', ['ads']) as {
      authorizationUrl: string;
    };
    expect(() => offline.linkedin.consent(authorizationUrl, 'sim1Person')).toThrow(
      'The redirect_uri does not match the registered value',
    );
    expect(status(offline, ANN).redirectUri).toBe(offline.redirectUri);
  });

  it('says to start again when the code expired', () => {
    const offline = createOfflineWorld();
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    const { authorizationUrl } = offline.world.callFromSidebar(ANN, 'startLinkedInSignIn', ['ads']) as {
      authorizationUrl: string;
    };
    const redirect = offline.linkedin.consent(authorizationUrl, 'sim1Person');
    offline.clock.advance(31 * 60_000);
    expect(offline.world.handleUserCallback(redirect).html).toContain(
      'The sign-in code expired or was already used',
    );
  });

  it('says which client credentials are wrong when the secret was reset after it was saved', () => {
    const offline = createOfflineWorld();
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    offline.linkedin.apps[0].clientSecret = 'reset-in-the-portal';
    const { authorizationUrl } = offline.world.callFromSidebar(ANN, 'startLinkedInSignIn', ['ads']) as {
      authorizationUrl: string;
    };
    const page = offline.world.handleUserCallback(offline.linkedin.consent(authorizationUrl, 'sim1Person'));
    expect(page.html).toContain('LinkedIn did not accept the client ID and secret');
  });

  it("speaks the user guide's words when the app has no approved product", () => {
    const offline = createOfflineWorld();
    offline.linkedin.apps[0].products = [];
    const { page } = signIn(offline, ANN);
    expect(page.html).toContain('There aren&#39;t any scopes available for this app');
    expect(page.html).toContain('Advertising API');
    expect(page.html).toContain('Community Management API');
  });

  it('names the LinkedIn product a refused scope comes with, and that unticking it connects the rest', () => {
    const offline = createOfflineWorld();
    offline.linkedin.apps[0].products = ['ads', 'pages'];
    const { page } = signIn(offline, ANN, 'sim1Person', ['ads', 'leads']);
    expect(page.html).toContain(
      'Scope &quot;r_marketing_leadgen_automation&quot; is not authorized for your application: it comes with LinkedIn&#39;s Lead Sync API product, which your LinkedIn app does not have.',
    );
    expect(page.html).toContain('or untick “Lead forms” and connect again.');
    expect(status(offline, ANN).connected).toBe(false);
    // Without it, the same app connects.
    signIn(offline, ANN, 'sim1Person', ['ads']);
    expect(status(offline, ANN).connected).toBe(true);
  });

  it('refuses to start without app credentials, with what to do', () => {
    const offline = createOfflineWorld();
    expect(() => offline.world.callFromSidebar(ANN, 'startLinkedInSignIn', ['ads'])).toThrow(
      "Enter your LinkedIn app's client ID and client secret first",
    );
    expect(() => offline.world.callFromSidebar(ANN, 'saveLinkedInApp', 'has spaces', 'x')).toThrow(
      "That client ID doesn't look right",
    );
  });

  it('asks for an empty client ID or secret, and catches a client secret in the Client ID box before asking LinkedIn', () => {
    const offline = createOfflineWorld();
    const save = (id: string, secret: string) => () =>
      offline.world.callFromSidebar(ANN, 'saveLinkedInApp', id, secret);
    expect(save('  ', CLIENT_SECRET)).toThrow(
      "Enter your app's client ID: copy it from your app's Auth tab in the LinkedIn Developer portal.",
    );
    expect(save(CLIENT_ID, '')).toThrow(
      "Enter your app's client secret too: copy the Primary Client Secret from your app's Auth tab in the LinkedIn Developer portal.",
    );
    // LinkedIn's newer secrets (WPL_AP1.…), and anything with a dot or base64 padding: never a client ID.
    for (const secret of ['WPL_AP1.a1B2c3D4e5F6g7H8.Xy/Z+w==', 'abc123.def456', 'a1B2c3D4e5F6g7H8=='])
      expect(save(secret, CLIENT_SECRET)).toThrow(
        "The Client ID box seems to hold the client secret, so nothing was saved. On your app's Auth tab in the LinkedIn Developer portal, copy the Client ID into Client ID and the Primary Client Secret into Client secret.",
      );
    expect(offline.world.fetchLog).toHaveLength(0);
    expect(status(offline, ANN).appCredentials).toBe('none');
  });

  it("accepts a client secret in LinkedIn's newer form, with + and / in it", () => {
    const secret = 'WPL_AP1.a1B2c3D4e5F6g7H8.Xy/Z+w==';
    const offline = createOfflineWorld({ apps: [{ ...offlineApp(), clientSecret: secret }] });
    expect(offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, secret)).toMatchObject({
      appCredentials: 'user',
      clientId: CLIENT_ID,
    });
    const { authorizationUrl } = offline.world.callFromSidebar(ANN, 'startLinkedInSignIn', ['ads']) as {
      authorizationUrl: string;
    };
    offline.world.handleUserCallback(offline.linkedin.consent(authorizationUrl, 'sim1Person'));
    expect(status(offline, ANN).connected).toBe(true);
  });

  it("falls back to the publisher's app from script properties", () => {
    const offline = createOfflineWorld();
    offline.world.scriptProperties.entries.set(
      'linkedin.app',
      JSON.stringify({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
    );
    const { authorizationUrl } = offline.world.callFromSidebar(ANN, 'startLinkedInSignIn', ['ads']) as {
      authorizationUrl: string;
    };
    offline.world.handleUserCallback(offline.linkedin.consent(authorizationUrl, 'sim1Person'));
    expect(status(offline, ANN)).toMatchObject({ connected: true, appCredentials: 'publisher' });
  });
});

describe('the menu item "Connect LinkedIn"', () => {
  it('opens the sidebar when no app is set up, else a dialog with the sign-in link', () => {
    const offline = createOfflineWorld();
    offline.world.run(ANN, 'connectLinkedIn');
    expect(offline.world.ui(ANN).sidebar!.getTitle()).toBe('LinkedIn Data');
    expect(offline.world.ui(ANN).dialogs).toHaveLength(0);
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    offline.world.run(ANN, 'connectLinkedIn');
    const [dialog] = offline.world.ui(ANN).dialogs;
    expect(dialog.title).toBe('Connect LinkedIn');
    const link = /href="([^"]+)"/.exec(dialog.html.getContent())![1].replace(/&amp;/g, '&');
    expect(link.startsWith('https://www.linkedin.com/oauth/v2/authorization?')).toBe(true);
    expect(offline.world.handleUserCallback(offline.linkedin.consent(link, 'sim1Person')).html).toContain(
      'LinkedIn is connected',
    );
  });
});

/** Every flow runs with the token as release 1.43.0 writes it and as older versions wrote it (granted_time). */
const LIFECYCLE_CASES: Array<[string, boolean]> = [
  ['as 1.43.0 writes it', false],
  ['in the granted_time form older versions wrote', true],
];

describe.each(LIFECYCLE_CASES)('the token lifecycle, token stored %s', (_name, older) => {
  /** Signs Ann in, then stores her token in the case's form; the library reads it as the case says. */
  const connected = (offline = createOfflineWorld()) => {
    signIn(offline, ANN);
    if (older) toOlderTokenForm(offline, ANN);
    return offline;
  };

  it('refreshes the access token once it is about to expire, keeping the refresh token', () => {
    const offline = connected();
    const first = storedToken(offline, ANN)!;
    offline.world.callFromSidebar(ANN, 'testLinkedInConnection');
    expect(tokenRequests(offline)).toHaveLength(1);
    offline.clock.advance(60 * DAY - 30_000);
    const after = offline.world.callFromSidebar(ANN, 'testLinkedInConnection') as {
      accessTokenDaysLeft: number;
      refreshTokenDaysLeft: number;
    };
    expect(tokenRequests(offline)).toHaveLength(2);
    expect(tokenRequests(offline)[1].body).toContain('grant_type=refresh_token');
    const second = storedToken(offline, ANN)!;
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).toBe(first.refresh_token);
    // The refreshed token is in 1.43.0's form whatever form the old one had.
    expect(second).not.toHaveProperty('granted_time');
    expect(second.expiresAt).toBe(Math.floor(offline.clock.now() / 1000) + 5183999);
    const firstRefreshExpiry = older
      ? (first.granted_time as number) + (first.refresh_token_expires_in as number)
      : (first.refreshTokenExpiresAt as number);
    expect(Math.abs((second.refreshTokenExpiresAt as number) - firstRefreshExpiry)).toBeLessThanOrEqual(1);
    expect(after.accessTokenDaysLeft).toBe(59);
    // 365 days - 1 s granted, 60 days - 30 s gone: 305 whole days left.
    expect(after.refreshTokenDaysLeft).toBe(305);
  });

  it('asks to reconnect when LinkedIn refuses the refresh token', () => {
    const offline = connected();
    offline.linkedin.revokeAll('sim1Person');
    offline.clock.advance(61 * DAY);
    expect(() => offline.world.callFromSidebar(ANN, 'testLinkedInConnection')).toThrow(
      'LinkedIn refused to renew the connection',
    );
    expect(status(offline, ANN)).toMatchObject({
      connected: false,
      needsReconnect: true,
      problem: expect.stringContaining('Sign in with LinkedIn again'),
    });
    signIn(offline, ANN);
    expect(status(offline, ANN)).toMatchObject({ connected: true, needsReconnect: false, problem: null });
  });

  it('asks to reconnect when LinkedIn revoked the access token before its end, on Check and after a run', () => {
    const offline = connected();
    offline.linkedin.revokeAll('sim1Person');
    // The token is not due to end: only LinkedIn can tell, so Check asks it.
    const refusal =
      'LinkedIn no longer accepts this connection: it was revoked, or ended. Sign in with LinkedIn again.';
    expect(() => offline.world.callFromSidebar(ANN, 'testLinkedInConnection')).toThrow(refusal);
    expect(status(offline, ANN)).toMatchObject({ connected: false, needsReconnect: true, problem: refusal });
    expect(offline.linkedin.calls.at(-1)).toMatchObject({ path: '/rest/adAccountUsers', status: 401 });
    signIn(offline, ANN);
    expect(status(offline, ANN)).toMatchObject({ connected: true, needsReconnect: false, problem: null });
    // A run that meets the refusal says so in the panel too.
    const report = saveReport(offline, ANN, analyticsReport());
    offline.linkedin.revokeAll('sim1Person');
    expect(runNow(offline, ANN, report.config.id).at(-1)).toMatchObject({ status: 'failed' });
    expect(status(offline, ANN)).toMatchObject({ needsReconnect: true });
  });

  it("emails a scheduled run's user only when the renewal really failed", () => {
    const renewed = connected();
    renewed.clock.advance(61 * DAY);
    const quiet = renewed.world.execute(ANN, (scope: Scope) => {
      const context = authContextIn(renewed, scope);
      accessTokenProvider(context)();
      return connectionNotice(context);
    });
    expect(quiet).toBeNull();
    expect(status(renewed, ANN)).toMatchObject({ connected: true, accessTokenDaysLeft: 59 });

    const revoked = connected();
    revoked.linkedin.revokeAll('sim1Person');
    revoked.clock.advance(61 * DAY);
    const notice = revoked.world.execute(ANN, (scope: Scope) => {
      const context = authContextIn(revoked, scope);
      expect(() => accessTokenProvider(context)()).toThrow('LinkedIn refused to renew the connection');
      return connectionNotice(context);
    });
    expect(notice?.subject).toBe('LinkedIn Data: reconnect LinkedIn to keep imports running');
  });

  it('asks to reconnect once the refresh token has expired after a year', () => {
    const offline = connected();
    offline.clock.advance(366 * DAY);
    expect(status(offline, ANN)).toMatchObject({ connected: false, needsReconnect: true });
    expect(() => offline.world.callFromSidebar(ANN, 'testLinkedInConnection')).toThrow(
      'Sign in with LinkedIn again',
    );
  });

  it('shows the days left right after signing in', () => {
    const offline = connected();
    expect(status(offline, ANN)).toMatchObject({
      connected: true,
      accessTokenDaysLeft: 59,
      refreshTokenDaysLeft: 364,
      warning: null,
    });
    offline.clock.advance(10 * DAY);
    expect(status(offline, ANN)).toMatchObject({ accessTokenDaysLeft: 49, refreshTokenDaysLeft: 354 });
  });

  it('warns 14 days before the connection ends', () => {
    const offline = connected();
    offline.clock.advance(349 * DAY); // 15 whole days left
    expect(status(offline, ANN).warning).toBeNull();
    offline.clock.advance(3 * DAY);
    expect(status(offline, ANN).warning).toBe(
      'The LinkedIn connection ends in 12 days (refresh tokens last a year). Reconnect before then to keep scheduled imports running.',
    );
  });

  it('disconnects, and forgets the app secret only when asked', () => {
    const offline = connected();
    expect(offline.world.callFromSidebar(ANN, 'disconnectLinkedIn')).toMatchObject({
      connected: false,
      appCredentials: 'user',
    });
    expect(storedToken(offline, ANN)).toBeNull();
    expect(offline.world.callFromSidebar(ANN, 'usePublisherLinkedInApp')).toMatchObject({
      appCredentials: 'none',
    });
    expect(offline.world.userProperties.get(ANN)!.entries.has('linkedin.app')).toBe(false);
  });
});

describe("the user's own app", () => {
  const OTHER_ID = 'own-app-id';
  const OTHER_SECRET = 'own-app-secret';
  /** Two apps on LinkedIn: the publisher's (set up in script properties) and Ann's own. */
  const twoApps = () => {
    const offline = createOfflineWorld();
    offline.linkedin.apps.push({
      ...offline.linkedin.apps[0],
      clientId: OTHER_ID,
      clientSecret: OTHER_SECRET,
      name: 'Ann’s app',
    });
    offline.world.scriptProperties.entries.set(
      'linkedin.app',
      JSON.stringify({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
    );
    return offline;
  };
  const signInWith = (offline: OfflineWorld, decision: 'allow' | 'cancel' = 'allow') => {
    const { authorizationUrl } = offline.world.callFromSidebar(ANN, 'startLinkedInSignIn', ['ads']) as {
      authorizationUrl: string;
    };
    offline.world.handleUserCallback(offline.linkedin.consent(authorizationUrl, 'sim1Person', decision));
    return new URL(authorizationUrl).searchParams.get('client_id');
  };
  const userEntries = (offline: OfflineWorld) => offline.world.userProperties.get(ANN)!.entries;

  it('refuses a wrong client ID or secret before storing it, and a working connection stays', () => {
    const offline = twoApps();
    signInWith(offline);
    const token = storedToken(offline, ANN);
    for (const [id, secret] of [
      [OTHER_ID, 'not-the-secret'],
      ['no-such-app', OTHER_SECRET],
    ]) {
      expect(() => offline.world.callFromSidebar(ANN, 'saveLinkedInApp', id, secret)).toThrow(
        'LinkedIn did not accept that client ID and secret, so nothing was changed.',
      );
    }
    expect(storedToken(offline, ANN)).toEqual(token);
    expect(userEntries(offline).has('linkedin.app')).toBe(false);
    expect(status(offline, ANN)).toMatchObject({
      connected: true,
      appCredentials: 'publisher',
      pendingClientId: null,
    });
    // The check is one request to the token endpoint with a code LinkedIn never issued.
    const checks = offline.world.fetchLog.filter((call) => /code=credential-check/.test(call.body));
    expect(checks).toHaveLength(2);
  });

  it('keeps the connection there is until a sign-in with the new app works', () => {
    const offline = twoApps();
    signInWith(offline);
    const token = storedToken(offline, ANN);
    expect(offline.world.callFromSidebar(ANN, 'saveLinkedInApp', OTHER_ID, OTHER_SECRET)).toMatchObject({
      connected: true,
      clientId: CLIENT_ID,
      pendingClientId: OTHER_ID,
    });
    expect(storedToken(offline, ANN)).toEqual(token);
    // A cancelled sign-in with the new app changes nothing.
    expect(signInWith(offline, 'cancel')).toBe(OTHER_ID);
    expect(storedToken(offline, ANN)).toEqual(token);
    expect(status(offline, ANN)).toMatchObject({ connected: true, clientId: CLIENT_ID });
    expect(signInWith(offline)).toBe(OTHER_ID);
    expect(status(offline, ANN)).toMatchObject({
      connected: true,
      appCredentials: 'user',
      clientId: OTHER_ID,
      pendingClientId: null,
    });
    expect(storedToken(offline, ANN)!.access_token).not.toBe(token!.access_token);
  });

  it("offers the publisher's app again whether connected or not, forgetting the user's secret", () => {
    const offline = twoApps();
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', OTHER_ID, OTHER_SECRET);
    expect(status(offline, ANN)).toMatchObject({
      connected: false,
      appCredentials: 'user',
      publisherApp: true,
    });
    expect(offline.world.callFromSidebar(ANN, 'usePublisherLinkedInApp')).toMatchObject({
      appCredentials: 'publisher',
      clientId: CLIENT_ID,
    });
    expect(userEntries(offline).has('linkedin.app')).toBe(false);

    // Connected through the user's app: its token cannot renew through the publisher's, so it goes.
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', OTHER_ID, OTHER_SECRET);
    signInWith(offline);
    expect(status(offline, ANN)).toMatchObject({ connected: true, clientId: OTHER_ID });
    expect(offline.world.callFromSidebar(ANN, 'usePublisherLinkedInApp')).toMatchObject({
      connected: false,
      appCredentials: 'publisher',
    });
    expect(storedToken(offline, ANN)).toBeNull();

    // Connected through the publisher's app with the user's app waiting: only the waiting app goes.
    signInWith(offline);
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', OTHER_ID, OTHER_SECRET);
    expect(offline.world.callFromSidebar(ANN, 'usePublisherLinkedInApp')).toMatchObject({
      connected: true,
      clientId: CLIENT_ID,
      pendingClientId: null,
    });
    expect(userEntries(offline).has('linkedin.pendingApp')).toBe(false);
  });
});

describe('access the connection lacks', () => {
  it('refuses to list pages at once, in words, when the connection holds only Ads scopes', () => {
    const offline = connectedWorld(ANN);
    expect(status(offline, ANN).missingAccess).toEqual([
      { product: 'pages', words: 'Pages statistics and posts' },
      { product: 'leads', words: 'Lead Gen Form responses' },
    ]);
    const before = offline.linkedin.calls.length;
    expect(() => offline.world.callFromSidebar(ANN, 'listLinkedInPages')).toThrow(
      'This LinkedIn connection has no Pages statistics and posts access. Click “Add Pages access” in the LinkedIn connection panel above to sign in again with it.',
    );
    expect(offline.linkedin.calls.length).toBe(before);
    expect(Array.isArray(offline.world.callFromSidebar(ANN, 'listLinkedInAdAccounts'))).toBe(true);
  });

  it("asks only for the scopes the list's catalog entry needs", () => {
    const offline = createOfflineWorld();
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    const { access_token } = offline.linkedin.issueTokens('sim1Person', ['rw_organization_admin']);
    offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', access_token);
    // Pages posts (r_organization_social) are missing, but the page list needs only rw_organization_admin.
    expect(status(offline, ANN).missingAccess.map((missing) => missing.product)).toEqual([
      'ads',
      'pages',
      'leads',
    ]);
    const pages = offline.world.callFromSidebar(ANN, 'listLinkedInPages') as Array<{ name: string }>;
    expect(pages.length).toBeGreaterThan(0);
  });

  it('refuses to list ad accounts when the connection holds only Pages scopes', () => {
    const offline = connectedWorld(ANN, {}, ['pages']);
    expect(() => offline.world.callFromSidebar(ANN, 'listLinkedInAdAccounts')).toThrow(
      'This LinkedIn connection has no Ads reporting access.',
    );
    // Signing in again for both products, as "Add Ads access" does, ends the refusal.
    signIn(offline, ANN, 'sim1Person', ['pages', 'ads']);
    expect(status(offline, ANN).missingAccess).toEqual([
      { product: 'leads', words: 'Lead Gen Form responses' },
    ]);
    expect(Array.isArray(offline.world.callFromSidebar(ANN, 'listLinkedInAdAccounts'))).toBe(true);
  });
});

describe('the manual path: tokens from the OAuth 2.0 tools page', () => {
  it('exchanges a pasted refresh token at once and learns its expiry', () => {
    const offline = createOfflineWorld();
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    const tokens = offline.linkedin.issueTokens('sim1Person', ['r_ads', 'r_ads_reporting']);
    offline.clock.advance(30 * DAY);
    const result = offline.world.callFromSidebar(
      ANN,
      'pasteLinkedInRefreshToken',
      ` ${tokens.refresh_token} `,
    );
    expect(result).toMatchObject({
      connected: true,
      hasRefreshToken: true,
      refreshTokenDaysLeft: 334,
      accessTokenDaysLeft: 59,
    });
    const nowSeconds = Math.floor(offline.clock.now() / 1000);
    const stored = storedToken(offline, ANN)!;
    expect(stored).toMatchObject({
      refresh_token: tokens.refresh_token,
      expiresAt: nowSeconds + 5183999,
      refreshTokenExpiresAt: nowSeconds + (stored.refresh_token_expires_in as number),
    });
    expect(stored.refresh_token_expires_in).toBe(335 * 86_400 - 1);
    expect(stored).not.toHaveProperty('granted_time');
  });

  it('refuses a bad refresh token and keeps the connection there was', () => {
    const offline = connectedWorld(ANN);
    const before = storedToken(offline, ANN);
    expect(() => offline.world.callFromSidebar(ANN, 'pasteLinkedInRefreshToken', 'AQXnot-a-token')).toThrow(
      'LinkedIn refused that refresh token',
    );
    expect(storedToken(offline, ANN)).toEqual(before);
  });

  it('asks for a token when the box is empty, and offers "Use as access token" when a refresh token is refused', () => {
    const offline = createOfflineWorld();
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    expect(() => offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', ' ')).toThrow(
      'Paste the access token first: copy it from the OAuth 2.0 tools page.',
    );
    expect(() => offline.world.callFromSidebar(ANN, 'pasteLinkedInRefreshToken', '')).toThrow(
      'Paste the refresh token first: copy it from the OAuth 2.0 tools page.',
    );
    // An access token pasted as the refresh token: LinkedIn's token endpoint refuses it.
    const { access_token } = offline.linkedin.issueTokens('sim1Person', ['r_ads', 'r_ads_reporting']);
    expect(() => offline.world.callFromSidebar(ANN, 'pasteLinkedInRefreshToken', access_token)).toThrow(
      'LinkedIn refused that refresh token: it has expired, was revoked, or belongs to a different app. Make a new one on the OAuth 2.0 tools page. If you pasted the access token, click “Use as access token” instead.',
    );
    expect(offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', access_token)).toMatchObject({
      connected: true,
    });
  });

  it('lets go of the user lock the library keeps after a refused refresh token', () => {
    const offline = createOfflineWorld();
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    offline.world.execute(ANN, (scope: Scope) => {
      expect(() => pasteRefreshToken(authContextIn(offline, scope), 'AQXnot-a-token')).toThrow(
        'LinkedIn refused that refresh token',
      );
      expect(scope.LockService.getUserLock().hasLock()).toBe(false);
    });
  });

  it('accepts a lone access token checked with a cheap API call, estimating its expiry', () => {
    const offline = createOfflineWorld();
    const { access_token } = offline.linkedin.issueTokens('sim1Person', ['r_ads', 'r_ads_reporting']);
    const pastedAt = Math.floor(offline.clock.now() / 1000);
    expect(offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', access_token)).toMatchObject({
      connected: true,
      hasRefreshToken: false,
      // Estimated as 60 days from the paste; the check call took 150 ms, so 59 whole days are left.
      accessTokenDaysLeft: 59,
      accessTokenExpiryEstimated: true,
      appCredentials: 'none',
    });
    expect(storedToken(offline, ANN)).toEqual({
      access_token,
      expires_in: 60 * 86_400,
      expiresAt: pastedAt + 60 * 86_400,
      expiry_estimated: true,
    });
    expect(() => offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', 'AQVbogus')).toThrow(
      'LinkedIn does not accept that access token',
    );
  });

  it('warns 14 days before a pasted access token ends, as it cannot renew itself', () => {
    const offline = createOfflineWorld();
    const { access_token } = offline.linkedin.issueTokens('sim1Person', ['r_ads', 'r_ads_reporting']);
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', access_token);
    offline.clock.advance(45 * DAY); // 15 days minus a second left
    expect(status(offline, ANN)).toMatchObject({ accessTokenDaysLeft: 14, refreshTokenDaysLeft: null });
    expect(status(offline, ANN).warning).toBe(
      'The LinkedIn access token ends in 14 days and cannot be renewed automatically. Make a new one and paste it, or sign in again.',
    );
    offline.clock.advance(15 * DAY);
    expect(status(offline, ANN)).toMatchObject({
      connected: false,
      needsReconnect: true,
      accessTokenDaysLeft: 0,
    });
  });

  it('checks a lone access token by introspection when the app is known, learning its real expiry', () => {
    const offline = createOfflineWorld();
    const issuedAt = offline.clock.now();
    const { access_token } = offline.linkedin.issueTokens('sim1Person', ['r_ads', 'r_ads_reporting']);
    offline.clock.advance(20 * DAY);
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    expect(offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', access_token)).toMatchObject({
      connected: true,
      accessTokenDaysLeft: 39,
      accessTokenExpiryEstimated: false,
      scopes: ['r_ads', 'r_ads_reporting'],
    });
    expect(offline.world.fetchLog.at(-1)!.url).toBe('https://www.linkedin.com/oauth/v2/introspectToken');
    // LinkedIn's own expiry (its tokens last 5,183,999 s from issue), kept as the library keeps expiries.
    expect(storedToken(offline, ANN)!.expiresAt).toBe(Math.floor(issuedAt / 1000) + 5183999);
  });

  it('writes a pasted token to cache and properties alike, so an earlier look leaves no stale "no token" behind', () => {
    const offline = createOfflineWorld();
    const { access_token } = offline.linkedin.issueTokens('sim1Person', ['r_ads', 'r_ads_reporting']);
    expect(status(offline, ANN).connected).toBe(false); // the library now caches "no token" for 6 hours
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', access_token);
    expect(status(offline, ANN).connected).toBe(true);
    const cached = offline.world.execute(ANN, (scope: Scope) =>
      scope.CacheService.getUserCache().get('oauth2.linkedin'),
    );
    expect(JSON.parse(cached)).toEqual(storedToken(offline, ANN));
  });

  it('says which scopes a pasted token lacks', () => {
    const offline = createOfflineWorld();
    const { access_token } = offline.linkedin.issueTokens('sim1Person', ['r_organization_social']);
    expect(() => offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', access_token)).toThrow(
      'tick r_ads, r_ads_reporting',
    );
  });
});

describe('privacy', () => {
  it("keeps one user's connection invisible to another editor", () => {
    const offline = connectedWorld(ANN);
    expect(status(offline, BOB)).toMatchObject({ connected: false, appCredentials: 'none', clientId: null });
    expect(storedToken(offline, BOB)).toBeNull();
    expect([...offline.world.documentProperties.entries.keys()]).toEqual([]);
  });

  it('never lets a token or the client secret reach the sidebar, the sheet or the logs', () => {
    const offline = createOfflineWorld();
    const returned: unknown[] = [];
    const call = (name: string, ...args: unknown[]) => {
      try {
        returned.push(offline.world.callFromSidebar(ANN, name, ...args));
      } catch (error) {
        returned.push((error as Error).message);
      }
    };
    const { page } = signIn(offline, ANN);
    returned.push(page.html);
    call('getConnection');
    offline.clock.advance(60 * DAY);
    call('testLinkedInConnection');
    call('pasteLinkedInRefreshToken', 'AQXwrong');
    const pasted = offline.linkedin.issueTokens('sim1Person', ['r_ads']);
    call('pasteLinkedInRefreshToken', pasted.refresh_token);
    call('pasteLinkedInAccessToken', pasted.access_token);
    call('disconnectLinkedIn');
    offline.world.run(ANN, 'onOpen');
    offline.world.run(ANN, 'showSidebar');
    returned.push(offline.world.ui(ANN).sidebar!.getContent());

    const secrets = [
      CLIENT_SECRET,
      pasted.access_token,
      pasted.refresh_token!,
      ...offline.world.fetchLog.flatMap((call) => {
        const match = /Bearer (\S+)/.exec(call.headers.Authorization ?? '');
        return match ? [match[1]] : [];
      }),
    ];
    for (const body of offline.linkedin.calls.length ? offline.world.fetchLog.map((call) => call.body) : []) {
      for (const value of new URLSearchParams(body).values()) if (/^AQ[VX]/.test(value)) secrets.push(value);
    }
    expect(secrets.length).toBeGreaterThan(4);
    const visible = JSON.stringify({
      returned,
      sheets: offline.world.spreadsheet.sheets.map((sheet) => sheet.values),
      logs: offline.world.logs,
    });
    for (const secret of secrets) expect(visible).not.toContain(secret);
  });
});
