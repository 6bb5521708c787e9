import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { DriverError } from '../../types/errors.js';
import { translateFsError } from './fs-errors.js';
import { hasControlCharacters, unsafeNameReason } from './names.js';

export interface ResolvedPath {
  /** The storage id: `/` for the root, `/a/b.jpg` below it. */
  id: string;
  /** Absolute path on disk, symlinks resolved, known to be inside the root. */
  real: string;
}

/**
 * Maps storage ids (paths relative to the root, `/`-separated) to real paths on disk and refuses
 * anything that would leave the root: `..` segments, NUL and control characters, symlinks pointing outside.
 */
export class RootedPaths {
  constructor(readonly root: string) {}

  segments(id: string): string[] {
    if (typeof id !== 'string') throw new DriverError('INVALID_ARGUMENT', 'A path must be a string');
    if (hasControlCharacters(id)) throw new DriverError('INVALID_ARGUMENT', 'A path must not contain control characters');
    const parts = id.split('/').filter((part) => part !== '' && part !== '.');
    if (parts.includes('..')) {
      throw new DriverError('INVALID_ARGUMENT', `"${id}" leaves the storage's folder`, { hint: 'Use a path below the storage root.' });
    }
    return parts;
  }

  idOf(parts: string[]): string {
    return '/' + parts.join('/');
  }

  isInside(real: string): boolean {
    return real === this.root || real.startsWith(this.root.endsWith(path.sep) ? this.root : this.root + path.sep);
  }

  /** An existing file or folder. Outside the root counts as not found, so nothing about it leaks. */
  async existing(id: string): Promise<ResolvedPath> {
    const parts = this.segments(id);
    const storageId = this.idOf(parts);
    let real: string;
    try {
      real = await realpath(path.join(this.root, ...parts));
    } catch (err) {
      throw translateFsError(err, storageId);
    }
    if (!this.isInside(real)) throw new DriverError('NOT_FOUND', `${storageId}: no such file or folder`);
    return { id: storageId, real };
  }

  /** Where an entry `name` of the existing folder `parentId` lives; the entry itself may not exist yet. */
  async entry(parentId: string, name: string): Promise<ResolvedPath & { parent: ResolvedPath }> {
    const reason = unsafeNameReason(name);
    if (reason) throw new DriverError('INVALID_ARGUMENT', `Cannot use "${String(name)}" as a name: ${reason}`);
    const parent = await this.existing(parentId);
    const info = await stat(parent.real).catch((err: unknown) => {
      throw translateFsError(err, parent.id);
    });
    if (!info.isDirectory()) throw new DriverError('INVALID_ARGUMENT', `${parent.id} is not a folder`);
    const id = parent.id === '/' ? `/${name}` : `${parent.id}/${name}`;
    return { id, real: path.join(parent.real, name), parent };
  }
}
