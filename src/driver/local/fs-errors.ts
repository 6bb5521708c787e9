import { DriverError, isDriverError } from '../../types/errors.js';

/** Turn a Node file-system error into a DriverError that names the storage path, never the server's absolute path. */
export function translateFsError(err: unknown, what: string): DriverError {
  if (isDriverError(err)) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new DriverError('NOT_FOUND', `${what}: no such file or folder`, { cause: err });
    case 'EACCES':
    case 'EPERM':
      return new DriverError('PERMISSION_DENIED', `${what}: permission denied`, {
        hint: 'Give the server process read (and for writes, write) access to the folder.',
        cause: err,
      });
    case 'EEXIST':
    case 'EISDIR':
    case 'ENOTEMPTY':
    case 'ENAMETOOLONG':
    case 'ELOOP':
      return new DriverError('INVALID_ARGUMENT', `${what}: ${code}`, { cause: err });
    default:
      return new DriverError('UPSTREAM_UNAVAILABLE', `${what}: ${code ?? (err instanceof Error ? err.message : 'I/O error')}`, {
        cause: err,
      });
  }
}
