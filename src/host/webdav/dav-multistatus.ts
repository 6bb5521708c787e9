import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { DavError } from './dav-errors.js';
import { buildXml, dav, type XmlElement } from './dav-xml.js';
import { DAV_REALM } from './dav-auth.js';

export function statusLine(code: number): string {
  return `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}`;
}

/** One <D:propstat>: properties that share a status (with the precondition that failed, if one did). */
export function propstat(code: number, props: XmlElement[], condition?: string): XmlElement {
  return dav('propstat', [dav('prop', props), dav('status', [statusLine(code)]), ...(condition ? [dav('error', [dav(condition)])] : [])]);
}

export function davResponse(href: string, propstats: XmlElement[]): XmlElement {
  return dav('response', [dav('href', [href]), ...propstats]);
}

export function sendXml(reply: FastifyReply, code: number, root: XmlElement): FastifyReply {
  return reply.code(code).type('application/xml; charset=utf-8').send(buildXml(root));
}

/** A failure: `<D:error>` with its precondition where RFC 4918 names one, else the message as text. */
export function sendDavError(reply: FastifyReply, err: DavError): FastifyReply {
  reply.headers(err.headers);
  if (err.status === 401) reply.header('www-authenticate', `Basic realm="${DAV_REALM}", charset="UTF-8"`);
  if (err.condition) return sendXml(reply, err.status, dav('error', [dav(err.condition, err.hrefs.map((href) => dav('href', [href])))]));
  return reply.code(err.status).type('text/plain; charset=utf-8').send(`${err.message}\n`);
}
