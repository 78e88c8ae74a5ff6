import type { FieldSpec } from '../server/catalog/types';
import type { ReportSummary } from '../server/main';
import type { ReportConfig, Schedule } from '../server/reports/config';
import type { Progress } from '../server/reports/runner';
import { button, el, replaceChildren } from './dom';
import { callServer, errorMessage } from './server';

type Catalog = Awaited<ReturnType<typeof callServer<'getCatalog'>>>;
type Account = Awaited<ReturnType<typeof callServer<'listLinkedInAdAccounts'>>>[number];
type Page = Awaited<ReturnType<typeof callServer<'listLinkedInPages'>>>[number];

const PRESET_LABELS: Record<string, string> = {
  yesterday: 'Yesterday',
  last_7_days: 'Last 7 days',
  last_14_days: 'Last 14 days',
  last_30_days: 'Last 30 days',
  last_90_days: 'Last 90 days',
  this_month: 'This month',
  last_month: 'Last month',
  this_year: 'This year',
  custom: 'Custom range',
  incremental: 'Since last run (incremental)',
};
const WEEK_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const describeSchedule = (schedule: Schedule) =>
  schedule.kind === 'none'
    ? 'Not scheduled'
    : schedule.kind === 'hourly'
      ? 'Every hour'
      : schedule.kind === 'daily'
        ? `Daily at ${schedule.hour}:00`
        : `${WEEK_DAYS[schedule.weekDay]}s at ${schedule.hour}:00`;

const when = (epochMs: number | null) => (epochMs ? new Date(epochMs).toLocaleString() : '—');

/** What the builder can tell before asking the server, which checks everything again. */
function draftProblems(draft: Partial<ReportConfig>, streamId: string): string[] {
  const problems: string[] = [];
  if (!draft.name?.trim()) problems.push('Give the report a name.');
  if (
    draft.source === 'pages'
      ? streamId !== 'pages' && !draft.organizationIds?.length
      : !draft.accountIds?.length
  ) {
    problems.push(draft.source === 'pages' ? 'Choose at least one page.' : 'Choose at least one ad account.');
  }
  if (streamId === 'ad_analytics' && !draft.fields?.length) problems.push('Choose at least one metric.');
  if (!draft.sheetName?.trim()) problems.push('Choose the tab the report writes to.');
  const range = draft.dateRange;
  if (range?.preset === 'custom' && (!range.start || !range.end))
    problems.push('Enter both dates of the custom range.');
  else if (range?.preset === 'custom' && range.start! > range.end!)
    problems.push('The start date is after the end date.');
  return problems;
}

/** The spreadsheet's reports, their status, running them with a progress bar, and the builder. */
export class ReportsPanel {
  readonly root = el('section', { id: 'reports' });
  private reports: ReportSummary[] = [];
  private catalog: Catalog | null = null;
  private accounts: Account[] | null = null;
  private pages: Page[] | null = null;
  private editing: Partial<ReportConfig> | null = null;
  private message: { text: string; kind: 'error' | 'muted' } | null = null;
  private progress: Progress | null = null;
  private cancelled = false;

  async load(): Promise<void> {
    try {
      [this.reports, this.catalog] = await Promise.all([callServer('listReports'), callServer('getCatalog')]);
    } catch (error) {
      this.message = { text: errorMessage(error), kind: 'error' };
    }
    this.render();
  }

  private async act(action: () => Promise<ReportSummary[]>, success: string | null = null): Promise<void> {
    this.progress = null;
    try {
      this.reports = await action();
      this.message = success ? { text: success, kind: 'muted' } : null;
    } catch (error) {
      this.message = { text: errorMessage(error), kind: 'error' };
    }
    this.render();
  }

  private async run(reportId: string): Promise<void> {
    this.cancelled = false;
    try {
      let progress = await callServer('runReportNow', reportId);
      this.progress = progress;
      this.render();
      while (progress.status === 'running' && !this.cancelled) {
        progress = await callServer('continueReport', reportId);
        this.progress = progress;
        this.render();
      }
      this.message = progress.message
        ? { text: progress.message, kind: progress.status === 'done' ? 'muted' : 'error' }
        : null;
      // A finished run keeps its full bar until the next action; a failed or cancelled one drops it.
      if (progress.status !== 'done') this.progress = null;
    } catch (error) {
      this.message = { text: errorMessage(error), kind: 'error' };
      this.progress = null;
    }
    this.reports = await callServer('listReports').catch(() => this.reports);
    this.render();
  }

