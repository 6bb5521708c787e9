import { WEB_UIS, type WebUi } from '../routes/page-routes.js';

/** What every command line of the host shares: its -h/--help flag and the --port check. */

export const HELP_OPTION = { type: 'boolean', short: 'h', default: false } as const;

/** Prints the usage when --help was given; the command then has nothing more to do. */
export function printedHelp(help: boolean | undefined, usage: string): boolean {
  if (!help) return false;
  console.log(usage);
  return true;
}

/** --port as a TCP port number (0 = any free port); a clear error for anything else. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not "${value}"`);
  return port;
}

/** --ui as one of the web UIs the host serves; a clear error for anything else. */
export function parseUi(value: string): WebUi {
  const ui = WEB_UIS.find((name) => name === value);
  if (!ui) throw new Error(`--ui must be one of ${WEB_UIS.join(', ')}, not "${value}"`);
  return ui;
}
