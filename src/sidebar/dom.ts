type Child = Node | string | null | undefined | false;
type Props = Record<string, string | boolean | ((event: Event) => void)>;

/**
 * Builds an element. Children that are strings become text nodes, so nothing from
 * LinkedIn or the user is ever parsed as HTML.
 */
export function el<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (typeof value === 'function') element.addEventListener(key.replace(/^on/, ''), value);
    else if (typeof value === 'boolean') {
      if (value) element.setAttribute(key, '');
    } else element.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** A button that never submits a form: every action of the sidebar is a click handler. */
export function button(label: Child, props: Props = {}): HTMLButtonElement {
  return el('button', { type: 'button', ...props }, label);
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((child): child is Node | string => !!child));
}

/**
 * Copies the text `shown` holds: through the clipboard API when the frame may use it, else
 * by asking the browser to copy the selection. HtmlService's sandboxed frames often refuse
 * the clipboard. True only when a copy happened; the text is left selected either way, so
 * the user can press Ctrl+C.
 */
export async function copyText(shown: Element): Promise<boolean> {
  const selection = window.getSelection();
  const range = document.createRange();
  range.selectNodeContents(shown);
  selection?.removeAllRanges();
  selection?.addRange(range);
  try {
    await navigator.clipboard.writeText(shown.textContent ?? '');
    return true;
  } catch {
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

/**
 * An event handler for work that awaits: the browser ignores what a listener returns, so a
 * rejected promise would vanish; its failure goes to `report`, which tells the user.
 */
export function handled(work: () => Promise<unknown>, report: (error: unknown) => void): () => void {
  return () => {
    work().catch(report);
  };
}

/** A copy button for the text `shown` holds: says "Copied" only when the copy worked. */
export function copyButton(shown: Element, props: Props = {}): HTMLButtonElement {
  const copy = button('Copy', props);
  const say = (copied: boolean) => {
    copy.textContent = copied ? 'Copied' : 'Selected: press Ctrl+C (⌘C on a Mac)';
  };
  copy.addEventListener(
    'click',
    handled(
      async () => say(await copyText(shown)),
      () => say(false),
    ),
  );
  return copy;
}

/**
 * A question answered inside the sidebar: HtmlService's frames may block confirm(), and a
 * blocked confirm() answers false without asking.
 */
export function inlineConfirm(
  question: string,
  confirmLabel: string,
  onConfirm: () => void,
  onCancel: () => void,
  id: string,
): HTMLElement {
  return el(
    'div',
    { class: 'confirm', id, role: 'alertdialog' },
    el('p', {}, question),
    el(
      'div',
      { class: 'row' },
      button(confirmLabel, { class: 'danger', id: `${id}-yes`, onclick: onConfirm }),
      button('Cancel', { id: `${id}-no`, onclick: onCancel }),
    ),
  );
}

/**
 * replaceChildren for a redraw under the user's hands: the focused control (found again by
 * its id) keeps focus and caret, and scrolled lists keep their scroll.
 */
export function redraw(parent: Element, ...children: Child[]): void {
  const active = document.activeElement;
  const focusId = active && active !== parent && parent.contains(active) ? active.id : '';
  const caret =
    active instanceof HTMLInputElement && typeof active.selectionStart === 'number'
      ? [active.selectionStart, active.selectionEnd ?? active.selectionStart]
      : null;
  const scrolled = Array.from(parent.querySelectorAll('[id]'))
    .filter((element) => element.scrollTop > 0)
    .map((element) => [element.id, element.scrollTop] as const);
  replaceChildren(parent, ...children);
  for (const [id, top] of scrolled) {
    const element = document.getElementById(id);
    if (element) element.scrollTop = top;
  }
  const focus = focusId ? document.getElementById(focusId) : null;
  focus?.focus();
  if (caret && focus instanceof HTMLInputElement) focus.setSelectionRange(caret[0], caret[1]);
}
