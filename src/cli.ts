#!/usr/bin/env node
const USAGE = `Usage: gphotos-alist <command> [options]

Commands:
  serve      start the file server (default port 5244)
  auth       authorize a Google account from the terminal and print or store its refresh token
  pick       pick photos from Google Photos into a storage's "Picked from Google Photos" folder
  migrate    copy a data folder's SQLite database into PostgreSQL (DATABASE_URL)
  emulator   start the local Google Photos emulator

Run "gphotos-alist <command> --help" for a command's options.`;

const commands: Record<string, () => Promise<{ main(args: string[]): Promise<void> }>> = {
  serve: () => import('./host/cli/serve.js'),
  auth: () => import('./host/cli/auth.js'),
  pick: () => import('./host/cli/pick.js'),
  migrate: () => import('./host/cli/migrate.js'),
  emulator: () => import('./emulator/cli.js'),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? commands[name] : undefined;
if (!load) {
  console.log(USAGE);
  process.exit(name && name !== '--help' && name !== '-h' ? 2 : 0);
}
try {
  await (await load()).main(args);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
