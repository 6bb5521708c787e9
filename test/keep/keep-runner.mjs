// Run by keep-killed.test.ts in a child process: keeps the files a ByteServer serves into a local folder,
// printing each progress report as a JSON line, until the test kills it.
// argv: <path of the transpiled src/keep/index.js> <JSON {baseUrl, header, items: [{name, size, created}], localDir}>
import { pathToFileURL } from 'node:url';

const [keeperPath, configJson] = process.argv.slice(2);
const { keepFolder } = await import(pathToFileURL(keeperPath).href);
const { baseUrl, header, items, localDir } = JSON.parse(configJson);

const source = {
  meta: { name: 'Test', displayName: 'Test source', localSort: true, onlyProxy: true, noUpload: true, defaultRoot: 'root', configItems: [] },
  init: async () => undefined,
  drop: async () => undefined,
  getRoot: () => ({ id: 'root', name: '', isDir: true, modified: new Date(0) }),
  list: async () =>
    items.map((item) => ({ id: item.name, name: item.name, size: item.size, isDir: false, created: new Date(item.created), modified: new Date(item.created) })),
  link: async (file) => ({ url: `${baseUrl}/files/${encodeURIComponent(file.id)}`, header }),
};

const result = await keepFolder({
  source,
  dir: 'root',
  target: { localDir },
  onProgress: (progress) => process.stdout.write(JSON.stringify(progress) + '\n'),
});
process.stdout.write(JSON.stringify({ result }) + '\n');
