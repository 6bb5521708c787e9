import { DriverError } from '../../src/types/errors.js';
import type { Driver } from '../../src/types/driver.js';
import { refId, type Link, type Obj, type ObjRef } from '../../src/types/obj.js';
import type { ByteServer } from './byte-server.js';

export interface SourceItem {
  name: string;
  size?: number;
  created?: Date;
  modified: Date;
  isDir?: boolean;
}

/** A source storage whose files are served by a ByteServer, like picked items behind a header-protected baseUrl. */
export function httpSource(server: ByteServer, items: SourceItem[], options: { header?: Record<string, string>; linkErrors?: Set<string> } = {}): Driver & { linkCalls: string[] } {
  const linkCalls: string[] = [];
  return {
    linkCalls,
    meta: { name: 'Test', displayName: 'Test source', localSort: true, onlyProxy: true, noUpload: true, defaultRoot: 'root', configItems: [] },
    init: async () => undefined,
    drop: async () => undefined,
    getRoot: () => ({ id: 'root', name: '', isDir: true, modified: new Date(0) }),
    async list(dir: ObjRef): Promise<Obj[]> {
      if (refId(dir) !== 'session-1') throw new DriverError('NOT_FOUND', 'no such session');
      return items.map((item) => ({ id: `id-${item.name}`, isDir: false, ...item }));
    },
    async link(file: ObjRef): Promise<Link> {
      const name = refId(file).replace(/^id-/, '');
      linkCalls.push(name);
      if (options.linkErrors?.has(name)) {
        throw new DriverError('PICKER_SESSION_EXPIRED', 'The picking session has expired', { hint: 'Pick the items again.' });
      }
      return { url: server.urlOf(name), header: options.header };
    },
  };
}
