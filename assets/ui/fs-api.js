/** The host's AList write endpoints: upload, new folder, rename, remove, copy, move; and the folders of a folder. */
import { ApiError, apiPost, getToken, settleEnvelope } from './api.js';

export function makeDir(path) {
  return apiPost('/api/fs/mkdir', { path });
}

export function renameEntry(path, name) {
  return apiPost('/api/fs/rename', { path, name });
}

export function removeEntries(dir, names) {
  return apiPost('/api/fs/remove', { dir, names });
}

/** Copying or moving may run as tasks: -> the tasks started ([] when it was done at once). */
export async function transferEntries(kind, srcDir, dstDir, names) {
  const data = await apiPost(`/api/fs/${kind === 'move' ? 'move' : 'copy'}`, { src_dir: srcDir, dst_dir: dstDir, names });
  return Array.isArray(data?.tasks) ? data.tasks : [];
}

/** The folders in `path`: [{name, modified}]. */
export async function listFolders(path) {
  const data = await apiPost('/api/fs/dirs', { path });
  return Array.isArray(data) ? data.filter((entry) => typeof entry?.name === 'string') : [];
}

/** Whether something is at `path` (false also when the server cannot tell: the upload then asks it again). */
export async function entryExists(path) {
  try {
    await apiPost('/api/fs/get', { path });
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends one file's bytes to `path` (the full path, name included) with PUT /api/fs/put. XMLHttpRequest, since
 * fetch cannot report upload progress. `onProgress(sentBytes)` follows the upload. Returns {promise, abort};
 * the promise resolves with the answer's data ({task} when the server finishes it as a task). Without
 * `overwrite` the server refuses (error code EXISTS) to replace a file of the same name.
 */
export function uploadFile(path, file, { onProgress, asTask = false, overwrite = false } = {}) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    xhr.open('PUT', '/api/fs/put');
    xhr.responseType = 'text';
    const token = getToken();
    if (token) xhr.setRequestHeader('Authorization', token);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('File-Path', encodeURIComponent(path));
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    if (Number.isFinite(file.lastModified)) xhr.setRequestHeader('Last-Modified', String(file.lastModified));
    if (asTask) xhr.setRequestHeader('As-Task', 'true');
    xhr.setRequestHeader('Overwrite', String(overwrite));
    xhr.upload.addEventListener('progress', (event) => onProgress?.(event.loaded));
    xhr.addEventListener('load', () => {
      let parsed;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = undefined;
      }
      try {
        resolve(settleEnvelope(parsed, xhr.status));
      } catch (error) {
        reject(error);
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError({ code: 0, message: 'Cannot reach the server.' }, 0)));
    xhr.addEventListener('abort', () => reject(new ApiError({ code: 0, message: 'Cancelled.' }, 0)));
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
}
