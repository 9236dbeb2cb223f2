// Builds DOM nodes from data. Text is only ever set through textContent, never parsed as HTML,
// because trace attributes and audit fields are written by whoever sent them.
type Child = Node | string | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; title?: string; role?: string; onClick?: () => void } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.title) element.title = props.title;
  if (props.role) element.setAttribute('role', props.role);
  if (props.onClick) element.addEventListener('click', props.onClick);
  for (const child of children) {
    if (child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}
