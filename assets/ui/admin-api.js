/** The admin endpoints of the host API (storages, drivers, settings, users, Google authorization). */
import { api, apiPost } from './api.js';

/** AList answers lists as {content, total}; accept a bare array too. */
function contentOf(data) {
  if (Array.isArray(data)) return data;
  return Array.isArray(data?.content) ? data.content : [];
}

export async function listStorages() {
  return contentOf(await api('/api/admin/storage/list'));
}

export function getStorage(id) {
  return api('/api/admin/storage/get', { query: { id } });
}

export function createStorage(storage) {
  return apiPost('/api/admin/storage/create', storage);
}

export function updateStorage(storage) {
  return apiPost('/api/admin/storage/update', storage);
}

export function deleteStorage(id) {
  return api('/api/admin/storage/delete', { method: 'POST', query: { id } });
}

export function setStorageEnabled(id, enabled) {
  return api(`/api/admin/storage/${enabled ? 'enable' : 'disable'}`, { method: 'POST', query: { id } });
}

export async function driverNames() {
  const data = await api('/api/admin/driver/names');
  return Array.isArray(data) ? data : Object.keys(data ?? {});
}

export function driverInfo(driver) {
  return api('/api/admin/driver/info', { query: { driver } });
}

export function getSettings() {
  return api('/api/admin/settings');
}

export function saveSettings(settings) {
  return apiPost('/api/admin/settings', settings);
}

/** Every user, AList's shape (`password` always empty). */
export async function listUsers() {
  const data = await api('/api/admin/user/list');
  return Array.isArray(data?.content) ? data.content : [];
}

/** The built-in guest user (AList's role 1), who browses for visitors without a token while it is enabled. */
export async function getGuestUser() {
  return (await listUsers()).find((user) => user.role === 1) ?? null;
}

export function createUser(user) {
  return apiPost('/api/admin/user/create', user);
}

export function deleteUser(id) {
  return api('/api/admin/user/delete', { method: 'POST', query: { id } });
}

/** Changes fields of a user; left-out fields keep their values. */
export function updateUser(user) {
  return apiPost('/api/admin/user/update', user);
}

/** The Google consent URL for a storage (the host keeps the PKCE verifier and state). */
export function googleAuthorizationUrl(storageId) {
  return apiPost('/api/admin/google/authorize', { storage_id: storageId });
}

/** A storage's settings object, from the JSON string the API stores it as. */
export function parseAddition(addition) {
  if (addition && typeof addition === 'object') return addition;
  try {
    const parsed = JSON.parse(addition || '{}');
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}
