/** One call of the host's API as a script would make it: the envelope's data, or an error naming the route. */
export async function apiCall<T>(baseUrl: string, route: string, token: string, body?: unknown): Promise<T> {
  const answer = await fetch(`${baseUrl}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const envelope = (await answer.json()) as { code: number; message: string; data: T };
  if (envelope.code !== 200) throw new Error(`${route}: ${envelope.code} ${envelope.message}`);
  return envelope.data;
}
