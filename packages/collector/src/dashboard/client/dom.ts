/** Small DOM helpers: elements from a tag, attributes and children; lookups that fail loudly. */

const SVG_NS = 'http://www.w3.org/2000/svg';

type AttrValue = string | number | boolean | null | undefined;

/** Attributes to set (`null`, `undefined` and `false` are left out; `true` is an empty value). */
export interface Attrs {
  class?: string | null;
  /** `data-*` attributes, by their camelCase names. */
  dataset?: Readonly<Record<string, string>>;
  [name: string]: AttrValue | Readonly<Record<string, string>>;
}

/** A child to append: a node or text; arrays are flattened, `null`, `undefined` and `false` skipped. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

function appendAll(el: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) appendAll(el, child as readonly Child[]);
    else el.append(child instanceof Node ? child : String(child));
  }
}

function build<E extends HTMLElement | SVGElement>(el: E, attrs: Attrs, children: readonly Child[]): E {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'dataset' && typeof value === 'object') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  appendAll(el, children);
  return el;
}

/** An HTML element. */
export const h = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs, ...children: Child[]): HTMLElementTagNameMap[K] =>
  build(document.createElement(tag), attrs, children);

/** An SVG element. */
export const svg = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs, ...children: Child[]): SVGElementTagNameMap[K] =>
  build(document.createElementNS(SVG_NS, tag), attrs, children);

/** The page's element with this id, of this type. */
export function byId<T extends Element>(id: string, type: abstract new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`the dashboard page has no ${type.name} #${id}`);
  return el;
}

/** The page's HTML element with this id. */
export const $ = (id: string): HTMLElement => byId(id, HTMLElement);

/** The first element under `parent` that matches `selector`, of this type. */
export function find<T extends Element>(parent: ParentNode, selector: string, type: abstract new () => T): T {
  const el = parent.querySelector(selector);
  if (!(el instanceof type)) throw new Error(`the dashboard page has no ${type.name} ${selector}`);
  return el;
}

/** Replaces a container's children, keeping keyboard focus on the element with the same key. */
export function replaceKeepingFocus(container: Element, children: readonly Node[]): void {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.getAttribute('data-key') : null;
  container.replaceChildren(...children);
  if (key !== null) {
    const again = [...container.querySelectorAll<HTMLElement>('[data-key]')].find((el) => el.getAttribute('data-key') === key);
    if (again) again.focus();
  }
}
