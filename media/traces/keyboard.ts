// Keys the panel's lists and tree understand, as the WAI-ARIA tree and listbox patterns define
// them: arrows move, Home/End jump, Page Up/Down move a page, ←/→ collapse and expand (or move to
// the parent / first child), Enter opens, Escape closes.
export type NavigationAction = 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'left' | 'right' | 'open' | 'close';

const keys: Record<string, NavigationAction> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
  Home: 'home',
  End: 'end',
  ArrowLeft: 'left',
  ArrowRight: 'right',
  Enter: 'open',
  Escape: 'close',
};

/** The action a key press asks for, or undefined for keys the lists leave alone (and for chords). */
export function navigationAction(event: KeyboardEvent): NavigationAction | undefined {
  if (event.altKey || event.ctrlKey || event.metaKey) return undefined;
  return keys[event.key];
}

/** The index a vertical move lands on, clamped to [0, count). */
export function moveIndex(action: NavigationAction, current: number, count: number, page: number): number {
  if (count === 0) return -1;
  const from = current < 0 ? -1 : current;
  switch (action) {
    case 'up': return Math.max(0, from - 1);
    case 'down': return Math.min(count - 1, from + 1);
    case 'pageUp': return Math.max(0, from - page);
    case 'pageDown': return Math.min(count - 1, Math.max(0, from) + page);
    case 'home': return 0;
    case 'end': return count - 1;
    default: return current;
  }
}
