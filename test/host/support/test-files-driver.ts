import { z } from 'zod';
import { configItemsFromSchema } from '../../../src/types/config-items.js';
import type { Driver, DriverFactory, DriverHostOptions, DriverMeta } from '../../../src/types/driver.js';
import { DriverError } from '../../../src/types/errors.js';
import { refId, type Link, type Obj, type ObjRef } from '../../../src/types/obj.js';

/**
 * A real driver for a ByteStoreServer: lists its index, links its files with an Authorization header (so a host
 * must proxy them), and on init may report a rotated token the way Google rotates refresh tokens.
 */
const schema = z.object({
  base_url: z.string().min(1).meta({ description: 'URL of the byte store' }),
  token: z.string().min(1).meta({ secret: true, description: 'Bearer token of the byte store' }),
  rotate_to: z.string().default('').meta({ secret: true, description: 'When set, init reports this as the new token' }),
});

export const testFilesMeta: DriverMeta = {
  name: 'TestFiles',
  displayName: 'Test files',
  localSort: true,
  onlyProxy: false,
  noUpload: true,
  defaultRoot: 'root',
  configItems: configItemsFromSchema(schema),
};

class TestFilesDriver implements Driver {
  readonly meta = testFilesMeta;
  private config?: z.output<typeof schema>;

  constructor(private readonly raw: Record<string, unknown>, private readonly options: DriverHostOptions = {}) {}

  async init(): Promise<void> {
    const parsed = schema.safeParse(this.raw);
    if (!parsed.success) throw new DriverError('INVALID_CONFIG', 'TestFiles settings are invalid', { hint: 'Set base_url and token.' });
    this.config = parsed.data;
    const response = await fetch(`${this.config.base_url}/index.json`, { headers: this.headers(), signal: AbortSignal.timeout(5000) });
    await response.body?.cancel();
    if (response.status === 401) throw new DriverError('UNAUTHENTICATED', 'The byte store refused the token', { hint: 'Set the right token.', status: 401 });
    if (this.config.rotate_to) {
      this.config = { ...this.config, token: this.config.rotate_to, rotate_to: '' };
      this.options.onConfigChange?.({ token: this.config.token, rotate_to: '' });
    }
  }

  async drop(): Promise<void> {}

  getRoot(): Obj {
    return { id: 'root', name: '', isDir: true, modified: new Date(0) };
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.config!.token}` };
  }

  async list(dir: ObjRef): Promise<Obj[]> {
    if (refId(dir) !== 'root') throw new DriverError('NOT_FOUND', 'No such folder');
    const response = await fetch(`${this.config!.base_url}/index.json`, { headers: this.headers(), signal: AbortSignal.timeout(5000) });
    const files = (await response.json()) as Array<{ name: string; size: number }>;
    // Sizes are withheld, as Google withholds them: the host must learn them.
    return files.map((file) => ({ id: file.name, name: file.name, isDir: false, modified: new Date(Date.UTC(2024, 0, 2)) }));
  }

  /** Asks the store for the current URL generation, as a real API hands out a fresh signed URL. */
  async link(file: ObjRef): Promise<Link> {
    const response = await fetch(`${this.config!.base_url}/generation`, { headers: this.headers(), signal: AbortSignal.timeout(5000) });
    const generation = await response.text();
    return {
      url: `${this.config!.base_url}/files/${encodeURIComponent(refId(file))}?v=${generation}`,
      header: this.headers(),
      expiresAt: new Date(Date.now() + 3600_000),
    };
  }
}

export const testFilesDriver: DriverFactory = {
  meta: testFilesMeta,
  create: (config, options) => new TestFilesDriver(config, options),
};
