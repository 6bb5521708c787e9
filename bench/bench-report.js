// What the benchmarks share for their report: MB, medians, and the day's results file they append to.
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** bench/results/<name>-<YYYY-MM-DD>.txt, its folder made. */
function todaysResultsFile(name) {
  const resultsDir = path.join(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  return path.join(resultsDir, `${name}-${new Date().toISOString().slice(0, 10)}.txt`);
}

/** Appends `lines` to bench/results/<name>-<YYYY-MM-DD>.txt (every run of the day is kept) and says where. */
export function appendResults(name, lines) {
  const out = todaysResultsFile(name);
  appendFileSync(out, (existsSync(out) ? '\n' : '') + lines.join('\n') + '\n');
  console.log(`Appended to ${path.relative(ROOT, out)}`);
}

/** Writes `lines` as bench/results/<name>-<YYYY-MM-DD>.txt (the day's last run replaces earlier ones) and says where. */
export function writeResults(name, lines) {
  const out = todaysResultsFile(name);
  writeFileSync(out, lines.join('\n') + '\n');
  console.log(`Written to ${path.relative(ROOT, out)}`);
}

/** A report in the making: `say` prints a line and keeps it for appendResults. */
export function reportLines() {
  const lines = [];
  const say = (line) => {
    lines.push(line);
    console.log(line);
  };
  return { lines, say };
}
