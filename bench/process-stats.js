// CPU time a process (and, for nginx, its workers) spent, and its resident memory, from /proc: Linux only,
// undefined elsewhere.
import { readFileSync, writeFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture Node supports

function readProc(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The process's pid and its children's pids (one level, enough for nginx's master and workers). */
function withChildren(pid) {
  const children = readProc(`/proc/${pid}/task/${pid}/children`)?.trim().split(/\s+/).filter(Boolean).map(Number) ?? [];
  return [pid, ...children];
}

/**
 * {cpuMs, systemMs, faults}: user + system CPU in ms, the system part alone, and minor page faults of `pid` and its direct children; undefined when
 * /proc cannot say.
 */
export function processUsage(pid) {
  let ticks = 0;
  let systemTicks = 0;
  let faults = 0;
  for (const one of withChildren(pid)) {
    const stat = readProc(`/proc/${one}/stat`);
    if (!stat) return undefined;
    // Fields after the ")" that closes the command name: minflt is the 8th, utime and stime the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    faults += Number(fields[7]);
    ticks += Number(fields[11]) + Number(fields[12]);
    systemTicks += Number(fields[12]);
  }
  return { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, systemMs: (systemTicks * 1000) / TICKS_PER_SECOND, faults };
}

/** {rss, peak} resident bytes of `pid` now and at most since it started (VmRSS, VmHWM); undefined when unknown. */
export function residentBytes(pid) {
  const status = readProc(`/proc/${pid}/status`);
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status ?? '')?.[1]) * 1024;
  const rss = kb('VmRSS');
  const peak = kb('VmHWM');
  return Number.isFinite(rss) && Number.isFinite(peak) ? { rss, peak } : undefined;
}

/** Restarts `pid`'s VmHWM at its current RSS (needs Linux >= 4.0 and the right to write clear_refs); false when not. */
export function resetPeakResident(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
