/**
 * Safe DOM building: text always becomes text nodes and attributes go through setAttribute,
 * so names from storages (which may be hostile, e.g. "<img src=x onerror=...>.jpg") never become markup,
 * and an address that is not http(s) (javascript:, data:) is never set as a link or a source.
 */
import { isWebUrl } from './safe-url.js';

const PROPERTIES = new Set(['value', 'checked', 'selected', 'disabled', 'hidden']);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'poster', 'xlink:href']);

export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (PROPERTIES.has(key)) node[key] = value;
    else if (URL_ATTRIBUTES.has(key.toLowerCase()) && !isWebUrl(value)) continue;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  appendChildren(node, children);
  return node;
}

export function appendChildren(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** Replace everything inside `node` with `children`. */
export function replaceChildren(node, ...children) {
  node.replaceChildren();
  return appendChildren(node, children);
}
