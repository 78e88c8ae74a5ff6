import type { ConnectionStatus } from '../server/auth/connection';
import type { ReportSummary } from '../server/main';
import type { Progress } from '../server/reports/runner';
import type { Product } from '../server/linkedin/products';
import { Builder, type Choices } from './builder';
import { reportCard, zoneNote } from './cards';
import { button, el, handled, redraw, replaceChildren } from './dom';
import { type Catalog, draftFromConfig, newDraft } from './draft';
import { labelsOf, type Labels, plural, userMessage } from './messages';
import { callServer } from './server';

/** How often the list asks the server again while the sidebar is open and idle. */
export const POLL_INTERVAL_MS = 30_000;

type Message = { text: string; kind: 'error' | 'muted' | 'ok' | 'warning' };

/** How long a message above the list stays: it speaks of its moment, and the cards keep what lasts. */
export const MESSAGE_LIFETIME_MS = 2 * 60_000;

/**
 * The spreadsheet's reports, their status, running them with a progress bar, and the builder.
 * Three regions are drawn apart: the message and progress bar, then either the list or the
 * builder. A progress update or a background refresh redraws only the first and the list, so
 * it never touches a builder the user is typing in.
 */
export class ReportsPanel {
  readonly root = el('section', { id: 'reports' });
  private readonly status = el('div', { id: 'reports-status', 'aria-live': 'polite' });
  private readonly body = el('div', { id: 'reports-body' });
  private reports: ReportSummary[] = [];
  /** The list was read at least once: until then an empty list is not “No reports yet”. */
  private listed = false;
  private catalog: Catalog | null = null;
  private labels: Labels = new Map();
  private choices: Record<'ads' | 'pages', Choices> = { ads: null, pages: null };
  private builder: Builder | null = null;
  private said: { message: Message | null; at: number } = { message: null, at: 0 };
  private progress: Progress | null = null;
  private running = false;
  /** The report whose card asks "Delete?" right now. */
  private deleting: string | null = null;
  private cancelRequested = false;
  private poll: number | null = null;
  /**
   * This user's LinkedIn connection cannot be used now (not made, expired or revoked). The
   * list stays: listing, editing (the schedule too), duplicating, deleting and opening a tab
   * need no LinkedIn call. Run now, Run all and New report are disabled, the reason said
   * above the cards, rather than failing on click: a run would replace the card's last error
   * (what the user came to read) with "reconnect", and a new report has no accounts or pages
   * to pick from.
   */
  private disconnected = false;
  /** The LinkedIn products the connection lacks access to. */
  private lacking: Product[] = [];
  /** Run all: which of its reports is running now. */
  private queue: { position: number; of: number } | null = null;
  /** No connection at all (not an ended one): the user's schedules are paused, not failing. */
  private signedOut = false;
  /** The scopes of the connection the lists were asked with ('' without one; null before the first status). */
  private access: string | null = null;
  /** The step under way: when it was asked for, and how long and how many requests the last one took. */
  private step: { startedAt: number; ticker: number; last: { ms: number; requests: number } | null } | null =
    null;

  /** `afterFailedRun`: the connection panel reads the connection again, which LinkedIn may have ended. */
  constructor(private readonly afterFailedRun: () => void = () => {}) {
    this.root.append(
      el(
        'div',
        { class: 'row spread' },
        el('h2', {}, 'Reports'),
        button('Refresh', {
          class: 'link',
          id: 'refresh-reports',
          onclick: this.handler(() => this.refresh()),
        }),
      ),
      this.status,
      this.body,
    );
  }

  /** Follows the connection panel: the list shows whenever connected, or when there are reports to see. */
  setConnection(status: ConnectionStatus): void {
    // Another connection (signed in again, access added or gone) lists other accounts and pages,
    // or can list them now: the builder's lists, and what they said, are asked again.
    const access = status.connected ? status.scopes.join(' ') : '';
    if (this.access !== null && access !== this.access) {
      this.choices = { ads: null, pages: null };
      if (this.builder) void this.loadChoices();
      // What was said (“Report saved.”, a run's result) spoke of the connection before.
      this.clearSaid();
    }
    this.access = access;
    this.disconnected = !status.connected;
    this.lacking = status.connected ? status.missingAccess.map(({ product }) => product) : [];
    this.signedOut = !status.connected && !status.needsReconnect;
    if (status.connected) this.root.hidden = false;
  }

