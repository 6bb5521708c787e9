// Runs before `npm test`: the browser tests drive Debian's Chromium through playwright-core and never download a
// browser. Installs the Debian package when it is missing and this is a Debian machine where we are root.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(`The browser tests need Chromium at ${chromium}. Install it (Debian: sudo apt-get install chromium)`);
    console.error('or point CHROMIUM_PATH at a Chromium or Chrome binary; the other tests run regardless.');
  } else {
    console.error('Installing Debian\'s chromium for the browser tests...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  }
}
