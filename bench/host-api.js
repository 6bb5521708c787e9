// What the benchmarks say to a host: its JSON API (AList's envelope) and the benchmark's own child process.

/** Sends a message to a forked child and resolves with its next answer. */
export function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

/** POSTs `body` (GET when undefined) to the host's `route`; resolves with the envelope's data, throws on another code. */
export async function api(url, route, body, token, timeoutMs) {
  const response = await fetch(`${url}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const envelope = await response.json();
  if (envelope.code !== 200) throw new Error(`${route}: ${envelope.code} ${envelope.message}`);
  return envelope.data;
}

/** Logs in as admin and mounts a GooglePhoto storage at /bench on the emulator; resolves with the token and the root listing. */
export async function mountBenchStorage(url, adminPassword, emulator, refreshToken, timeoutMs) {
  const { token } = await api(url, '/api/auth/login', { username: 'admin', password: adminPassword }, undefined, timeoutMs);
  await api(url, '/api/admin/storage/create', {
    mount_path: '/bench', driver: 'GooglePhoto',
    addition: JSON.stringify({ client_id: emulator.clientId, client_secret: emulator.clientSecret, refresh_token: refreshToken, api_base_url: emulator.url }),
  }, token, timeoutMs);
  const root = await api(url, '/api/fs/list', { path: '/bench' }, token, timeoutMs);
  return { token, root };
}

/** Asks the benchmark's host child to close, and waits until it has exited. */
export async function closeHostChild(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('close');
  await exited;
}