  /** What cannot be done without a connection, and what still can; the connection panel's button is named. */
  private disconnectedNotice(): string | null {
    return this.disconnected
      ? 'Sign in with LinkedIn above to run reports or build new ones. You can still edit them, change their schedule or delete them.'
      : null;
  }

  async load(): Promise<void> {
    try {
      const [reports, catalog] = await Promise.all([callServer('listReports'), callServer('getCatalog')]);
      this.reports = reports;
      this.listed = true;
      this.catalog = catalog;
      this.labels = labelsOf(catalog);
    } catch (error) {
      this.message = { text: userMessage(error, this.labels), kind: 'error' };
    }
    this.poll ??= window.setInterval(() => {
      if (!this.running && !this.root.hidden) void this.refresh();
    }, POLL_INTERVAL_MS);
    this.root.hidden = this.disconnected && this.reports.length === 0 && !this.message;
    this.renderStatus();
    this.renderBody();
    // A run started here whose sidebar closed mid-way is finished now (scheduled ones go on at their next run);
    // without a connection its next step would only fail, so it waits for the reconnect, which loads again.
    const unfinished = this.reports.filter((summary) => summary.running && !summary.running.message);
    if (unfinished.length > 0 && !this.disconnected)
      await this.run(unfinished.map((summary) => summary.config.id));
  }

  private get message(): Message | null {
    return this.said.message;
  }

  private set message(message: Message | null) {
    this.said = { message, at: Date.now() };
  }

  /** The last message and a finished run's bar go (a run under way keeps its bar). */
  private clearSaid(): void {
    this.message = null;
    if (!this.running) this.progress = null;
    this.renderStatus();
  }

  /** Asks for the list again; an open builder stays as it is, and a message past its time goes. */
  private async refresh(): Promise<void> {
    try {
      this.reports = await callServer('listReports');
      this.listed = true;
      if (this.message && Date.now() - this.said.at > MESSAGE_LIFETIME_MS) this.clearSaid();
    } catch (error) {
      this.message = { text: userMessage(error, this.labels), kind: 'error' };
      this.renderStatus();
    }
    if (!this.builder) this.renderBody();
  }

  private async act(action: () => Promise<ReportSummary[]>, success: string): Promise<void> {
    this.progress = null;
    try {
      this.reports = await action();
      this.message = { text: success, kind: 'ok' };
    } catch (error) {
      this.message = { text: userMessage(error, this.labels), kind: 'error' };
    }
    this.renderStatus();
    this.renderBody();
    this.showStatus();
  }

  /** A click handler for async work: whatever it fails with is said above the list. */
  private handler(work: () => Promise<void>): () => void {
    return handled(work, (error) => {
      this.message = { text: userMessage(error, this.labels), kind: 'error' };
      this.renderStatus();
    });
  }

  private nameOf(reportId: string): string {
    return this.reports.find((summary) => summary.config.id === reportId)?.config.name ?? 'The report';
  }

  /** Runs reports one after the other, the progress bar following each; Cancel stops after the current step. */
  private async run(reportIds: string[]): Promise<void> {
    this.running = true;
    this.cancelRequested = false;
    this.message = null;
    if (!this.builder) this.renderBody();
    const outcomes: Message[] = [];
    for (const [index, reportId] of reportIds.entries()) {
      this.queue = reportIds.length > 1 ? { position: index + 1, of: reportIds.length } : null;
      const outcome = await this.runOne(reportId);
      outcomes.push(
        reportIds.length > 1 ? { ...outcome, text: `${this.nameOf(reportId)}: ${outcome.text}` } : outcome,
      );
      const left = reportIds.slice(index + 1);
      if (this.cancelRequested) {
        if (left.length > 0)
          outcomes.push({
            text: `Not run, as cancelled: ${left.map((id) => this.nameOf(id)).join(', ')}.`,
            kind: 'warning',
          });
        break;
      }
    }
    this.queue = null;
    this.running = false;
    this.message = {
      text: outcomes.map((outcome) => outcome.text).join('\n'),
      kind: outcomes.some((outcome) => outcome.kind === 'error')
        ? 'error'
        : outcomes.some((outcome) => outcome.kind === 'warning')
          ? 'warning'
          : 'ok',
    };
    this.reports = await callServer('listReports').catch(() => this.reports);
    this.renderStatus();
    if (!this.builder) this.renderBody();
    this.showStatus();
    if (this.message?.kind === 'error') this.afterFailedRun();
  }

