/**
 * docs/alist-compat.md stays true: every /api route the host registers is in its tables, and each route listed
 * there is registered exactly when it is not marked missing (with every method the row names).
 */
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HTTPMethods } from 'fastify';
import { createHost, type Host } from '../../src/host/index.js';
import { makeDataDir } from './support/host-setup.js';

const DOC = new URL('../../docs/alist-compat.md', import.meta.url);
const STATUSES = ['same', 'partial', 'missing', 'host-only'] as const;

interface DocRoute { method: string; url: string; status: (typeof STATUSES)[number] }

/** "/a/{b,c}/{d,e}" → its four routes. */
function expandBraces(pattern: string): string[] {
  const match = /\{([^{}]*)\}/.exec(pattern);
  if (!match) return [pattern];
  return match[1]!.split(',').flatMap((choice) => expandBraces(pattern.slice(0, match.index) + choice + pattern.slice(match.index + match[0].length)));
}

/** The rows of every "| Method | Route | Status | Note |" table, one entry per method and expanded route. */
function documentedRoutes(markdown: string): DocRoute[] {
  const routes: DocRoute[] = [];
  let inTable = false;
  for (const line of markdown.split('\n')) {
    if (/^\| Method \| Route \| Status \| Note \|$/.test(line)) inTable = true;
    else if (!line.startsWith('|')) inTable = false;
    if (!inTable || /^\| ?(Method|---)/.test(line)) continue;
    const [method, route, status] = line.split('|').slice(1, 4).map((cell) => cell.trim());
    if (!STATUSES.includes(status as DocRoute['status'])) throw new Error(`unknown status "${status}" in: ${line}`);
    for (const url of expandBraces(route!)) {
      for (const one of method!.split(',')) routes.push({ method: one.trim(), url, status: status as DocRoute['status'] });
    }
  }
  return routes;
}

/** Fastify's printRoutes tree (commonPrefix off) as method + full url, for the /api routes. */
function registeredApiRoutes(tree: string): Array<{ method: string; url: string }> {
  const prefixes: string[] = [];
  const routes: Array<{ method: string; url: string }> = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const url = (prefixes[depth - 1] ?? '') + match[2]!;
    prefixes[depth] = url;
    prefixes.length = depth + 1;
    if (!url.startsWith('/api/') || !match[3]) continue;
    for (const method of match[3].split(', ')) if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, url });
  }
  return routes;
}

let host: Host;
let dataDir: string;
let documented: DocRoute[];

beforeAll(async () => {
  dataDir = makeDataDir();
  host = await createHost({ dataDir, port: 0, adminPassword: 'compat-doc-password-1', demo: false });
  documented = documentedRoutes(readFileSync(DOC, 'utf8'));
});

afterAll(async () => {
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('docs/alist-compat.md', () => {
  it('lists every /api route the host registers', () => {
    const registered = registeredApiRoutes(host.app.printRoutes({ commonPrefix: false }));
    expect(registered.length).toBeGreaterThan(50);
    const listed = new Set(documented.map((route) => `${route.method} ${route.url}`));
    expect(registered.map((route) => `${route.method} ${route.url}`).filter((route) => !listed.has(route))).toEqual([]);
  });

  it('marks a route missing exactly when the host does not register it', () => {
    const registered = (route: DocRoute) => host.app.hasRoute({ method: route.method as HTTPMethods, url: route.url });
    const wrong = documented
      .filter((route) => registered(route) === (route.status === 'missing'))
      .map((route) => `${route.method} ${route.url} is marked ${route.status} but is ${registered(route) ? '' : 'not '}registered`);
    expect(wrong).toEqual([]);
  });
});
