import type { ConnectionStatus } from '../server/auth/connection';
import {
  addAccessCaption,
  PRODUCT_CHOICES,
  PRODUCT_NAMES,
  PRODUCTS,
  type Product,
} from '../server/linkedin/products';
import { button, copyButton, el, handled, inlineConfirm, replaceChildren } from './dom';
import { callServer, errorMessage } from './server';

const POLL_INTERVAL_MS = 2000;
const POLL_LIMIT_MS = 5 * 60_000;

/** Connect, check and disconnect LinkedIn; set up the user's own app; paste tokens. */
/** What each LinkedIn scope lets the add-on read, in a user's words. */
const SCOPE_WORDS: Record<string, string> = {
  r_ads: 'your ad accounts and campaigns',
  r_ads_reporting: 'Ads reports',
  rw_ads: 'Ads management',
  rw_organization_admin: 'Pages statistics',
  r_organization_social: 'Pages posts',
};

function accessInWords(scopes: string[]): string {
  if (scopes.length === 0) return 'LinkedIn did not say what this connection may read.';
  return `It can read: ${scopes.map((scope) => SCOPE_WORDS[scope] ?? scope).join('; ')}.`;
}

/** The foldable sections whose actions say their outcome inside them. */
type Section = 'setup' | 'manual-token';

export class ConnectionPanel {
  readonly root = el('section', { id: 'connection' });
  private status: ConnectionStatus | null = null;
  /**
   * What the panel says; `link` offers the sign-in page when the browser blocked its window.
   * `near` puts it in the section whose button was clicked: said at the top, it was out of
   * view of a user scrolled down to “Save app” or a pasted token, whose click seemed to do nothing.
   */
  private message: { text: string; kind: 'error' | 'muted'; link?: string; near?: Section } | null = null;
  private polling: number | null = null;
  /** The question the panel is asking before an action that ends or replaces the connection. */
  private confirming: 'disconnect' | 'publisher-app' | 'paste-access' | 'paste-refresh' | null = null;
  /** Sections the user opened or closed: a redraw must not fold away a form they are filling in. */
  private opened = new Map<string, boolean>();
  /**
   * What the user typed or ticked, kept across redraws and refusals; a null client ID shows the
   * user's saved one, null products the ones last connected.
   */
  private draft: {
    clientId: string | null;
    clientSecret: string;
    token: string;
    products: Product[] | null;
  } = {
    clientId: null,
    clientSecret: '',
    token: '',
    products: null,
  };

  constructor(private readonly onChange: (status: ConnectionStatus) => void) {}

  async load(): Promise<void> {
    await this.run(() => callServer('getConnection'));
  }

  private async run(
    action: () => Promise<ConnectionStatus>,
    success?: string,
    near?: Section,
  ): Promise<void> {
    try {
      this.status = await action();
    } catch (error) {
      this.fail(error, near);
      return;
    }
    this.message = success ? { text: success, kind: 'muted', near } : null;
    this.onChange(this.status);
    this.render();
    if (near) this.showSaid();
  }

  /** A click handler for `run`: whatever fails is said in the panel. */
  private act(action: () => Promise<ConnectionStatus>, success?: string, near?: Section): () => void {
    return handled(
      () => this.run(action, success, near),
      (error) => this.fail(error, near),
    );
  }

  private fail(error: unknown, near?: Section): void {
    this.message = { text: errorMessage(error), kind: 'error', near };
    this.render();
    if (near) this.showSaid();
  }

  /** A message under the buttons of a section can fall below the sidebar's fold. */
  private showSaid(): void {
    this.root.querySelector('#connection-message')?.scrollIntoView({ block: 'nearest' });
  }

  private ask(question: typeof this.confirming): void {
    this.confirming = question;
    this.render();
    // The clicked button is gone with the redraw: the keyboard goes to the question's safe answer.
    if (question) this.root.querySelector<HTMLElement>('.confirm [id$="-no"]')?.focus();
  }