  /** The bar and the run's message sit above the cards: a run started from a card lower down scrolls them into view. */
  private showStatus(): void {
    this.status.scrollIntoView({ block: 'nearest' });
  }

  private showProgress(progress: Progress): void {
    this.progress = progress;
    this.renderStatus();
  }

  private async runOne(reportId: string): Promise<Message> {
    const lastRunBefore = this.reports.find((summary) => summary.config.id === reportId)?.state.lastRunAt;
    try {
      let progress = await callServer('runReportNow', reportId);
      this.showProgress(progress);
      this.showStatus();
      while (progress.status === 'running' && !this.cancelRequested) {
        const before = progress;
        this.beginStep();
        progress = await callServer('continueReport', reportId, before.runId).finally(() => this.endStep());
        this.step!.last = {
          ms: Math.max(1, Date.now() - this.step!.startedAt),
          requests: progress.requestsDone - before.requestsDone,
        };
        this.showProgress(progress);
      }
      this.step = null;
      if (progress.status === 'running') return await this.cancel(progress, lastRunBefore ?? null);
      // A finished run keeps its full bar until the next action; a failed one drops it.
      if (progress.status !== 'done') this.progress = null;
      const text = progress.message ?? (progress.status === 'done' ? 'Done.' : 'The run stopped.');
      return {
        text:
          this.cancelRequested && progress.status === 'done'
            ? `The run finished before it could be cancelled. ${text}`
            : text,
        kind: progress.status === 'done' ? 'ok' : 'error',
      };
    } catch (error) {
      this.progress = null;
      this.step = null;
      return { text: userMessage(error, this.labels), kind: 'error' };
    }
  }

  /** Cancels on the server, then says what really happened there: a run can finish before the cancel lands. */
  private async cancel(progress: Progress, lastRunBefore: number | null): Promise<Message> {
    this.reports = await callServer('cancelReport', progress.reportId);
    this.progress = null;
    const state = this.reports.find((summary) => summary.config.id === progress.reportId)?.state;
    if (state && state.lastRunAt !== lastRunBefore)
      return state.lastError
        ? { text: `The run had already stopped: ${userMessage(state.lastError, this.labels)}`, kind: 'error' }
        : {
            text: `The run had already finished, nothing was cancelled: ${plural(state.lastRows ?? 0, 'row')} written.`,
            kind: 'ok',
          };
    return {
      text: `Run cancelled after ${progress.requestsDone} of ${plural(progress.requestsPlanned, 'request')}. The ${plural(progress.rowsWritten, 'row')} already written stay in the tab.`,
      kind: 'muted',
    };
  }

  /**
   * A step can take many seconds (a wide round of requests, a big write) and answers only at
   * its end. Meanwhile the bar shows the step in flight, in a lighter colour, growing at the
   * pace the last step set, never past 90% of the requests it made; the solid part and the
   * numbers stay what the server confirmed.
   */
  private beginStep(): void {
    const last = this.step?.last ?? null;
    this.step = {
      startedAt: Date.now(),
      last,
      ticker: window.setInterval(() => this.showStepInFlight(), 500),
    };
    this.showStepInFlight();
  }

  private endStep(): void {
    if (this.step) window.clearInterval(this.step.ticker);
  }

  private showStepInFlight(): void {
    const inFlight = this.status.querySelector<HTMLElement>('#progress-in-flight');
    if (inFlight) inFlight.style.width = `${this.inFlightPercent()}%`;
  }

