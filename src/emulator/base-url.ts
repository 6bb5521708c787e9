import { createHmac } from 'node:crypto';

/** lr: a Library API baseUrl (no credentials needed); pk: a picked item's baseUrl (needs the picker bearer). */
export type MediaUrlKind = 'lr' | 'pk';

export const BASE_URL_LIFETIME_MS = 60 * 60_000;

export interface MediaUrlClaims { kind: MediaUrlKind; itemId: string; issuedMs: number; sessionId?: string }

/** Signs and parses the opaque part of baseUrls, so a URL cannot be forged or its issue time moved. */
export class BaseUrlSigner {
  constructor(private readonly key: string) {}

  private signature(kind: string, payload: string): string {
    return createHmac('sha256', this.key).update(`${kind}/${payload}`).digest('base64url').slice(0, 22);
  }

  make(origin: string, claims: MediaUrlClaims): string {
    const payload = Buffer.from(`${claims.itemId}~${claims.issuedMs}~${claims.sessionId ?? ''}`).toString('base64url');
    return `${origin}/media/${claims.kind}/${payload}.${this.signature(claims.kind, payload)}`;
  }

  /** `path` is what follows /media/: "<kind>/<payload>.<sig>[=<options>]". */
  parse(path: string): { claims: MediaUrlClaims; options: string } | undefined {
    const match = /^(lr|pk)\/([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)(?:=(.*))?$/.exec(path);
    if (!match) return undefined;
    const [, kind, payload, sig, options] = match as unknown as [string, MediaUrlKind, string, string, string | undefined];
    if (sig !== this.signature(kind, payload)) return undefined;
    const [itemId, issued, sessionId] = Buffer.from(payload, 'base64url').toString().split('~');
    if (!itemId || !issued) return undefined;
    return {
      claims: { kind, itemId, issuedMs: Number(issued), sessionId: sessionId || undefined },
      options: options ?? '',
    };
  }
}

export interface MediaOptions { download: boolean; video: boolean; width?: number; height?: number; crop: boolean }

/** Parses baseUrl options like "d", "dv", "w512-h512-c", "s200", "w100-h100-d" (unknown parts are ignored). */
export function parseMediaOptions(options: string): MediaOptions {
  const result: MediaOptions = { download: false, video: false, crop: false };
  for (const part of options.split('-')) {
    let m: RegExpExecArray | null;
    if (part === 'd') result.download = true;
    else if (part === 'dv') result.video = true;
    else if (part === 'c') result.crop = true;
    else if ((m = /^w(\d{1,5})$/.exec(part))) result.width = Number(m[1]) || undefined;
    else if ((m = /^h(\d{1,5})$/.exec(part))) result.height = Number(m[1]) || undefined;
    else if ((m = /^s(\d{1,5})$/.exec(part))) { result.width = Number(m[1]) || undefined; result.height = result.width; }
  }
  return result;
}
