// Brings OpenList's built web frontend (npm @openlist-frontend/openlist-frontend, MIT) into vendor/openlist-frontend/
// for `serve --ui openlist`. Runs at install time (postinstall) and by hand; never at run time. Only the package's
// built `dist/` is kept: as a dependency the package would pull hundreds of MB of its own source dependencies.
//
// `npm pack` fetches the tarball through npm's own client from the npm registry (checked against the registry's
// integrity); the tarball's sha512 is then checked against the one pinned in package.json ("openlistFrontend").
// Skips when the pinned version is already there. With --optional (postinstall) a failure warns and exits 0.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@openlist-frontend/openlist-frontend';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VENDOR_DIR = path.join(ROOT, 'vendor', 'openlist-frontend');
const MARKER = '.fetched-from';
const optional = process.argv.includes('--optional');

function pinned() {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const { version, integrity } = pkg.openlistFrontend ?? {};
  if (!version || !/^sha512-/.test(integrity ?? '')) throw new Error('package.json lacks "openlistFrontend": {"version", "integrity": "sha512-..."}');
  return { version, integrity };
}

/** npm itself: the one running this install when there is one, else the `npm` on the PATH. */
function npm(args, cwd) {
  const cli = process.env.npm_execpath;
  const [command, commandArgs] = cli && /npm-cli\.js$/.test(cli) ? [process.execPath, [cli, ...args]] : ['npm', args];
  return execFileSync(command, commandArgs, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function fetchFrontend() {
  const { version, integrity } = pinned();
  const stamp = `${PACKAGE_NAME}@${version} ${integrity}\n`;
  const markerFile = path.join(VENDOR_DIR, MARKER);
  if (existsSync(path.join(VENDOR_DIR, 'index.html')) && existsSync(markerFile) && readFileSync(markerFile, 'utf8') === stamp) {
    console.log(`OpenList frontend ${version} already in ${path.relative(ROOT, VENDOR_DIR)}`);
    return;
  }
  // Next to the destination, so that the final rename stays on one file system.
  mkdirSync(path.dirname(VENDOR_DIR), { recursive: true });
  const work = mkdtempSync(path.join(path.dirname(VENDOR_DIR), '.openlist-frontend-'));
  try {
    npm(['pack', `${PACKAGE_NAME}@${version}`, '--pack-destination', work], work);
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack left no tarball');
    const file = path.join(work, tarball);
    const actual = `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
    if (actual !== integrity) throw new Error(`${tarball} has ${actual}, not the pinned ${integrity}`);
    execFileSync('tar', ['-xzf', file, '-C', work, 'package/dist'], { stdio: ['ignore', 'ignore', 'pipe'] });
    writeFileSync(path.join(work, 'package', 'dist', MARKER), stamp);
    rmSync(VENDOR_DIR, { recursive: true, force: true });
    renameSync(path.join(work, 'package', 'dist'), VENDOR_DIR);
    console.log(`OpenList frontend ${version} unpacked into ${path.relative(ROOT, VENDOR_DIR)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  fetchFrontend();
} catch (error) {
  const message = `Could not fetch the OpenList frontend (${PACKAGE_NAME}): ${error.stderr?.toString().trim() || error.message}`;
  if (!optional) {
    console.error(message);
    process.exit(1);
  }
  console.warn(`${message}\nIt is optional (serve --ui openlist); run \`node scripts/fetch-openlist.mjs\` to try again.`);
}
