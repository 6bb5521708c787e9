/** An HTTP client for the host's API that keeps every text body it saw (for the secrets scan). */
export interface EnvelopeOf<T = any> {
  code: number;
  message: string;
  data: T;
  error?: { code: string; message: string; hint?: string };
}

export class HostClient {
  readonly seenBodies: string[] = [];
  token = '';

  constructor(readonly baseUrl: string) {}

  private headers(token: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
    const headers: Record<string, string> = { ...extra };
    const chosen = token ?? this.token;
    if (chosen) headers.authorization = chosen;
    return headers;
  }

  /** A raw request; text bodies are recorded. `token: ''` sends none. */
  async request(path: string, init: RequestInit & { token?: string } = {}): Promise<{ response: Response; text: string }> {
    const { token, headers, ...rest } = init;
    const response = await fetch(`${this.baseUrl}${path}`, {
      redirect: 'manual',
      ...rest,
      headers: this.headers(token, headers as Record<string, string> | undefined),
      signal: AbortSignal.timeout(20000),
    });
    const text = await response.text();
    this.seenBodies.push(text);
    return { response, text };
  }

  async call<T = any>(method: 'GET' | 'POST', path: string, body?: unknown, token?: string): Promise<EnvelopeOf<T>> {
    const { response, text } = await this.request(path, {
      method,
      token,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (response.status !== 200) throw new Error(`HTTP ${response.status} for ${path}: ${text}`);
    return JSON.parse(text) as EnvelopeOf<T>;
  }

  get<T = any>(path: string, token?: string): Promise<EnvelopeOf<T>> {
    return this.call<T>('GET', path, undefined, token);
  }

  post<T = any>(path: string, body: unknown = {}, token?: string): Promise<EnvelopeOf<T>> {
    return this.call<T>('POST', path, body, token);
  }

  async login(username: string, password: string): Promise<string> {
    const answer = await this.post<{ token: string }>('/api/auth/login', { username, password }, '');
    if (answer.code !== 200) throw new Error(`login failed: ${answer.message}`);
    this.token = answer.data.token;
    return this.token;
  }

  /** The names in a folder listing (fails on an error envelope). */
  async names(path: string, extra: Record<string, unknown> = {}): Promise<string[]> {
    const answer = await this.post<{ content: Array<{ name: string }> }>('/api/fs/list', { path, ...extra });
    if (answer.code !== 200) throw new Error(`list ${path}: ${answer.code} ${answer.message}`);
    return answer.data.content.map((item) => item.name);
  }
}
