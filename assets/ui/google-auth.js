/** "Authorize with Google": open the consent page in a new tab, then watch the storage until it works. */
import { googleAuthorizationUrl, listStorages } from './admin-api.js';
import { isWebUrl } from './safe-url.js';

const POLL_INTERVAL_MS = 2000;
const POLL_TIMEOUT_MS = 5 * 60 * 1000;

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Must be called from the click handler: the tab is opened before the first await, while the click still
 * counts as a user gesture, so pop-up blockers let it through.
 * `onUrl(url, opened)` tells whether the tab could be opened (else the page shows the link);
 * `onStorages(list)` gets every polled list. Resolves with the storage once its status is 'work'.
 */
export async function authorizeWithGoogle(storageId, { onUrl, onStorages, intervalMs = POLL_INTERVAL_MS, timeoutMs = POLL_TIMEOUT_MS }) {
  const tab = window.open('about:blank', '_blank');
  if (tab) tab.opener = null; // the consent page must not reach back into this page
  let url;
  try {
    ({ url } = await googleAuthorizationUrl(storageId));
    if (!isWebUrl(url)) throw new Error('The consent page address is not an http(s) URL. Check the storage’s api_base_url.');
  } catch (error) {
    tab?.close();
    throw error;
  }
  const opened = Boolean(tab && !tab.closed);
  if (opened) tab.location.href = url;
  onUrl?.(url, opened);

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await delay(intervalMs);
    let storages;
    try {
      storages = await listStorages();
    } catch {
      continue; // a failed poll is retried at the next tick
    }
    onStorages?.(storages);
    const storage = storages.find((candidate) => String(candidate.id) === String(storageId));
    if (storage?.status === 'work') return storage;
  }
  throw new Error('Google authorization did not finish in time. Press “Authorize with Google” to try again.');
}
