// Run by sqlite-kill.test.ts in a child process: writes storages through the host's StorageStore as fast as it
// can, printing the number of each committed storage, until the test kills it.
// argv: <folder of the transpiled src/host> <data folder>
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [hostDir, dataDir] = process.argv.slice(2);
const { openDatabase } = await import(pathToFileURL(path.join(hostDir, 'state/database.js')).href);
const { StorageStore } = await import(pathToFileURL(path.join(hostDir, 'storages/storage-store.js')).href);

const store = new StorageStore(await openDatabase({ dataDir }), Date.now);
const padding = 'x'.repeat(2000);
for (let n = 1; ; n++) {
  const row = await store.create({
    mount_path: `/s/${n}`, driver: 'GooglePhoto', order: n, addition: JSON.stringify({ n, padding }),
    disabled: false, cache_expiration: 30, remark: '', demo: false,
  });
  await store.mergeAddition(row.id, { refresh_token: `token-${n}` });
  if (n > 1) await store.update(row.id - 1, { remark: `updated after ${n}` });
  process.stdout.write(`${n}\n`);
}
