import type { FastifyInstance } from 'fastify';
import type { ConfigItem } from '../../types/config-items.js';
import type { DriverFactory } from '../../types/driver.js';
import { getDriverFactory, listDriverFactories } from '../../types/registry.js';
import { ApiError, ok } from './api-error.js';
import type { HostContext } from '../host-context.js';

/** AList's form item: every value a string, options comma-separated. */
function alistItem(item: ConfigItem) {
  return {
    name: item.name,
    type: item.type,
    default: item.default === undefined ? '' : String(item.default),
    options: (item.options ?? []).join(','),
    required: item.required,
    help: item.help ?? '',
    secret: item.secret ?? false,
  };
}

const COMMON_ITEMS: ConfigItem[] = [
  { name: 'mount_path', type: 'string', required: true, help: 'Where the storage appears in the tree, e.g. /photos' },
  { name: 'order', type: 'number', required: false, default: 0, help: 'Sort order among storages' },
  { name: 'remark', type: 'text', required: false, default: '' },
  { name: 'cache_expiration', type: 'number', required: false, default: 30, help: 'Minutes a folder listing is cached (0 = no cache)' },
  { name: 'disabled', type: 'bool', required: false, default: false },
];

/** AList's getMainItems: the proxy, sort and sign options, offered as the driver allows. */
function optionItems(meta: DriverFactory<any>['meta']): ConfigItem[] {
  const items: ConfigItem[] = meta.onlyProxy
    ? [{ name: 'webdav_policy', type: 'select', required: true, default: 'native_proxy', options: ['use_proxy_url', 'native_proxy'] }]
    : [
      { name: 'web_proxy', type: 'bool', required: false, default: false, help: 'Downloads (/d/) go through this server instead of redirecting to the storage' },
      { name: 'webdav_policy', type: 'select', required: true, default: '302_redirect', options: ['302_redirect', 'use_proxy_url', 'native_proxy'] },
    ];
  items.push({ name: 'down_proxy_url', type: 'text', required: false, default: '', help: 'Proxied downloads are sent to <url>/<path>?sign=... instead' });
  if (meta.localSort) {
    items.push(
      { name: 'order_by', type: 'select', required: false, default: '', options: ['name', 'size', 'modified'] },
      { name: 'order_direction', type: 'select', required: false, default: '', options: ['asc', 'desc'] },
    );
  }
  items.push(
    { name: 'extract_folder', type: 'select', required: false, default: '', options: ['front', 'back'] },
    { name: 'enable_sign', type: 'bool', required: true, default: false },
  );
  return items;
}

function driverInfo(factory: DriverFactory<any>) {
  const { meta } = factory;
  return {
    common: [...COMMON_ITEMS, ...optionItems(meta)].map(alistItem),
    additional: meta.configItems.map(alistItem),
    config: {
      name: meta.name,
      display_name: meta.displayName,
      local_sort: meta.localSort,
      only_proxy: meta.onlyProxy,
      no_upload: meta.noUpload,
      default_root: meta.defaultRoot,
    },
  };
}

export function registerAdminDriverRoutes(app: FastifyInstance, ctx: HostContext): void {
  app.get('/api/admin/driver/names', async (request) => {
    await ctx.access.admin(request);
    return ok(listDriverFactories().map((factory) => factory.meta.name));
  });

  app.get('/api/admin/driver/list', async (request) => {
    await ctx.access.admin(request);
    return ok(Object.fromEntries(listDriverFactories().map((factory) => [factory.meta.name, driverInfo(factory)])));
  });

  app.get('/api/admin/driver/info', async (request) => {
    await ctx.access.admin(request);
    const name = (request.query as Record<string, unknown>).driver;
    const factory = typeof name === 'string' ? getDriverFactory(name) : undefined;
    if (!factory) throw new ApiError(404, `Unknown driver "${String(name ?? '')}"`);
    return ok(driverInfo(factory));
  });
}
