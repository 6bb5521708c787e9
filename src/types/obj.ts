/** A file or folder as a driver reports it. */
export interface Obj {
  /** Stable id within the storage; what the driver needs to list or link it again. */
  id: string;
  /** Display name, unique within its parent listing, free of `/` and control characters. */
  name: string;
  /** Size in bytes; `undefined` when the storage does not know it (never a made-up 0). */
  size?: number;
  modified: Date;
  created?: Date;
  isDir: boolean;
  mimeType?: string;
  /** URL of a small preview image, when the storage offers one. */
  thumbnail?: string;
  /** When the object stops being reachable (e.g. a picker session's end). */
  expiresAt?: Date;
  /** Short human text a UI may show beside the name (e.g. "12 items"). */
  description?: string;
}

/** Where the bytes of a file can be fetched. */
export interface Link {
  url: string;
  /** Headers the fetcher must send; a link with headers cannot be handed to a browser as a redirect. */
  header?: Record<string, string>;
  /** After this instant the URL may stop working; a host may cache the link until then. */
  expiresAt?: Date;
  size?: number;
  mimeType?: string;
}

/** A reference to an object: its id, or the object itself (which may carry cached data such as a fresh URL). */
export type ObjRef = string | (Pick<Obj, 'id'> & Partial<Obj>);

export function refId(ref: ObjRef): string {
  return typeof ref === 'string' ? ref : ref.id;
}
