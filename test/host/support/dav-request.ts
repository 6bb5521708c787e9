/** Raw WebDAV requests (any method, headers and body), for what a client library does not let a test send. */
import { request } from 'node:http';
import { XMLParser } from 'fast-xml-parser';

export interface DavAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: Buffer;
}

export interface DavRequestOptions {
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** [username, password] for HTTP Basic; none sent when absent. */
  auth?: [string, string];
  /** Loopback source address (e.g. 127.0.0.2), to be another client for the login limiter. */
  from?: string;
}

/** `target`: the path as sent (already percent-encoded), e.g. "/dav/local/a%20b.txt". */
export function davRequest(baseUrl: string, method: string, target: string, options: DavRequestOptions = {}): Promise<DavAnswer> {
  const url = new URL(baseUrl);
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth) headers.authorization = `Basic ${Buffer.from(options.auth.join(':')).toString('base64')}`;
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: url.hostname, port: url.port, path: target, method, headers, agent: false, timeout: 60_000, ...(options.from ? { localAddress: options.from } : {}) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: body.toString('utf8'), body });
      });
      response.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer to ${method} ${target}`)));
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

const xml = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, isArray: (name) => ['response', 'propstat'].includes(name) });

export interface DavPropstat {
  status: string;
  prop: Record<string, unknown>;
}

/** A 207 body as `{ href: [propstat...] }` (namespace prefixes dropped). */
export function multistatus(text: string): Map<string, DavPropstat[]> {
  const parsed = xml.parse(text) as { multistatus: { response: Array<{ href: string; propstat?: DavPropstat[] }> } };
  return new Map(parsed.multistatus.response.map((response) => [response.href, response.propstat ?? []]));
}

/** The properties answered with 200 for `href`. */
export function okProps(text: string, href: string): Record<string, unknown> {
  const found = multistatus(text).get(href);
  if (!found) throw new Error(`no response for ${href} in ${text}`);
  return Object.assign({}, ...found.filter((each) => each.status.includes(' 200 ')).map((each) => each.prop));
}
