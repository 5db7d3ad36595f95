/**
 * Controls generated from the option specs core declares (`listFamilies()`): a family picker, then
 * one control per option — number inputs labelled with the unit from the name's suffix, sliders
 * for step counts and bounded options, checkboxes, selects, comma-separated lists, nested editors
 * for schedule options and segment lists. The controls edit a config object in place and report
 * each change; a family core adds later gets controls with no change here. A long list (a join of
 * thousands of segments) shows its first `listItemsShown` items, and more on request: the JSON
 * edits the rest.
 */
import { starterConfig } from './presets';
import {
  describeBounds,
  type Family,
  families,
  findFamily,
  isComposite,
  type OptionSpec,
  unitOf,
} from './specs';

type Json = Record<string, unknown>;

export interface EditorContext {
  /** A control changed the config (mutated in place). */
  readonly changed: () => void;
  /** The root config was replaced (a different family picked at the top). */
  readonly replaced: (config: Json) => void;
  /** Largest step drawn, the default top of step sliders. */
  readonly rangeEnd: () => number;
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

const idFor = (path: string) => `opt-${path}`;

/** Items of a list drawn with controls at first, and how many more each "Show" adds. */
export const listItemsShown = 50;

/** A `<select>` of every family, families first, composites after. */
function familySelect(id: string, current: unknown, extra: readonly { value: string; label: string }[] = []) {
  const select = element('select', { id, 'data-path': id.slice(4) });
  for (const option of extra) select.append(element('option', { value: option.value }, option.label));
  const all = families();
  const groups: [string, Family[]][] = [
    ['Families', all.filter((family) => !isComposite(family))],
    ['Composites', all.filter(isComposite)],
  ];
  for (const [label, members] of groups) {
    const group = element('optgroup', { label });
    for (const family of members) group.append(element('option', { value: family.type }, family.type));
    select.append(group);
  }
  if (
    typeof current === 'string' &&
    !findFamily(current) &&
    !extra.some((option) => option.value === current)
  ) {
    select.prepend(element('option', { value: current }, `${current} (unknown)`));
  }
  if (current === undefined && !extra.length)
    select.prepend(element('option', { value: '' }, '(choose a family)'));
  select.value = typeof current === 'string' ? current : '';
  return select;
}

/** Renders the whole editor for a root config into `root` (replacing its content). */
export function renderEditor(root: HTMLElement, config: Json, context: EditorContext): void {
  root.replaceChildren();
  const field = element('div', { class: 'field family' });
  const select = familySelect('family', config.type);
  select.setAttribute('data-path', 'type');
  field.append(element('label', { for: 'family' }, 'Family'), select);
  const family = findFamily(config.type);
  const summary = element('p', { class: 'summary', id: 'family-summary' }, family?.summary ?? '');
  select.setAttribute('aria-describedby', 'family-summary');
  select.addEventListener('change', () => context.replaced(starterConfig(select.value, config)));
  root.append(field, summary);
  if (family) root.append(renderOptions(config, family.options, '', context));
}

function renderOptions(
  target: Json,
  specs: Family['options'],
  prefix: string,
  context: EditorContext,
): HTMLElement {
  const container = element('div', { class: 'options' });
  for (const [name, spec] of Object.entries(specs)) {
    container.append(renderOption(target, name, spec, prefix ? `${prefix}.${name}` : name, context));
  }
  return container;
}

function helpText(spec: OptionSpec): string {
  const parts = [spec.description];
  const bounds = describeBounds(spec);
  if (bounds) parts.push(bounds);
  if ('default' in spec && spec.default !== undefined) parts.push(`default ${JSON.stringify(spec.default)}`);
  else if (spec.optional) parts.push('optional');
  else if (spec.kind !== 'schedule' && spec.kind !== 'objectArray') parts.push('required');
  return parts.join(' · ');
}

function labelFor(id: string, name: string): HTMLLabelElement {
  const label = element('label', { for: id }, name);
  const unit = unitOf(name);
  if (unit) label.append(' ', element('span', { class: 'unit' }, unit));
  return label;
}

/** One option's control being built: where it writes, its ids, and its help line. */
interface OptionField<S extends OptionSpec = OptionSpec> {
  readonly name: string;
  readonly spec: S;
  readonly path: string;
  readonly id: string;
  readonly helpId: string;
  readonly help: HTMLElement;
  /** The option's current value in the config. */
  readonly value: unknown;
  /** Writes a value (undefined removes the option) and reports the change. */
  readonly set: (value: unknown) => void;
  readonly context: EditorContext;
}

type SpecOf<K extends OptionSpec['kind']> = Extract<OptionSpec, { kind: K }>;

function renderOption(
  target: Json,
  name: string,
  spec: OptionSpec,
  path: string,
  context: EditorContext,
): HTMLElement {
  const id = idFor(path);
  const helpId = `${id}-help`;
  const help = element('small', { id: helpId, class: 'help' }, helpText(spec));
  const set = (value: unknown) => {
    if (value === undefined) delete target[name];
    else target[name] = value;
    context.changed();
  };
  const field = { name, path, id, helpId, help, value: target[name], set, context };
  switch (spec.kind) {
    case 'number':
      return numberControl({ ...field, spec });
    case 'boolean':
      return booleanControl({ ...field, spec });
    case 'enum':
      return enumControl({ ...field, spec });
    case 'numberArray':
      return numberArrayControl({ ...field, spec });
    case 'schedule':
      return scheduleEditor(target, name, spec.acceptNumber === true, path, context, helpText(spec));
    case 'objectArray':
      return segmentsEditor(target, name, spec, path, context);
    default:
      // The kinds only reference parameters have (strings, number maps, ...): no native family uses them.
      return element(
        'p',
        { class: 'help' },
        `${name}: edit this option in the JSON below. ${helpText(spec)}`,
      );
  }
}

/** A number input, with a slider for step counts and options bounded on both sides. */
function numberControl(option: OptionField<SpecOf<'number'>>) {
  const { name, spec, path, id, helpId, help, value, set, context } = option;
  const field = element('div', { class: 'field' });
  if (value !== undefined && typeof value !== 'number') {
    field.append(labelFor(id, name), rawInput(id, helpId, path, value, set), help);
    return field;
  }
  const input = element('input', {
    id,
    type: 'number',
    step: 'any',
    inputmode: 'decimal',
    'data-path': path,
    'aria-describedby': helpId,
  });
  if (spec.min !== undefined && !spec.minExclusive) input.min = String(spec.min);
  if (spec.max !== undefined && !spec.maxExclusive) input.max = String(spec.max);
  if (typeof value === 'number') input.value = String(value);
  if ('default' in spec && spec.default !== undefined) input.placeholder = `default ${spec.default}`;
  else if (spec.optional) input.placeholder = 'not set';
  const row = element('div', { class: 'inputs' });
  row.append(input);
  const slider = sliderFor(name, spec, id, context);
  const sync = () => {
    if (!slider) return;
    const current = Number(input.value);
    if (input.value !== '' && Number.isFinite(current)) {
      if (current > Number(slider.max)) slider.max = String(current);
      slider.value = String(current);
    }
  };
  sync();
  input.addEventListener('input', () => {
    const text = input.value.trim();
    set(text === '' ? undefined : Number(text));
    sync();
  });
  if (slider) {
    slider.addEventListener('input', () => {
      input.value = slider.value;
      set(Number(slider.value));
    });
    row.append(slider);
  }
  field.append(labelFor(id, name), row, help);
  return field;
}

function booleanControl(option: OptionField<SpecOf<'boolean'>>) {
  const { name, spec, path, id, helpId, help, value, set } = option;
  const field = element('div', { class: 'field check' });
  const input = element('input', { id, type: 'checkbox', 'data-path': path, 'aria-describedby': helpId });
  input.checked = value === undefined ? spec.default === true : value === true;
  input.addEventListener('change', () => set(input.checked));
  field.append(input, labelFor(id, name), help);
  return field;
}

/** A select of the allowed values; a value that is not one of them is kept, marked invalid. */
function enumControl(option: OptionField<SpecOf<'enum'>>) {
  const { name, spec, path, id, helpId, help, value, set } = option;
  const field = element('div', { class: 'field' });
  const select = element('select', { id, 'data-path': path, 'aria-describedby': helpId });
  if (spec.default === undefined) select.append(element('option', { value: '' }, '(not set)'));
  for (const option of spec.values) select.append(element('option', { value: option }, option));
  if (typeof value === 'string' && !spec.values.includes(value))
    select.append(element('option', { value }, `${value} (invalid)`));
  select.value = typeof value === 'string' ? value : (spec.default ?? '');
  select.addEventListener('change', () => set(select.value === '' ? undefined : select.value));
  field.append(labelFor(id, name), select, help);
  return field;
}

/** A comma-separated text field for a list of numbers. */
function numberArrayControl(option: OptionField<SpecOf<'numberArray'>>) {
  const { name, path, id, helpId, help, value, set } = option;
  const field = element('div', { class: 'field' });
  const input = element('input', {
    id,
    type: 'text',
    inputmode: 'decimal',
    'data-path': path,
    'aria-describedby': helpId,
    placeholder: 'comma-separated, e.g. 100, 200',
  });
  input.value = Array.isArray(value) ? value.join(', ') : value === undefined ? '' : JSON.stringify(value);
  input.addEventListener('input', () => set(parseList(input.value)));
  field.append(labelFor(id, name), input, help);
  return field;
}

/** `1, 2.5 3` → [1, 2.5, 3]; anything that is not a number list is kept as text (validation names it). */
export function parseList(text: string): unknown {
  const tokens = text
    .split(/[\s,;]+/)
    .map((token) => token.trim())
    .filter((token) => token !== '');
  const numbers = tokens.map(Number);
  return numbers.every((number) => Number.isFinite(number)) ? numbers : text;
}

/** A text input for a value of the wrong type (from pasted JSON): shows it as JSON, reads numbers back. */
function rawInput(id: string, helpId: string, path: string, value: unknown, set: (value: unknown) => void) {
  const input = element('input', {
    id,
    type: 'text',
    'data-path': path,
    'aria-describedby': helpId,
    'aria-invalid': 'true',
  });
  input.value = JSON.stringify(value) ?? String(value);
  input.addEventListener('input', () => {
    const text = input.value.trim();
    const number = Number(text);
    set(text === '' ? undefined : Number.isFinite(number) ? number : text);
  });
  return input;
}

function sliderFor(
  name: string,
  spec: OptionSpec,
  id: string,
  context: EditorContext,
): HTMLInputElement | undefined {
  if (spec.kind !== 'number') return undefined;
  const attributes = { type: 'range', 'aria-label': `${name} slider`, tabindex: '-1', 'aria-controls': id };
  if (unitOf(name) === 'steps' || unitOf(name) === 'step') {
    const top = Math.max(1, Math.ceil(context.rangeEnd()));
    return element('input', {
      ...attributes,
      min: '0',
      max: String(top),
      step: spec.integer || top > 100 ? '1' : 'any',
    });
  }
  if (spec.min !== undefined && spec.max !== undefined) {
    return element('input', { ...attributes, min: String(spec.min), max: String(spec.max), step: 'any' });
  }
  return undefined;
}

function scheduleEditor(
  target: Json,
  name: string,
  acceptNumber: boolean,
  path: string,
  context: EditorContext,
  help: string,
): HTMLElement {
  const fieldset = element('fieldset', { class: 'nested' });
  const legend = element('legend', {}, name);
  const helpId = `${idFor(path)}-help`;
  fieldset.append(legend, element('small', { id: helpId, class: 'help' }, help));
  const draw = () => {
    while (fieldset.childNodes.length > 2) fieldset.lastChild!.remove();
    const value = target[name];
    const typeId = `${idFor(path)}.type`;
    const extra = acceptNumber ? [{ value: '#number', label: 'a constant number' }] : [];
    const select = familySelect(
      typeId,
      typeof value === 'number' ? '#number' : isObject(value) ? value.type : undefined,
      extra,
    );
    select.setAttribute('data-path', `${path}.type`);
    select.setAttribute('aria-describedby', helpId);
    const field = element('div', { class: 'field' });
    field.append(element('label', { for: typeId }, `${name}: family`), select);
    fieldset.append(field);
    select.addEventListener('change', () => {
      if (select.value === '#number') target[name] = 1;
      else target[name] = starterConfig(select.value, isObject(value) ? value : undefined);
      draw();
      context.changed();
      (fieldset.querySelector(`[id="${typeId}"]`) as HTMLElement | null)?.focus();
    });
    if (typeof value === 'number') {
      const id = idFor(path);
      const input = element('input', { id, type: 'number', step: 'any', min: '0', 'data-path': path });
      input.value = String(value);
      input.addEventListener('input', () => {
        target[name] = input.value.trim() === '' ? undefined : Number(input.value);
        context.changed();
      });
      const numberField = element('div', { class: 'field' });
      numberField.append(labelFor(id, name), input);
      fieldset.append(numberField);
    } else if (isObject(value)) {
      const family = findFamily(value.type);
      if (family) fieldset.append(renderOptions(value, family.options, path, context));
    }
  };
  draw();
  return fieldset;
}

/** The note and the "Show" button under a list that shows its first `shown` of `count` items. */
function moreItems(name: string, path: string, shown: number, count: number, more: () => void) {
  const note = element(
    'p',
    { class: 'capped' },
    `Showing ${name}[0] to ${name}[${shown - 1}] of ${count}; edit the others in the JSON below.`,
  );
  const last = Math.min(count, shown + listItemsShown) - 1;
  const button = element(
    'button',
    { type: 'button', 'data-path': `${path}.more` },
    `Show ${name}[${shown}] to ${name}[${last}]`,
  );
  button.addEventListener('click', more);
  const box = element('div', { class: 'more' });
  box.append(note, button);
  return box;
}

function segmentsEditor(
  target: Json,
  name: string,
  spec: Extract<OptionSpec, { kind: 'objectArray' }>,
  path: string,
  context: EditorContext,
): HTMLElement {
  const fieldset = element('fieldset', { class: 'nested list' });
  // Without item specs core accepts any objects; the items then get no controls.
  const itemSpecs = spec.items ?? {};
  let shown = listItemsShown;
  const draw = (focusPath?: string) => {
    fieldset.replaceChildren(
      element('legend', {}, name),
      element('small', { class: 'help' }, spec.description),
    );
    const items = Array.isArray(target[name]) ? (target[name] as unknown[]) : [];
    items.slice(0, shown).forEach((item, index) => {
      const itemPath = `${path}[${index}]`;
      const itemSet = element('fieldset', { class: 'nested item' });
      itemSet.append(element('legend', {}, `${name}[${index}]`));
      if (isObject(item)) itemSet.append(renderOptions(item, itemSpecs, itemPath, context));
      else itemSet.append(element('p', { class: 'help' }, `Not an object: ${JSON.stringify(item)}`));
      const remove = element(
        'button',
        { type: 'button', 'data-path': `${itemPath}.remove` },
        `Remove ${name}[${index}]`,
      );
      remove.disabled = items.length <= (spec.minLength ?? 0);
      remove.addEventListener('click', () => {
        items.splice(index, 1);
        target[name] = items;
        draw(`${path}.add`);
        context.changed();
      });
      itemSet.append(remove);
      fieldset.append(itemSet);
    });
    if (items.length > shown) {
      fieldset.append(
        moreItems(name, path, shown, items.length, () => {
          shown += listItemsShown;
          draw(`${path}.more`);
        }),
      );
    }
    const add = element('button', { type: 'button', 'data-path': `${path}.add` }, `Add to ${name}`);
    add.addEventListener('click', () => {
      const item: Json = {};
      for (const [key, child] of Object.entries(itemSpecs)) {
        if (child.kind === 'schedule') item[key] = { type: 'constant', value: 1e-4 };
        else if (child.kind === 'number') item[key] = 100;
      }
      // Every item but the last needs its length, so give the former last one a length first.
      const last = items.at(-1);
      if (isObject(last) && 'steps' in itemSpecs && last.steps === undefined) last.steps = 100;
      items.push(item);
      target[name] = items;
      draw(`${path}.add`);
      context.changed();
    });
    fieldset.append(add);
    if (focusPath) (fieldset.querySelector(`[data-path="${focusPath}"]`) as HTMLElement | null)?.focus();
  };
  draw();
  return fieldset;
}
