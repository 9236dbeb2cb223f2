// A virtualised list: only the rows in view (plus a few either side) exist in the DOM. Rows have
// one fixed height, a spacer gives the scroll height of all of them, and a scroll schedules one
// render per animation frame. Row elements are recycled (detached while unused), and a row is only
// re-rendered when the index it shows changes or the caller asks for a refresh.

export interface RowHandle {
  element: HTMLElement;
}

export interface VirtualListOptions<R extends RowHandle> {
  /** The scroll container; it must have a height of its own (CSS) and `position: relative`. */
  viewport: HTMLElement;
  rowHeight: number;
  createRow(): R;
  renderRow(row: R, index: number): void;
  /** Rows rendered above and below the viewport so a fast scroll does not show blanks. */
  overscan?: number;
  /** After each render: the rows in view, [first, last). */
  rendered?(first: number, last: number): void;
}

export class VirtualList<R extends RowHandle> {
  readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowHeight: number;
  private readonly overscan: number;
  private readonly rendered = new Map<number, R>();
  private readonly free: R[] = [];
  private count = 0;
  private frame = 0;
  private readonly resizeObserver: ResizeObserver;
  private viewportHeight = 0;

  constructor(private readonly options: VirtualListOptions<R>) {
    this.viewport = options.viewport;
    this.rowHeight = options.rowHeight;
    this.overscan = options.overscan ?? 8;
    this.spacer = document.createElement('div');
    this.spacer.className = 'virtual-spacer';
    this.spacer.setAttribute('role', 'presentation');
    this.viewport.append(this.spacer);
    this.viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.resizeObserver = new ResizeObserver(() => {
      this.viewportHeight = this.viewport.clientHeight;
      this.schedule();
    });
    this.resizeObserver.observe(this.viewport);
  }

  get length(): number {
    return this.count;
  }

  /** Sets the number of rows and re-renders every row in view (their contents may have changed). */
  setCount(count: number): void {
    this.count = count;
    this.spacer.style.height = `${count * this.rowHeight}px`;
    this.refresh();
  }

  /** Re-renders the rows in view now, e.g. after a change of selection or of the data. */
  refresh(): void {
    for (const [index, row] of this.rendered) {
      this.rendered.delete(index);
      this.free.push(row);
    }
    this.render();
  }

  /** Re-renders one row if it is in the DOM (e.g. the rows whose selection changed). */
  refreshIndex(index: number): void {
    const row = this.rendered.get(index);
    if (row) this.options.renderRow(row, index);
  }

  /** Renders on the next animation frame, once however many scroll events arrive before it. */
  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** The first and one-past-last row index that is fully or partly in view. */
  range(): { first: number; last: number } {
    const height = this.viewportHeight || this.viewport.clientHeight;
    const first = Math.floor(this.viewport.scrollTop / this.rowHeight);
    const last = Math.min(this.count, Math.ceil((this.viewport.scrollTop + height) / this.rowHeight));
    return { first: Math.min(first, this.count), last };
  }

  /** Rows that fit in the viewport, for Page Up / Page Down. */
  pageSize(): number {
    return Math.max(1, Math.floor((this.viewportHeight || this.viewport.clientHeight) / this.rowHeight) - 1);
  }

  /** Scrolls so that row `index` is in view: minimally, or centred when it is far away. */
  scrollToIndex(index: number, align: 'nearest' | 'center' = 'nearest'): void {
    const height = this.viewportHeight || this.viewport.clientHeight;
    const top = index * this.rowHeight;
    const bottom = top + this.rowHeight;
    const { scrollTop } = this.viewport;
    if (align === 'center') this.viewport.scrollTop = Math.max(0, top - (height - this.rowHeight) / 2);
    else if (top < scrollTop) this.viewport.scrollTop = top;
    else if (bottom > scrollTop + height) this.viewport.scrollTop = bottom - height;
    else return;
    this.render();
  }

  /** The handle showing row `index`, when it is in the DOM. */
  rowFor(index: number): R | undefined {
    return this.rendered.get(index);
  }

  private render(): void {
    if (this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    const { first, last } = this.range();
    const from = Math.max(0, first - this.overscan);
    const to = Math.min(this.count, last + this.overscan);
    for (const [index, row] of this.rendered) {
      if (index < from || index >= to) {
        this.rendered.delete(index);
        this.free.push(row);
      }
    }
    const fragment = document.createDocumentFragment();
    for (let index = from; index < to; index++) {
      if (this.rendered.has(index)) continue;
      const row = this.free.pop() ?? this.options.createRow();
      row.element.style.transform = `translateY(${index * this.rowHeight}px)`;
      this.options.renderRow(row, index);
      this.rendered.set(index, row);
      if (row.element.parentNode !== this.spacer) fragment.append(row.element);
    }
    if (fragment.childNodes.length > 0) this.spacer.append(fragment);
    for (const row of this.free) row.element.remove();
    this.options.rendered?.(first, last);
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    if (this.frame) cancelAnimationFrame(this.frame);
    this.spacer.remove();
  }
}