  /**
   * Opens the sign-in window inside the click, before anything is awaited: a window opened
   * after an await is blocked by Safari and sometimes Chrome. It is pointed at LinkedIn
   * once the server has made the authorization URL.
   */
  private async signIn(products: Product[]): Promise<void> {
    const popup = window.open('', 'linkedin-sign-in', 'width=600,height=720');
    popup?.document.write('<p style="font-family: Roboto, Arial, sans-serif">Opening LinkedIn…</p>');
    try {
      const { authorizationUrl } = await callServer('startLinkedInSignIn', products);
      if (popup && !popup.closed) {
        popup.location.href = authorizationUrl;
        this.message = {
          text: 'Waiting for LinkedIn… finish signing in within the window that opened.',
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
      this.fail(error);
    }
  }

  /** The sign-in as a click handler: `signIn` must run inside the click to open its window. */
  private signInHandler(products: () => Product[]): () => void {
    return handled(
      () => this.signIn(products()),
      (error) => this.fail(error),
    );
  }

  /**
   * Asks the server until the callback has recorded how this sign-in ended (the server
   * clears the last outcome when a sign-in starts, so a reconnect is not mistaken for
   * done), or the window was closed before LinkedIn sent the user back.
   */
  private pollUntilConnected(startedAt: number, popup: Window | null): void {
    if (this.polling !== null) window.clearTimeout(this.polling);
    this.polling = window.setTimeout(
      handled(
        () => this.pollOnce(startedAt, popup),
        (error) => this.fail(error),
      ),
      POLL_INTERVAL_MS,
    );
  }

  private async pollOnce(startedAt: number, popup: Window | null): Promise<void> {
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
      const shown = status ?? this.status;
      // LinkedIn refuses an unregistered redirect URL on its own page and never comes back, so a
      // closed window is all the sidebar learns; the publisher registers theirs, a user may not.
      const ownApp = !!shown && (shown.appCredentials === 'user' || !!shown.pendingClientId);
      if (ownApp) this.opened.set('setup', true);
      this.message = {
        text: ownApp
          ? 'The LinkedIn window was closed before signing in finished. If LinkedIn said \u201cThe redirect_uri does not match the registered value\u201d, copy the redirect URL under \u201cSetup: your LinkedIn app\u201d below, add it on your app\u2019s Auth tab in the LinkedIn Developer portal, then sign in again.'
          : 'The LinkedIn window was closed before signing in finished. Sign in again when you are ready.',
        kind: 'error',
      };
    } else if (Date.now() - startedAt < POLL_LIMIT_MS) {
      this.pollUntilConnected(startedAt, popup);
      return;
    } else {
      this.message = { text: 'LinkedIn did not finish signing in. Try again.', kind: 'error' };
    }
    this.render();
  }

  private describe(status: ConnectionStatus): Node[] {
    if (status.connected) {
      // The warning, when there is one, says when the connection ends and what to do.
      const expiry =
        status.accessTokenDaysLeft === null || status.warning
          ? ''
          : status.hasRefreshToken
            ? `Stays connected for ${status.refreshTokenDaysLeft ?? '—'} more days, then needs signing in again.`
            : `Access token ends in ${status.accessTokenExpiryEstimated ? 'about ' : ''}${status.accessTokenDaysLeft} days and cannot renew itself.`;
      return [
        el('p', { class: 'ok', id: 'connection-state' }, 'Connected to LinkedIn.'),
        el(
          'p',
          { class: 'muted', id: 'connection-access' },
          [accessInWords(status.scopes), expiry].filter(Boolean).join(' '),
        ),
      ];
    }
    if (status.needsReconnect)
      return [
        el('p', { class: 'error', id: 'connection-state' }, status.problem ?? 'Sign in with LinkedIn again.'),
      ];
    return [el('p', { class: 'muted', id: 'connection-state' }, 'LinkedIn is not connected.')];
  }

  /**
   * Access the connection lacks, each with a sign-in that asks for what is held now plus
   * what is missing: a Reconnect asks only for the products last chosen.
   */
  private missingAccess(status: ConnectionStatus): Node[] {
    if (!status.connected) return [];
    const held = PRODUCTS.filter(
      (product) => !status.missingAccess.some((missing) => missing.product === product),
    );
    return status.missingAccess.map(({ product, words }) => {
      const { label: name, linkedIn } = PRODUCT_NAMES[product];
      return el(
        'div',
        // The user's own choice at sign-in, most often: a way to add it, not an alarm.
        { class: 'muted', id: `missing-${product}` },
        el(
          'p',
          {},
          `${name} reports need access to ${words} (LinkedIn’s ${linkedIn}), which this connection does not have.`,
        ),
        button(addAccessCaption(product), {
          id: `add-${product}`,
          onclick: this.signInHandler(() => [...held, product]),
        }),
      );
    });
  }

  private productChoice(status: ConnectionStatus) {
    const ticked = this.draft.products ?? status.products;
    const boxes = PRODUCTS.map((product) => ({
      product,
      input: el('input', { type: 'checkbox', id: `product-${product}`, checked: ticked.includes(product) }),
    }));
    const chosen = () => boxes.filter(({ input }) => input.checked).map(({ product }) => product);
    for (const { input } of boxes) input.addEventListener('change', () => (this.draft.products = chosen()));
    const box = el(
      'div',
      { class: 'row', id: 'products', role: 'group', 'aria-labelledby': 'products-caption' },
      el('span', { class: 'muted', id: 'products-caption' }, 'Data to connect:'),
      ...boxes.map(({ product, input }) =>
        el('label', { class: 'inline' }, input, ` ${PRODUCT_NAMES[product].label}`),
      ),
    );
    return { box, chosen };
  }

  private input(
    key: 'clientId' | 'clientSecret' | 'token',
    value: string,
    props: Record<string, string>,
  ): HTMLInputElement {
    const input = el('input', { autocomplete: 'off', ...props });
    input.value = value;
    input.addEventListener('input', () => {
      this.draft[key] = input.value;
    });
    return input;
  }

  /** A foldable section that stays as the user left it, else as `openByDefault` says. */
  private section(
    id: string,
    summary: string,
    openByDefault: boolean,
    ...children: Parameters<typeof el>[2][]
  ) {
    const details = el(
      'details',
      { id, open: this.opened.get(id) ?? openByDefault },
      el('summary', {}, summary),
      ...children,
    );
    details.addEventListener('toggle', () => this.opened.set(id, details.open));
    return details;
  }

  private setupSection(status: ConnectionStatus): HTMLElement {
    const draft = this.draft;
    // Only the user's own app fills the box: the publisher's ID there reads as an app already entered.
    const savedClientId =
      status.pendingClientId ?? (status.appCredentials === 'user' ? status.clientId : null);
    const clientId = this.input('clientId', draft.clientId ?? savedClientId ?? '', {
      id: 'client-id',
      placeholder: 'From your app\u2019s Auth tab',
    });
    const clientSecret = this.input('clientSecret', draft.clientSecret, {
      id: 'client-secret',
      type: 'password',
      placeholder: 'From your app\u2019s Auth tab',
    });
    const uri = el('code', { class: 'uri', id: 'redirect-uri' }, status.redirectUri);
    const ownApp = status.appCredentials === 'user' || !!status.pendingClientId;
    return this.section(
      'setup',
      'Setup: your LinkedIn app',
      status.appCredentials === 'none' || !!status.pendingClientId,
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
      status.pendingClientId &&
        el(
          'p',
          { class: 'warning', id: 'pending-app' },
          `LinkedIn accepted the app ${status.pendingClientId}. Sign in with it to switch; until then the current connection keeps working.`,
        ),
      el(
        'div',
        { class: 'row' },
        button('Save app', {
          id: 'save-app',
          onclick: this.act(
            async () => {
              const saved = await callServer('saveLinkedInApp', clientId.value, clientSecret.value);
              this.draft = { ...this.draft, clientId: null, clientSecret: '' };
              return saved;
            },
            'LinkedIn accepted the app. Now sign in with LinkedIn to connect through it.',
            'setup',
          ),
        }),
        ownApp &&
          button(status.publisherApp ? 'Use the publisher’s app again' : 'Forget my app', {
            id: 'use-publisher-app',
            onclick: () =>
              status.appCredentials === 'user' && status.connected
                ? this.ask('publisher-app')
                : this.act(
                    () => callServer('usePublisherLinkedInApp'),
                    'Your app and its secret are forgotten.',
                    'setup',
                  )(),
          }),
      ),
      this.confirming === 'publisher-app' &&
        this.confirmation(
          `Forget your app and its secret? The connection was made through your app, so LinkedIn disconnects. ${this.scheduledStop(status)}`,
          'Forget my app',
          () => callServer('usePublisherLinkedInApp'),
          'Your app and its secret are forgotten.',
          'confirm-publisher-app',
          'setup',
        ),
      this.said('setup'),
    );
  }

  /** What ending the connection does to the user's scheduled reports, counted. */
  private scheduledStop(status: ConnectionStatus): string {
    const count = status.scheduledReports;
    if (count === 0) return 'You have no scheduled reports.';
    return `Your ${count === 1 ? 'scheduled report stops' : `${count} scheduled reports stop`} until you connect again.`;
  }

  private confirmation(
    question: string,
    confirmLabel: string,
    action: () => Promise<ConnectionStatus>,
    success: string,
    id: string,
    near?: Section,
  ): HTMLElement {
    return inlineConfirm(
      question,
      confirmLabel,
      () => {
        this.confirming = null;
        this.act(action, success, near)();
      },
      () => this.ask(null),
      id,
    );
  }

  private tokenSection(status: ConnectionStatus): HTMLElement {
    const token = this.input('token', this.draft.token, {
      id: 'pasted-token',
      type: 'password',
      placeholder: 'Token from the OAuth 2.0 tools page',
      'aria-label': 'LinkedIn token',
    });
    const paste = (as: 'access' | 'refresh') => () =>
      callServer(
        as === 'access' ? 'pasteLinkedInAccessToken' : 'pasteLinkedInRefreshToken',
        token.value,
      ).then((pasted) => {
        this.draft.token = '';
        return pasted;
      });
    const accepted = (as: 'access' | 'refresh') =>
      as === 'access' ? 'Access token accepted.' : 'Refresh token accepted.';
    // A connection that renews itself is worth a question before a pasted token replaces it;
    // an empty box is refused without one.
    const offer = (as: 'access' | 'refresh') => () =>
      status.connected && status.hasRefreshToken && token.value.trim()
        ? this.ask(as === 'access' ? 'paste-access' : 'paste-refresh')
        : this.act(paste(as), accepted(as), 'manual-token')();
    const asking =
      this.confirming === 'paste-access' ? 'access' : this.confirming === 'paste-refresh' ? 'refresh' : null;
    return this.section(
      'manual-token',
      'Paste a token instead',
      false,
      el('p', { class: 'muted' }, 'Made on the LinkedIn Developer portal’s OAuth 2.0 tools page.'),
      token,
      button('Use as refresh token', { id: 'paste-refresh', onclick: offer('refresh') }),
      ' ',
      button('Use as access token', { id: 'paste-access', onclick: offer('access') }),
      asking &&
        this.confirmation(
          asking === 'access'
            ? 'The current connection renews itself. Replace it with this access token? A pasted access token cannot renew itself and ends within 60 days.'
            : 'The current connection renews itself. Replace it with this refresh token?',
          'Replace',
          paste(asking),
          accepted(asking),
          'confirm-paste',
          'manual-token',
        ),
      this.said('manual-token'),
    );
  }

  /** Disconnecting stops scheduled imports, so it is confirmed inside the sidebar first, with how many. */
  private disconnectRow(status: ConnectionStatus): HTMLElement {
    if (this.confirming === 'disconnect') {
      return this.confirmation(
        `Disconnect LinkedIn? ${this.scheduledStop(status)}`,
        'Disconnect',
        () => callServer('disconnectLinkedIn'),
        'Disconnected.',
        'confirm-disconnect',
      );
    }
    return el(
      'div',
      { class: 'row' },
      button('Disconnect', { id: 'disconnect', onclick: () => this.ask('disconnect') }),
    );
  }

  /** The message, where it belongs: at the top, or in the section whose action it answers. */
  private said(near?: Section): HTMLElement | null {
    const message = this.message;
    if (!message || message.near !== near) return null;
    return el(
      'p',
      // Said as it happens to screen readers too; an error at once.
      { class: message.kind, id: 'connection-message', role: message.kind === 'error' ? 'alert' : 'status' },
      message.text,
      message.link && ' ',
      message.link &&
        el(
          'a',
          { href: message.link, target: '_blank', rel: 'noopener', id: 'sign-in-link' },
          'Open the LinkedIn sign-in page',
        ),
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
      ...this.missingAccess(status),
      this.said(),
      !status.connected && box,
      el(
        'div',
        { class: 'row' },
        button(
          status.pendingClientId
            ? 'Sign in with your new app'
            : status.connected
              ? 'Reconnect'
              : 'Sign in with LinkedIn',
          {
            // Once connected, signing in again is a repair, not the next step.
            class: status.connected && !status.pendingClientId ? '' : 'primary',
            id: 'sign-in',
            onclick: () => {
              // Connected, the boxes are not shown: a Reconnect asks again for what is held.
              const products = status.connected ? status.products : chosen();
              if (products.length === 0)
                return this.fail(new Error(`Tick ${PRODUCT_CHOICES}: the data to connect.`));
              this.signInHandler(() => products)();
            },
          },
        ),
        status.connected &&
          button('Check', {
            id: 'check-connection',
            onclick: this.act(() => callServer('testLinkedInConnection'), 'Connection works.'),
          }),
      ),
      status.connected && this.disconnectRow(status),
      this.setupSection(status),
      this.tokenSection(status),
    );
  }
}
