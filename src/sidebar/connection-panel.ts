import type { ConnectionStatus } from '../server/auth/connection';
import { button, copyButton, el, inlineConfirm, replaceChildren } from './dom';
import { callServer, errorMessage } from './server';

const POLL_INTERVAL_MS = 2000;
const POLL_LIMIT_MS = 5 * 60_000;

/** Connect, check and disconnect LinkedIn; set up the user's own app; paste tokens. */
/** What each LinkedIn scope lets the add-on read, in a user's words. */
const SCOPE_WORDS: Record<string, string> = {
  r_ads: 'ad accounts and campaigns',
  r_ads_reporting: 'Ads reporting',
  rw_ads: 'Ads management',
  rw_organization_admin: 'Pages statistics',
  r_organization_social: 'Pages posts',
};

function accessInWords(scopes: string[]): string {
  if (scopes.length === 0) return 'LinkedIn did not say what this connection may read.';
  return `It may read ${scopes.map((scope) => SCOPE_WORDS[scope] ?? scope).join(', ')}.`;
}

export class ConnectionPanel {
  readonly root = el('section', { id: 'connection' });
  private status: ConnectionStatus | null = null;
  /** What the panel says; `link` offers the sign-in page when the browser blocked its window. */
  private message: { text: string; kind: 'error' | 'muted'; link?: string } | null = null;
  private polling: number | null = null;
  /** Set while the sidebar asks whether to disconnect: whether to forget the app secret too. */
  private confirmingDisconnect: { forgetApp: boolean } | null = null;

  constructor(private readonly onChange: (status: ConnectionStatus) => void) {}

  async load(): Promise<void> {
    await this.run(() => callServer('getConnection'));
  }

  private async run(action: () => Promise<ConnectionStatus>, success?: string): Promise<void> {
    try {
      this.status = await action();
      this.message = success ? { text: success, kind: 'muted' } : null;
      this.onChange(this.status);
    } catch (error) {
      this.message = { text: errorMessage(error), kind: 'error' };
    }
    this.render();
  }

  /**
   * Opens the sign-in window inside the click, before anything is awaited: a window opened
   * after an await is blocked by Safari and sometimes Chrome. It is pointed at LinkedIn
   * once the server has made the authorization URL.
   */
  private async signIn(products: Array<'ads' | 'pages'>): Promise<void> {
    const popup = window.open('', 'linkedin-sign-in', 'width=600,height=720');
    popup?.document.write('<p style="font-family: Roboto, Arial, sans-serif">Opening LinkedIn…</p>');
    try {
      const { authorizationUrl } = await callServer('startLinkedInSignIn', products);
      if (popup && !popup.closed) {
        popup.location.href = authorizationUrl;
        this.message = {
          text: 'Waiting for LinkedIn… finish signing in in the window that opened.',
          kind: 'muted',
        };
      } else {
        this.message = {
          text: 'Your browser blocked the sign-in window.',
          kind: 'error',
          link: authorizationUrl,
        };
      }
      this.render();
      this.pollUntilConnected(Date.now(), popup);
    } catch (error) {
      popup?.close();
      this.message = { text: errorMessage(error), kind: 'error' };
      this.render();
    }
  }

  /**
   * Asks the server until the callback has recorded how this sign-in ended (the server
   * clears the last outcome when a sign-in starts, so a reconnect is not mistaken for
   * done), or the window was closed before LinkedIn sent the user back.
   */
  private pollUntilConnected(startedAt: number, popup: Window | null): void {
    if (this.polling !== null) window.clearTimeout(this.polling);
    this.polling = window.setTimeout(async () => {
      this.polling = null;
      const closedBefore = !!popup?.closed;
      const status = await callServer('getConnection').catch(() => null);
      if (status?.signIn?.ok && status.connected) {
        this.status = status;
        // The connection's own line says it; a second "connected" sentence would only repeat it.
        this.message = null;
        this.onChange(status);
      } else if (status?.signIn && !status.signIn.ok) {
        this.message = { text: status.signIn.message, kind: 'error' };
      } else if (closedBefore) {
        this.message = {
          text: 'The LinkedIn window was closed before signing in finished. Sign in again when you are ready.',
          kind: 'error',
        };
      } else if (Date.now() - startedAt < POLL_LIMIT_MS) {
        this.pollUntilConnected(startedAt, popup);
        return;
      } else {
        this.message = { text: 'LinkedIn did not finish signing in. Try again.', kind: 'error' };
      }
      this.render();
    }, POLL_INTERVAL_MS);
  }

  private describe(status: ConnectionStatus): Node[] {
    if (status.connected) {
      const expiry =
        status.accessTokenDaysLeft === null
          ? ''
          : status.hasRefreshToken
            ? `Renews itself; reconnect needed in ${status.refreshTokenDaysLeft ?? '—'} days.`
            : `Access token ends in ${status.accessTokenExpiryEstimated ? 'about ' : ''}${status.accessTokenDaysLeft} days and cannot renew itself.`;
      return [
        el('p', { class: 'ok', id: 'connection-state' }, 'Connected to LinkedIn.'),
        el('p', { class: 'muted', id: 'connection-access' }, `${accessInWords(status.scopes)} ${expiry}`),
      ];
    }
    if (status.needsReconnect)
      return [el('p', { class: 'error', id: 'connection-state' }, status.problem ?? 'Reconnect LinkedIn.')];
    return [el('p', { class: 'muted', id: 'connection-state' }, 'Not connected to LinkedIn yet.')];
  }