  private progressBar(progress: Progress): HTMLElement {
    const fraction = progress.requestsPlanned > 0 ? progress.requestsDone / progress.requestsPlanned : 0;
    const percent = Math.round(fraction * 100);
    return el(
      'div',
      { id: 'run-progress' },
      el(
        'div',
        {
          class: 'bar',
          role: 'progressbar',
          'aria-valuenow': String(percent),
          'aria-valuemin': '0',
          'aria-valuemax': '100',
        },
        el('div', { class: 'fill', style: `width: ${percent}%` }),
      ),
      el(
        'p',
        { class: 'muted', id: 'progress-text' },
        `${percent}% · ${progress.requestsDone} of ${progress.requestsPlanned || '…'} requests · ${progress.rowsWritten.toLocaleString()} rows written`,
      ),
      progress.status === 'running' &&
        button('Cancel', {
          id: 'cancel-run',
          onclick: () => {
            this.cancelled = true;
            void this.act(
              () => callServer('cancelReport', progress.reportId),
              'Run cancelled. Rows already written stay.',
            );
          },
        }),
    );
  }

  private reportCard(summary: ReportSummary): HTMLElement {
    const { config, state } = summary;
    return el(
      'div',
      { class: 'card', 'data-report': config.id },
      el('strong', {}, config.name),
      el('p', { class: 'muted' }, `→ ${config.sheetName} · ${describeSchedule(config.schedule)}`),
      el(
        'p',
        { class: 'muted' },
        `Last run: ${when(state.lastRunAt)}${state.lastRows !== null ? ` · ${state.lastRows.toLocaleString()} rows` : ''}${config.schedule.kind !== 'none' ? ` · Next: ${when(state.nextRunAt)}` : ''}`,
      ),
      state.lastError && el('p', { class: 'error' }, state.lastError),
      el(
        'div',
        { class: 'row' },
        button('Run now', {
          class: 'primary run',
          disabled: this.progress?.status === 'running',
          onclick: () => this.run(config.id),
        }),
        button('Edit', { class: 'edit', onclick: () => this.edit(config) }),
        button('Duplicate', {
          class: 'duplicate',
          onclick: () => this.act(() => callServer('duplicateReport', config.id), 'Duplicated.'),
        }),
        button('Delete', {
          class: 'delete',
          onclick: () =>
            confirm(`Delete “${config.name}”? The tab and its rows stay.`) &&
            this.act(() => callServer('deleteReport', config.id), 'Deleted.'),
        }),
      ),
    );
  }

  private async edit(config: Partial<ReportConfig>): Promise<void> {
    this.editing = { ...config };
    this.progress = null;
    this.render();
    // Both lists load at once; a failure is shown only for the source the report uses.
    const source = config.source ?? 'ads';
    const [accounts, pages] = await Promise.allSettled([
      this.accounts ? Promise.resolve(this.accounts) : callServer('listLinkedInAdAccounts'),
      this.pages ? Promise.resolve(this.pages) : callServer('listLinkedInPages'),
    ]);
    if (accounts.status === 'fulfilled') this.accounts = accounts.value;
    else if (source === 'ads') this.message = { text: errorMessage(accounts.reason), kind: 'error' };
    if (pages.status === 'fulfilled') this.pages = pages.value;
    else if (source === 'pages') this.message = { text: errorMessage(pages.reason), kind: 'error' };
    this.render();
  }

  private newReport(): Partial<ReportConfig> {
    const analytics = this.catalog!.streams.find((stream) => stream.id === 'ad_analytics')!;
    return {
      name: 'LinkedIn Ads performance',
      source: 'ads',
      stream: 'ad_analytics',
      accountIds: [],
      fields: analytics.fields.filter((field) => field.byDefault).map((field) => field.key),
      pivot: 'CAMPAIGN',
      granularity: 'DAILY',
      dateRange: { preset: 'last_30_days' },
      sheetName: 'LinkedIn Ads',
      schedule: { kind: 'none' },
    };
  }

