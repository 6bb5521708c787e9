/** AList's common storage options (model.Storage's Sort and Proxy, and EnableSign), with AList's names and values. */
export const ORDER_BY = ['name', 'size', 'modified'] as const;
export const ORDER_DIRECTIONS = ['asc', 'desc'] as const;
export const EXTRACT_FOLDER = ['front', 'back'] as const;
export const WEBDAV_POLICIES = ['302_redirect', 'use_proxy_url', 'native_proxy'] as const;

export type OrderBy = (typeof ORDER_BY)[number];
export type OrderDirection = (typeof ORDER_DIRECTIONS)[number];
export type ExtractFolder = (typeof EXTRACT_FOLDER)[number];
export type WebdavPolicy = (typeof WEBDAV_POLICIES)[number];

export interface StorageOptions {
  /** '' keeps the driver's order. */
  order_by: OrderBy | '';
  order_direction: OrderDirection | '';
  /** Folders before ('front') or after ('back') the files; '' leaves them where the order puts them. */
  extract_folder: ExtractFolder | '';
  /** /d/ downloads go through this server instead of redirecting to the storage. */
  web_proxy: boolean;
  webdav_policy: WebdavPolicy;
  /** Where proxied downloads are sent instead (an external proxy that checks the sign); '' for none. */
  down_proxy_url: string;
  /** /d/ and /p/ of this storage need a valid sign, whoever asks. */
  enable_sign: boolean;
  /** Stored and shown as AList does; downloads proxied here always pass Range on, whatever its value. */
  proxy_range: boolean;
}

export const STORAGE_OPTION_NAMES = [
  'order_by', 'order_direction', 'extract_folder', 'web_proxy', 'webdav_policy', 'down_proxy_url', 'enable_sign', 'proxy_range',
] as const satisfies ReadonlyArray<keyof StorageOptions>;

/** What a new storage gets, as AList's form defaults: a driver that can only proxy defaults WebDAV to native_proxy. */
export function defaultStorageOptions(onlyProxy: boolean): StorageOptions {
  return {
    order_by: '', order_direction: '', extract_folder: '', web_proxy: false,
    webdav_policy: onlyProxy ? 'native_proxy' : '302_redirect', down_proxy_url: '', enable_sign: false, proxy_range: false,
  };
}

/** The first line of down_proxy_url without a trailing slash; undefined when none is set. */
export function downProxyBase(options: Pick<StorageOptions, 'down_proxy_url'>): string | undefined {
  const first = options.down_proxy_url.split('\n')[0]?.trim() ?? '';
  return first === '' ? undefined : first.replace(/\/+$/, '');
}

/** The one place that says whether a storage's downloads need a sign (the lead combines this with sign_all). */
export function needsSign(storage: { row: Pick<StorageOptions, 'enable_sign'> }): boolean {
  return storage.row.enable_sign;
}
