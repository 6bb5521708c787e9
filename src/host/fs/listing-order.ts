import type { Obj } from '../../types/obj.js';
import type { StorageOptions } from '../storages/storage-options.js';

export type ListingOrder = Pick<StorageOptions, 'order_by' | 'order_direction' | 'extract_folder'>;

/** Names in natural order (IMG_2 before IMG_10), as AList's natural.Less; the same on every machine. */
const names = new Intl.Collator('en', { numeric: true });

/** The storage asks the host to reorder its listings (AList: order_by when the driver leaves sorting to the host, extract_folder always). */
export function reordersListings(order: ListingOrder, localSort: boolean): boolean {
  return (localSort && order.order_by !== '') || order.extract_folder !== '';
}

function compareBy(order: ListingOrder, sizeOf: (obj: Obj) => number | undefined): ((a: Obj, b: Obj) => number) | undefined {
  const sign = order.order_direction === 'desc' ? -1 : 1;
  switch (order.order_by) {
    case 'name':
      return (a, b) => sign * names.compare(a.name, b.name);
    case 'size': // an unknown size counts as the smallest
      return (a, b) => sign * ((sizeOf(a) ?? -1) - (sizeOf(b) ?? -1));
    case 'modified':
      return (a, b) => sign * ((a.modified.getTime() || 0) - (b.modified.getTime() || 0));
    default:
      return undefined;
  }
}

/**
 * A listing in the storage's order (AList's SortFiles then ExtractFolder): sorted by name, size or modified time,
 * ascending unless 'desc', when the driver leaves sorting to the host; then folders moved to the front or back,
 * keeping their order. Returns a new array; ties keep the driver's order.
 */
export function orderListing(objs: readonly Obj[], order: ListingOrder, localSort: boolean, sizeOf: (obj: Obj) => number | undefined): Obj[] {
  const ordered = [...objs];
  const compare = localSort ? compareBy(order, sizeOf) : undefined;
  if (compare) ordered.sort(compare);
  if (order.extract_folder === 'front' || order.extract_folder === 'back') {
    const folders = ordered.filter((obj) => obj.isDir);
    const files = ordered.filter((obj) => !obj.isDir);
    return order.extract_folder === 'front' ? [...folders, ...files] : [...files, ...folders];
  }
  return ordered;
}
