import { DavError } from './dav-errors.js';

export interface IfCondition {
  not: boolean;
  /** A state token (a lock token), or an entity tag in its quoted form. */
  token?: string;
  etag?: string;
}

export interface IfList {
  /** The tagged resource's URL, or undefined for the request's own. */
  resource?: string;
  conditions: IfCondition[];
}

function invalid(header: string): DavError {
  return new DavError(400, `The If header is malformed: ${header}`);
}

/** RFC 4918 10.4: `(<token> ["etag"])` lists, untagged or tagged with `<resource>`, conditions possibly with Not. */
export function parseIfHeader(header: string): IfList[] {
  const lists: IfList[] = [];
  let at = 0;
  let resource: string | undefined;
  let tagged: boolean | undefined;
  const skipSpace = () => {
    while (at < header.length && /\s/.test(header[at]!)) at++;
  };
  const until = (close: string): string => {
    const end = header.indexOf(close, at + 1);
    if (end < 0) throw invalid(header);
    const value = header.slice(at + 1, end);
    at = end + 1;
    return value;
  };
  skipSpace();
  while (at < header.length) {
    if (header[at] === '<') {
      if (tagged === false) throw invalid(header);
      tagged = true;
      resource = until('>');
    } else if (header[at] === '(') {
      if (tagged === undefined) tagged = false;
      if (tagged && resource === undefined) throw invalid(header);
      at++;
      const conditions: IfCondition[] = [];
      for (skipSpace(); header[at] !== ')'; skipSpace()) {
        if (at >= header.length) throw invalid(header);
        let not = false;
        if (header.slice(at, at + 3).toLowerCase() === 'not') {
          not = true;
          at += 3;
          skipSpace();
        }
        if (header[at] === '<') conditions.push({ not, token: until('>') });
        else if (header[at] === '[') conditions.push({ not, etag: until(']').trim() });
        else throw invalid(header);
      }
      at++;
      if (conditions.length === 0) throw invalid(header);
      lists.push({ ...(resource === undefined ? {} : { resource }), conditions });
    } else {
      throw invalid(header);
    }
    skipSpace();
  }
  if (lists.length === 0) throw invalid(header);
  return lists;
}

/** Every lock token the header names (RFC 4918: a token is submitted by naming it in the If header). */
export function submittedTokens(lists: IfList[]): Set<string> {
  return new Set(lists.flatMap((list) => list.conditions.flatMap((condition) => (condition.token ? [condition.token] : []))));
}

export interface IfState {
  /** Whether the resource at the path is locked with this token. */
  holds(path: string, token: string): boolean;
  /** The resource's current entity tag (undefined when nothing is there). */
  etag(path: string): Promise<string | undefined>;
}

function sameEtag(a: string, b: string | undefined): boolean {
  return b !== undefined && a.replace(/^W\//, '') === b.replace(/^W\//, '');
}

/** True when one of the lists holds entirely: each list applies to its tagged resource, or to `requestPath`. */
export async function evaluateIf(lists: IfList[], requestPath: string, tagPath: (url: string) => string, state: IfState): Promise<boolean> {
  for (const list of lists) {
    let path: string;
    try {
      path = list.resource === undefined ? requestPath : tagPath(list.resource);
    } catch {
      continue; // a resource of another server or outside /dav: its list cannot hold here
    }
    let holds = true;
    for (const condition of list.conditions) {
      const matched = condition.token !== undefined ? state.holds(path, condition.token) : sameEtag(condition.etag!, await state.etag(path));
      if (matched === condition.not) {
        holds = false;
        break;
      }
    }
    if (holds) return true;
  }
  return false;
}
