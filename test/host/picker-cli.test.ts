/** `gphotos-alist pick` end to end against the emulator, in-process, with the server running on the same data folder. */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { main } from '../../src/host/cli/pick.js';
import { expectOk, startPickerHarness, type PickerHarness } from './support/picker-setup.js';

let h: PickerHarness;
let storageId: number;

beforeAll(async () => {
  h = await startPickerHarness();
  storageId = await h.addGooglePhotos('/photos');
});

afterAll(async () => {
  jest.restoreAllMocks();
  await h?.close();
});

/** Runs the command with console.log captured; `onLine` sees each line as it is printed. */
async function runPick(args: string[], onLine: (line: string) => void = () => undefined): Promise<string[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    const line = parts.map(String).join(' ');
    lines.push(line);
    onLine(line);
  });
  try {
    await main(args);
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe('gphotos-alist pick', () => {
  it('prints the picker address, waits for Done, prints the picked names and their folder, which the server shows', async () => {
    const picked = h.emulator.snapshot().mediaItems.filter((item) => item.clientId === null).slice(0, 3);
    let sessionId = '';
    const lines = await runPick(['--storage', '/photos', '--data', h.dataDir, '--label', 'From the terminal', '--timeout-s', '60'], (line) => {
      if (line.startsWith(`${h.emulator.url}/picker/`)) {
        sessionId = line.slice(`${h.emulator.url}/picker/`.length);
        h.emulator.pick(sessionId, picked.map((item) => item.id));
      }
    });
    expect(sessionId).not.toBe('');
    expect(lines.some((line) => line.includes(`${h.emulator.url}/picker/${sessionId}/autoclose`))).toBe(true);
    expect(lines).toContain('Picked 3 items:');
    const printedNames = lines.filter((line) => line.startsWith('  ')).map((line) => line.trim());
    expect(printedNames.sort()).toEqual(picked.map((item) => item.filename).sort());
    expect(lines).toContain('Folder: /photos/Picked from Google Photos/From the terminal');

    const shown = await h.client.names('/photos/Picked from Google Photos/From the terminal');
    expect(shown.sort()).toEqual(picked.map((item) => item.filename).sort());
    const state = expectOk(await h.client.get(`/api/admin/google/picker/get?storage_id=${storageId}&session_id=${sessionId}`));
    expect(state).toMatchObject({ media_items_set: true, item_count: 3 });
  });

  it('ends the session at Google when nothing was picked in time', async () => {
    h.emulator.resetCounts();
    await expect(runPick(['--storage', '/photos', '--data', h.dataDir, '--timeout-s', '0.5'])).rejects.toThrow(/Nothing was picked within/);
    const counts = h.emulator.requestCounts();
    expect(counts['POST /photospicker/v1/sessions']).toBe(1);
    expect(Object.entries(counts).filter(([key]) => key.startsWith('DELETE /photospicker/v1/sessions')).map(([, n]) => n)).toEqual([1]);
  });

  it('says what is wrong with its arguments', async () => {
    await expect(runPick(['--data', h.dataDir])).rejects.toThrow(/--storage is required/);
    await expect(runPick(['--storage', '/nowhere', '--data', h.dataDir])).rejects.toThrow(/No storage is mounted at \/nowhere/);
    await expect(runPick(['--storage', '/photos', '--data', h.dataDir, '--timeout-s', 'soon'])).rejects.toThrow(/--timeout-s/);
  });
});