  private fieldPicker(fields: FieldSpec[], chosen: Set<string>, key: string[]): HTMLElement {
    const search = el('input', { type: 'search', id: 'field-search', placeholder: 'Search fields' });
    const list = el('div', { class: 'fields', id: 'field-list' });
    const draw = () => {
      const term = search.value.toLowerCase();
      const groups = new Map<string, FieldSpec[]>();
      for (const field of fields) {
        if (key.includes(field.key) || field.group === 'Row') continue;
        if (term && !`${field.label} ${field.description} ${field.key}`.toLowerCase().includes(term))
          continue;
        groups.set(field.group, [...(groups.get(field.group) ?? []), field]);
      }
      replaceChildren(
        list,
        ...[...groups].map(([group, members]) =>
          el(
            'fieldset',
            {},
            el('legend', {}, group),
            ...members.map((field) => {
              const box = el('input', { type: 'checkbox', value: field.key, checked: chosen.has(field.key) });
              box.addEventListener('change', () =>
                box.checked ? chosen.add(field.key) : chosen.delete(field.key),
              );
              return el('label', { class: 'field', title: field.description }, box, ` ${field.label}`);
            }),
          ),
        ),
      );
    };
    search.addEventListener('input', draw);
    draw();
    return el('div', {}, search, list);
  }