  /** The width of the step in flight, in percent of the run; 0 when no step has shown its pace yet. */
  private inFlightPercent(): number {
    const progress = this.progress;
    const last = this.step?.last;
    if (!progress || !last || progress.requestsPlanned === 0 || last.requests <= 0) return 0;
    const expected = Math.min(last.requests, progress.requestsPlanned - progress.requestsDone);
    const share = Math.min(0.9, (Date.now() - this.step!.startedAt) / last.ms);
    return (100 * expected * share) / progress.requestsPlanned;
  }

  private progressBar(progress: Progress): HTMLElement {
    const fraction = progress.requestsPlanned > 0 ? progress.requestsDone / progress.requestsPlanned : 0;
    const percent = Math.round(fraction * 100);
    return el(
      'div',
      { id: 'run-progress' },
      el(
        'p',
        { id: 'progress-name' },
        this.nameOf(progress.reportId) +
          (this.queue ? ` (report ${this.queue.position} of ${this.queue.of})` : ''),
      ),
      el(
        'div',
        {
          // Before any step has shown its pace, the bar says "working" by motion alone.
          class: this.running && !this.step?.last && progress.requestsDone === 0 ? 'bar starting' : 'bar',
          role: 'progressbar',
          'aria-label': 'Import progress',
          'aria-valuenow': String(percent),
          'aria-valuemin': '0',
          'aria-valuemax': '100',
        },
        el('div', { class: 'fill', style: `width: ${percent}%` }),
        el('div', {
          class: 'in-flight',
          id: 'progress-in-flight',
          style: `width: ${this.inFlightPercent()}%`,
        }),
      ),
      el(
        'p',
        { class: 'muted', id: 'progress-text' },
        `${percent}% · ${progress.requestsDone} of ${progress.requestsPlanned || '…'} requests · ${plural(progress.rowsWritten, 'row')} written`,
      ),
      this.running &&
        button(this.cancelRequested ? 'Cancelling…' : 'Cancel', {
          id: 'cancel-run',
          disabled: this.cancelRequested,
          onclick: () => {
            this.cancelRequested = true;
            this.renderStatus();
          },
        }),
    );
  }

  private async openBuilder(draft: ReturnType<typeof newDraft>): Promise<void> {
    const catalog = this.catalog!;
    this.message = null;
    if (!this.running) this.progress = null;
    this.builder = new Builder(draft, {
      catalog,
      labels: this.labels,
      choices: (source) => this.choices[source],
      lacks: (product) => this.lacking.includes(product),
      takenTabs: this.reports.map((summary) => summary.config.sheetName),
      save: async (config) => {
        this.reports = await callServer('saveReport', config);
        const notice = this.reports.find((summary) => summary.notice)?.notice;
        this.message = {
          text: ['Report saved.', notice].filter(Boolean).join(' '),
          kind: notice ? 'warning' : 'ok',
        };
        this.renderStatus();
        this.closeBuilder();
        // What saving did (a rebuild ahead, a permission missing) is said above the list, in view.
        this.showStatus();
      },
      close: () => this.closeBuilder(),
      checkTab: async (sheetName, reportId, writeTo) => {
        const destination = await callServer('checkDestination', sheetName, reportId, writeTo);
        return {
          spreadsheetName: destination.spreadsheetName,
          // Another report's tab cannot be taken over: saving refuses it, so no warning offers it.
          taken: destination.tabTaken ?? '',
          warning:
            destination.holdsOtherData && !destination.tabTaken
              ? `The tab “${sheetName}” already holds other data. Pick another tab, or take it over below.`
              : '',
        };
      },
    });
    this.renderStatus();
    this.renderBody();
    // Opened from a card lower down, the form began above the fold, and the clicked button was
    // gone with the list: the keyboard lands in the form's first field, its top in view.
    this.builder.root.scrollIntoView({ block: 'start' });
    this.body.querySelector<HTMLElement>('#report-name')?.focus({ preventScroll: true });
    await this.loadChoices();
  }

