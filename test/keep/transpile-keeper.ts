import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';

const FOLDERS = ['src/types', 'src/driver/local', 'src/keep'];

/**
 * A child process needs JavaScript: transpile the keeper and what it imports into `outDir` (types stripped,
 * no type check, no shared dist/ touched) and return the path of its index.js. `node_modules` is linked so the
 * keeper's packages resolve.
 */
export async function transpileKeeper(projectRoot: string, outDir: string): Promise<string> {
  for (const folder of FOLDERS) {
    const from = path.join(projectRoot, folder);
    const to = path.join(outDir, folder);
    await mkdir(to, { recursive: true });
    for (const name of await readdir(from)) {
      if (!name.endsWith('.ts')) continue;
      const output = ts.transpileModule(await readFile(path.join(from, name), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
        fileName: name,
      });
      await writeFile(path.join(to, name.replace(/\.ts$/, '.js')), output.outputText);
    }
  }
  await writeFile(path.join(outDir, 'package.json'), JSON.stringify({ type: 'module' }));
  await symlink(path.join(projectRoot, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
  return path.join(outDir, 'src/keep/index.js');
}
