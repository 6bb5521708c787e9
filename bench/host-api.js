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