  private productChoice(status: ConnectionStatus) {
    const ads = el('input', {
      type: 'checkbox',
      id: 'product-ads',
      checked: status.products.includes('ads'),
    });
    const pages = el('input', {
      type: 'checkbox',
      id: 'product-pages',
      checked: status.products.includes('pages'),
    });
    const chosen = () => [
      ...(ads.checked ? ['ads' as const] : []),
      ...(pages.checked ? ['pages' as const] : []),
    ];
    const box = el(
      'div',
      { class: 'row' },
      el('label', { class: 'inline' }, ads, ' Ads'),
      el('label', { class: 'inline' }, pages, ' Pages'),
    );
    return { box, chosen };
  }

  private setupSection(status: ConnectionStatus): HTMLElement {
    const clientId = el('input', { id: 'client-id', placeholder: 'Client ID', autocomplete: 'off' });
    if (status.clientId) clientId.value = status.clientId;
    const clientSecret = el('input', {
      id: 'client-secret',
      type: 'password',
      placeholder: 'Client secret',
      autocomplete: 'off',
    });
    const uri = el('code', { class: 'uri', id: 'redirect-uri' }, status.redirectUri);
    return el(
      'details',
      { id: 'setup', open: status.appCredentials === 'none' },
      el('summary', {}, 'Setup: your LinkedIn app'),
      el(
        'ol',
        { class: 'checklist' },
        el('li', {}, 'Create an app in the LinkedIn Developer portal.'),
        el('li', {}, 'Verify it with your company page (Settings tab).'),
        el(
          'li',
          {},
          'Products tab: request the Advertising API (Ads) and/or the Community Management API (Pages).',
        ),
        el('li', {}, 'Auth tab: add this redirect URL under “Authorized redirect URLs for your app”:'),
      ),
      uri,
      copyButton(uri, { id: 'copy-redirect' }),
      el(
        'p',
        { class: 'muted' },
        "\u201cThere aren't any scopes available for this app\u201d means LinkedIn has not approved the API product yet.",
      ),
      el('label', { for: 'client-id' }, 'Client ID'),
      clientId,
      el(
        'label',
        { for: 'client-secret' },
        status.appCredentials === 'user' ? 'Client secret (saved; enter to change)' : 'Client secret',
      ),
      clientSecret,
      button('Save app', {
        id: 'save-app',
        onclick: () =>
          this.run(() => callServer('saveLinkedInApp', clientId.value, clientSecret.value), 'App saved.'),
      }),
    );
  }

  private tokenSection(): HTMLElement {
    const token = el('input', {
      id: 'pasted-token',
      type: 'password',
      placeholder: 'Token from the OAuth 2.0 tools page',
      autocomplete: 'off',
    });
    return el(
      'details',
      { id: 'manual-token' },
      el('summary', {}, 'Paste a token instead'),
      el('p', { class: 'muted' }, 'Made on the LinkedIn Developer portal’s OAuth 2.0 tools page.'),
      token,
      button('Use as refresh token', {
        id: 'paste-refresh',
        onclick: () =>
          this.run(() => callServer('pasteLinkedInRefreshToken', token.value), 'Refresh token accepted.'),
      }),
      ' ',
      button('Use as access token', {
        id: 'paste-access',
        onclick: () =>
          this.run(() => callServer('pasteLinkedInAccessToken', token.value), 'Access token accepted.'),
      }),
    );
  }

  /** Disconnecting stops scheduled imports, so it is confirmed inside the sidebar first. */
  private disconnectRow(): HTMLElement {
    const confirming = this.confirmingDisconnect;
    if (confirming) {
      return inlineConfirm(
        `Disconnect LinkedIn${confirming.forgetApp ? ' and forget your app secret' : ''}? Scheduled imports stop until you connect again.`,
        'Disconnect',
        () => {
          this.confirmingDisconnect = null;
          void this.run(() => callServer('disconnectLinkedIn', confirming.forgetApp), 'Disconnected.');
        },
        () => {
          this.confirmingDisconnect = null;
          this.render();
        },
        'confirm-disconnect',
      );
    }
    const forget = el('input', { type: 'checkbox', id: 'forget-app' });
    return el(
      'div',
      { class: 'row' },
      button('Disconnect', {
        id: 'disconnect',
        onclick: () => {
          this.confirmingDisconnect = { forgetApp: forget.checked };
          this.render();
        },
      }),
      el('label', { class: 'inline muted' }, forget, ' also forget my app secret'),
    );
  }

  render(): void {
    const status = this.status;
    if (!status) {
      replaceChildren(
        this.root,
        el('p', { class: 'muted' }, 'Loading…'),
        this.message && el('p', { class: this.message.kind }, this.message.text),
      );
      return;
    }
    const { box, chosen } = this.productChoice(status);
    replaceChildren(
      this.root,
      el('h2', {}, 'LinkedIn connection'),
      ...this.describe(status),
      status.warning && el('p', { class: 'warning', id: 'connection-warning' }, status.warning),
      this.message &&
        el(
          'p',
          { class: this.message.kind, id: 'connection-message' },
          this.message.text,
          this.message.link && ' ',
          this.message.link &&
            el(
              'a',
              { href: this.message.link, target: '_blank', rel: 'noopener', id: 'sign-in-link' },
              'Open the LinkedIn sign-in page',
            ),
        ),
      !status.connected && box,
      el(
        'div',
        { class: 'row' },
        button(status.connected ? 'Reconnect' : 'Sign in with LinkedIn', {
          class: 'primary',
          id: 'sign-in',
          onclick: () => this.signIn(chosen().length ? chosen() : status.products),
        }),
        status.connected &&
          button('Check', {
            id: 'check-connection',
            onclick: () => this.run(() => callServer('testLinkedInConnection'), 'Connection works.'),
          }),
      ),
      status.connected && this.disconnectRow(),
      this.setupSection(status),
      this.tokenSection(),
    );
  }
}
