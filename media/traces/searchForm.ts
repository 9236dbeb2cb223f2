// The trace search: service, operation, duration bounds, errors only, an attribute `key=value`,
// free text, and the sort. Submitting (Enter or the button) sends one TraceQuery; changing the
// sort or "errors only" searches at once. A function filter (from a CodeLens) shows as a chip.
import type { TraceQuery } from '../../server/protocol';
import { h } from '../shared/dom';
import { durationText, parseDuration } from './format';

type Sort = NonNullable<TraceQuery['sort']>;

const sorts: { value: Sort; label: string }[] = [
  { value: 'newest', label: 'Newest first' },
  { value: 'oldest', label: 'Oldest first' },
  { value: 'slowest', label: 'Slowest first' },
  { value: 'fastest', label: 'Fastest first' },
  { value: 'most-errors', label: 'Most errors first' },
];

/** Traces the list asks for at most; the server may cap it lower. */
export const listLimit = 500;

let nextId = 0;

function field(label: string, input: HTMLInputElement | HTMLSelectElement, className = ''): HTMLElement {
  const id = `search-${++nextId}`;
  input.id = id;
  return h('div', { className: `field ${className}` }, h('label', { attrs: { for: id } }, label), input);
}

function textInput(name: string, placeholder: string, list?: string): HTMLInputElement {
  return h('input', { attrs: { type: 'text', name, placeholder, list, spellcheck: 'false', autocomplete: 'off' } });
}

export class SearchForm {
  readonly element: HTMLFormElement;
  private readonly service = textInput('service', 'any service', 'search-services');
  private readonly operation = textInput('operation', 'any operation', 'search-operations');
  private readonly minDuration = textInput('minDuration', 'e.g. 250ms');
  private readonly maxDuration = textInput('maxDuration', 'e.g. 2s');
  private readonly attribute = textInput('attribute', 'http.status_code=500');
  private readonly text = textInput('text', 'search service, operation, attribute values');
  private readonly errorsOnly = h('input', { attrs: { type: 'checkbox', name: 'errorsOnly' } });
  private readonly sort = h('select', { attrs: { name: 'sort' } }, ...sorts.map((s) => h('option', { attrs: { value: s.value } }, s.label)));
  private readonly serviceOptions = h('datalist', { attrs: { id: 'search-services' } });
  private readonly operationOptions = h('datalist', { attrs: { id: 'search-operations' } });
  private readonly functionChip = h('div', { className: 'function-chip', attrs: { hidden: '' } });
  private readonly problem = h('p', { className: 'form-problem', role: 'alert' });
  private functionFilter: TraceQuery['function'];

  constructor(private readonly onSearch: (query: TraceQuery) => void) {
    const errorsId = `search-${++nextId}`;
    this.errorsOnly.id = errorsId;
    this.element = h(
      'form',
      { className: 'search', role: 'search', attrs: { 'aria-label': 'Search traces', novalidate: '' } },
      this.functionChip,
      h('div', { className: 'fields' },
        field('Service', this.service),
        field('Operation', this.operation),
        field('Min duration', this.minDuration),
        field('Max duration', this.maxDuration),
        field('Attribute', this.attribute, 'wide'),
        field('Text', this.text, 'wide'),
      ),
      this.problem,
      h('div', { className: 'search-actions' },
        h('span', { className: 'check' }, this.errorsOnly, h('label', { attrs: { for: errorsId } }, 'Errors only')),
        h('button', { className: 'secondary', attrs: { type: 'button' }, onClick: () => this.reset() }, 'Reset'),
        h('button', { attrs: { type: 'submit' } }, 'Search'),
      ),
      field('Sort', this.sort, 'sort'),
      this.serviceOptions,
      this.operationOptions,
    );
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.sort.addEventListener('change', () => this.submit());
    this.errorsOnly.addEventListener('change', () => this.submit());
  }