  private builder(draft: Partial<ReportConfig>): HTMLElement {
    const catalog = this.catalog!;
    const stream =
      catalog.streams.find(
        (candidate) => candidate.id === draft.stream && candidate.source === (draft.source ?? 'ads'),
      ) ?? catalog.streams[0];
    const forPages = stream.source === 'pages';
    const choices: Array<{ id: string; label: string }> | null = forPages
      ? (this.pages?.map((page) => ({ id: page.id, label: `${page.name} (${page.role.toLowerCase()})` })) ??
        null)
      : (this.accounts?.map((account) => ({
          id: account.id,
          label: `${account.name} (${account.currency}, ${account.role.toLowerCase().replace(/_/g, ' ')})`,
        })) ?? null);
    const name = el('input', { id: 'report-name', value: draft.name ?? '' });
    const optionValue = (option: { source: string; id: string }) => `${option.source}:${option.id}`;
    const streamSelect = el(
      'select',
      { id: 'report-stream' },
      ...(['ads', 'pages'] as const).map((source) =>
        el(
          'optgroup',
          { label: source === 'ads' ? 'LinkedIn Ads' : 'LinkedIn Pages' },
          ...catalog.streams
            .filter((option) => option.source === source)
            .map((option) =>
              el(
                'option',
                { value: optionValue(option), selected: optionValue(option) === optionValue(stream) },
                option.label,
              ),
            ),
        ),
      ),
    );
    streamSelect.addEventListener('change', () => {
      const next = catalog.streams.find((candidate) => optionValue(candidate) === streamSelect.value)!;
      this.editing = {
        ...collect(),
        source: next.source,
        stream: next.id,
        fields: next.fields.filter((field) => field.byDefault).map((field) => field.key),
      };
      this.render();
    });
    const accountSearch = el('input', {
      type: 'search',
      id: 'account-search',
      placeholder: forPages ? 'Search pages' : 'Search accounts',
    });
    const accountList = el('div', { class: 'accounts', id: 'account-list' });
    const chosenAccounts = new Set((forPages ? draft.organizationIds : draft.accountIds) ?? []);
    const drawAccounts = () => {
      const term = accountSearch.value.toLowerCase();
      replaceChildren(
        accountList,
        ...(choices === null
          ? [el('p', { class: 'muted' }, forPages ? 'Loading your pages…' : 'Loading your ad accounts…')]
          : choices
              .filter((account) => !term || `${account.label} ${account.id}`.toLowerCase().includes(term))
              .map((account) => {
                const box = el('input', {
                  type: 'checkbox',
                  value: account.id,
                  checked: chosenAccounts.has(account.id),
                });
                box.addEventListener('change', () =>
                  box.checked ? chosenAccounts.add(account.id) : chosenAccounts.delete(account.id),
                );
                return el('label', { class: 'field' }, box, ` ${account.label}`);
              })),
      );
    };
    accountSearch.addEventListener('input', drawAccounts);
    drawAccounts();
    const chosenFields = new Set(draft.fields ?? []);
    const analytics = stream.id === 'ad_analytics';
    const dated = stream.dated;
    const periods = { DAY: 'day', WEEK: 'week', MONTH: 'month' } as const;
    const pagesGranularity = el(
      'select',
      { id: 'report-page-granularity' },
      ...Object.entries(periods).map(([value, label]) =>
        el('option', { value, selected: value === (draft.timeGranularity ?? 'DAY') }, label),
      ),
    );
    const pivot = el(
      'select',
      { id: 'report-pivot' },
      ...catalog.pivots.map((option) =>
        el(
          'option',
          { value: option.id, selected: option.id === draft.pivot },
          option.label + (option.demographic ? ' (approximate)' : ''),
        ),
      ),
    );
    const granularity = el(
      'select',
      { id: 'report-granularity' },
      ...catalog.granularities.map((option) =>
        el('option', { value: option, selected: option === draft.granularity }, option.toLowerCase()),
      ),
    );
    const preset = el(
      'select',
      { id: 'report-preset' },
      ...catalog.datePresets.map((option) =>
        el('option', { value: option, selected: option === draft.dateRange?.preset }, PRESET_LABELS[option]),
      ),
    );
    const start = el('input', { type: 'date', id: 'report-start', value: draft.dateRange?.start ?? '' });
    const end = el('input', { type: 'date', id: 'report-end', value: draft.dateRange?.end ?? '' });
    const lookback = el('input', {
      type: 'number',
      id: 'report-lookback',
      min: '0',
      max: '90',
      value: String(draft.dateRange?.lookbackDays ?? 7),
    });
    const customBox = el(
      'div',
      { id: 'custom-range' },
      el('label', {}, 'From'),
      start,
      el('label', {}, 'To'),
      end,
    );
    const incrementalBox = el(
      'div',
      { id: 'incremental' },
      el('label', {}, 'Lookback window (days, for late conversions)'),
      lookback,
    );
    const showRange = () => {
      customBox.hidden = preset.value !== 'custom';
      incrementalBox.hidden = preset.value !== 'incremental';
    };
    preset.addEventListener('change', showRange);
    showRange();
    const sheetName = el('input', { id: 'report-sheet', value: draft.sheetName ?? '' });
    const sheetWarning = el('p', { class: 'warning', id: 'sheet-warning' });
    const checkSheet = async () => {
      const check = await callServer('checkDestination', sheetName.value, draft.id ?? null).catch(() => null);
      sheetWarning.textContent = check?.holdsOtherData
        ? `The tab “${sheetName.value}” already holds other data: the report will refuse to write there. Pick another tab.`
        : '';
    };
    sheetName.addEventListener('change', checkSheet);
    void checkSheet();
    const scheduleKind = el(
      'select',
      { id: 'report-schedule' },
      ...['none', 'hourly', 'daily', 'weekly'].map((kind) =>
        el(
          'option',
          { value: kind, selected: kind === (draft.schedule?.kind ?? 'none') },
          kind === 'none' ? 'Not scheduled' : kind,
        ),
      ),
    );
    const hour = el('input', {
      type: 'number',
      id: 'report-hour',
      min: '0',
      max: '23',
      value: String('hour' in (draft.schedule ?? {}) ? (draft.schedule as { hour: number }).hour : 6),
    });
    const weekDay = el(
      'select',
      { id: 'report-weekday' },
      ...WEEK_DAYS.map((day, index) =>
        el(
          'option',
          {
            value: String(index),
            selected:
              'weekDay' in (draft.schedule ?? {}) &&
              (draft.schedule as { weekDay: number }).weekDay === index,
          },
          day,
        ),
      ),
    );

    const collect = (): Partial<ReportConfig> => {
      const kind = scheduleKind.value;
      const schedule: Schedule =
        kind === 'hourly'
          ? { kind }
          : kind === 'daily'
            ? { kind, hour: Number(hour.value) }
            : kind === 'weekly'
              ? { kind, hour: Number(hour.value), weekDay: Number(weekDay.value) }
              : { kind: 'none' };
      return {
        ...draft,
        name: name.value,
        stream: stream.id,
        source: stream.source,
        accountIds: forPages ? [] : [...chosenAccounts],
        organizationIds: forPages ? [...chosenAccounts] : undefined,
        timeGranularity: forPages && dated ? (pagesGranularity.value as keyof typeof periods) : undefined,
        fields: [...chosenFields],
        pivot: analytics ? pivot.value : undefined,
        granularity: analytics ? (granularity.value as ReportConfig['granularity']) : undefined,
        dateRange: {
          preset: preset.value as ReportConfig['dateRange']['preset'],
          start: start.value || undefined,
          end: end.value || undefined,
          lookbackDays: Number(lookback.value),
        },
        sheetName: sheetName.value,
        schedule,
      };
    };
    const problemsList = el('ul', { class: 'error', id: 'builder-problems' });
    return el(
      'form',
      {
        id: 'builder',
        onsubmit: (event: Event) => {
          event.preventDefault();
          const problems = draftProblems(collect(), stream.id);
          replaceChildren(problemsList, ...problems.map((problem) => el('li', {}, problem)));
          if (problems.length > 0) return;
          void this.act(async () => {
            const saved = await callServer('saveReport', collect() as ReportConfig);
            this.editing = null;
            return saved;
          }, 'Report saved.');
        },
      },
      el('h2', {}, draft.id ? 'Edit report' : 'New report'),
      el('label', { for: 'report-name' }, 'Name'),
      name,
      el('label', { for: 'report-stream' }, 'Import'),
      streamSelect,
      el('p', { class: 'muted' }, stream.description),
      el('label', {}, forPages ? 'Pages' : 'Ad accounts'),
      accountSearch,
      accountList,
      analytics && el('label', { for: 'report-pivot' }, 'Break down by'),
      analytics && pivot,
      analytics &&
        el(
          'p',
          { class: 'muted' },
          'Demographic breakdowns are approximate: LinkedIn hides small counts and returns only top values.',
        ),
      analytics && el('label', { for: 'report-granularity' }, 'Rows per'),
      analytics && granularity,
      forPages && dated && el('label', { for: 'report-page-granularity' }, 'Rows per'),
      forPages && dated && pagesGranularity,
      dated && el('label', { for: 'report-preset' }, 'Dates'),
      dated && preset,
      dated && customBox,
      dated && incrementalBox,
      el('label', {}, analytics ? 'Metrics' : 'Fields'),
      this.fieldPicker(stream.fields, chosenFields, stream.key),
      el('label', { for: 'report-sheet' }, 'Destination tab'),
      sheetName,
      sheetWarning,
      el('label', { for: 'report-schedule' }, 'Refresh'),
      scheduleKind,
      el('label', { for: 'report-hour' }, 'Hour (daily, weekly; the spreadsheet’s time zone)'),
      hour,
      el('label', { for: 'report-weekday' }, 'Day (weekly)'),
      weekDay,
      problemsList,
      this.message && el('p', { class: this.message.kind, id: 'builder-message' }, this.message.text),
      el(
        'div',
        { class: 'row' },
        el('button', { type: 'submit', class: 'primary', id: 'save-report' }, 'Save report'),
        button('Cancel', {
          id: 'cancel-edit',
          onclick: () => {
            this.editing = null;
            this.render();
          },
        }),
      ),
    );
  }

  render(): void {
    replaceChildren(
      this.root,
      el('h2', {}, 'Reports'),
      !this.editing &&
        this.message &&
        el('p', { class: this.message.kind, id: 'reports-message' }, this.message.text),
      this.progress && this.progressBar(this.progress),
      this.editing && this.catalog
        ? this.builder(this.editing)
        : el(
            'div',
            {},
            ...this.reports.map((summary) => this.reportCard(summary)),
            this.reports.length === 0 && el('p', { class: 'muted' }, 'No reports yet.'),
            this.catalog &&
              button('New report', {
                class: 'primary',
                id: 'new-report',
                onclick: () => this.edit(this.newReport()),
              }),
          ),
    );
  }
}
