import type { FastifyServerOptions } from 'fastify';

const CENSOR = '******';
/** Headers and bodies that carry credentials. */
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'req.body.password', 'req.body.addition'];
/** Query parameters that carry a secret: download signs, OAuth codes and states, tokens, client secrets. */
const SECRET_QUERY_NAMES = new Set([
  'sign', 'code', 'state', 'token', 'access_token', 'refresh_token', 'id_token', 'client_secret', 'code_verifier', 'password', 'key',
]);

function parameterName(part: string): string {
  const raw = part.split('=', 1)[0]!;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** The URL with the value of every secret-carrying query parameter masked; path and other parameters kept. */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const query = url.slice(start + 1).split('&').map((part) => {
    if (!SECRET_QUERY_NAMES.has(parameterName(part))) return part;
    return `${part.split('=', 1)[0]}=${CENSOR}`;
  });
  return `${url.slice(0, start)}?${query.join('&')}`;
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Fastify's logger options for `--log`: its usual request line, with secrets masked. */
export function requestLogOptions(stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    redact: { paths: REDACT, censor: CENSOR },
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
    ...(stream ? { stream } : {}),
  };
}