  /** The builder's ad accounts and pages: both lists load at once; each shows its own failure in its own list. */
  private async loadChoices(): Promise<void> {
    const loads = (['ads', 'pages'] as const).map(async (source) => {
      if (Array.isArray(this.choices[source])) return;
      if (this.disconnected) {
        // Asked again once connected: only a list is kept.
        this.choices[source] = {
          hint: `Sign in with LinkedIn above to list your ${source === 'ads' ? 'ad accounts' : 'pages'}. Saving keeps the ones the report reads.`,
        };
        this.builder?.render();
        return;
      }
      try {
        this.choices[source] =
          source === 'ads'
            ? (await callServer('listLinkedInAdAccounts')).map((account) => ({
                id: account.id,
                label: `${account.name} (${account.currency}, ${account.role.toLowerCase().replace(/_/g, ' ')})`,
              }))
            : (await callServer('listLinkedInPages')).map((page) => ({
                id: page.id,
                label: `${page.name} (${page.role.toLowerCase()})`,
              }));
      } catch (error) {
        this.choices[source] = { problem: userMessage(error, this.labels) };
      }
      this.builder?.render();
    });
    await Promise.all(loads);
  }

  /** Back to the list, keyboard focus on New report rather than lost with the form. */
  private closeBuilder(): void {
    this.builder = null;
    this.renderBody();
    this.body.querySelector<HTMLElement>('#new-report')?.focus();
  }

  private renderStatus(): void {
    redraw(
      this.status,
      this.message && el('p', { class: this.message.kind, id: 'reports-message' }, this.message.text),
      this.progress && this.progressBar(this.progress),
    );
  }

  private renderBody(): void {
    const catalog = this.catalog;
    if (this.builder) {
      if (this.body.firstChild !== this.builder.root) {
        replaceChildren(this.body, this.builder.root);
        this.builder.render();
      }
      return;
    }
    const disconnected = this.disconnectedNotice();
    const zone = catalog && this.reports.length > 0 ? zoneNote(catalog.timeZone) : null;
    redraw(
      this.body,
      disconnected && el('p', { class: 'warning', id: 'reports-disconnected' }, disconnected),
      zone && el('p', { class: 'muted', id: 'reports-time-zone' }, zone),
      ...(catalog
        ? this.reports.map((summary) =>
            reportCard(summary, catalog, this.labels, {
              busy: this.running,
              cannotRun: this.disconnectedNotice(),
              signedOut: this.signedOut,
              run: this.handler(() => this.run([summary.config.id])),
              edit: this.handler(() =>
                this.openBuilder({
                  ...draftFromConfig(catalog, summary.config),
                  scheduledBy: summary.scheduledByOther ?? '',
                  rowsInTab: summary.state.tableRows ?? null,
                }),
              ),
              duplicate: this.handler(() =>
                this.act(() => callServer('duplicateReport', summary.config.id), 'Duplicated.'),
              ),
              openTab: this.handler(() =>
                this.act(
                  () => callServer('openReportTab', summary.config.id),
                  `Showing the tab “${summary.config.sheetName}”.`,
                ),
              ),
              confirmingDelete: this.deleting === summary.config.id,
              askDelete: () => {
                this.deleting = summary.config.id;
                this.renderBody();
                // Delete is gone with the redraw: the keyboard goes to the question's safe answer.
                document.getElementById(`delete-${summary.config.id}-no`)?.focus();
              },
              keep: () => {
                this.deleting = null;
                this.renderBody();
              },
              remove: () => {
                this.deleting = null;
                void this.act(() => callServer('deleteReport', summary.config.id), 'Deleted.');
              },
            }),
          )
        : []),
      this.listed && this.reports.length === 0 && el('p', { class: 'muted' }, 'No reports yet.'),
      catalog &&
        el(
          'div',
          { class: 'row' },
          button('New report', {
            class: 'primary',
            id: 'new-report',
            disabled: !!disconnected,
            ...(disconnected ? { title: disconnected } : {}),
            onclick: this.handler(() =>
              this.openBuilder(
                newDraft(
                  catalog,
                  this.reports.map((summary) => summary.config.sheetName),
                ),
              ),
            ),
          }),
          this.reports.length > 1 &&
            button('Run all', {
              id: 'run-all',
              disabled: this.running || !!disconnected,
              ...(disconnected ? { title: disconnected } : {}),
              onclick: this.handler(() => this.run(this.reports.map((summary) => summary.config.id))),
            }),
        ),
    );
  }
}
