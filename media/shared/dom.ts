// Builds DOM nodes from data. Text is only ever set through textContent, never parsed as HTML,
// because trace attributes and audit fields are written by whoever sent them.
type Child = Node | string | undefined | false;

export interface Props {
  className?: string;
  title?: string;
  role?: string;
  onClick?: () => void;
  /** Attributes set with setAttribute (ARIA, tabindex, type…); never `on*` handlers or `style`. */
  attrs?: Record<string, string | undefined>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.title) element.title = props.title;
  if (props.role) element.setAttribute('role', props.role);
  if (props.onClick) element.addEventListener('click', props.onClick);
  if (props.attrs) setAttributes(element, props.attrs);
  for (const child of children) {
    if (child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** Sets attributes whose names come from our code; handlers and inline styles are refused (the CSP blocks them too). */
export function setAttributes(element: Element, attrs: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (/^on|^style$/i.test(name)) throw new Error(`refusing to set the ${name} attribute`);
    if (value !== undefined) element.setAttribute(name, value);
  }
}
