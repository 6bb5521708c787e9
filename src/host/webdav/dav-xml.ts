import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { DavError } from './dav-errors.js';

export const DAV_NS = 'DAV:';

/** An element with its namespace resolved (prefixes are gone): what the handlers read and write. */
export interface XmlElement {
  ns: string;
  local: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

/** fast-xml-parser's ordered form: `{ tag: children, ':@': attributes }` or `{ '#text': text }`. */
type OrderedNode = Record<string, unknown>;

const ATTR = '@_';
const parser = new XMLParser({
  preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: ATTR, parseTagValue: false, parseAttributeValue: false,
  trimValues: false, processEntities: true, ignoreDeclaration: true, ignorePiTags: true,
});
const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: ATTR, suppressEmptyNode: true });

export function element(ns: string, local: string, children: XmlNode[] = [], attrs: Record<string, string> = {}): XmlElement {
  return { ns, local, attrs, children };
}

export function dav(local: string, children: XmlNode[] = []): XmlElement {
  return element(DAV_NS, local, children);
}

export function isElement(node: XmlNode): node is XmlElement {
  return typeof node !== 'string';
}

/** The child elements (text between them, usually whitespace, left out). */
export function elementsOf(parent: XmlElement): XmlElement[] {
  return parent.children.filter(isElement);
}

export function davChild(parent: XmlElement, local: string): XmlElement | undefined {
  return elementsOf(parent).find((child) => child.ns === DAV_NS && child.local === local);
}

export function textOf(parent: XmlElement): string {
  return parent.children.map((child) => (typeof child === 'string' ? child : textOf(child))).join('');
}

function resolve(node: OrderedNode, scope: Map<string, string>): XmlNode | undefined {
  if ('#text' in node) return String(node['#text']);
  const tag = Object.keys(node).find((key) => key !== ':@');
  if (tag === undefined) return undefined;
  const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
  const inner = new Map(scope);
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawAttrs)) {
    const name = key.slice(ATTR.length);
    if (name === 'xmlns') inner.set('', value);
    else if (name.startsWith('xmlns:')) inner.set(name.slice('xmlns:'.length), value);
    else if (!name.includes(':') || name.startsWith('xml:')) attrs[name] = value;
  }
  const colon = tag.indexOf(':');
  const prefix = colon < 0 ? '' : tag.slice(0, colon);
  const ns = inner.get(prefix);
  if (ns === undefined && prefix !== '') throw new DavError(400, `The XML uses the undeclared namespace prefix "${prefix}"`);
  const children: XmlNode[] = [];
  for (const child of (node[tag] ?? []) as OrderedNode[]) {
    const resolved = resolve(child, inner);
    if (resolved !== undefined) children.push(resolved);
  }
  return { ns: ns ?? '', local: colon < 0 ? tag : tag.slice(colon + 1), attrs, children };
}

/** The body's root element, or undefined for an empty body; 400 for anything that is not well-formed XML. */
export function parseXml(body: Buffer | string | undefined): XmlElement | undefined {
  const text = (typeof body === 'string' ? body : body?.toString('utf8') ?? '').trim();
  if (text === '') return undefined;
  // No document type: its entities are an expansion bomb waiting to happen, and no WebDAV client sends one.
  if (/<!DOCTYPE/i.test(text)) throw new DavError(400, 'XML with a document type declaration is not accepted');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new DavError(400, `The request body is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const roots = (parser.parse(text) as OrderedNode[]).map((node) => resolve(node, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']])));
  const root = roots.find((node): node is XmlElement => node !== undefined && isElement(node));
  if (!root) throw new DavError(400, 'The request body has no XML element');
  return root;
}

/** DAV: elements get the `D:` prefix; any other namespace is declared as the default one where it begins. */
function toOrdered(node: XmlNode, defaultNs: string): OrderedNode {
  if (typeof node === 'string') return { '#text': node };
  const attrs: Record<string, string> = {};
  for (const [name, value] of Object.entries(node.attrs)) attrs[ATTR + name] = value;
  let tag: string;
  let inner = defaultNs;
  if (node.ns === DAV_NS) {
    tag = `D:${node.local}`;
  } else {
    tag = node.local;
    if (node.ns !== defaultNs) {
      attrs[`${ATTR}xmlns`] = node.ns;
      inner = node.ns;
    }
  }
  const out: OrderedNode = { [tag]: node.children.map((child) => toOrdered(child, inner)) };
  if (Object.keys(attrs).length > 0) out[':@'] = attrs;
  return out;
}

/** A document with `root` as its element; every text and attribute escaped by the builder. */
export function buildXml(root: XmlElement): string {
  const ordered = toOrdered(root, '');
  ordered[':@'] = { ...(ordered[':@'] as Record<string, string> | undefined), [`${ATTR}xmlns:D`]: DAV_NS };
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build([ordered])}`;
}

/** One element on its own (a stored dead property), without the DAV: declaration unless it needs it. */
export function buildFragment(node: XmlElement): string {
  const ordered = toOrdered(node, '');
  if (JSON.stringify(ordered).includes('"D:')) ordered[':@'] = { ...(ordered[':@'] as Record<string, string> | undefined), [`${ATTR}xmlns:D`]: DAV_NS };
  return builder.build([ordered]);
}
