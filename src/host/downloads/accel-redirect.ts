import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import mime from 'mime-types';
import type { Link } from '../../types/obj.js';
import type { FileTarget } from '../fs/fs-service.js';
import type { HostContext } from '../host-context.js';
import { contentDisposition } from './content-disposition.js';

/**
 * The nginx internal-redirect mode (docs/deploy.md): a proxied download is answered with an empty 200 whose
 * `X-Accel-Redirect` names the storage's link, and nginx fetches and streams the bytes itself.
 */
export interface AccelRedirectOptions {
  /** nginx's internal location, e.g. "/_accel": the answer redirects to `<prefix>/<the link, URI-encoded>`. */
  prefix: string;
  /**
   * What nginx sends in the `X-Accel-Secret` request header. Only a request carrying it gets an internal redirect
   * (whose headers hold the link's bearer token); any other request, e.g. one that reached the host directly, is
   * streamed by the host as without the mode.
   */
  secret: string;
}

/** The request header nginx sets (proxy_set_header) on every request it passes to the host. */
export const ACCEL_SECRET_HEADER = 'x-accel-secret';
/** The response header carrying the link's Authorization, for nginx's upstream request (never shown to the client). */
export const ACCEL_AUTHORIZATION_HEADER = 'x-accel-authorization';
const MIN_SECRET_LENGTH = 16;

/** Why these options cannot work, or undefined. */
export function accelRedirectProblem(options: AccelRedirectOptions): string | undefined {
  if (!/^\/[A-Za-z0-9._~/-]*[A-Za-z0-9._~-]$/.test(options.prefix)) {
    return `The accel-redirect prefix must be a path such as /_accel (letters, digits, "._~-/", no trailing slash), not "${options.prefix}"`;
  }
  if (options.secret.length < MIN_SECRET_LENGTH) {
    return `ACCEL_SECRET must be at least ${MIN_SECRET_LENGTH} characters (the header nginx sends so that only it gets internal redirects)`;
  }
  return undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The link's headers as nginx can pass them on: only an Authorization (a picked item's bearer token) is known to the config. */
function forwardableAuthorization(link: Link): { authorization?: string } | undefined {
  const entries = Object.entries(link.header ?? {});
  if (entries.some(([name]) => name.toLowerCase() !== 'authorization')) return undefined;
  return entries.length ? { authorization: entries[0]![1] } : {};
}

export class AccelRedirect {
  private readonly secretDigest: Buffer;

  constructor(private readonly options: AccelRedirectOptions) {
    const problem = accelRedirectProblem(options);
    if (problem) throw new Error(problem);
    this.secretDigest = digest(options.secret);
  }

  /** The request came through nginx: it carries the shared secret. */
  private fromNginx(request: FastifyRequest): boolean {
    const sent = request.headers[ACCEL_SECRET_HEADER];
    return typeof sent === 'string' && timingSafeEqual(digest(sent), this.secretDigest);
  }

  /**
   * Answers the download with an internal redirect when it can: the request came through nginx and the link is
   * http(s) with no header but Authorization. Otherwise (a Local storage's file: link, a direct request) it answers
   * nothing and returns false: the caller streams the file itself. The caller has done every check before.
   * The client gets the storage's ETag (not, for WebDAV, the one PROPFIND showed): nginx passes the storage's answer.
   */
  async answer(
    ctx: Pick<HostContext, 'fs' | 'sizes'>, target: FileTarget, request: FastifyRequest, reply: FastifyReply, disposition: 'inline' | 'attachment',
  ): Promise<boolean> {
    if (!this.fromNginx(request)) return false;
    const { link } = await ctx.fs.link(target);
    const forwarded = forwardableAuthorization(link);
    if (!/^https?:/.test(link.url) || !forwarded) return false;
    const headers: Record<string, string> = {
      'x-accel-redirect': `${this.options.prefix}/${encodeURIComponent(link.url)}`,
      'content-type': link.mimeType || target.obj.mimeType || mime.lookup(target.obj.name) || 'application/octet-stream',
      'content-disposition': contentDisposition(disposition, target.obj.name),
      'cache-control': 'private, max-age=0',
      'content-length': '0',
    };
    if (forwarded.authorization) headers[ACCEL_AUTHORIZATION_HEADER] = forwarded.authorization;
    reply.hijack();
    reply.raw.writeHead(200, headers);
    reply.raw.end();
    if (!target.variant) ctx.sizes.probe(target.live, [target.obj]); // the bytes never pass here to show the size
    return true;
  }
}
