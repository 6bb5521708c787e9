/**
 * Files listed without a size (Google Photos) get one soon after: the server learns sizes in the background once a
 * folder is listed. The page asks for the same listing again a few times, later and later, and fills the sizes in.
 */
import { apiPost } from './api.js';
import { formatSize } from './format.js';

const DELAYS_MS = [1500, 3000, 6000, 12000, 24000];

const hasUnknownSize = (items) => items.some((item) => !item.is_dir && item.size_unknown);

/**
 * `request` is the fs/list body of the page just shown; `isCurrent()` turns false once the page shows something
 * else, which ends the refreshing.
 */
export function fillSizesLater(list, items, request, isCurrent) {
  if (!hasUnknownSize(items)) return;
  void (async () => {
    for (const delay of DELAYS_MS) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (!isCurrent()) return;
      let data;
      try {
        data = await apiPost('/api/fs/list', request);
      } catch {
        return; // the listing itself failed: the page keeps what it shows
      }
      if (!isCurrent()) return;
      const fresh = Array.isArray(data?.content) ? data.content : [];
      showSizes(list, fresh);
      if (!hasUnknownSize(fresh)) return;
    }
  })();
}

function showSizes(list, items) {
  const sizes = new Map(items.filter((item) => !item.is_dir && !item.size_unknown).map((item) => [item.name, item.size]));
  for (const entry of list.children) {
    const size = sizes.get(entry.dataset.name);
    const cell = entry.querySelector('.entry-size');
    if (size !== undefined && cell) cell.textContent = formatSize(size);
  }
}
