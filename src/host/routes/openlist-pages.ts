import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** vendor/openlist-frontend at the package root (filled by scripts/fetch-openlist.mjs); same depth from src and dist. */
export const OPENLIST_DIR = fileURLToPath(new URL('../../../vendor/openlist-frontend/', import.meta.url));

/** The frontend's static folders, served as AList's server/static does. */
export const OPENLIST_FOLDERS = ['assets', 'images', 'streamer', 'static'] as const;

export interface OpenListIndex {
  html: string;
  contentSecurityPolicy: string;
  /** Scripts served patched (path below OPENLIST_DIR → text): the entry bundle without its data: import. */
  patchedScripts: Map<string, string>;
}

// Vite's modern-browser check, in index.html and atop the entry bundle, imports a data: URL (a script-src without
// data: blocks it, and the legacy bundle would then load on top of the modern one). The same check without the
// data: import keeps data: out of script-src.
const DATA_IMPORT = /import'data:text\/javascript,(?:"[^"']*";)?(if\(!import\.meta\.resolve\)throw Error\("import\.meta\.resolve not supported"\))';/;
const withoutDataImport = (code: string) => code.replace(DATA_IMPORT, '$1;');

/** The entry bundle index.html loads (Vite's preload list names it). */
function entryScripts(html: string): string[] {
  return [...html.matchAll(/"src":"\/(assets\/index-[\w-]+\.js)"/g)].map((match) => match[1]!);
}

function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    if (/\bsrc\s*=/.test(match[1]!) || match[2] === '') continue;
    hashes.push(`'sha256-${createHash('sha256').update(match[2]!).digest('base64')}'`);
  }
  return hashes;
}

/**
 * What the frontend needs and no more: its own scripts plus exactly its inline ones (by hash), WebAssembly (its
 * PDF and subtitle viewers), workers from blob: and data: (the video player's), inline styles (its CSS-in-JS), media and
 * thumbnails from the storages' upstreams, and frames from https: (AList's iframe previews: Office, PDF.js, EPUB).
 * API calls go to this origin only.
 */
function contentSecurityPolicy(html: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${inlineScriptHashes(html).join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' https: http: data: blob:",
    "media-src 'self' https: http: data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob: data:",
    "frame-src 'self' https:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/**
 * The frontend's index.html as AList's server serves it: its config filled in (`api: '/'` means the origin the
 * page came from, i.e. this host); the frontend titles the page from the public settings. Throws a clear error
 * when the frontend has not been fetched.
 */
export function loadOpenListIndex(dir = OPENLIST_DIR): OpenListIndex {
  const file = path.join(dir, 'index.html');
  if (!existsSync(file)) {
    throw new Error(
      `--ui openlist needs OpenList's web frontend in ${dir}, which is missing. ` +
        'Fetch it with `node scripts/fetch-openlist.mjs` (npm ci/npm install run it too; it needs the npm registry).',
    );
  }
  const html = readFileSync(file, 'utf8')
    .replace('cdn: undefined', "cdn: ''")
    .replace('base_path: undefined', "base_path: ''")
    .replace('api: undefined', "api: '/'")
    .replace(DATA_IMPORT, '$1;');
  const patchedScripts = new Map<string, string>();
  for (const script of entryScripts(html)) {
    const code = readFileSync(path.join(dir, script), 'utf8');
    const patched = withoutDataImport(code);
    if (patched !== code) patchedScripts.set(script, patched);
  }
  return { html, contentSecurityPolicy: contentSecurityPolicy(html), patchedScripts };
}