  /** Shows a query in the fields (a preset filter, or the state the panel was left in). */
  setQuery(query: TraceQuery): void {
    this.service.value = query.service ?? '';
    this.operation.value = query.operation ?? '';
    this.minDuration.value = durationText(query.minDurationMs);
    this.maxDuration.value = durationText(query.maxDurationMs);
    this.attribute.value = query.attribute ? `${query.attribute.key}=${query.attribute.value}` : '';
    this.text.value = query.text ?? '';
    this.errorsOnly.checked = query.errorsOnly === true;
    this.sort.value = query.sort ?? 'newest';
    this.functionFilter = query.function;
    this.renderFunctionChip();
    this.showProblem(undefined);
  }

  /** Suggestions for the service and operation fields, from the traces listed. */
  setSuggestions(services: Iterable<string>, operations: Iterable<string>): void {
    const options = (values: Iterable<string>) => [...new Set(values)].sort().slice(0, 200).map((value) => h('option', { attrs: { value } }));
    this.serviceOptions.replaceChildren(...options(services));
    this.operationOptions.replaceChildren(...options(operations));
  }

  /** The query in the fields, or undefined (with the problem shown) when a field does not parse. */
  read(): TraceQuery | undefined {
    const query: TraceQuery = { sort: this.sort.value as Sort, limit: listLimit };
    const service = this.service.value.trim();
    const operation = this.operation.value.trim();
    const text = this.text.value.trim();
    if (service) query.service = service;
    if (operation) query.operation = operation;
    if (text) query.text = text;
    if (this.errorsOnly.checked) query.errorsOnly = true;
    if (this.functionFilter) query.function = this.functionFilter;
    const bounds: [HTMLInputElement, 'minDurationMs' | 'maxDurationMs', string][] = [
      [this.minDuration, 'minDurationMs', 'Min duration'],
      [this.maxDuration, 'maxDurationMs', 'Max duration'],
    ];
    for (const [input, key, label] of bounds) {
      const value = parseDuration(input.value);
      input.setAttribute('aria-invalid', String(value === 'invalid'));
      if (value === 'invalid') return this.showProblem(`${label}: write a number with an optional unit, e.g. 250ms, 1.5s or 800us.`, input);
      if (value !== undefined) query[key] = value;
    }
    if (query.minDurationMs !== undefined && query.maxDurationMs !== undefined && query.minDurationMs > query.maxDurationMs) {
      return this.showProblem('Min duration is above max duration.', this.minDuration);
    }
    const attribute = this.attribute.value.trim();
    this.attribute.setAttribute('aria-invalid', 'false');
    if (attribute) {
      const equals = attribute.indexOf('=');
      if (equals <= 0) {
        this.attribute.setAttribute('aria-invalid', 'true');
        return this.showProblem('Attribute: write key=value, e.g. http.status_code=500.', this.attribute);
      }
      query.attribute = { key: attribute.slice(0, equals).trim(), value: attribute.slice(equals + 1).trim() };
    }
    this.showProblem(undefined);
    return query;
  }

  private submit(): void {
    const query = this.read();
    if (query) this.onSearch(query);
  }

  private reset(): void {
    this.setQuery({ sort: this.sort.value as Sort });
    this.submit();
  }

  private renderFunctionChip(): void {
    const fn = this.functionFilter;
    this.functionChip.hidden = !fn;
    if (!fn) return this.functionChip.replaceChildren();
    this.functionChip.replaceChildren(
      h('span', { title: fn.file }, 'Only traces through ', h('code', {}, fn.name)),
      h('button', {
        className: 'icon',
        title: 'Remove the function filter',
        attrs: { type: 'button', 'aria-label': 'Remove the function filter' },
        onClick: () => {
          this.functionFilter = undefined;
          this.renderFunctionChip();
          this.submit();
        },
      }, '×'),
    );
  }

  private showProblem(message: string | undefined, input?: HTMLElement): undefined {
    this.problem.textContent = message ?? '';
    this.problem.hidden = !message;
    input?.focus();
    return undefined;
  }
}
