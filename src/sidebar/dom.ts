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
