import type { ReportConfig } from '../server/reports/config';
import type { WriteTo } from '../server/reports/destination';
import { dayNumber, dayToIso } from '../server/dates';
import { addAccessCaption, PRODUCT_NAMES, type Product } from '../server/linkedin/products';
import { periodField } from '../server/reports/tab-changes';
import { button, el, redraw } from './dom';
import {
  type Catalog,
  configOf,
  defaultNames,
  type Draft,
  draftProblems,
  movedField,
  rebuildWarning,
  sourceLabel,
  type Stream,
  streamKey,
  streamOf,
  tabNameFor,
  withPicked,
  withStream,
  writeToOf,
} from './draft';
import { type BuilderField, type Labels, problemsByField, userMessage } from './messages';

export const PRESET_LABELS: Record<string, string> = {
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
export const WEEK_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** What each run does to the tab, for a stream with dates and for one without (a list of what there is now). */
const WRITE_MODE_LABELS: Record<'dated' | 'undated', Record<string, string>> = {
  dated: { upsert: 'updates its days, keeps the rest', replace: 'replaces the days it reads' },
  undated: { upsert: 'updates rows by ID, keeps the rest', replace: 'replaces the whole table' },
};
export const SCHEDULE_LABELS: Record<string, string> = {
  none: 'Not scheduled',
  hourly: 'Every hour',
  daily: 'Daily',
  weekly: 'Weekly',
};

export interface Choice {
  id: string;
  label: string;
}

/**
 * The accounts or pages to pick from; null while loading; otherwise a sentence instead of the
 * list: why it could not load (`problem`), or what to do first (`hint`, e.g. sign in).
 */
export type Choices = Choice[] | { problem: string } | { hint: string } | null;

/** What the builder needs from the panel around it. */
export interface BuilderEnv {
  catalog: Catalog;
  labels: Labels;
  choices(source: 'ads' | 'pages'): Choices;
  /** Whether the connection lacks access to the LinkedIn product. */
  lacks(product: Product): boolean;
  /** Tabs other reports write to, which a default tab avoids. */
  takenTabs: string[];
  /** Resolves when saved; rejects with the server's refusal. */
  save(config: ReportConfig): Promise<void>;
  close(): void;
  /**
   * A warning about the destination tab (or ''), why it cannot be used (another report writes
   * to it, or ''), and the name of the other spreadsheet it is in; rejects when a pasted link
   * cannot be opened.
   */
  checkTab(
    sheetName: string,
    reportId: string | null,
    writeTo: WriteTo,
  ): Promise<{ warning: string; taken: string; spreadsheetName: string | null }>;
}

type Option = [value: string, label: string];

/** The builder field whose message a change of the draft answers. */
const FIELD_OF: Partial<Record<keyof Draft, BuilderField>> = {
  name: 'name',
  chosen: 'accounts',
  fields: 'fields',
  pivot: 'pivot',
  granularity: 'granularity',
  timeGranularity: 'granularity',
  preset: 'dates',
  start: 'dates',
  end: 'dates',
  lookback: 'dates',
  sheetName: 'sheet',
  writeTo: 'spreadsheet',
  spreadsheetLink: 'spreadsheet',
  hour: 'hour',
  weekDay: 'weekDay',
};

/**
 * The report builder. Its draft is the only state: each input writes to it as the user
 * types, and every redraw is drawn from it, so nothing the user did is ever reset.
 */
/** Fields checked with the server as they are typed (the link opened, the tab looked up). */
const CHECKED_AS_TYPED: BuilderField[] = ['spreadsheet', 'sheet'];

export class Builder {
  readonly root = el('div', { id: 'builder-area' });
  private saving = false;
  /** A save was refused: the line beside Save counts what is left to fix. */
  private refused = false;

  constructor(
    private draft: Draft,
    private readonly env: BuilderEnv,
  ) {
    void this.checkTab();
  }

  private get stream(): Stream {
    return streamOf(this.env.catalog, this.draft.stream);
  }

  /**
   * Applies a change; a change of shape (another stream, schedule, preset…) redraws the form.
   * The message beside a field goes once the user changes that field.
   */
  private update(patch: Partial<Draft>, reshape = false): void {
    const touched = Object.keys(patch).map((key) => FIELD_OF[key as keyof Draft]);
    const problems = { ...this.draft.problems };
    for (const field of touched) if (field) delete problems[field];
    // Another spreadsheet or tab: what was checked (its name, the tab's warning, a take-over) spoke of the one before.
    const changed = (key: 'writeTo' | 'spreadsheetLink' | 'sheetName') =>
      key in patch && patch[key] !== this.draft[key];
    const elsewhere =
      changed('writeTo') || changed('spreadsheetLink')
        ? { spreadsheetName: '', sheetWarning: '', takeOverTab: false }
        : changed('sheetName')
          ? { takeOverTab: false }
          : {};
    this.draft = { ...this.draft, problems, ...elsewhere, ...patch };
    if (reshape) this.render();
    else {
      for (const field of touched) if (field) this.root.querySelector(`#problem-${field}`)?.remove();
      this.root.querySelector('#rebuild-warning')?.replaceWith(this.rebuildWarning());
      this.root.querySelector('#save-refused')?.replaceWith(this.saveRefusal());
    }
  }

  /** Above Save: what saving does to the rows already in the tab, when it rebuilds it (hidden otherwise). */
  private rebuildWarning(): HTMLElement {
    const text = rebuildWarning(this.env.catalog, this.draft);
    return el('p', { class: 'warning', id: 'rebuild-warning', hidden: !text, role: 'status' }, text ?? '');
  }

  private async checkTab(): Promise<void> {
    const asked = this.draft;
    const writeTo = writeToOf(asked);
    // Nothing to open until a link is pasted; saving says so if it stays empty.
    if (writeTo.kind === 'link' && !writeTo.link.trim()) return;
    let warning = '';
    let spreadsheetName = '';
    let problem: string | undefined;
    let taken = '';
    try {
      const answer = await this.env.checkTab(asked.sheetName, asked.base.id ?? null, writeTo);
      warning = answer.warning;
      taken = answer.taken;
      spreadsheetName = answer.spreadsheetName ?? '';
    } catch (error) {
      // Only a pasted link is the user's to fix; any other failure is asked again on save.
      if (writeTo.kind === 'link') problem = userMessage(error, this.env.labels);
    }
    const now = this.draft;
    if (
      asked.sheetName !== now.sheetName ||
      asked.writeTo !== now.writeTo ||
      asked.spreadsheetLink !== now.spreadsheetLink
    )
      return;
    if (warning === now.sheetWarning && spreadsheetName === now.spreadsheetName && !problem && !taken) return;
    // A tab of other data offers "take over", so the builder is drawn again around it.
    this.update(
      {
        sheetWarning: warning,
        spreadsheetName,
        takeOverTab: warning === now.sheetWarning && now.takeOverTab,
        problems: {
          ...now.problems,
          ...(problem ? { spreadsheet: problem } : {}),
          ...(taken ? { sheet: taken } : {}),
        },
      },
      true,
    );
  }

  private async save(): Promise<void> {
    const problems = draftProblems(this.draft, this.env.catalog);
    // What checking the link or the tab found stays beside them until they change: the
    // fields' own checks do not know it. Without other problems, saving asks the server again.
    for (const field of CHECKED_AS_TYPED)
      if (this.draft.problems[field] && Object.keys(problems).length > 0)
        problems[field] ??= this.draft.problems[field];
    if (Object.keys(problems).length === 0) {
      this.saving = true;
      this.update({ problems: {} }, true);
      try {
        await this.env.save(configOf(this.draft, this.env.catalog));
        return;
      } catch (error) {
        Object.assign(problems, problemsByField(userMessage(error, this.env.labels)));
      } finally {
        this.saving = false;
      }
    }
    this.refused = true;
    this.update({ problems }, true);
    this.showFirstProblem();
  }

  /** The first field at fault, in view and focused, so the keyboard lands where the fix is. */
  private showFirstProblem(): void {
    const first = this.root.querySelector<HTMLElement>('.problem');
    if (!first) return;
    first.scrollIntoView({ block: 'center' });
    const control = this.root.querySelector<HTMLElement>(`[aria-describedby="${first.id}"]`);
    const focusable = control?.matches('input, select, textarea, button')
      ? control
      : control?.querySelector<HTMLElement>('input, select, textarea, button');
    focusable?.focus({ preventScroll: true });
  }

  /**
   * Beside Save, once a save was refused: how many fields above still need a fix (the form's
   * own problem shows here already). Hidden otherwise, so edits can update it in place.
   */
  private saveRefusal(): HTMLElement {
    const fields = Object.keys(this.draft.problems).filter((field) => field !== 'form').length;
    const text =
      !this.refused || fields === 0
        ? ''
        : fields === 1
          ? 'Not saved: fix the field marked above.'
          : `Not saved: fix the ${fields} fields marked above.`;
    return el('p', { class: 'error', id: 'save-refused', hidden: !text }, text);
  }

  /**
   * Under a custom range starting before the window LinkedIn keeps the stream for: where rows
   * will start, said before saving (the run says it again in its note).
   */
  private historyHint(): HTMLElement | null {
    const { historyDays } = this.stream;
    if (!historyDays || !this.draft.start) return null;
    const earliest = dayToIso(dayNumber(this.env.catalog.today) - historyDays);
    if (this.draft.start >= earliest) return null;
    return el(
      'p',
      { class: 'muted hint', id: 'history-hint' },
      `LinkedIn keeps these statistics for the last ${Math.round(historyDays / 30.4)} months: rows will start around ${earliest} (at the first whole week or month), not ${this.draft.start}.`,
    );
  }

  /** The message beside a field, tied to its control for screen readers. */
  private problem(field: BuilderField): HTMLElement | null {
    const text = this.draft.problems[field];
    return text ? el('p', { class: 'error problem', id: `problem-${field}`, role: 'alert' }, text) : null;
  }

  private input(
    id: string,
    key: 'name' | 'sheetName' | 'spreadsheetLink' | 'start' | 'end' | 'lookback',
    props = {},
  ) {
    const input = el('input', { id, value: this.draft[key], ...props });
    input.addEventListener('input', () => {
      if (key === 'name') return this.nameTyped(input.value);
      const edited = key === 'sheetName' ? { sheetEdited: true } : {};
      this.update({ [key]: input.value, ...edited });
    });
    return input;
  }

  /** A new report's tab follows its typed name until the user types a tab (then checked on leaving the name). */
  private nameTyped(name: string): void {
    const follows = !this.draft.base.id && !this.draft.sheetEdited;
    if (!follows) return this.update({ name, nameEdited: true });
    const { takenTabs } = this.env;
    const sheetName = tabNameFor(name, defaultNames(this.stream, takenTabs).sheetName, takenTabs);
    this.update({ name, nameEdited: true, sheetName });
    const sheetInput = this.root.querySelector<HTMLInputElement>('#report-sheet');
    if (sheetInput) sheetInput.value = sheetName;
  }

  private select(id: string, key: keyof Draft, options: Option[], reshape = false): HTMLSelectElement {
    const select = el(
      'select',
      { id },
      ...options.map(([value, label]) => el('option', { value, selected: value === this.draft[key] }, label)),
    );
    select.addEventListener('change', () => this.update({ [key]: select.value }, reshape));
    return select;
  }

  private streamSelect(): HTMLSelectElement {
    const select = el(
      'select',
      { id: 'report-stream' },
      ...(['ads', 'pages'] as const).map((source) =>
        el(
          'optgroup',
          { label: sourceLabel(source) },
          ...this.env.catalog.streams
            .filter((stream) => stream.source === source)
            .map((stream) =>
              el(
                'option',
                { value: streamKey(stream), selected: streamKey(stream) === this.draft.stream },
                stream.label,
              ),
            ),
        ),
      ),
    );
    select.addEventListener('change', () => {
      this.draft = withStream(this.draft, this.env.catalog, select.value, this.env.takenTabs);
      this.render();
      void this.checkTab();
    });
    return select;
  }

  private checkbox(id: string, checked: boolean, onChange: (checked: boolean) => void): HTMLInputElement {
    const box = el('input', { type: 'checkbox', id, checked });
    box.addEventListener('change', () => onChange(box.checked));
    return box;
  }

  private search(id: string, key: 'accountSearch' | 'fieldSearch', placeholder: string, draw: () => void) {
    const search = el('input', {
      type: 'search',
      id,
      placeholder,
      value: this.draft[key],
      'aria-label': placeholder,
    });
    search.addEventListener('input', () => {
      this.update({ [key]: search.value });
      draw();
    });
    return search;
  }

  private accountPicker(): HTMLElement {
    const forPages = this.stream.source === 'pages';
    const list = el('div', { class: 'accounts', id: 'account-list' });
    const draw = () => {
      const choices = this.env.choices(this.stream.source);
      const term = this.draft.accountSearch.toLowerCase();
      redraw(
        list,
        ...(!Array.isArray(choices)
          ? [
              el(
                'p',
                { class: choices && 'problem' in choices ? 'error' : 'muted' },
                choices === null
                  ? forPages
                    ? 'Loading your pages…'
                    : 'Loading your ad accounts…'
                  : 'problem' in choices
                    ? choices.problem
                    : choices.hint,
              ),
            ]
          : choices
              .filter((choice) => !term || `${choice.label} ${choice.id}`.toLowerCase().includes(term))
              .map((choice) =>
                el(
                  'label',
                  { class: 'field' },
                  this.checkbox(`choice-${choice.id}`, this.draft.chosen.includes(choice.id), (checked) =>
                    this.update({
                      chosen: checked
                        ? [...this.draft.chosen, choice.id]
                        : this.draft.chosen.filter((id) => id !== choice.id),
                    }),
                  ),
                  ` ${choice.label}`,
                ),
              )),
      );
    };
    draw();
    return el(
      'div',
      {},
      this.search('account-search', 'accountSearch', forPages ? 'Search pages' : 'Search accounts', draw),
      list,
    );
  }

  private fieldPicker(): HTMLElement {
    const stream = this.stream;
    const noun = stream.id === 'ad_analytics' ? 'metric' : 'field';
    // Key and row columns (date, page ID, breakdown…) are in every table and have no box to tick.
    const choosable = stream.fields.filter(
      (field) => !stream.key.includes(field.key) && field.group !== 'Row',
    );
    const ticked = () => this.draft.fields.filter((key) => choosable.some((field) => field.key === key));
    // A metric LinkedIn does not give by the chosen breakdown cannot be ticked (one ticked
    // before the breakdown changed stays, named above the list with a button that unticks it).
    const fieldOf = (key: string) => stream.fields.find((field) => field.key === key);
    const notOffered = (field: (typeof choosable)[number] | undefined) =>
      stream.id === 'ad_analytics' ? field?.notWithPivots?.[this.draft.pivot] : undefined;
    const count = el('span', { class: 'muted', id: 'field-count', 'aria-live': 'polite' });
    const unoffered = el('div', { class: 'warning', id: 'not-offered', role: 'status' });
    const list = el('div', { class: 'fields', id: 'field-list' });
    const choose = (keys: string[], on: boolean) => {
      const fields = on
        ? withPicked(stream, this.draft.fields, keys)
        : this.draft.fields.filter((key) => !keys.includes(key));
      this.update({ fields });
      draw();
    };
    // Analytics metrics are the sheet's columns, in this order: dragged, or moved with the arrow buttons.
    const order =
      stream.id === 'ad_analytics'
        ? el('ol', { class: 'column-order', id: 'metric-order', 'aria-labelledby': 'metric-order-hint' })
        : null;
    const move = (key: string, index: number, focus: string | null = null) => {
      this.update({ fields: movedField(this.draft.fields, key, index) });
      draw();
      if (focus) this.root.querySelector<HTMLButtonElement>(`#${focus}`)?.focus();
    };
    const drawOrder = (list: HTMLElement) => {
      const fields = this.draft.fields;
      // No metric chosen, nothing to order: the picker's own message says what is missing.
      list.parentElement?.toggleAttribute('hidden', fields.length === 0);
      const labelOf = (key: string) => fieldOf(key)?.label ?? key;
      redraw(
        list,
        ...fields.map((key, index) => {
          const label = labelOf(key);
          // Keyboard users keep focus on the arrow they pressed, or the other one at either end.
          const up = `move-up-${key}`;
          const down = `move-down-${key}`;
          const reason = notOffered(fieldOf(key));
          return el(
            'li',
            {
              class: reason ? 'order-item not-offered' : 'order-item',
              ...(reason ? { title: `Not by this breakdown: ${reason}` } : {}),
              draggable: 'true',
              'data-key': key,
              ondragstart: (event) => (event as DragEvent).dataTransfer?.setData('text/plain', key),
              ondragover: (event) => event.preventDefault(),
              ondrop: (event) => {
                event.preventDefault();
                const dragged = (event as DragEvent).dataTransfer?.getData('text/plain');
                if (dragged && dragged !== key && fields.includes(dragged)) move(dragged, index);
              },
            },
            el('span', { class: 'grip', 'aria-hidden': 'true' }, '⠿'),
            el('span', { class: 'order-label' }, label),
            button('↑', {
              class: 'link move',
              id: up,
              'aria-label': `Move ${label} up: an earlier column`,
              disabled: index === 0,
              onclick: () => move(key, index - 1, index - 1 === 0 ? down : up),
            }),
            button('↓', {
              class: 'link move',
              id: down,
              'aria-label': `Move ${label} down: a later column`,
              disabled: index === fields.length - 1,
              onclick: () => move(key, index + 1, index + 1 === fields.length - 1 ? up : down),
            }),
          );
        }),
      );
    };
    // Metrics ticked before the breakdown changed that it does not give: one click unticks them all.
    const drawUnoffered = () => {
      const keys = ticked().filter((key) => notOffered(fieldOf(key)));
      unoffered.hidden = keys.length === 0;
      if (keys.length === 0) return redraw(unoffered);
      const labels = keys.map((key) => `“${fieldOf(key)!.label}”`);
      const pivot = this.env.catalog.pivots.find((candidate) => candidate.id === this.draft.pivot)!.label;
      redraw(
        unoffered,
        `${labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]} are` : `${labels[0]} is`} not given by ${pivot.toLowerCase()}. `,
        button(keys.length > 1 ? `Untick these ${keys.length}` : 'Untick it', {
          class: 'link',
          id: 'untick-not-offered',
          onclick: () => choose(keys, false),
        }),
      );
    };
    const draw = () => {
      if (order) drawOrder(order);
      drawUnoffered();
      // The boxes ticked, not the draft's fields, which also hold the stream's row columns.
      const chosen = ticked().length;
      count.textContent = `${chosen} ${noun}${chosen === 1 ? '' : 's'} selected`;
      const term = this.draft.fieldSearch.toLowerCase();
      const groups = new Map<string, typeof choosable>();
      for (const field of choosable)
        if (!term || `${field.label} ${field.description} ${field.key}`.toLowerCase().includes(term))
          groups.set(field.group, [...(groups.get(field.group) ?? []), field]);
      redraw(
        list,
        ...[...groups].map(([group, members]) =>
          el(
            'fieldset',
            {},
            el(
              'legend',
              {},
              group,
              button('All', {
                class: 'link',
                id: `all-${group.replace(/\W+/g, '-')}`,
                'aria-label': `Select all ${group} ${noun}s`,
                onclick: () =>
                  choose(
                    members.filter((field) => !notOffered(field)).map((field) => field.key),
                    true,
                  ),
              }),
            ),
            ...members.map((field) => {
              const reason = notOffered(field);
              const box = this.checkbox(
                `field-${field.key}`,
                this.draft.fields.includes(field.key),
                (checked) => choose([field.key], checked),
              );
              box.disabled = !!reason && !box.checked;
              return el(
                'label',
                { class: 'field', title: reason ? `Not by this breakdown: ${reason}` : field.description },
                box,
                // One span: the note wraps with the label's words, not as a column of its own.
                el(
                  'span',
                  {},
                  ` ${field.label}`,
                  reason && el('span', { class: 'muted' }, ' · not by this breakdown'),
                ),
              );
            }),
          ),
        ),
        groups.size === 0 && el('p', { class: 'muted' }, `No ${noun} matches “${this.draft.fieldSearch}”.`),
      );
    };
    draw();
    return el(
      'div',
      {},
      this.search('field-search', 'fieldSearch', `Search ${noun}s`, draw),
      el(
        'div',
        { class: 'row spread' },
        count,
        button('Clear', {
          class: 'link',
          id: 'clear-fields',
          // Only what has a box: a row column cleared here (“Value name”) could not be ticked back.
          onclick: () => choose(ticked(), false),
        }),
      ),
      unoffered,
      list,
      order &&
        el(
          'div',
          { class: 'order', hidden: this.draft.fields.length === 0 },
          el(
            'p',
            { class: 'muted', id: 'metric-order-hint' },
            'Column order: drag a metric, or use its arrows.',
          ),
          order,
        ),
    );
  }

  /** Where the report writes: this spreadsheet, another by its link, or a new one. */
  private spreadsheetChoice(): HTMLElement {
    const draft = this.draft;
    const choice = this.select(
      'report-spreadsheet',
      'writeTo',
      this.env.catalog.writeTo.map(({ kind, label }) => [kind, label]),
      true,
    );
    choice.addEventListener('change', () => void this.checkTab());
    const hint =
      draft.writeTo === 'new'
        ? 'Made in your Google Drive when you save, named after the report; other editors who run the report need it shared with them.'
        : draft.writeTo === 'link'
          ? draft.spreadsheetName
            ? `Writes to “${draft.spreadsheetName}”.`
            : 'A spreadsheet you can edit; the report stays listed here.'
          : '';
    return el(
      'div',
      { class: 'form-group' },
      el('label', { for: 'report-spreadsheet' }, 'Spreadsheet'),
      choice,
      draft.writeTo === 'link' &&
        this.input('report-spreadsheet-link', 'spreadsheetLink', {
          placeholder: 'https://docs.google.com/spreadsheets/d/…/edit',
          'aria-label': 'Link to the spreadsheet',
          onchange: () => void this.checkTab(),
        }),
      hint && el('p', { class: 'muted hint', id: 'spreadsheet-hint' }, hint),
      this.problem('spreadsheet'),
    );
  }

  /** A label, its control and the message about it, as one block. */
  private field(
    label: string,
    control: HTMLElement,
    field: BuilderField | null = null,
    hint = '',
  ): HTMLElement {
    if (field && this.draft.problems[field]) control.setAttribute('aria-describedby', `problem-${field}`);
    return el(
      'div',
      { class: 'form-group' },
      el('label', control.id ? { for: control.id } : {}, label),
      control,
      hint && el('p', { class: 'muted hint' }, hint),
      field && this.problem(field),
    );
  }

  /** What the stream imports, and the access to add first when the connection lacks it. */
  private streamHint(): string {
    const { description, product } = this.stream;
    if (!this.env.lacks(product)) return description;
    return `${description} This connection does not have ${PRODUCT_NAMES[product].label} access yet: click “${addAccessCaption(product)}” above first.`;
  }

  render(): void {
    const { catalog } = this.env;
    const draft = this.draft;
    const stream = this.stream;
    const analytics = stream.id === 'ad_analytics';
    const forPages = stream.source === 'pages';
    const demographic = catalog.pivots.find((pivot) => pivot.id === draft.pivot)?.demographic;
    const scheduled = draft.scheduleKind === 'daily' || draft.scheduleKind === 'weekly';
    redraw(
      this.root,
      el(
        'form',
        {
          id: 'builder',
          novalidate: true,
          onsubmit: (event: Event) => {
            event.preventDefault();
            if (!this.saving) void this.save();
          },
        },
        el('h2', {}, draft.base.id ? 'Edit report' : 'New report'),
        this.field(
          'Name',
          this.input('report-name', 'name', {
            onchange: () => !draft.base.id && !this.draft.sheetEdited && void this.checkTab(),
          }),
          'name',
        ),
        this.field('Import', this.streamSelect(), 'stream', this.streamHint()),
        this.field(forPages ? 'Pages' : 'Ad accounts', this.accountPicker(), 'accounts'),
        analytics &&
          this.field(
            'Break down by',
            this.select(
              'report-pivot',
              'pivot',
              catalog.pivots.map((pivot) => [
                pivot.id,
                pivot.label + (pivot.demographic ? ' (approximate)' : ''),
              ]),
              true,
            ),
            'pivot',
            demographic
              ? 'Demographic breakdowns are approximate: LinkedIn hides small counts and returns only top values.'
              : '',
          ),
        stream.granularities &&
          this.field(
            'Rows per',
            // Only the periods LinkedIn gives this stream in, in the catalog's words.
            this.select(
              periodField(stream.source) === 'granularity' ? 'report-granularity' : 'report-page-granularity',
              periodField(stream.source),
              stream.granularities.map((granularity) => [granularity, catalog.periodWords[granularity]]),
              true,
            ),
            'granularity',
          ),
        stream.dated &&
          this.field(
            'Dates',
            this.select(
              'report-preset',
              'preset',
              catalog.datePresets.map((preset) => [preset, PRESET_LABELS[preset]]),
              true,
            ),
            'dates',
            // A custom range is read as entered; a moving one starts where its first period does.
            draft.preset === 'custom'
              ? ''
              : (catalog.wholePeriodNotes[draft[periodField(stream.source)]] ?? ''),
          ),
        stream.dated &&
          draft.preset === 'custom' &&
          el(
            'div',
            { id: 'custom-range', class: 'row' },
            this.field(
              'From',
              this.input('report-start', 'start', { type: 'date', onchange: () => this.render() }),
            ),
            this.field('To', this.input('report-end', 'end', { type: 'date' })),
          ),
        stream.dated && draft.preset === 'custom' && this.historyHint(),
        stream.dated &&
          draft.preset === 'incremental' &&
          this.field(
            'Lookback window (days, for late conversions)',
            this.input('report-lookback', 'lookback', { type: 'number', min: '0', max: '90' }),
          ),
        this.field(analytics ? 'Metrics' : 'Fields', this.fieldPicker(), 'fields'),
        this.spreadsheetChoice(),
        el(
          'div',
          { class: 'form-group' },
          el('label', { for: 'report-sheet' }, 'Destination tab'),
          this.input('report-sheet', 'sheetName', { onchange: () => void this.checkTab() }),
          el('p', { class: 'warning', id: 'sheet-warning' }, draft.sheetWarning),
          draft.sheetWarning &&
            el(
              'label',
              { class: 'field' },
              el('input', {
                type: 'checkbox',
                id: 'report-take-over',
                checked: draft.takeOverTab,
                onchange: (event: Event) =>
                  this.update({ takeOverTab: (event.target as HTMLInputElement).checked }),
              }),
              'Take over this tab: clear it and write this report there',
            ),
          this.problem('sheet'),
        ),
        this.field(
          'Each run',
          this.select(
            'report-write-mode',
            'writeMode',
            catalog.writeModes.map((mode) => [
              mode,
              WRITE_MODE_LABELS[stream.dated ? 'dated' : 'undated'][mode],
            ]),
          ),
        ),
        this.field(
          'Refresh',
          this.select(
            'report-schedule',
            'scheduleKind',
            catalog.scheduleKinds.map((kind) => [kind, SCHEDULE_LABELS[kind]]),
            true,
          ),
          null,
          draft.scheduledBy && draft.scheduleKind !== 'none'
            ? `Runs on ${draft.scheduledBy}’s schedule now; saving it scheduled makes it run on yours, with your LinkedIn connection.`
            : '',
        ),
        draft.scheduleKind === 'weekly' &&
          this.field(
            'Day',
            this.select(
              'report-weekday',
              'weekDay',
              WEEK_DAYS.map((day, index) => [String(index), day]),
            ),
            'weekDay',
          ),
        scheduled &&
          this.field(
            `Time (${catalog.timeZone}, the spreadsheet’s time zone)`,
            this.select(
              'report-hour',
              'hour',
              Array.from({ length: 24 }, (_, hour) => [String(hour), `${hour}:00`]),
            ),
            'hour',
          ),
        this.problem('form'),
        this.saveRefusal(),
        this.rebuildWarning(),
        el(
          'div',
          { class: 'row' },
          el(
            'button',
            { type: 'submit', class: 'primary', id: 'save-report', disabled: this.saving },
            this.saving ? 'Saving…' : 'Save report',
          ),
          button('Cancel', { id: 'cancel-edit', onclick: () => this.env.close() }),
        ),
      ),
    );
  }
}
